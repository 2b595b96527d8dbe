/* The runner's countdown as pure functions (runner.js draws it; tested in
   teams/tests/js/countdown.test.mjs). What is left is always worked out from the step's end and
   the clock, never by counting ticks, so a phone that slept or a background tab shows the true
   time. The device's clock may be off: the server sends its own time with each fragment, and
   the difference it had when the fragment arrived is applied to every reading after. */

/* Server time minus device time, in ms, as measured when a fragment arrived. */
export function clockOffset(serverNowMs, receivedAtMs) {
  return serverNowMs - receivedAtMs;
}

/* Milliseconds left in the step at device time `nowMs`. */
export function msLeft(endsAtMs, offsetMs, nowMs) {
  return Math.max(0, endsAtMs - (nowMs + offsetMs));
}

/* "m:ss", rounding up: the clock shows 0:00 only once nothing is left. */
export function clockText(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

/* What to announce to a screen reader when the step shown changes; null when it did not (or
   at the first reading: the page itself says which step it is). */
export function stepAnnouncement(previousStep, step, count, title) {
  if (previousStep === null || previousStep === step) return null;
  return `Step ${step} of ${count}: ${title}`;
}
