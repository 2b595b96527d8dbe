/* OpenDoors capture service worker (served at /visits/sw.js, scope /visits/).

   It lets an observer open the capture page with no connection:
   - capture pages (/visits/<id>/capture/) are network-first, falling back to the copy saved
     on this device (and to the copy at once when the network is too slow to answer);
   - the capture setup (GET /api/visits/<id>/capture) and static files are network-first
     with the saved copy as fallback;
   - nothing else is touched: POSTs (evidence sync) and other pages always go to the network.
   The page asks it (by message) to save the page and its files as soon as it is installed,
   because the first visit to a page happens before any service worker controls it. */

"use strict";

const CACHE = "opendoors-capture-v1";
const CAPTURE_PAGE = /^\/visits\/\d+\/capture\/$/;
const CAPTURE_API = /^\/api\/visits\/\d+\/capture$/;
const STATIC = /^\/static\//;
const SLOW_NETWORK_MS = 4000;

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
  return CAPTURE_PAGE.test(url.pathname) || CAPTURE_API.test(url.pathname) || STATIC.test(url.pathname);
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
    "<h1>No connection</h1><p>This capture page has not been saved on this device yet. " +
    "Open it once with a connection; after that it works offline.</p></main></body></html>";
  return new Response(body, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

async function networkFirst(event, { slowMs = 0, fallback = null } = {}) {
  const request = event.request;
  const cache = await caches.open(CACHE);
  const network = fetch(request).then(async (response) => {
    if (keepable(response)) await cache.put(request, response.clone());
    return response;
  });
  // Let the network answer update the saved copy even when the saved copy answered first.
  event.waitUntil(network.catch(() => undefined));
  try {
    if (slowMs) {
      const saved = await cache.match(request, { ignoreVary: true });
      if (saved) return await Promise.race([network, delay(slowMs, saved)]);
    }
    return await network;
  } catch (error) {
    const saved = await cache.match(request, { ignoreVary: true });
    if (saved) return saved;
    if (fallback) return fallback();
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // Never POSTs: evidence goes to the server or stays queued.
  const url = new URL(request.url);
  if (!sameOrigin(url)) return;
  if (request.mode === "navigate") {
    if (CAPTURE_PAGE.test(url.pathname)) {
      event.respondWith(networkFirst(event, { slowMs: SLOW_NETWORK_MS, fallback: offlinePage }));
    }
    return;
  }
  if (CAPTURE_API.test(url.pathname) || STATIC.test(url.pathname)) {
    event.respondWith(networkFirst(event));
  }
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
    try {
      const response = await fetch(url.href, { credentials: "same-origin", cache: "no-cache" });
      if (keepable(response)) {
        await cache.put(url.href, response);
        saved += 1;
        continue;
      }
    } catch (_error) {
      // No connection: a copy saved earlier will do.
    }
    if (await cache.match(url.href, { ignoreVary: true })) saved += 1;
    else missing += 1;
  }
  return { ok: missing === 0, saved, missing };
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "cache-shell" || !Array.isArray(data.urls)) return;
  const port = event.ports && event.ports[0];
  event.waitUntil(
    saveShell(data.urls).then(
      (result) => port && port.postMessage(result),
      (error) => port && port.postMessage({ ok: false, error: String(error) }),
    ),
  );
});
