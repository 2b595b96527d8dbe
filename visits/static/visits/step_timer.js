/* The debrief's timer per protocol step, as pure functions (debrief.js draws and stores them;
   tested in visits/tests/js/step_timer.test.mjs). A step timer is a clock.js timer: what is left
   comes from the wall clock. It is kept in the tab's sessionStorage, so saving the debrief (a
   full page load) neither stops nor resets it, and a stopped timer says what was spent instead
   of showing the last second it drew. */

import { clock, timerLeft, timerNew, timerPause, timerRunning, timerStart } from "./clock.js";

/* Whole seconds spent, rounded down, so that spent + left never shows more than the step. */
const spentText = (ms) => clock(Math.floor(Math.max(0, ms) / 1000) * 1000);

/* What a step's timer shows now: its state, the big clock line, the line under it and the
   button's words. */
export function stepTimerView(timer, minutes, now) {
  const full = minutes * 60000;
  const left = timerLeft(timer, now);
  const start = `Start ${minutes}-minute timer`;
  if (left <= 0) {
    return { state: "done", clock: "Time to move on", note: `All ${minutes} minutes spent`, button: start };
  }
  if (timerRunning(timer, now)) {
    return { state: "running", clock: `${clock(left)} left`, note: `${spentText(full - left)} spent`, button: "Stop timer" };
  }
  if (left < full) {
    return {
      state: "stopped",
      clock: `Stopped at ${spentText(full - left)}`,
      note: `${clock(left)} of ${minutes}:00 left`,
      button: "Resume timer",
    };
  }
  return { state: "new", clock: `${minutes}:00`, note: "Not started", button: start };
}

/* The timer after a press of its button: start, stop, resume, or start again once done. */
export function stepTimerPress(timer, minutes, now) {
  if (timerLeft(timer, now) <= 0) return timerStart(timerNew(minutes), now);
  if (timerRunning(timer, now)) return timerPause(timer, now);
  return timerStart(timer, now);
}

export function stepTimerKey(visit, step) {
  return `debrief-timer:${visit}:${step}`;
}

/* A step's timer as the tab kept it; a fresh one when nothing (or nothing sensible) was kept. */
export function stepTimerLoad(store, key, minutes) {
  const fresh = timerNew(minutes);
  let kept = null;
  try {
    kept = JSON.parse(store.getItem(key));
  } catch (_e) {
    return fresh;
  }
  if (!kept || typeof kept !== "object") return fresh;
  const { remaining, since } = kept;
  const sane =
    Number.isFinite(remaining) &&
    remaining >= 0 &&
    remaining <= fresh.remaining &&
    (since === null || Number.isFinite(since));
  return sane ? { remaining, since } : fresh;
}

export function stepTimerSave(store, key, timer) {
  try {
    store.setItem(key, JSON.stringify(timer));
  } catch (_e) {
    // Storage full or refused (a private window): the timer still runs until the page reloads.
  }
}
