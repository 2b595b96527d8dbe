/* Timers from the wall clock. A timer is {remaining, since}: the milliseconds left when it was
   last started or paused, and Date.now() when it was started (null while paused). What is left
   is always worked out from the clock, never by counting ticks: a phone that sleeps or a tab
   in the background (whose intervals the browser slows down) still shows the right time.
   Pure functions, tested in visits/tests/js/clock.test.mjs. */

/* "m:ss", rounding up: a timer shows 0:00 only once nothing is left. */
export function clock(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

const running = (since) => since !== null && since !== undefined;

export function timerNew(minutes) {
  return { remaining: minutes * 60000, since: null };
}

export function timerLeft(timer, now) {
  return running(timer.since) ? Math.max(0, timer.remaining - (now - timer.since)) : timer.remaining;
}

export function timerRunning(timer, now) {
  return running(timer.since) && timerLeft(timer, now) > 0;
}

export function timerStart(timer, now) {
  return running(timer.since) || timer.remaining <= 0 ? timer : { remaining: timer.remaining, since: now };
}

export function timerPause(timer, now) {
  return running(timer.since) ? { remaining: timerLeft(timer, now), since: null } : timer;
}

/* Talk time: {mode, since, totals: {teacher, student, silence}} in milliseconds; `mode` is
   who is talking since `since` (null when nobody is being timed). */
export const TALK_MODES = ["teacher", "student", "silence"];

export function talkNew() {
  return { mode: null, since: null, totals: { teacher: 0, student: 0, silence: 0 } };
}

export function talkTotals(talk, now) {
  const totals = { ...talk.totals };
  if (talk.mode && running(talk.since)) totals[talk.mode] += Math.max(0, now - talk.since);
  return totals;
}

/* Tapping a mode starts timing it; tapping the mode being timed pauses. */
export function talkToggle(talk, mode, now) {
  const next = talk.mode === mode ? null : mode;
  return { mode: next, since: next ? now : null, totals: talkTotals(talk, now) };
}

export function percentages(totals) {
  const sum = TALK_MODES.reduce((s, mode) => s + totals[mode], 0);
  const out = {};
  for (const mode of TALK_MODES) out[mode] = sum ? Math.round((100 * totals[mode]) / sum) : 0;
  return out;
}
