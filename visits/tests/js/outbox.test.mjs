// The outbox on the phone: whose entries a page shows and sends, in what batches, and what each
// answer of the server does to them.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as outbox from "../../static/visits/outbox.js";

const NOW = Date.UTC(2025, 2, 3, 9, 5);
const DAY = 86400000;

function entry(fields = {}) {
  return outbox.entryNew({
    id: outbox.newId(),
    visit: 7,
    user: "12",
    classroom: 3,
    kind: "note",
    now: NOW,
    fields: { text: "Students explain to a partner", ...fields },
  });
}

test("an entry is made on the phone with its author, a time zone and a fresh id", () => {
  const a = entry();
  const b = entry();
  assert.match(a.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(a.id, b.id);
  assert.equal(a.recorded_at, "2025-03-03T09:05:00.000Z");
  assert.deepEqual(outbox.payload(a), {
    id: a.id,
    author: 12,
    classroom: 3,
    kind: "note",
    recorded_at: "2025-03-03T09:05:00.000Z",
    label: "",
    text: "Students explain to a partner",
  });
});

test("talk seconds and the look-for are sent only when the entry has them", () => {
  const talk = entry({ kind: "talk_time", text: "", teacher_talk_seconds: 0, student_talk_seconds: 9, silence_seconds: 1 });
  const sent = outbox.payload(talk);
  assert.equal(sent.teacher_talk_seconds, 0);
  assert.equal(sent.student_talk_seconds, 9);
  assert.equal("look_for" in sent, false);
  assert.equal(outbox.payload(entry({ kind: "look_for", look_for: 4 })).look_for, 4);
});

test("a note about a look-for carries the look-for to the API, and through a refusal and a retry", async () => {
  const note = entry({ look_for: 4 });
  assert.equal(outbox.payload(note).look_for, 4);
  // Kept on the phone (as IndexedDB keeps it, by copy), refused, then sent again as it was.
  const store = new outbox.MemoryStore();
  await store.apply([{ store: "outbox", put: note }]);
  const [waiting] = await store.all("outbox");
  assert.equal(outbox.payload(waiting).look_for, 4);
  const { ops } = outbox.settlement([waiting], [{ id: note.id, status: "refused", message: "retired" }], { now: NOW });
  await store.apply(ops);
  const [refused] = await store.all("refused");
  assert.equal(refused.look_for, 4);
  assert.equal(refused.message, "retired");
});

test("a note waiting from before notes could be tagged is sent about no look-for", () => {
  const older = entry();
  delete older.look_for; // kept in an outbox by an earlier capture page
  const sent = outbox.payload(older);
  assert.equal("look_for" in sent, false);
  assert.equal(sent.text, "Students explain to a partner");
  assert.equal("look_for" in outbox.payload({ ...entry(), look_for: null }), false);
  assert.equal(outbox.batches([older, entry({ look_for: 4 })]).length, 1);
});

test("a page shows only its person's entries of its visit, and counts theirs of other visits", () => {
  const theirs = entry();
  const otherVisit = { ...entry(), visit: 8 };
  const someoneElse = { ...entry(), user: "99" };
  const oldSent = { ...entry(), savedAt: NOW - 15 * DAY };
  const recentSent = { ...entry(), savedAt: NOW - DAY };
  const { entries, expired, otherVisits } = outbox.entriesOnPhone(
    { outbox: [theirs, otherVisit, someoneElse], sent: [oldSent, recentSent], refused: [] },
    { visit: 7, user: "12", now: NOW },
  );
  assert.deepEqual([...entries.keys()].sort(), [theirs.id, recentSent.id].sort());
  assert.equal(entries.get(theirs.id).where, "outbox");
  assert.deepEqual(expired, [oldSent.id]);
  assert.equal(otherVisits, 1); // someone else's entry is not even counted
});

test("batches hold at most 200 entries and about a megabyte", () => {
  const many = Array.from({ length: 450 }, () => entry());
  assert.deepEqual(
    outbox.batches(many).map((b) => b.length),
    [200, 200, 50],
  );
  const long = Array.from({ length: 5 }, () => entry({ text: "x".repeat(5000) }));
  const sizes = outbox.batches(long, { maxBytes: 40000 }).map((b) => b.length);
  assert.deepEqual(sizes, [2, 2, 1]);
  assert.deepEqual(outbox.batches([]), []);
});

test("stored and duplicate entries leave the outbox for sent; unanswered ones stay", () => {
  const [a, b, c] = [entry(), entry(), entry()];
  const { ops, moves, someoneElse } = outbox.settlement(
    [a, b, c],
    [
      { id: a.id.toUpperCase(), status: "stored" },
      { id: b.id, status: "duplicate" },
    ],
    { now: NOW },
  );
  assert.deepEqual(
    ops.map((op) => [op.store, "put" in op ? "put" : "del"]),
    [
      ["outbox", "del"],
      ["sent", "put"],
      ["outbox", "del"],
      ["sent", "put"],
    ],
  );
  assert.deepEqual(
    moves.map(([id, , where]) => [id, where]),
    [
      [a.id, "sent"],
      [b.id, "sent"],
    ],
  );
  assert.equal(moves[0][1].savedAt, NOW);
  assert.equal(someoneElse, false);
});

test("a conflict keeps both versions: the server's as sent, ours again under a new id", () => {
  const mine = entry({ text: "The version on the phone" });
  const server = { ...outbox.payload(mine), text: "The version already on the server" };
  const { ops, moves, conflicts } = outbox.settlement(
    [mine],
    [{ id: mine.id, status: "conflict", message: "different content", server }],
    { now: NOW, makeId: () => "new-id" },
  );
  const again = ops.find((op) => op.store === "outbox" && "put" in op).put;
  assert.equal(again.id, "new-id");
  assert.equal(again.conflictOf, mine.id);
  assert.equal(again.text, "The version on the phone");
  const kept = ops.find((op) => op.store === "sent").put;
  assert.equal(kept.text, "The version already on the server");
  assert.equal(kept.user, "12");
  assert.deepEqual(
    moves.map(([id, , where]) => [id, where]),
    [
      [mine.id, null],
      ["new-id", "outbox"],
      [mine.id, "sent"],
    ],
  );
  assert.equal(conflicts.length, 1);
  assert.equal(conflicts[0].newId, "new-id");
});

test("a refused entry keeps the server's reason; a not_yours one waits for its author", () => {
  const [refused, notYours] = [entry(), entry()];
  const { ops, moves, someoneElse } = outbox.settlement(
    [refused, notYours],
    [
      { id: refused.id, status: "refused", message: "classroom 9 is not part of this visit" },
      { id: notYours.id, status: "not_yours" },
    ],
    { now: NOW },
  );
  assert.equal(moves.length, 1);
  assert.equal(moves[0][2], "refused");
  assert.equal(moves[0][1].message, "classroom 9 is not part of this visit");
  assert.ok(!ops.some((op) => op.del === notYours.id));
  assert.equal(someoneElse, true);
});

test("an answer about an entry not in the batch is ignored", () => {
  const { ops, moves } = outbox.settlement([entry()], [{ id: "not-sent", status: "stored" }], { now: NOW });
  assert.deepEqual(ops, []);
  assert.deepEqual(moves, []);
});

test("the memory store keeps copies, not the records themselves", async () => {
  const store = new outbox.MemoryStore();
  const rec = entry();
  await store.apply([{ store: "outbox", put: rec }]);
  rec.text = "changed after it was kept";
  const [kept] = await store.all("outbox");
  assert.equal(kept.text, "Students explain to a partner");
  await store.apply([{ store: "outbox", del: rec.id }]);
  assert.deepEqual(await store.all("outbox"), []);
});
