/* OpenDoors capture: an observer's phone page (visits/templates/visits/capture.html).

   The server draws the evidence tool (inquiry/templates/inquiry/_evidence_tool.html); this
   module makes it record. Every tap is written to the outbox on the phone (outbox.js) before
   anything else happens. A sync loop sends the outbox (sync.js) whenever there is a connection:
   on the `online` event, after each new entry and every 5 seconds. All text from the server or
   the observer is shown with textContent, never parsed as HTML. Timers come from the wall clock
   (clock.js).

   A phone may be shared. Everything kept on it (outbox, drafts, timers) is keyed by the person
   the page was made for (data-user), and every entry sent names that person as its author.
   When someone else signs in (another tab says so in localStorage "opendoors:person", see
   opendoors/static/opendoors/session.js, or the server answers "not_yours"), this page stops:
   it hides what it shows and sends nothing more; the entries stay on the phone for their
   author, and are sent when the author signs in again.

   The page's parts live in small modules, each given what it needs as arguments: the entry
   lists (entries_view.js), the countdown (timer.js), talk time (talk.js), the look-for a note is
   about (note_about.js), offline readiness and storage (offline.js), locking when someone else
   signs in (lock.js) and DOM helpers (dom.js).
   The service worker saves every module the page loaded (offline.js, shellUrls). */

import { el, plural } from "./dom.js";
import { describe, entriesView } from "./entries_view.js";
import { lock as lockPage, lockWatch, someoneElseSignedIn } from "./lock.js";
import { aboutPicker } from "./note_about.js";
import { askPersistence, openStore, prepareOffline } from "./offline.js";
import { batches, entriesOnPhone, entryNew, newId, settlement } from "./outbox.js";
import { backoffMs, batchSend, poster } from "./sync.js";
import { talkTracker } from "./talk.js";
import { countdown, keepAwake } from "./timer.js";

const root = document.getElementById("capture");
const VISIT = Number(root.dataset.visit);
const USER = String(root.dataset.user || "");
const API = root.dataset.api; // "/api/visits/<id>/"
const MINUTES = Number(root.dataset.minutes) || 15;
const TICK_MS = 5000;
const MAX_TEXT = 5000;
const MAX_LABEL = 200;
const PREFIX = `opendoors-capture:${USER}:${VISIT}:`;
const KIND_LABELS = JSON.parse(document.getElementById("kind-labels").textContent);
// The cycle's look-fors (id -> text): every one names entries; current ones are "About" chips.
// (A page saved on the phone before notes could be tagged has none: it offers no chips.)
const ALL_LOOK_FORS = JSON.parse(document.getElementById("capture-look-fors")?.textContent || "[]");
const LOOK_FOR_NAMES = new Map(ALL_LOOK_FORS.map((lf) => [lf.id, lf.text]));
const LOOK_FORS = new Map(ALL_LOOK_FORS.filter((lf) => !lf.retired).map((lf) => [lf.id, lf.text]));

const $ = (id) => document.getElementById(id);
const who = { visit: VISIT, user: USER };

/* ---------- small helpers ---------- */

/* UI state kept on the phone for this person and visit (drafts, timers, the classroom). */
const local = {
  get(key, fallback) {
    try {
      const raw = window.localStorage.getItem(PREFIX + key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (_e) {
      return fallback;
    }
  },
  set(key, value) {
    try {
      window.localStorage.setItem(PREFIX + key, JSON.stringify(value));
    } catch (_e) {
      /* private modes may refuse: the UI state is a convenience, evidence is in IndexedDB */
    }
  },
  remove(key) {
    try {
      window.localStorage.removeItem(PREFIX + key);
    } catch (_e) {
      /* as above */
    }
  },
};

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch (_e) {
    return "";
  }
}

/* ---------- state ---------- */

const state = {
  store: null,
  classroom: null,
  entries: new Map(), // id -> {rec, where: "outbox" | "sent" | "refused"}
  conflicts: [],
  otherVisits: 0,
  syncing: false,
  locked: false, // someone else is signed in: nothing is shown or sent
  syncAgain: false,
  sending: 0,
  failures: 0,
  nextAttemptAt: 0,
  problem: "", // why the last attempt failed, for the status line
};

/* The classrooms of this visit, as the server drew them. */
const rooms = [...root.querySelectorAll("#rooms [data-room]")].map((node) => ({
  id: Number(node.dataset.room),
  label: node.dataset.label,
  input: node.tagName === "INPUT" ? node : null,
}));

function entriesWhere(where) {
  const out = [];
  for (const item of state.entries.values()) if (item.where === where) out.push(item.rec);
  return out;
}

/* Read this visit's entries from the device (another tab may have changed them). */
async function loadLocal() {
  const store = state.store;
  const started = Date.now();
  const records = {};
  for (const where of ["outbox", "sent", "refused"]) records[where] = await store.all(where);
  const { entries, expired, otherVisits } = entriesOnPhone(records, { ...who, now: started });
  // Keep what was captured while reading.
  for (const [id, item] of state.entries) {
    if (!entries.has(id) && item.where === "outbox" && item.rec.created >= started) entries.set(id, item);
  }
  state.entries = entries;
  state.otherVisits = otherVisits;
  state.conflicts = (await store.all("conflicts"))
    .filter((note) => note.visit === VISIT && String(note.user) === USER)
    .sort((a, b) => b.at - a.at);
  if (expired.length) await store.apply(expired.map((id) => ({ store: "sent", del: id })));
}

/* ---------- making entries ---------- */

function roomLabel(id) {
  const room = rooms.find((r) => r.id === id);
  return room ? room.label : `Classroom ${id}`;
}

function lookForText(id) {
  if (LOOK_FOR_NAMES.has(Number(id))) return LOOK_FOR_NAMES.get(Number(id));
  const text = root.querySelector(`#tool [data-look-for="${Number(id)}"] .tap-text`);
  return text ? text.textContent : "A look-for";
}

async function record(kind, fields, classroom) {
  const room = classroom === undefined ? state.classroom : classroom;
  if (room === null || room === undefined) throw new Error("No classroom is chosen.");
  const rec = entryNew({ id: newId(), ...who, classroom: room, kind, now: Date.now(), fields });
  await state.store.apply([{ store: "outbox", put: rec }]); // on the device first
  state.entries.set(rec.id, { rec, where: "outbox" });
  renderCounts();
  renderRecent();
  renderStatus();
  sync("entry");
  return rec;
}

/* ---------- sync ---------- */

function withLock(fn) {
  if (navigator.locks && typeof navigator.locks.request === "function") {
    return navigator.locks.request(`opendoors-capture-sync-${USER}-${VISIT}`, fn);
  }
  return fn();
}

const postBatch = poster(`${API}evidence`, { csrf: csrfToken });

async function post(batch) {
  state.sending = batch.length;
  renderStatus();
  return postBatch(batch);
}

/* Apply the server's answers in one IndexedDB transaction, then in memory. */
async function settle(batch, results) {
  const { ops, moves, conflicts, someoneElse } = settlement(batch, results, { now: Date.now() });
  await state.store.apply(ops);
  for (const [id, rec, where] of moves) {
    if (rec) state.entries.set(id, { rec, where });
    else state.entries.delete(id);
  }
  state.conflicts = [...conflicts, ...state.conflicts];
  if (conflicts.length) state.syncAgain = true; // send our versions, now under new ids
  renderAll();
  if (someoneElse) lock();
}

async function sendOne(batch) {
  const outcome = await batchSend(batch, { post, settle, offline: () => navigator.onLine === false });
  if (outcome.signedOut !== undefined) renderSignIn(outcome.signedOut);
  if (outcome.judged) {
    state.failures = 0;
    state.problem = "";
    state.nextAttemptAt = 0;
  } else {
    state.failures += 1;
    state.problem = outcome.problem;
    state.nextAttemptAt = Date.now() + backoffMs(state.failures, TICK_MS);
  }
  return outcome.judged;
}

async function sync(reason) {
  if (!state.store || state.locked) return;
  if (state.syncing) {
    state.syncAgain = true;
    return;
  }
  if (navigator.onLine === false) {
    state.problem = "offline";
    renderStatus();
    return;
  }
  const urgent = reason === "online" || reason === "manual";
  if (!urgent && Date.now() < state.nextAttemptAt) return;
  if (!entriesWhere("outbox").length && reason !== "manual") {
    renderStatus();
    return;
  }
  state.syncing = true;
  try {
    await withLock(async () => {
      await loadLocal(); // another tab may have sent some meanwhile
      const queue = entriesWhere("outbox").sort((a, b) => a.created - b.created);
      for (const batch of batches(queue)) {
        if (state.locked || !(await sendOne(batch))) break;
      }
    });
  } catch (error) {
    state.failures += 1;
    state.problem = `could not read this phone's storage (${error.message || error})`;
    state.nextAttemptAt = Date.now() + backoffMs(state.failures, TICK_MS);
  } finally {
    state.syncing = false;
    state.sending = 0;
    renderAll();
    if (state.syncAgain) {
      state.syncAgain = false;
      setTimeout(() => sync("again"), 0);
    }
  }
}

/* ---------- rendering: status ---------- */

let lastStatus = "";
function renderStatus() {
  const waiting = entriesWhere("outbox").length;
  const saved = entriesWhere("sent").length;
  const refused = entriesWhere("refused").length;
  let text;
  let tone;
  if (!state.store) {
    text = "Checking what is saved on this phone…";
    tone = "busy";
  } else if (state.syncing && state.sending) {
    text = `Sending ${plural(state.sending, "entry", "entries")}…`;
    tone = "busy";
  } else if (!waiting) {
    text = !saved ? "Nothing captured yet" : saved === 1 ? "1 entry saved" : `All ${saved} entries saved`;
    tone = "ok";
  } else if (navigator.onLine === false || state.problem === "offline") {
    text = `${waiting} waiting to be sent — offline`;
    tone = "waiting";
  } else if (state.problem) {
    text = `${waiting} waiting to be sent — ${state.problem}`;
    tone = "error";
  } else {
    text = `${waiting} waiting to be sent`;
    tone = "waiting";
  }
  if (refused) {
    text += ` · ${plural(refused, "entry", "entries")} could not be saved`;
    tone = "error";
  }
  const status = $("sync-status");
  if (text !== lastStatus) {
    status.textContent = text;
    lastStatus = text;
  }
  status.dataset.state = tone;
  $("sync-now").hidden = !waiting || state.syncing || navigator.onLine === false;
  const other = $("other-visits");
  other.hidden = !state.otherVisits;
  if (state.otherVisits) {
    other.textContent =
      `${plural(state.otherVisits, "entry", "entries")} from another visit ` +
      `${state.otherVisits === 1 ? "is" : "are"} waiting on this phone: open that visit's capture page to send them.`;
  }
}

function renderSignIn(show) {
  let link = $("sign-in-again");
  if (!show) {
    if (link) link.remove();
    return;
  }
  if (link) return;
  const next = encodeURIComponent(location.pathname);
  link = el(
    "p",
    { id: "sign-in-again", class: "capture-warning" },
    "You are signed out. Your entries stay on this phone. ",
    el("a", { href: `${root.dataset.login}?next=${next}` }, "Sign in again"),
    " to send them.",
  );
  $("storage-warning").after(link);
}

/* ---------- rendering: entries (entries_view.js) ---------- */

const view = entriesView({ kindLabels: KIND_LABELS, roomLabel, lookForText, retry, discard, untag });

function renderRecent() {
  view.renderRecent(state.entries);
}

function renderRefused() {
  view.renderRefused(entriesWhere("refused"));
}

function renderConflicts() {
  view.renderConflicts(state.conflicts);
}

async function retry(rec) {
  const again = { ...rec };
  delete again.message;
  delete again.refusedAt;
  await state.store.apply([
    { store: "refused", del: rec.id },
    { store: "outbox", put: again },
  ]);
  state.entries.set(again.id, { rec: again, where: "outbox" });
  renderAll();
  sync("manual");
}

/* A note refused for its look-for (retired or merged since the page was opened): sent again
   about no look-for, its words kept. */
function untag(rec) {
  return retry({ ...rec, look_for: null });
}

async function discard(rec) {
  const ok = window.confirm(
    `Remove this entry from this phone? It was never saved in OpenDoors.\n\n${KIND_LABELS[rec.kind] || rec.kind}: ${describe(rec, lookForText)}`,
  );
  if (!ok) return;
  await state.store.apply([{ store: "refused", del: rec.id }]);
  state.entries.delete(rec.id);
  renderAll();
}

/* The count on each button: entries of the classroom chosen now (refused ones do not count). */
function renderCounts() {
  const counts = new Map();
  for (const { rec, where } of state.entries.values()) {
    if (where === "refused" || rec.classroom !== state.classroom) continue;
    let key = null;
    if (rec.kind === "look_for") key = `look_for:${rec.look_for}`;
    else if (rec.kind === "tally") key = `tally:${rec.label}`;
    else if (rec.kind === "time_out" || rec.kind === "bright_moment") key = rec.kind;
    if (key) counts.set(key, (counts.get(key) || 0) + 1);
  }
  for (const node of root.querySelectorAll("[data-count]")) {
    node.textContent = String(counts.get(node.dataset.count) || 0);
  }
}

function renderAll() {
  renderStatus();
  renderCounts();
  renderRecent();
  renderRefused();
  renderConflicts();
}


/* ---------- the countdown (timer.js) and talk time (talk.js), one per classroom ---------- */

const classroomNow = () => state.classroom;
const timer = countdown({ root, local, minutes: MINUTES, room: classroomNow, roomLabel });
const talk = talkTracker({ root, local, room: classroomNow, record });
const renderTimer = timer.render;
const renderTalk = talk.render;

/* ---------- the tool the server drew ---------- */

function fieldError(node, message) {
  node.textContent = message;
  node.hidden = !message;
}

function showProblem(message) {
  const box = $("storage-warning");
  box.textContent = message;
  box.hidden = false;
}

/* A text area whose buttons (data-save) each make one entry of their kind; its draft is kept
   on the phone until it is saved. A note box also offers what the note is about (a look-for),
   kept with the draft and sent with whichever of its buttons saves it. */
function textEntryWire(entry) {
  const area = entry.querySelector("textarea");
  const error = entry.querySelector(".field-error");
  const entryLabel = entry.dataset.entryLabel || "";
  const draftKey = `draft:${area.id}`;
  const about = entry.querySelector('button[data-save="note"]')
    ? aboutPicker({ entry, lookFors: LOOK_FORS, local, key: `about:${area.id}`, name: `about-${area.id}` })
    : null;
  area.value = local.get(draftKey, "");
  area.addEventListener("input", () => {
    local.set(draftKey, area.value);
    fieldError(error, "");
  });
  let saving = null; // the text being saved now: a second tap on Save does not send it twice
  async function save(kind) {
    const typed = area.value;
    const text = typed.trim();
    if (typed === saving) return;
    if (!text) {
      fieldError(error, "Write something first.");
      area.focus();
      return;
    }
    if (text.length > MAX_TEXT) {
      fieldError(error, `Keep it under ${MAX_TEXT} characters (this has ${text.length}).`);
      return;
    }
    saving = typed;
    const fields = { text, label: entryLabel.slice(0, MAX_LABEL) };
    const lookFor = about ? about.value() : null;
    if (lookFor !== null) fields.look_for = lookFor;
    try {
      await record(kind, fields);
    } catch (err) {
      fieldError(error, `Not saved: ${err.message || err}`);
      return;
    } finally {
      saving = null;
    }
    fieldError(error, "");
    // Clear only what was saved: words typed while it was being saved stay in the field.
    if (area.value !== typed) return;
    area.value = "";
    local.remove(draftKey);
    if (about) about.clear(); // the next note starts about nothing in particular
    area.focus();
  }
  for (const button of entry.querySelectorAll("button[data-save]")) {
    button.addEventListener("click", () => save(button.dataset.save));
  }
}

/* A tap on a button with data-record makes one entry of that kind. */
async function tap(button) {
  const kind = button.dataset.record;
  const fields = {};
  if (kind === "look_for") fields.look_for = Number(button.dataset.lookFor);
  if (kind === "tally") fields.label = button.dataset.label.slice(0, MAX_LABEL);
  const words = button.dataset.textFrom ? $(button.dataset.textFrom) : null;
  const typed = words ? words.value : "";
  if (words) fields.text = typed.trim();
  try {
    await record(kind, fields);
    if (words && words.value === typed) words.value = ""; // keep what was typed meanwhile
  } catch (error) {
    showProblem(`Not saved: ${error.message || error}`);
  }
}

async function talkSaveNow() {
  try {
    await talk.save(state.classroom);
  } catch (error) {
    showProblem(`Not saved: ${error.message || error}`);
  }
  renderTalk();
}

function toolWire() {
  for (const entry of root.querySelectorAll("#tool .text-entry")) textEntryWire(entry);
  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || !root.contains(button) || state.locked) return;
    if (button.dataset.record) tap(button);
    else if (button.dataset.talk) talk.toggle(button.dataset.talk);
    else if ("talkSave" in button.dataset) talkSaveNow();
  });
  for (const room of rooms) {
    if (room.input) room.input.addEventListener("change", () => chooseRoom(room.id));
  }
}

async function chooseRoom(id) {
  const previous = state.classroom;
  if (previous === id) return;
  if (previous !== null) {
    timer.pause(previous);
    try {
      await talk.save(previous); // talk time belongs to the classroom it was timed in
    } catch (error) {
      showProblem(`Talk time not saved: ${error.message || error}`);
    }
  }
  state.classroom = id;
  local.set("classroom", id);
  renderCounts();
  renderTalk();
  renderTimer();
}

/* The classroom chosen last time on this phone, or the first. */
function roomFirst() {
  const remembered = local.get("classroom", null);
  const room = rooms.find((r) => r.id === remembered) || rooms[0];
  if (!room) return null;
  if (room.input) room.input.checked = true;
  return room.id;
}

/* ---------- someone else signed in on this phone (lock.js) ---------- */

function lock() {
  lockPage({ state, root, keepAwake });
}

function lockIfSomeoneElse() {
  if (someoneElseSignedIn(USER)) lock();
}

/* ---------- start ---------- */

async function start() {
  // Another tab may say at any moment that someone else signed in; so may a page restored
  // from the back-forward cache, which heard nothing while it was away.
  lockWatch(lockIfSomeoneElse);
  lockIfSomeoneElse();
  if (state.locked) return;
  state.store = await openStore({ root, waiting: () => entriesWhere("outbox").length });
  try {
    await loadLocal();
  } catch (error) {
    showProblem(`Could not read the entries saved on this phone (${error.message || error}).`);
  }
  if (state.locked) return;
  state.classroom = roomFirst();
  toolWire();
  renderAll();
  renderTalk();
  renderTimer();
  // Taps are kept from now on: show the tool.
  $("tool-loading").remove();
  $("tool").hidden = false;
  root.dataset.ready = "yes";

  $("timer-toggle").addEventListener("click", timer.toggle);
  $("timer-reset").addEventListener("click", timer.reset);
  $("sync-now").addEventListener("click", () => sync("manual"));
  window.addEventListener("online", () => {
    state.failures = 0;
    state.nextAttemptAt = 0;
    state.problem = "";
    sync("online");
  });
  window.addEventListener("offline", () => {
    state.problem = "offline";
    renderStatus();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible") return;
    lockIfSomeoneElse();
    sync("visible");
  });
  setInterval(() => sync("tick"), TICK_MS);
  // Redraws only: what the timers show is worked out from the clock each time.
  setInterval(() => {
    renderTimer();
    renderTalk();
  }, 500);

  askPersistence({ store: state.store, root });
  prepareOffline({ root });
  sync("start");
}

start().catch((error) => showProblem(`The capture page could not start (${error.message || error}).`));
