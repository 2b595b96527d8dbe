// What a note is about: the "About" chips' choice, checked against the page's look-fors.
import assert from "node:assert/strict";
import { test } from "node:test";

import { aboutId } from "../../static/visits/note_about.js";

const lookFors = new Map([
  [4, "Students explain their reasoning to a partner"],
  [7, "Students use the anchor chart"],
]);

test("a chip's value is the look-for a note is about", () => {
  assert.equal(aboutId("4", lookFors), 4);
  assert.equal(aboutId(7, lookFors), 7);
});

test("None, nothing chosen, or a look-for no longer on the page is about no look-for", () => {
  assert.equal(aboutId("", lookFors), null);
  assert.equal(aboutId(null, lookFors), null);
  assert.equal(aboutId(undefined, lookFors), null);
  assert.equal(aboutId("9", lookFors), null); // remembered on the phone, since retired
  assert.equal(aboutId("4.5", lookFors), null);
  assert.equal(aboutId("four", lookFors), null);
});
