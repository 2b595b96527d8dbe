/* The entry lists of the capture page (capture.js): recent entries, those OpenDoors refused,
   and those kept in two versions. Text is always shown as text (dom.js `el`). The page passes
   what the lists need: the labels, how to name a classroom and a look-for, and what the
   buttons of a refused entry do. `describe`, `aboutText` and `recentFirst` are pure, tested in
   visits/tests/js/entries_view.test.mjs. */

import { percentages, clock } from "./clock.js";
import { el, timeOfDay } from "./dom.js";

export const RECENT = 20;
export const WHERE_LABELS = { outbox: "waiting", sent: "saved", refused: "not saved" };

/* One line of words for an entry; `lookForText(id)` names a look-for. */
export function describe(rec, lookForText) {
  switch (rec.kind) {
    case "look_for":
      return lookForText(rec.look_for);
    case "tally":
      return rec.label;
    case "talk_time": {
      const totals = {
        teacher: rec.teacher_talk_seconds || 0,
        student: rec.student_talk_seconds || 0,
        silence: rec.silence_seconds || 0,
      };
      const pct = percentages(totals);
      const seconds = totals.teacher + totals.student + totals.silence;
      return `Teacher ${pct.teacher}% · Students ${pct.student}% · Silence ${pct.silence}% (${clock(seconds * 1000)})`;
    }
    case "student_prompt":
      return rec.label ? `${rec.label} ${rec.text}` : rec.text;
    default:
      return rec.text || "";
  }
}

/* What words are about ("About: <look-for>"), or "" for an entry about no look-for. A look-for
   tap is its look-for already (describe). Entries kept before notes could be tagged have no
   look_for at all. */
export function aboutText(rec, lookForText) {
  if (rec.kind === "look_for" || rec.look_for === null || rec.look_for === undefined) return "";
  return `About: ${lookForText(rec.look_for)}`;
}

/* The newest `limit` of the {rec, where} items, newest first. */
export function recentFirst(items, limit = RECENT) {
  return [...items]
    .sort((a, b) =>
      b.rec.recorded_at < a.rec.recorded_at ? -1 : b.rec.recorded_at > a.rec.recorded_at ? 1 : b.rec.created - a.rec.created,
    )
    .slice(0, limit);
}

/* The lists, drawn with the page's labels and callbacks:
   kindLabels (kind -> label), roomLabel(id), lookForText(id), retry(rec), discard(rec), and
   untag(rec) (send again about no look-for). */
export function entriesView({ kindLabels, roomLabel, lookForText, retry, discard, untag }) {
  const $ = (id) => document.getElementById(id);

  function entryItem(rec, where, extra) {
    const head = el(
      "span",
      { class: "entry-head" },
      el("time", { datetime: rec.recorded_at }, timeOfDay(rec.recorded_at)),
      ` · ${roomLabel(rec.classroom)} · ${kindLabels[rec.kind] || rec.kind}`,
    );
    const badge = where ? el("span", { class: `entry-state entry-${where}` }, WHERE_LABELS[where]) : null;
    const text = describe(rec, lookForText);
    const about = aboutText(rec, lookForText);
    return el(
      "li",
      { class: "entry" },
      el("span", { class: "entry-top" }, head, badge),
      text ? el("span", { class: "entry-text" }, text) : null,
      about ? el("span", { class: "entry-about" }, about) : null,
      ...(extra || []),
    );
  }

  /* entries: the Map id -> {rec, where} of this visit's entries. */
  function renderRecent(entries) {
    const items = recentFirst(entries.values());
    $("recent").replaceChildren(...items.map(({ rec, where }) => entryItem(rec, where)));
    $("recent-empty").hidden = items.length > 0;
  }

  /* refused: the records OpenDoors refused. */
  function renderRefused(refused) {
    refused.sort((a, b) => b.refusedAt - a.refusedAt);
    $("refused").hidden = !refused.length;
    $("refused-list").replaceChildren(
      ...refused.map((rec) =>
        entryItem(rec, null, [
          el("span", { class: "entry-message" }, `OpenDoors said: ${rec.message}`),
          el(
            "span",
            { class: "entry-actions" },
            el("button", { type: "button", onclick: () => retry(rec) }, "Try again"),
            aboutText(rec, lookForText) && untag
              ? el("button", { type: "button", onclick: () => untag(rec) }, "Send without the look-for")
              : null,
            el("button", { type: "button", class: "danger", onclick: () => discard(rec) }, "Remove from this phone"),
          ),
        ]),
      ),
    );
  }

  /* conflicts: the notes of entries kept in two versions, newest first. */
  function renderConflicts(conflicts) {
    $("conflicts").hidden = !conflicts.length;
    $("conflict-list").replaceChildren(
      ...conflicts
        .slice(0, RECENT)
        .map((note) =>
          entryItem(note.mine, null, [
            el("span", { class: "entry-kept" }, "Also kept: the version OpenDoors already had. Yours was sent again as a new entry."),
          ]),
        ),
    );
  }

  return { entryItem, renderRecent, renderRefused, renderConflicts };
}
