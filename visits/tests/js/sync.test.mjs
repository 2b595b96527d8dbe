// Sending a batch to a fake server: what waits, what is refused, and how long to wait.
import assert from "node:assert/strict";
import { test } from "node:test";

import { entryNew } from "../../static/visits/outbox.js";
import { backoffMs, batchSend, detailText, poster } from "../../static/visits/sync.js";

function entries(n) {
  return Array.from({ length: n }, (_, i) =>
    entryNew({ id: `id-${i}`, visit: 7, user: "12", classroom: 3, kind: "note", now: 0, fields: { text: `n${i}` } }),
  );
}

/* A server that stores every entry, except that it turns away whole any batch holding `bad`. */
function server({ bad = null, status = 200 } = {}) {
  const posts = [];
  const post = async (batch) => {
    posts.push(batch.map((rec) => rec.id));
    if (bad && batch.some((rec) => rec.id === bad)) {
      return { status: 422, ok: false, body: { detail: [{ loc: ["body", "payload", "entries", 0, "text"], msg: "too long" }] } };
    }
    if (status !== 200) return { status, ok: false, body: null };
    return { status: 200, ok: true, body: { results: batch.map((rec) => ({ id: rec.id, status: "stored" })) } };
  };
  const settled = [];
  const settle = async (batch, results) => settled.push(...results);
  return { posts, post, settle, settled };
}

test("a batch the server judged is settled with its answers", async () => {
  const fake = server();
  const outcome = await batchSend(entries(3), fake);
  assert.deepEqual(outcome, { judged: true, signedOut: false });
  assert.deepEqual(
    fake.settled.map((r) => r.status),
    ["stored", "stored", "stored"],
  );
});

test("a batch turned away whole is sent in halves until the entry at fault is found", async () => {
  const fake = server({ bad: "id-2" });
  const outcome = await batchSend(entries(5), fake);
  assert.equal(outcome.judged, true);
  const byId = Object.fromEntries(fake.settled.map((r) => [r.id, r]));
  assert.deepEqual(Object.keys(byId).sort(), ["id-0", "id-1", "id-2", "id-3", "id-4"]);
  assert.equal(byId["id-2"].status, "refused");
  assert.equal(byId["id-2"].message, "text: too long");
  for (const id of ["id-0", "id-1", "id-3", "id-4"]) assert.equal(byId[id].status, "stored");
  assert.deepEqual(fake.posts[0], ["id-0", "id-1", "id-2", "id-3", "id-4"]);
});

test("no answer, a server error or a signed-out person leaves the batch waiting", async () => {
  const noAnswer = { post: async () => Promise.reject(new TypeError("Failed to fetch")), settle: async () => assert.fail() };
  assert.deepEqual(await batchSend(entries(2), noAnswer), {
    judged: false,
    problem: "no answer from OpenDoors, trying again soon",
  });
  assert.equal((await batchSend(entries(2), { ...noAnswer, offline: () => true })).problem, "offline");

  const broken = server({ status: 500 });
  const outcome = await batchSend(entries(2), broken);
  assert.deepEqual(outcome, { judged: false, problem: "OpenDoors had a problem (500), trying again soon", signedOut: false });
  assert.deepEqual(broken.settled, []);

  const signedOut = await batchSend(entries(1), server({ status: 401 }));
  assert.equal(signedOut.signedOut, true);
  assert.equal(signedOut.judged, false);
});

test("each failure in a row waits twice as long, at most a minute", () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 10].map((n) => backoffMs(n, 5000)),
    [5000, 10000, 20000, 40000, 60000, 60000],
  );
});

test("the server's reasons are put in words, naming the field", () => {
  assert.equal(detailText(null), "");
  assert.equal(detailText({ detail: "Not allowed" }), "Not allowed");
  assert.equal(
    detailText({ detail: [{ loc: ["body", "payload", "entries"], msg: "too many" }, { loc: ["body", "x", "kind"], msg: "bad kind" }] }),
    "too many; kind: bad kind",
  );
});

test("the poster sends the entries as JSON with the CSRF token, and reads the answer", async () => {
  let sent;
  const fetch = async (url, init) => {
    sent = { url, init };
    return { status: 200, ok: true, json: async () => ({ results: [] }) };
  };
  const post = poster("/api/visits/7/evidence", { csrf: () => "token", fetch });
  const answer = await post(entries(1));
  assert.deepEqual(answer, { status: 200, ok: true, body: { results: [] } });
  assert.equal(sent.url, "/api/visits/7/evidence");
  assert.equal(sent.init.headers["X-CSRFToken"], "token");
  assert.equal(JSON.parse(sent.init.body).entries[0].author, 12);
});
