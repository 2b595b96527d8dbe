/* Someone else signed in on this phone (see capture.js): who is signed in, as the last page of
   the site said, is kept in localStorage "opendoors:person" (opendoors/static/opendoors/session.js).
   When it names someone other than the person the capture page was made for, the page locks:
   it hides what it shows and sends nothing more. Everything the page needs is passed in.
   `someoneElseSignedIn` and `signedInChanged` are pure, tested in visits/tests/js/lock.test.mjs. */

import { el } from "./dom.js";

export const SIGNED_IN_KEY = "opendoors:person"; // who is signed in, as the last page said

/* `storage` returns the localStorage to read (reading it may throw, as may asking for it). */
export function someoneElseSignedIn(user, storage = () => window.localStorage) {
  let now = null;
  try {
    now = storage().getItem(SIGNED_IN_KEY);
  } catch (_e) {
    return false; // no localStorage: the server's "not_yours" answer still stops this page
  }
  return now !== null && now !== user;
}

/* Whether a `storage` event may mean that someone else signed in (null: storage was cleared). */
export function signedInChanged(event) {
  return event.key === SIGNED_IN_KEY || event.key === null;
}

/* Stop for good: show nothing of this person's, send nothing. Their entries and drafts stay
   on the phone under their id; the page made for whoever is signed in now is a reload away. */
export function lock({ state, root, keepAwake }) {
  if (state.locked) return;
  state.locked = true;
  root.dataset.locked = "yes";
  state.entries = new Map();
  state.conflicts = [];
  keepAwake(false);
  for (const list of ["recent", "refused-list", "conflict-list"]) document.getElementById(list).replaceChildren();
  for (const field of root.querySelectorAll("textarea, input[type=text]")) field.value = ""; // drafts stay saved
  for (const child of root.children) child.hidden = true;
  root.append(
    el(
      "section",
      { id: "signed-in-elsewhere", class: "capture-section", role: "alert" },
      el("h1", {}, "Someone else is signed in"),
      el(
        "p",
        {},
        "This page was opened for someone who is no longer signed in on this phone. " +
          "What they captured is not shown here and is not sent under anyone else's name: " +
          "it stays on this phone until they sign in again and open this page.",
      ),
      el("p", {}, el("a", { href: location.pathname }, "Open this page for the person signed in now")),
    ),
  );
}

/* Another tab may say at any moment that someone else signed in; so may a page restored from
   the back-forward cache, which heard nothing while it was away. `check` locks if so. */
export function lockWatch(check) {
  window.addEventListener("storage", (event) => {
    if (signedInChanged(event)) check();
  });
  window.addEventListener("pageshow", check);
}
