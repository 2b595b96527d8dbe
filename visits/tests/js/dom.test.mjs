// Wording counts on the capture page.
import assert from "node:assert/strict";
import { test } from "node:test";

import { plural } from "../../static/visits/dom.js";

test("a count says one or many", () => {
  assert.equal(plural(1, "entry", "entries"), "1 entry");
  assert.equal(plural(0, "entry", "entries"), "0 entries");
  assert.equal(plural(3, "entry", "entries"), "3 entries");
});
