/* The runner's countdown comes from the step's end and the server's clock, not from ticks. */
import assert from "node:assert/strict";
import { test } from "node:test";

import { clockOffset, clockText, msLeft, stepAnnouncement } from "../../static/teams/countdown.js";

test("a device whose clock runs 30 s fast still shows the server's time left", () => {
  const serverNow = 1_000_000;
  const deviceNow = serverNow + 30_000;
  const offset = clockOffset(serverNow, deviceNow);
  const endsAt = serverNow + 5 * 60_000;
  assert.equal(clockText(msLeft(endsAt, offset, deviceNow)), "5:00");
  // A background tab woken 2 minutes later: computed, not counted down.
  assert.equal(clockText(msLeft(endsAt, offset, deviceNow + 120_000)), "3:00");
});

test("the clock rounds up and stops at 0:00", () => {
  assert.equal(clockText(59_001), "1:00");
  assert.equal(clockText(500), "0:01");
  assert.equal(msLeft(1000, 0, 5000), 0);
  assert.equal(clockText(0), "0:00");
});

test("only a change of step is announced", () => {
  assert.equal(stepAnnouncement(null, "1", "7", "Introduction"), null);
  assert.equal(stepAnnouncement("1", "1", "7", "Introduction"), null);
  assert.equal(stepAnnouncement("1", "2", "7", "Presentation"), "Step 2 of 7: Presentation");
});
