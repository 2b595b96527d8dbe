/* OpenDoors capture service worker (served at /visits/sw.js, scope /visits/).

   It lets an observer open the capture page with no connection:
   - capture pages (/visits/<id>/capture/) are network-first, falling back to the copy saved
     on this device (and to the copy at once when the network is too slow to answer);
   - static files are network-first with the saved copy as fallback;
   - nothing else is touched: POSTs (evidence sync), the API and other pages always go to the
     network (the saved page holds the evidence tool the server drew for it).
   The page asks it (by message) to save the page and its files (its styles and ES modules) as
   soon as it is installed, because the first visit to a page happens before any service worker
   controls it.

   A phone may be shared, so a saved capture page belongs to the person it was made for (its
   data-user) and is served only while that person is the one signed in. Who is signed in comes
   from the server's own answers (a capture page made for someone, a redirect to sign in) and
   from every page of the site (opendoors/static/opendoors/session.js sends {type: "signed-in",
   person}); "" means nobody, or not known yet: then no saved page is served. When the person
   changes, everyone else's saved pages are deleted. */

"use strict";

// v3: the page draws its tool itself and loads ES modules; older saved pages are dropped.
const CACHE = "opendoors-capture-v3";
const CAPTURE_PAGE = /^\/visits\/\d+\/capture\/$/;
const STATIC = /^\/static\//;
const SLOW_NETWORK_MS = 4000;
// Not a page: the cache entry that holds who is signed in, kept across restarts of the worker.
const SIGNED_IN = new URL("/visits/sw-signed-in", self.location.origin).href;

self.addEventListener("install", () => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith("opendoors-capture-") && name !== CACHE)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

function sameOrigin(url) {
  return url.origin === self.location.origin;
}

function cachable(url) {
  return CAPTURE_PAGE.test(url.pathname) || STATIC.test(url.pathname);
}

/* ---------- who is signed in, and whose saved pages ---------- */

/* The key a person's copy of a capture page is saved under. */
function pageKey(url, person) {
  const key = new URL(url.pathname, self.location.origin);
  key.searchParams.set("for", person);
  return key.href;
}

/* The person a capture page was made for, read from the page itself. */
function pagePerson(html) {
  const match = /<div id="capture"[^>]*?\sdata-user="(\d+)"/.exec(html);
  return match ? match[1] : "";
}

async function signedIn(cache) {
  const saved = await cache.match(SIGNED_IN);
  return saved ? (await saved.text()).trim() : "";
}

async function signedInSet(person) {
  const cache = await caches.open(CACHE);
  if ((await cache.match(SIGNED_IN)) && (await signedIn(cache)) === person) return;
  await cache.put(SIGNED_IN, new Response(person, { headers: { "Content-Type": "text/plain" } }));
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (CAPTURE_PAGE.test(url.pathname) && url.searchParams.get("for") !== person) {
      await cache.delete(request);
    }
  }
}

/* The saved copy of this capture page for the person signed in, if there is one. */
async function savedPage(cache, url) {
  const person = await signedIn(cache);
  return person ? cache.match(pageKey(url, person)) : undefined;
}

/* Keep a capture page that the server just made: it says whom it was made for, and that person
   is the one signed in now. */
async function keepPage(cache, url, response) {
  const html = await response.clone().text();
  const person = pagePerson(html);
  if (!person) return false;
  await signedInSet(person);
  // The body is kept decoded: its encoding and length no longer apply; every other header
  // (the content security policy among them) goes with it.
  const headers = new Headers(response.headers);
  headers.delete("Content-Encoding");
  headers.delete("Content-Length");
  const copy = new Response(html, { status: response.status, headers });
  await cache.put(pageKey(url, person), copy);
  return true;
}

/* Only complete, same-origin answers are kept: never a redirect (to the sign-in page), an
   error page or a refusal. */
function keepable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

function delay(ms, value) {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

function offlinePage() {
  const body =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>Offline · OpenDoors</title></head><body><main>" +
    "<h1>No connection</h1><p>This capture page has not been saved on this device for the " +
    "person signed in. Sign in and open it once with a connection; after that it works " +
    "offline.</p></main></body></html>";
  return new Response(body, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

async function staticFile(event) {
  const request = event.request;
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (keepable(response)) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const saved = await cache.match(request, { ignoreVary: true });
    if (saved) return saved;
    throw error;
  }
}

async function capturePage(event) {
  const request = event.request;
  const url = new URL(request.url);
  const cache = await caches.open(CACHE);
  const network = fetch(request).then(async (response) => {
    if (keepable(response)) await keepPage(cache, url, response);
    // Navigations do not follow redirects here: the server sends a signed-out person to sign in.
    else if (response.type === "opaqueredirect" || response.redirected) await signedInSet("");
    return response;
  });
  // Let the network answer update the saved copy even when the saved copy answered first.
  event.waitUntil(network.catch(() => undefined));
  try {
    const saved = await savedPage(cache, url);
    if (saved) return await Promise.race([network, delay(SLOW_NETWORK_MS, saved)]);
    return await network;
  } catch (_error) {
    return (await savedPage(cache, url)) || offlinePage();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // Never POSTs: evidence goes to the server or stays queued.
  const url = new URL(request.url);
  if (!sameOrigin(url)) return;
  if (request.mode === "navigate") {
    if (CAPTURE_PAGE.test(url.pathname)) event.respondWith(capturePage(event));
    return;
  }
  if (STATIC.test(url.pathname)) event.respondWith(staticFile(event));
});

/* The page sends {type: "cache-shell", urls: [...]} on a MessageChannel: save each URL that
   belongs to the capture page, and answer once done. A URL that cannot be fetched now (no
   connection) still counts when a copy is already saved. */
async function saveShell(urls) {
  const cache = await caches.open(CACHE);
  let saved = 0;
  let missing = 0;
  for (const raw of urls) {
    let url;
    try {
      url = new URL(raw, self.location.origin);
    } catch (_error) {
      continue;
    }
    if (!sameOrigin(url) || !cachable(url)) continue;
    const page = CAPTURE_PAGE.test(url.pathname);
    try {
      const response = await fetch(url.href, { credentials: "same-origin", cache: "no-cache" });
      if (keepable(response) && (page ? await keepPage(cache, url, response) : true)) {
        if (!page) await cache.put(url.href, response);
        saved += 1;
        continue;
      }
    } catch (_error) {
      // No connection: a copy saved earlier will do.
    }
    const copy = page ? await savedPage(cache, url) : await cache.match(url.href, { ignoreVary: true });
    if (copy) saved += 1;
    else missing += 1;
  }
  return { ok: missing === 0, saved, missing };
}

function answer(event, work) {
  const port = event.ports && event.ports[0];
  event.waitUntil(
    work.then(
      (result) => port && port.postMessage(result),
      (error) => port && port.postMessage({ ok: false, error: String(error) }),
    ),
  );
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "cache-shell" && Array.isArray(data.urls)) {
    answer(event, saveShell(data.urls));
  } else if (data.type === "signed-in" && typeof data.person === "string" && /^\d*$/.test(data.person)) {
    answer(event, signedInSet(data.person).then(() => ({ ok: true })));
  }
});
