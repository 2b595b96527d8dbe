/* OpenDoors: who is signed in on this browser, for the capture pages that work offline.

   Every page says who is signed in: data-person on its sign-out form, or data-signed-out when
   nobody is. This script passes that on
   - to localStorage ("opendoors:person"), so that a capture page left open in another tab
     learns at once that someone else signed in, and stops showing and sending its entries;
   - to the capture service worker (scope /visits/), which serves a saved capture page offline
     only to the person it was made for, and deletes other people's saved pages.
   Signing out first counts this person's entries still waiting on this phone (IndexedDB
   "opendoors-capture", written by visits/static/visits/capture.js). When there are some, the
   sign-out page (#waiting-on-phone) says how many before the person signs out: they stay on
   the phone, and are sent when the person signs in again. */

(function () {
  "use strict";

  const SIGNED_IN_KEY = "opendoors:person";
  const DB_NAME = "opendoors-capture";
  const WAIT_MS = 2000; // signing out never waits longer than this for the phone to answer

  const forms = document.querySelectorAll("form[data-sign-out]");
  // A person's id, "" when the page says nobody is signed in, null when it does not say.
  let person = null;
  if (forms.length) person = String(forms[0].dataset.person || "");
  else if (document.querySelector("[data-signed-out]")) person = "";

  function remember(who) {
    try {
      if (window.localStorage.getItem(SIGNED_IN_KEY) !== who) window.localStorage.setItem(SIGNED_IN_KEY, who);
    } catch (_e) {
      /* no localStorage: the server still refuses to store one person's entries as another's */
    }
  }

  function within(ms, promise, fallback) {
    return Promise.race([promise.catch(() => fallback), new Promise((resolve) => setTimeout(() => resolve(fallback), ms))]);
  }

  async function tellWorker(who) {
    if (!("serviceWorker" in navigator)) return;
    const registration = await navigator.serviceWorker.getRegistration("/visits/");
    const worker = registration && (registration.active || registration.waiting || registration.installing);
    if (!worker) return;
    await new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      worker.postMessage({ type: "signed-in", person: who }, [channel.port2]);
    });
  }

  /* The capture database if this browser has one; never creates it (the capture page creates
     it with its stores). */
  function openCaptureDb() {
    return new Promise((resolve) => {
      if (!window.indexedDB) {
        resolve(null);
        return;
      }
      let req;
      try {
        req = window.indexedDB.open(DB_NAME);
      } catch (_e) {
        resolve(null);
        return;
      }
      req.onupgradeneeded = () => req.transaction.abort(); // it did not exist: leave it so
      req.onsuccess = () => resolve(req.result);
      req.onerror = (event) => {
        event.preventDefault();
        resolve(null);
      };
      req.onblocked = () => resolve(null);
    });
  }

  function countOf(db, store, who) {
    return new Promise((resolve) => {
      if (!db.objectStoreNames.contains(store)) {
        resolve(0);
        return;
      }
      const req = db.transaction(store, "readonly").objectStore(store).getAll();
      req.onsuccess = () => resolve(req.result.filter((rec) => rec && String(rec.user) === who).length);
      req.onerror = () => resolve(0);
    });
  }

  /* How many of this person's entries wait on this phone, and how many could not be saved. */
  async function keptFor(who) {
    const db = await openCaptureDb();
    if (!db) return { waiting: 0, refused: 0 };
    try {
      return { waiting: await countOf(db, "outbox", who), refused: await countOf(db, "refused", who) };
    } finally {
      db.close();
    }
  }

  function entries(n) {
    return n === 1 ? "1 entry" : `${n} entries`;
  }

  function sayKept({ waiting, refused }) {
    const box = document.getElementById("waiting-on-phone");
    if (!box || waiting + refused === 0) return;
    const parts = [];
    if (waiting) {
      parts.push(
        `${entries(waiting)} you captured ${waiting === 1 ? "is" : "are"} still waiting on this phone to be sent.`,
      );
    }
    if (refused) {
      parts.push(`${entries(refused)} you captured could not be saved and ${refused === 1 ? "is" : "are"} kept on this phone.`);
    }
    parts.push(
      "They stay here, kept for you: nobody else who signs in on this phone sees them or sends them. " +
        "Sign in again on this phone and open the visit's capture page to send them.",
    );
    box.textContent = parts.join(" ");
    box.hidden = false;
  }

  function signOut(form) {
    return async (event) => {
      event.preventDefault();
      if (form.dataset.busy) return;
      form.dataset.busy = "yes";
      if (!("confirmed" in form.dataset)) {
        const kept = await within(WAIT_MS, keptFor(person), { waiting: 0, refused: 0 });
        if (kept.waiting + kept.refused > 0) {
          window.location.assign(form.action); // the sign-out page says how many, then signs out
          return;
        }
      }
      remember("");
      await within(WAIT_MS, tellWorker(""), undefined);
      form.submit(); // does not fire "submit" again
    };
  }

  if (person !== null) {
    remember(person);
    within(WAIT_MS, tellWorker(person), undefined);
  }
  for (const form of forms) form.addEventListener("submit", signOut(form));
  // A page restored by the Back button must sign out again when asked.
  window.addEventListener("pageshow", () => {
    for (const form of forms) delete form.dataset.busy;
  });
  if (person && document.getElementById("waiting-on-phone")) {
    within(WAIT_MS, keptFor(person), { waiting: 0, refused: 0 }).then(sayKept);
  }
})();
