// Timers from the wall clock: what is left depends on the time, never on how often it was asked.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as timers from "../../static/visits/clock.js";

const MINUTE = 60000;

test("a countdown shows whole seconds rounded up, and never below zero", () => {
  assert.equal(timers.clock(15 * MINUTE), "15:00");
  assert.equal(timers.clock(61001), "1:02");
  assert.equal(timers.clock(999), "0:01");
  assert.equal(timers.clock(0), "0:00");
  assert.equal(timers.clock(-5000), "0:00");
});

test("a started timer counts down with the clock, however rarely it is drawn", () => {
  const started = timers.timerStart(timers.timerNew(5), 1_000_000);
  // A background tab may be woken once a minute, or not at all for a while.
  assert.equal(timers.timerLeft(started, 1_000_000), 5 * MINUTE);
  assert.equal(timers.timerLeft(started, 1_000_000 + 3 * MINUTE + 500), 2 * MINUTE - 500);
  assert.equal(timers.timerLeft(started, 1_000_000 + 60 * MINUTE), 0);
  assert.equal(timers.timerRunning(started, 1_000_000 + 60 * MINUTE), false);
});

test("a paused timer keeps what was left until it is started again", () => {
  const started = timers.timerStart(timers.timerNew(10), 0);
  const paused = timers.timerPause(started, 4 * MINUTE);
  assert.deepEqual(paused, { remaining: 6 * MINUTE, since: null });
  assert.equal(timers.timerLeft(paused, 50 * MINUTE), 6 * MINUTE);
  assert.equal(timers.timerRunning(paused, 50 * MINUTE), false);
  const again = timers.timerStart(paused, 50 * MINUTE);
  assert.equal(timers.timerLeft(again, 51 * MINUTE), 5 * MINUTE);
  assert.equal(timers.timerRunning(again, 51 * MINUTE), true);
});

test("starting a running timer or one with nothing left changes nothing", () => {
  const running = timers.timerStart(timers.timerNew(1), 100);
  assert.equal(timers.timerStart(running, 5000), running);
  const done = { remaining: 0, since: null };
  assert.equal(timers.timerStart(done, 5000), done);
});

test("talk time adds the time since the last tap to whoever was talking", () => {
  let talk = timers.talkNew();
  talk = timers.talkToggle(talk, "teacher", 0);
  talk = timers.talkToggle(talk, "student", 30_000); // students take over
  assert.deepEqual(timers.talkTotals(talk, 90_000), { teacher: 30_000, student: 60_000, silence: 0 });
  talk = timers.talkToggle(talk, "student", 90_000); // tapping the same one pauses
  assert.equal(talk.mode, null);
  assert.deepEqual(timers.talkTotals(talk, 500_000), { teacher: 30_000, student: 60_000, silence: 0 });
});

test("talk-time percentages are of the time timed, and all zero before any", () => {
  assert.deepEqual(timers.percentages({ teacher: 0, student: 0, silence: 0 }), {
    teacher: 0,
    student: 0,
    silence: 0,
  });
  assert.deepEqual(timers.percentages({ teacher: 300, student: 420, silence: 60 }), {
    teacher: 38,
    student: 54,
    silence: 8,
  });
});
