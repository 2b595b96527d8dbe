// Talk time saved as an entry: whole seconds.
import assert from "node:assert/strict";
import { test } from "node:test";

import { talkSeconds } from "../../static/visits/talk.js";

test("talk-time totals are saved in whole seconds, rounded", () => {
  assert.deepEqual(talkSeconds({ teacher: 61_499, student: 500, silence: 0 }), {
    teacher_talk_seconds: 61,
    student_talk_seconds: 1,
    silence_seconds: 0,
  });
  assert.deepEqual(talkSeconds({ teacher: 0, student: 0, silence: 499 }), {
    teacher_talk_seconds: 0,
    student_talk_seconds: 0,
    silence_seconds: 0,
  });
});
