// Someone else signed in on this phone: when the capture page locks.
import assert from "node:assert/strict";
import { test } from "node:test";

import { SIGNED_IN_KEY, signedInChanged, someoneElseSignedIn } from "../../static/visits/lock.js";

function storage(values) {
  return () => ({ getItem: (key) => (key in values ? values[key] : null) });
}

test("someone else is signed in only when the phone names another person", () => {
  assert.equal(SIGNED_IN_KEY, "opendoors:person");
  assert.equal(someoneElseSignedIn("12", storage({ [SIGNED_IN_KEY]: "13" })), true);
  assert.equal(someoneElseSignedIn("12", storage({ [SIGNED_IN_KEY]: "" })), true); // signed out
  assert.equal(someoneElseSignedIn("12", storage({ [SIGNED_IN_KEY]: "12" })), false);
  assert.equal(someoneElseSignedIn("12", storage({})), false); // not known yet
});

test("without localStorage the page does not lock (the server still says not_yours)", () => {
  const refused = () => {
    throw new Error("SecurityError");
  };
  assert.equal(someoneElseSignedIn("12", refused), false);
  const broken = () => ({
    getItem() {
      throw new Error("SecurityError");
    },
  });
  assert.equal(someoneElseSignedIn("12", broken), false);
});

test("a storage event about who is signed in, or clearing storage, is worth a look", () => {
  assert.equal(signedInChanged({ key: SIGNED_IN_KEY }), true);
  assert.equal(signedInChanged({ key: null }), true);
  assert.equal(signedInChanged({ key: "opendoors-capture:12:3:classroom" }), false);
});
