// The debrief's step timers: what they show running, stopped and done, and that saving the
// debrief (a page load) finds each one where it was.
import assert from "node:assert/strict";
import { test } from "node:test";

import { timerNew } from "../../static/visits/clock.js";
import {
  stepTimerKey,
  stepTimerLoad,
  stepTimerPress,
  stepTimerSave,
  stepTimerView,
} from "../../static/visits/step_timer.js";

const MINUTE = 60000;

/* A tab's sessionStorage, as far as the timers use it. */
function storage(items = {}) {
  const map = new Map(Object.entries(items));
  return { getItem: (k) => (map.has(k) ? map.get(k) : null), setItem: (k, v) => map.set(k, String(v)) };
}

test("a step timer not started yet offers to start, showing the step's minutes", () => {
  assert.deepEqual(stepTimerView(timerNew(10), 10, 0), {
    state: "new",
    clock: "10:00",
    note: "Not started",
    button: "Start 10-minute timer",
  });
});

test("a running step timer shows what is left and what was spent, live", () => {
  const running = stepTimerPress(timerNew(10), 10, 0);
  const view = stepTimerView(running, 10, 2 * MINUTE + 12_300);
  assert.equal(view.state, "running");
  assert.equal(view.clock, "7:48 left");
  assert.equal(view.note, "2:12 spent");
  assert.equal(view.button, "Stop timer");
});

test("a stopped step timer says what was spent, however long ago it was stopped", () => {
  const stopped = stepTimerPress(stepTimerPress(timerNew(10), 10, 0), 10, 2 * MINUTE);
  for (const later of [2 * MINUTE, 90 * MINUTE]) {
    const view = stepTimerView(stopped, 10, later);
    assert.equal(view.state, "stopped");
    assert.equal(view.clock, "Stopped at 2:00");
    assert.equal(view.note, "8:00 of 10:00 left");
    assert.equal(view.button, "Resume timer");
  }
  const resumed = stepTimerPress(stopped, 10, 90 * MINUTE);
  assert.equal(stepTimerView(resumed, 10, 91 * MINUTE).clock, "7:00 left");
});

test("a step timer that ran out says to move on, and its button starts it afresh", () => {
  const running = stepTimerPress(timerNew(5), 5, 0);
  const view = stepTimerView(running, 5, 6 * MINUTE);
  assert.deepEqual(view, {
    state: "done",
    clock: "Time to move on",
    note: "All 5 minutes spent",
    button: "Start 5-minute timer",
  });
  const again = stepTimerPress(running, 5, 6 * MINUTE);
  assert.equal(stepTimerView(again, 5, 7 * MINUTE).clock, "4:00 left");
});

test("saving the debrief reloads the page and finds each timer as it was, still running", () => {
  const tab = storage();
  const key = stepTimerKey(42, 1);
  stepTimerSave(tab, key, stepTimerPress(timerNew(10), 10, 1_000_000));
  // The page reloads after Save: the timer is read back and has kept counting meanwhile.
  const reloaded = stepTimerLoad(tab, key, 10);
  assert.equal(stepTimerView(reloaded, 10, 1_000_000 + 3 * MINUTE).clock, "7:00 left");
  assert.notEqual(stepTimerKey(42, 1), stepTimerKey(42, 2));
  assert.notEqual(stepTimerKey(42, 1), stepTimerKey(43, 1));
});

test("a timer kept badly, or not at all, starts fresh instead of breaking the page", () => {
  const key = stepTimerKey(1, 0);
  for (const kept of ["not json", "null", "7", '{"remaining": -5, "since": null}',
    '{"remaining": 999999999, "since": null}', '{"remaining": 1000, "since": "noon"}']) {
    assert.deepEqual(stepTimerLoad(storage({ [key]: kept }), key, 10), timerNew(10), kept);
  }
  assert.deepEqual(stepTimerLoad(storage(), key, 10), timerNew(10));
  const paused = { remaining: 3 * MINUTE, since: null };
  assert.deepEqual(stepTimerLoad(storage({ [key]: JSON.stringify(paused) }), key, 10), paused);
});

test("a tab that refuses storage still runs its timers", () => {
  const refusing = {
    getItem: () => {
      throw new Error("SecurityError");
    },
    setItem: () => {
      throw new Error("QuotaExceededError");
    },
  };
  const key = stepTimerKey(1, 0);
  assert.doesNotThrow(() => stepTimerSave(refusing, key, timerNew(5)));
  assert.deepEqual(stepTimerLoad(refusing, key, 5), timerNew(5));
});
