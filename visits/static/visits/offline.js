/* Offline readiness and storage for the capture page (capture.js): the notes the page shows,
   asking the service worker (sw.js) to save the page and every file it loaded, asking the
   browser to keep what is stored, and opening the outbox (outbox.js) or, when this browser
   cannot keep anything, a store in memory. Everything the page needs is passed in.
   `shellPaths` is pure, tested in visits/tests/js/offline.test.mjs. */

import { MemoryStore, storeOpen } from "./outbox.js";

export function note(id, text) {
  const node = document.getElementById(id);
  node.textContent = text;
  node.hidden = !text;
}

export function askWorker(worker, message) {
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => reject(new Error("the service worker did not answer")), 30000);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(event.data || {});
    };
    worker.postMessage(message, [channel.port2]);
  });
}

/* The page's own path and each URL in `found` that is a static file of this site, as paths
   (with their query). */
export function shellPaths(found, loc) {
  const urls = new Set([loc.pathname]);
  for (const raw of found) {
    const url = new URL(raw, loc.href);
    if (url.origin === loc.origin && url.pathname.startsWith("/static/")) urls.add(url.pathname + url.search);
  }
  return [...urls];
}

/* Everything this page loaded from the site: its styles, capture.js and the modules it
   imports (this one among them; no tag names them), as the browser fetched them. */
export function shellUrls() {
  const found = [
    ...[...document.querySelectorAll("link[rel=stylesheet][href], script[src]")].map((n) => n.href || n.src),
    ...performance.getEntriesByType("resource").map((entry) => entry.name),
  ];
  return shellPaths(found, location);
}

export async function prepareOffline({ root }) {
  if (!("serviceWorker" in navigator)) {
    note("offline-note", "This browser cannot reopen this page without a connection: keep it open until your entries are sent.");
    return;
  }
  try {
    await navigator.serviceWorker.register(root.dataset.sw, { scope: "/visits/" });
    const registration = await navigator.serviceWorker.ready;
    const answer = await askWorker(registration.active, { type: "cache-shell", urls: shellUrls() });
    if (answer.ok) {
      root.dataset.offlineReady = "yes";
      note("offline-note", "");
    } else {
      note("offline-note", "This page is not saved for offline use yet: open it once more with a connection.");
    }
  } catch (error) {
    note("offline-note", `This page could not be saved for offline use (${error.message || error}).`);
  }
}

export async function askPersistence({ store, root }) {
  if (!store.persistent) return;
  if (!navigator.storage || typeof navigator.storage.persist !== "function") return;
  try {
    const granted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
    root.dataset.persisted = granted ? "yes" : "no";
    if (!granted) {
      note(
        "storage-note",
        "This browser may clear entries kept on this phone if it runs short of space: " +
          "they are sent as soon as there is a connection.",
      );
    }
  } catch (_e) {
    /* not fatal: entries are still in IndexedDB */
  }
}

/* The outbox on this phone, or one in memory; `waiting()` counts the entries not sent yet
   (leaving the page then asks first). */
export async function openStore({ root, waiting }) {
  const store = await storeOpen();
  if (store) return store;
  const box = document.getElementById("storage-warning");
  box.textContent =
    "This browser cannot keep entries on this phone (private browsing may be on). " +
    "What you capture is kept only while this page stays open, and sent when there is a connection. " +
    "Do not close or reload this page until it says all entries are saved.";
  box.hidden = false;
  root.dataset.storage = "memory";
  window.addEventListener("beforeunload", (event) => {
    if (waiting()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  return new MemoryStore();
}
