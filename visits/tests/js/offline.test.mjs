// What the capture page asks the service worker to save for offline use.
import assert from "node:assert/strict";
import { test } from "node:test";

import { shellPaths } from "../../static/visits/offline.js";

const loc = { href: "http://localhost:8000/visits/7/capture/", origin: "http://localhost:8000", pathname: "/visits/7/capture/" };

test("the page and every static file of this site it loaded, each once", () => {
  const found = [
    "http://localhost:8000/static/visits/capture.css",
    "http://localhost:8000/static/visits/capture.js",
    "http://localhost:8000/static/visits/clock.js",
    "http://localhost:8000/static/visits/lock.js",
    "http://localhost:8000/static/visits/offline.js",
    "http://localhost:8000/static/visits/entries_view.js",
    "http://localhost:8000/static/visits/capture.js", // a tag and a resource entry
    "/static/opendoors/site.css?v=2",
  ];
  assert.deepEqual(shellPaths(found, loc), [
    "/visits/7/capture/",
    "/static/visits/capture.css",
    "/static/visits/capture.js",
    "/static/visits/clock.js",
    "/static/visits/lock.js",
    "/static/visits/offline.js",
    "/static/visits/entries_view.js",
    "/static/opendoors/site.css?v=2",
  ]);
});

test("no other site's files, and nothing outside /static/ but the page", () => {
  const found = [
    "https://cdn.example.com/static/x.js",
    "http://localhost:8000/api/visits/7/evidence",
    "http://localhost:9000/static/visits/capture.js",
  ];
  assert.deepEqual(shellPaths(found, loc), ["/visits/7/capture/"]);
});
