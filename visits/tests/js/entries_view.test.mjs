// The words and order of the capture page's entry lists.
import assert from "node:assert/strict";
import { test } from "node:test";

import { RECENT, WHERE_LABELS, aboutText, describe, recentFirst } from "../../static/visits/entries_view.js";

const lookForText = (id) => `look-for ${id}`;

test("each kind of entry is described in one line", () => {
  assert.equal(describe({ kind: "look_for", look_for: 4 }, lookForText), "look-for 4");
  assert.equal(describe({ kind: "tally", label: "Recall" }, lookForText), "Recall");
  assert.equal(describe({ kind: "student_prompt", label: "Why?", text: "Because" }, lookForText), "Why? Because");
  assert.equal(describe({ kind: "student_prompt", label: "", text: "Because" }, lookForText), "Because");
  assert.equal(describe({ kind: "note", text: "<b>as text</b>" }, lookForText), "<b>as text</b>");
  assert.equal(describe({ kind: "time_out" }, lookForText), "");
});

test("a tagged note says which look-for it is about; a tap and an untagged note do not", () => {
  assert.equal(aboutText({ kind: "note", text: "Pairs argued", look_for: 4 }, lookForText), "About: look-for 4");
  assert.equal(aboutText({ kind: "bright_moment", text: "Yes!", look_for: 2 }, lookForText), "About: look-for 2");
  assert.equal(aboutText({ kind: "look_for", look_for: 4 }, lookForText), "");
  assert.equal(aboutText({ kind: "note", text: "Warm room", look_for: null }, lookForText), "");
  assert.equal(aboutText({ kind: "note", text: "Kept before tagging" }, lookForText), "");
});

test("talk time is described as shares and the time timed", () => {
  const rec = { kind: "talk_time", teacher_talk_seconds: 60, student_talk_seconds: 30, silence_seconds: 30 };
  assert.equal(describe(rec, lookForText), "Teacher 50% · Students 25% · Silence 25% (2:00)");
  assert.equal(describe({ kind: "talk_time" }, lookForText), "Teacher 0% · Students 0% · Silence 0% (0:00)");
});

test("recent entries are newest first, by time recorded then by time made, and at most RECENT", () => {
  const item = (id, recorded_at, created) => ({ rec: { id, recorded_at, created }, where: "sent" });
  const items = [
    item("a", "2026-03-02T09:00:00Z", 1),
    item("b", "2026-03-02T09:05:00Z", 2),
    item("c", "2026-03-02T09:05:00Z", 3),
    item("d", "2026-03-02T08:00:00Z", 4),
  ];
  assert.deepEqual(
    recentFirst(items).map((i) => i.rec.id),
    ["c", "b", "a", "d"],
  );
  assert.deepEqual(
    recentFirst(new Map(items.map((i) => [i.rec.id, i])).values(), 2).map((i) => i.rec.id),
    ["c", "b"],
  );
  const many = Array.from({ length: RECENT + 5 }, (_, i) => item(String(i), `2026-03-02T09:${String(i).padStart(2, "0")}:00Z`, i));
  assert.equal(recentFirst(many).length, RECENT);
  assert.equal(RECENT, 20);
  assert.deepEqual(WHERE_LABELS, { outbox: "waiting", sent: "saved", refused: "not saved" });
});
