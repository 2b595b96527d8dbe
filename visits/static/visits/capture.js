/* OpenDoors capture: an observer's phone page.

   Every tap is written to IndexedDB ("opendoors-capture", object store "outbox", keyed by an
   id made on the device) before anything else happens. A sync loop sends the outbox to
   POST /api/visits/<id>/evidence in batches of at most 200 whenever there is a connection
   (on the `online` event, after each new entry and every 5 seconds). An entry leaves the
   outbox only when the server answers "stored" or "duplicate"; a "conflict" keeps both
   versions (ours is queued again under a new id); a "refused" entry moves to a visible
   "could not be saved" list. All text from the server or the observer is shown with
   textContent, never parsed as HTML.

   A phone may be shared. Everything kept on it (outbox, drafts, timers, the saved setup) is
   keyed by the person the page was made for (data-user), and every entry sent names that
   person as its author. When someone else signs in (another tab says so in localStorage
   "opendoors:person", see opendoors/static/opendoors/session.js, or the server answers
   "not_yours"), this page stops: it hides what it shows and sends nothing more; the entries
   stay on the phone for their author, and are sent when the author signs in again. */

(function () {
  "use strict";

  const root = document.getElementById("capture");
  if (!root) return;

  const VISIT = Number(root.dataset.visit);
  const USER = String(root.dataset.user || "");
  const API = root.dataset.api; // "/api/visits/<id>/"
  const MINUTES = Number(root.dataset.minutes) || 15;
  const MAX_BATCH = 200;
  const MAX_BATCH_BYTES = 1000000; // well under Django's 2.5 MB request body limit
  const TICK_MS = 5000;
  const REQUEST_TIMEOUT_MS = 20000;
  const MAX_TEXT = 5000;
  const MAX_LABEL = 200;
  const KEEP_SENT_DAYS = 14;
  const RECENT = 20;
  const PREFIX = `opendoors-capture:${USER}:${VISIT}:`;
  const SIGNED_IN_KEY = "opendoors:person"; // who is signed in, as the last page said

  const KIND_LABELS = {
    look_for: "Look-for",
    tally: "Tally",
    talk_time: "Talk time",
    what: "What we saw and heard",
    so_what: "Why it matters",
    now_what: "Implications for my practice",
    note: "Note",
    time_out: "Teacher time-out",
    bright_moment: "Bright moment",
    student_prompt: "About students",
  };
  const TALK_MODES = [
    ["teacher", "Teacher talk", "Teacher"],
    ["student", "Student talk", "Students"],
    ["silence", "Silence", "Silence"],
  ];

  const $ = (id) => document.getElementById(id);

  /* ---------- small helpers ---------- */

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function newId() {
    if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function plural(n, one, many) {
    return `${n} ${n === 1 ? one : many}`;
  }

  function clock(ms) {
    const total = Math.max(0, Math.ceil(ms / 1000));
    const m = Math.floor(total / 60);
    const s = total % 60;
    return `${m}:${String(s).padStart(2, "0")}`;
  }

  function timeOfDay(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return "";
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

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

  /* ---------- storage: IndexedDB, or memory when the browser cannot keep data ---------- */

  const DB_NAME = "opendoors-capture";
  const ENTRY_STORES = ["outbox", "sent", "refused", "conflicts"];

  function request(req) {
    return new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  class IdbStore {
    constructor(db) {
      this.db = db;
      this.persistent = true;
    }
    static open() {
      return new Promise((resolve, reject) => {
        if (!window.indexedDB) {
          reject(new Error("IndexedDB is not available"));
          return;
        }
        let req;
        try {
          req = window.indexedDB.open(DB_NAME, 1);
        } catch (error) {
          reject(error);
          return;
        }
        req.onupgradeneeded = () => {
          const db = req.result;
          for (const name of ENTRY_STORES) {
            const store = db.createObjectStore(name, { keyPath: "id" });
            store.createIndex("visit", "visit");
          }
          db.createObjectStore("setup", { keyPath: "key" });
        };
        req.onsuccess = () => resolve(new IdbStore(req.result));
        req.onerror = () => reject(req.error || new Error("IndexedDB refused to open"));
        req.onblocked = () => reject(new Error("IndexedDB is blocked by another tab"));
      });
    }
    all(name) {
      const t = this.db.transaction(name, "readonly");
      return request(t.objectStore(name).getAll());
    }
    get(name, key) {
      const t = this.db.transaction(name, "readonly");
      return request(t.objectStore(name).get(key));
    }
    /* ops: [{store, put: record} | {store, del: key}], all in one transaction. */
    apply(ops) {
      const names = [...new Set(ops.map((op) => op.store))];
      return new Promise((resolve, reject) => {
        if (!names.length) {
          resolve();
          return;
        }
        const t = this.db.transaction(names, "readwrite");
        t.oncomplete = () => resolve();
        t.onerror = () => reject(t.error);
        t.onabort = () => reject(t.error || new Error("the write was aborted"));
        for (const op of ops) {
          const store = t.objectStore(op.store);
          if ("put" in op) store.put(op.put);
          else store.delete(op.del);
        }
      });
    }
  }

  class MemoryStore {
    constructor() {
      this.maps = {};
      for (const name of [...ENTRY_STORES, "setup"]) this.maps[name] = new Map();
      this.persistent = false;
    }
    async all(name) {
      return [...this.maps[name].values()].map((r) => structuredClone(r));
    }
    async get(name, key) {
      const r = this.maps[name].get(key);
      return r === undefined ? undefined : structuredClone(r);
    }
    async apply(ops) {
      for (const op of ops) {
        const map = this.maps[op.store];
        if ("put" in op) map.set(op.put[op.store === "setup" ? "key" : "id"], structuredClone(op.put));
        else map.delete(op.del);
      }
    }
  }

  /* ---------- state ---------- */

  const state = {
    store: null,
    setup: null,
    classroom: null,
    // id -> {rec, where: "outbox" | "sent" | "refused"}
    entries: new Map(),
    conflicts: [],
    otherVisits: 0,
    syncing: false,
    locked: false, // someone else is signed in: nothing is shown or sent
    syncAgain: false,
    sending: 0,
    failures: 0,
    nextAttemptAt: 0,
    problem: "", // why the last attempt failed, for the status line
    countEls: new Map(), // "look_for:<id>" / "tally:<label>" -> count element
  };

  function mine(rec) {
    return rec && rec.visit === VISIT && String(rec.user) === USER;
  }

  function entriesWhere(where) {
    const out = [];
    for (const item of state.entries.values()) if (item.where === where) out.push(item.rec);
    return out;
  }

  /* Read this visit's entries from the device (another tab may have changed them). */
  async function loadLocal() {
    const store = state.store;
    const started = Date.now();
    const fresh = new Map();
    let other = 0;
    const cutoff = started - KEEP_SENT_DAYS * 86400000;
    const expired = [];
    for (const where of ["outbox", "sent", "refused"]) {
      for (const rec of await store.all(where)) {
        if (mine(rec)) {
          if (where === "sent" && (rec.savedAt || 0) < cutoff) expired.push(rec.id);
          else fresh.set(rec.id, { rec, where });
        } else if (where === "outbox" && String(rec.user) === USER) {
          other += 1;
        }
      }
    }
    // Keep what was captured while reading.
    for (const [id, item] of state.entries) {
      if (!fresh.has(id) && item.where === "outbox" && item.rec.created >= started) fresh.set(id, item);
    }
    state.entries = fresh;
    state.otherVisits = other;
    state.conflicts = (await store.all("conflicts")).filter(mine).sort((a, b) => b.at - a.at);
    if (expired.length) {
      await store.apply(expired.map((id) => ({ store: "sent", del: id })));
    }
  }

  /* ---------- making entries ---------- */

  function roomLabel(id) {
    const rooms = (state.setup && state.setup.classrooms) || [];
    const room = rooms.find((r) => r.id === id);
    return room ? room.label : `Classroom ${id}`;
  }

  function lookForText(id) {
    const lfs = (state.setup && state.setup.look_fors) || [];
    const lf = lfs.find((l) => l.id === id);
    return lf ? lf.text : "A look-for";
  }

  async function record(kind, fields, classroom) {
    const room = classroom === undefined ? state.classroom : classroom;
    if (room === null || room === undefined) throw new Error("No classroom is chosen.");
    const rec = {
      id: newId(),
      visit: VISIT,
      user: USER,
      classroom: room,
      kind,
      recorded_at: new Date().toISOString(),
      look_for: null,
      label: "",
      text: "",
      teacher_talk_seconds: null,
      student_talk_seconds: null,
      silence_seconds: null,
      created: Date.now(),
      ...fields,
    };
    await state.store.apply([{ store: "outbox", put: rec }]); // on the device first
    state.entries.set(rec.id, { rec, where: "outbox" });
    renderCounts();
    renderRecent();
    renderStatus();
    sync("entry");
    return rec;
  }

  function payload(rec) {
    const out = {
      id: rec.id,
      author: Number(rec.user),
      classroom: rec.classroom,
      kind: rec.kind,
      recorded_at: rec.recorded_at,
      label: rec.label || "",
      text: rec.text || "",
    };
    for (const name of ["look_for", "teacher_talk_seconds", "student_talk_seconds", "silence_seconds"]) {
      if (rec[name] !== null && rec[name] !== undefined) out[name] = rec[name];
    }
    return out;
  }

  /* ---------- sync ---------- */

  function backoff(problem) {
    state.failures += 1;
    state.problem = problem;
    state.nextAttemptAt = Date.now() + Math.min(TICK_MS * 2 ** (state.failures - 1), 60000);
  }

  function withLock(fn) {
    if (navigator.locks && typeof navigator.locks.request === "function") {
      return navigator.locks.request(`opendoors-capture-sync-${USER}-${VISIT}`, fn);
    }
    return fn();
  }

  function batches(queue) {
    const out = [];
    let current = [];
    let bytes = 0;
    for (const rec of queue) {
      const size = JSON.stringify(payload(rec)).length * 3; // worst case UTF-8
      if (current.length && (current.length >= MAX_BATCH || bytes + size > MAX_BATCH_BYTES)) {
        out.push(current);
        current = [];
        bytes = 0;
      }
      current.push(rec);
      bytes += size;
    }
    if (current.length) out.push(current);
    return out;
  }

  function detailText(body) {
    if (!body) return "";
    if (typeof body.detail === "string") return body.detail;
    if (Array.isArray(body.detail)) {
      return body.detail
        .map((d) => {
          const where = Array.isArray(d.loc) ? d.loc.filter((p) => typeof p === "string").pop() : "";
          return where && where !== "payload" && where !== "entries" ? `${where}: ${d.msg}` : d.msg;
        })
        .filter(Boolean)
        .join("; ");
    }
    return "";
  }

  async function post(batch) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(`${API}evidence`, {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": csrfToken(),
        },
        body: JSON.stringify({ entries: batch.map(payload) }),
        signal: controller.signal,
      });
      let body = null;
      try {
        body = await response.json();
      } catch (_e) {
        body = null;
      }
      return { response, body };
    } finally {
      clearTimeout(timer);
    }
  }

  /* Send one batch. True when the server judged it (whatever it said), false when the
     connection or the server failed and the batch must wait for the next attempt. */
  async function sendBatch(batch) {
    state.sending = batch.length;
    renderStatus();
    let answer;
    try {
      answer = await post(batch);
    } catch (_error) {
      backoff(navigator.onLine === false ? "offline" : "no answer from OpenDoors, trying again soon");
      return false;
    }
    const { response, body } = answer;
    if (response.status === 401) {
      backoff("you are signed out: sign in again to send them");
      renderSignIn(true);
      return false;
    }
    renderSignIn(false);
    if (response.status === 400 || response.status === 413 || response.status === 422) {
      // The whole batch was turned away: find the entry at fault by halves.
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        return (await sendBatch(batch.slice(0, half))) && (await sendBatch(batch.slice(half)));
      }
      await settle(batch, [
        { id: batch[0].id, status: "refused", message: detailText(body) || `refused (${response.status})` },
      ]);
      return true;
    }
    if (!response.ok || !body || !Array.isArray(body.results)) {
      const why = detailText(body);
      backoff(why ? `OpenDoors said: ${why}` : `OpenDoors had a problem (${response.status}), trying again soon`);
      return false;
    }
    await settle(batch, body.results);
    state.failures = 0;
    state.problem = "";
    state.nextAttemptAt = 0;
    return true;
  }

  function fromServer(server, rec) {
    return {
      id: String(server.id).toLowerCase(),
      visit: VISIT,
      user: USER,
      classroom: server.classroom,
      kind: server.kind,
      recorded_at: server.recorded_at,
      look_for: server.look_for ?? null,
      label: server.label || "",
      text: server.text || "",
      teacher_talk_seconds: server.teacher_talk_seconds ?? null,
      student_talk_seconds: server.student_talk_seconds ?? null,
      silence_seconds: server.silence_seconds ?? null,
      created: rec.created,
      savedAt: Date.now(),
      fromServer: true,
    };
  }

  /* Apply the server's answers in one IndexedDB transaction, then in memory. */
  async function settle(batch, results) {
    const byId = new Map(batch.map((rec) => [rec.id.toLowerCase(), rec]));
    const ops = [];
    const moves = [];
    const notes = [];
    const now = Date.now();
    let someoneElse = false;
    for (const result of results) {
      const rec = byId.get(String(result.id).toLowerCase());
      if (!rec) continue;
      byId.delete(String(result.id).toLowerCase());
      if (result.status === "stored" || result.status === "duplicate") {
        const saved = { ...rec, savedAt: now };
        ops.push({ store: "outbox", del: rec.id }, { store: "sent", put: saved });
        moves.push([rec.id, saved, "sent"]);
      } else if (result.status === "conflict") {
        // Keep both: the server's version as saved, ours again under a new id.
        const again = { ...rec, id: newId(), created: now, conflictOf: rec.id };
        ops.push({ store: "outbox", del: rec.id }, { store: "outbox", put: again });
        moves.push([rec.id, null, null], [again.id, again, "outbox"]);
        if (result.server) {
          const theirs = fromServer(result.server, rec);
          ops.push({ store: "sent", put: theirs });
          moves.push([theirs.id, theirs, "sent"]);
        }
        const note = {
          id: rec.id,
          visit: VISIT,
          user: USER,
          at: now,
          newId: again.id,
          mine: rec,
          message: result.message || "",
        };
        ops.push({ store: "conflicts", put: note });
        notes.push(note);
      } else if (result.status === "refused") {
        const refused = { ...rec, message: result.message || "refused", refusedAt: now };
        ops.push({ store: "outbox", del: rec.id }, { store: "refused", put: refused });
        moves.push([rec.id, refused, "refused"]);
      } else if (result.status === "not_yours") {
        // Someone else is signed in now: the entry stays in the outbox for its author.
        someoneElse = true;
      }
      // Any other answer: the entry stays in the outbox.
    }
    await state.store.apply(ops);
    for (const [id, rec, where] of moves) {
      if (rec) state.entries.set(id, { rec, where });
      else state.entries.delete(id);
    }
    state.conflicts = [...notes, ...state.conflicts];
    if (notes.length) state.syncAgain = true; // send our versions, now under new ids
    renderAll();
    if (someoneElse) lock();
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
          if (state.locked || !(await sendBatch(batch))) break;
        }
      });
    } catch (error) {
      backoff(`could not read this phone's storage (${error.message || error})`);
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

  /* ---------- rendering: entries ---------- */

  function describe(rec) {
    switch (rec.kind) {
      case "look_for":
        return lookForText(rec.look_for);
      case "tally":
        return rec.label;
      case "talk_time": {
        const t = rec.teacher_talk_seconds || 0;
        const s = rec.student_talk_seconds || 0;
        const q = rec.silence_seconds || 0;
        const total = t + s + q || 1;
        const pct = (x) => Math.round((100 * x) / total);
        return `Teacher ${pct(t)}% · Students ${pct(s)}% · Silence ${pct(q)}% (${clock((t + s + q) * 1000)})`;
      }
      case "student_prompt":
        return rec.label ? `${rec.label} ${rec.text}` : rec.text;
      default:
        return rec.text || "";
    }
  }

  const WHERE_LABELS = { outbox: "waiting", sent: "saved", refused: "not saved" };

  function entryItem(rec, where, extra) {
    const head = el(
      "span",
      { class: "entry-head" },
      el("time", { datetime: rec.recorded_at }, timeOfDay(rec.recorded_at)),
      ` · ${roomLabel(rec.classroom)} · ${KIND_LABELS[rec.kind] || rec.kind}`,
    );
    const badge = where ? el("span", { class: `entry-state entry-${where}` }, WHERE_LABELS[where]) : null;
    const text = describe(rec);
    return el(
      "li",
      { class: "entry" },
      el("span", { class: "entry-top" }, head, badge),
      text ? el("span", { class: "entry-text" }, text) : null,
      ...(extra || []),
    );
  }

  function renderRecent() {
    const list = $("recent");
    const items = [...state.entries.values()]
      .sort((a, b) => (b.rec.recorded_at < a.rec.recorded_at ? -1 : b.rec.recorded_at > a.rec.recorded_at ? 1 : b.rec.created - a.rec.created))
      .slice(0, RECENT);
    list.replaceChildren(...items.map(({ rec, where }) => entryItem(rec, where)));
    $("recent-empty").hidden = items.length > 0;
  }

  function renderRefused() {
    const refused = entriesWhere("refused").sort((a, b) => b.refusedAt - a.refusedAt);
    $("refused").hidden = !refused.length;
    $("refused-list").replaceChildren(
      ...refused.map((rec) =>
        entryItem(rec, null, [
          el("span", { class: "entry-message" }, `OpenDoors said: ${rec.message}`),
          el(
            "span",
            { class: "entry-actions" },
            el("button", { type: "button", onclick: () => retry(rec) }, "Try again"),
            el("button", { type: "button", class: "danger", onclick: () => discard(rec) }, "Remove from this phone"),
          ),
        ]),
      ),
    );
  }

  function renderConflicts() {
    $("conflicts").hidden = !state.conflicts.length;
    $("conflict-list").replaceChildren(
      ...state.conflicts.slice(0, RECENT).map((note) =>
        entryItem(note.mine, null, [
          el("span", { class: "entry-kept" }, "Also kept: the version OpenDoors already had. Yours was sent again as a new entry."),
        ]),
      ),
    );
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

  async function discard(rec) {
    const what = describe(rec);
    const ok = window.confirm(
      `Remove this entry from this phone? It was never saved in OpenDoors.\n\n${KIND_LABELS[rec.kind] || rec.kind}: ${what}`,
    );
    if (!ok) return;
    await state.store.apply([{ store: "refused", del: rec.id }]);
    state.entries.delete(rec.id);
    renderAll();
  }

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
    for (const [key, node] of state.countEls) node.textContent = String(counts.get(key) || 0);
  }

  function renderAll() {
    renderStatus();
    renderCounts();
    renderRecent();
    renderRefused();
    renderConflicts();
  }

  /* ---------- the timer (one per classroom) ---------- */

  function timerGet(room) {
    return local.get(`timer:${room}`, { remaining: MINUTES * 60000, since: null });
  }

  function timerLeft(t) {
    return t.since ? Math.max(0, t.remaining - (Date.now() - t.since)) : t.remaining;
  }

  function timerPause(room) {
    const t = timerGet(room);
    if (t.since) local.set(`timer:${room}`, { remaining: timerLeft(t), since: null });
  }

  let wakeLock = null;
  async function keepAwake(on) {
    try {
      if (on && !wakeLock && navigator.wakeLock) wakeLock = await navigator.wakeLock.request("screen");
      if (!on && wakeLock) {
        await wakeLock.release();
        wakeLock = null;
      }
    } catch (_e) {
      wakeLock = null;
    }
  }

  function renderTimer() {
    if (state.classroom === null) return;
    const t = timerGet(state.classroom);
    const left = timerLeft(t);
    if (t.since && left <= 0) {
      local.set(`timer:${state.classroom}`, { remaining: 0, since: null });
      $("timer-announce").textContent = `Time is up in ${roomLabel(state.classroom)}.`;
      if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
      keepAwake(false);
    }
    $("countdown").textContent = clock(left);
    const toggle = $("timer-toggle");
    const running = Boolean(t.since) && left > 0;
    toggle.textContent = running ? "Pause" : "Start";
    toggle.disabled = left <= 0;
    root.classList.toggle("time-up", left <= 0);
  }

  function timerToggle() {
    const room = state.classroom;
    const t = timerGet(room);
    if (t.since) {
      timerPause(room);
      keepAwake(false);
    } else if (t.remaining > 0) {
      local.set(`timer:${room}`, { remaining: t.remaining, since: Date.now() });
      $("timer-announce").textContent = "";
      keepAwake(true);
    }
    renderTimer();
  }

  function timerReset() {
    local.set(`timer:${state.classroom}`, { remaining: MINUTES * 60000, since: null });
    $("timer-announce").textContent = "";
    keepAwake(false);
    renderTimer();
  }

  /* ---------- talk time (one tracker per classroom) ---------- */

  const talkEls = {};

  function talkGet(room) {
    return local.get(`talk:${room}`, { mode: null, since: null, totals: { teacher: 0, student: 0, silence: 0 } });
  }

  function talkTotals(t) {
    const totals = { ...t.totals };
    if (t.mode && t.since) totals[t.mode] += Math.max(0, Date.now() - t.since);
    return totals;
  }

  function talkToggle(mode) {
    const room = state.classroom;
    const t = talkGet(room);
    const totals = talkTotals(t);
    const next = t.mode === mode ? null : mode;
    local.set(`talk:${room}`, { mode: next, since: next ? Date.now() : null, totals });
    renderTalk();
  }

  async function talkSave(room) {
    const t = talkGet(room);
    const totals = talkTotals(t);
    const seconds = {
      teacher_talk_seconds: Math.round(totals.teacher / 1000),
      student_talk_seconds: Math.round(totals.student / 1000),
      silence_seconds: Math.round(totals.silence / 1000),
    };
    local.remove(`talk:${room}`);
    if (seconds.teacher_talk_seconds + seconds.student_talk_seconds + seconds.silence_seconds === 0) {
      return null;
    }
    try {
      return await record("talk_time", seconds, room);
    } catch (error) {
      local.set(`talk:${room}`, { mode: null, since: null, totals }); // keep the timing
      throw error;
    }
  }

  function renderTalk() {
    if (!talkEls.summary || state.classroom === null) return;
    const t = talkGet(state.classroom);
    const totals = talkTotals(t);
    const sum = totals.teacher + totals.student + totals.silence;
    const pct = (x) => (sum ? Math.round((100 * x) / sum) : 0);
    const parts = [];
    for (const [mode, , short] of TALK_MODES) {
      const { button, pct: pctEl, time } = talkEls[mode];
      button.setAttribute("aria-pressed", String(t.mode === mode));
      pctEl.textContent = `${pct(totals[mode])}%`;
      time.textContent = clock(totals[mode]);
      parts.push(`${short} ${pct(totals[mode])}%`);
    }
    talkEls.summary.textContent = `${parts.join(" · ")} · ${clock(sum)} timed`;
    talkEls.save.disabled = sum < 500;
  }

  /* ---------- the tool, from the capture setup ---------- */

  function fieldError(node, message) {
    node.textContent = message;
    node.hidden = !message;
  }

  /* A text area with its own Save button that makes one entry of `kind`. */
  function textEntry({ id, label, kind, buttonText, entryLabel, extraButtons }) {
    const area = el("textarea", { id, rows: 3, maxlength: MAX_TEXT, "aria-describedby": `${id}-error` });
    const error = el("p", { id: `${id}-error`, class: "field-error", "aria-live": "polite", hidden: true });
    const draftKey = `draft:${id}`;
    area.value = local.get(draftKey, "");
    area.addEventListener("input", () => {
      local.set(draftKey, area.value);
      fieldError(error, "");
    });
    let saving = null; // the text being saved now: a second tap on Save does not send it twice
    async function save(asKind) {
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
      try {
        await record(asKind, { text, label: entryLabel ? entryLabel.slice(0, MAX_LABEL) : "" });
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
      area.focus();
    }
    const buttons = [el("button", { type: "button", class: "primary", onclick: () => save(kind) }, buttonText)];
    for (const [text, otherKind] of extraButtons || []) {
      buttons.push(el("button", { type: "button", onclick: () => save(otherKind) }, text));
    }
    return el(
      "div",
      { class: "text-entry" },
      el("label", { for: id }, label),
      area,
      error,
      el("div", { class: "text-entry-actions" }, ...buttons),
    );
  }

  function tapButton(text, key, onTap) {
    const count = el("span", { class: "count" }, "0");
    state.countEls.set(key, count);
    return el(
      "button",
      { type: "button", class: "tap", onclick: onTap },
      el("span", { class: "tap-text" }, text),
      el("span", { class: "sr-only" }, ", count "),
      count,
    );
  }

  function section(key, title, ...children) {
    const headingId = `part-${key}`;
    return el(
      "section",
      { class: "tool-part capture-section", "aria-labelledby": headingId },
      el("h2", { id: headingId }, title),
      ...children,
    );
  }

  function tapAction(kind, fields) {
    return async () => {
      try {
        await record(kind, fields);
      } catch (error) {
        showProblem(`Not saved: ${error.message || error}`);
      }
    };
  }

  function showProblem(message) {
    const box = $("storage-warning");
    box.textContent = message;
    box.hidden = false;
  }

  function renderTool() {
    const setup = state.setup;
    const tool = $("tool");
    state.countEls.clear();
    for (const key of Object.keys(talkEls)) delete talkEls[key];
    const parts = [];
    const lookFors = setup.look_fors || [];
    (setup.tool || []).forEach((part, index) => {
      const key = `${part.kind}-${index}`;
      if (part.kind === "checklist") {
        const groups = [];
        for (const kind of [...new Set(lookFors.map((lf) => lf.kind))]) {
          const these = lookFors.filter((lf) => lf.kind === kind);
          groups.push(
            el(
              "div",
              { class: "tap-group" },
              kind ? el("h3", { class: "tap-group-title" }, kind.charAt(0).toUpperCase() + kind.slice(1)) : null,
              ...these.map((lf) => tapButton(lf.text, `look_for:${lf.id}`, tapAction("look_for", { look_for: lf.id }))),
            ),
          );
        }
        parts.push(
          section(key, "Look-fors", lookFors.length ? null : el("p", { class: "muted" }, "This cycle has no look-fors yet."), ...groups),
        );
      } else if (part.kind === "tally") {
        const labels = Array.isArray(part.labels) ? part.labels : [];
        parts.push(
          section(
            key,
            part.title || "Tally",
            ...labels.map((label) =>
              tapButton(label, `tally:${label.slice(0, MAX_LABEL)}`, tapAction("tally", { label: label.slice(0, MAX_LABEL) })),
            ),
          ),
        );
      } else if (part.kind === "talk_time") {
        const buttons = TALK_MODES.map(([mode, label]) => {
          const pct = el("span", { class: "talk-pct" }, "0%");
          const time = el("span", { class: "talk-time" }, "0:00");
          const button = el(
            "button",
            { type: "button", class: "tap talk-toggle", "aria-pressed": "false", onclick: () => talkToggle(mode) },
            el("span", { class: "tap-text" }, label),
            el("span", { class: "sr-only" }, ", "),
            pct,
            el("span", { class: "sr-only" }, ", "),
            time,
          );
          talkEls[mode] = { button, pct, time };
          return button;
        });
        talkEls.summary = el("p", { class: "talk-summary" }, "");
        talkEls.save = el(
          "button",
          {
            type: "button",
            onclick: async () => {
              try {
                await talkSave(state.classroom);
              } catch (error) {
                showProblem(`Not saved: ${error.message || error}`);
              }
              renderTalk();
            },
          },
          "Stop and save talk time",
        );
        parts.push(
          section(
            key,
            "Talk time",
            el("p", { class: "muted help" }, "Tap who is talking now; tap again to pause."),
            el("div", { class: "talk" }, ...buttons),
            talkEls.summary,
            talkEls.save,
          ),
        );
      } else if (part.kind === "what_so_what") {
        parts.push(
          section(
            key,
            "What / So what / Now what",
            textEntry({ id: `wsw-what-${index}`, label: "What we saw and heard", kind: "what", buttonText: "Save what" }),
            textEntry({
              id: `wsw-so-${index}`,
              label: "Why it matters for student understanding",
              kind: "so_what",
              buttonText: "Save so what",
            }),
            textEntry({ id: `wsw-now-${index}`, label: "Implications for my practice", kind: "now_what", buttonText: "Save now what" }),
          ),
        );
      } else if (part.kind === "notes") {
        parts.push(
          section(
            key,
            "Notes",
            textEntry({
              id: `note-${index}`,
              label: "A timestamped note",
              kind: "note",
              buttonText: "Save note",
              extraButtons: [["Save as a bright moment", "bright_moment"]],
            }),
          ),
        );
      } else if (part.kind === "time_outs") {
        const words = el("input", { type: "text", id: `timeout-${index}`, maxlength: MAX_TEXT, autocomplete: "off" });
        const button = tapButton("Time-out", "time_out", async () => {
          const typed = words.value;
          try {
            await record("time_out", { text: typed.trim() });
            if (words.value === typed) words.value = ""; // keep what was typed meanwhile
          } catch (error) {
            showProblem(`Not saved: ${error.message || error}`);
          }
        });
        parts.push(
          section(
            key,
            "Teacher time-outs",
            el("label", { for: `timeout-${index}` }, "What the time-out was about (optional)"),
            words,
            button,
          ),
        );
      } else if (part.kind === "student_prompts") {
        const prompts = Array.isArray(part.prompts) ? part.prompts : [];
        parts.push(
          section(
            key,
            "About students",
            ...prompts.map((prompt, i) =>
              textEntry({
                id: `prompt-${index}-${i}`,
                label: prompt,
                kind: "student_prompt",
                buttonText: "Save",
                entryLabel: prompt,
              }),
            ),
          ),
        );
      }
    });
    // The bright-moment button lives in the bar at the bottom, always in reach.
    const bright = $("bright");
    if (!bright.querySelector(".count")) {
      const count = el("span", { class: "count" }, "0");
      bright.append(el("span", { class: "sr-only" }, ", count "), count);
    }
    state.countEls.set("bright_moment", bright.querySelector(".count"));
    tool.replaceChildren(...parts);
  }

  function renderRooms() {
    const rooms = state.setup.classrooms || [];
    const box = $("rooms");
    if (rooms.length <= 1) {
      box.replaceChildren(
        rooms.length ? el("p", { class: "room-single" }, el("strong", {}, "Classroom: "), rooms[0].label) : el("p", { class: "capture-warning" }, "This visit has no classrooms."),
      );
      return;
    }
    const fieldset = el(
      "fieldset",
      { class: "rooms" },
      el("legend", {}, "Classroom"),
      ...rooms.map((room) => {
        const id = `room-${room.id}`;
        const input = el("input", {
          type: "radio",
          name: "classroom",
          id,
          value: room.id,
          checked: room.id === state.classroom,
          onchange: () => chooseRoom(room.id),
        });
        return el("span", { class: "room" }, input, el("label", { for: id }, room.label));
      }),
    );
    box.replaceChildren(fieldset);
  }

  async function chooseRoom(id) {
    const previous = state.classroom;
    if (previous === id) return;
    if (previous !== null) {
      timerPause(previous);
      try {
        await talkSave(previous); // talk time belongs to the classroom it was timed in
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

  /* ---------- loading the setup ---------- */

  async function loadSetup() {
    const key = `${USER}:${VISIT}`;
    let problem = "";
    try {
      const response = await fetch(`${API}capture`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.ok) {
        const setup = await response.json();
        try {
          await state.store.apply([{ store: "setup", put: { key, setup, at: Date.now() } }]);
        } catch (_e) {
          /* the service worker keeps a copy too */
        }
        return setup;
      }
      if (response.status === 401) renderSignIn(true);
      let body = null;
      try {
        body = await response.json();
      } catch (_e) {
        body = null;
      }
      problem = detailText(body) || `OpenDoors answered ${response.status}`;
    } catch (_error) {
      problem = "no connection";
    }
    const saved = await state.store.get("setup", key).catch(() => undefined);
    if (saved && saved.setup) return saved.setup;
    throw new Error(problem);
  }

  /* ---------- offline readiness and storage ---------- */

  function note(id, text) {
    const node = $(id);
    node.textContent = text;
    node.hidden = !text;
  }

  function askWorker(worker, message) {
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

  async function prepareOffline() {
    if (!("serviceWorker" in navigator)) {
      note("offline-note", "This browser cannot reopen this page without a connection: keep it open until your entries are sent.");
      return;
    }
    try {
      await navigator.serviceWorker.register(root.dataset.sw, { scope: "/visits/" });
      const registration = await navigator.serviceWorker.ready;
      const urls = new Set([location.pathname, `${API}capture`]);
      for (const node of document.querySelectorAll("link[rel=stylesheet][href], script[src]")) {
        const url = new URL(node.href || node.src, location.href);
        if (url.origin === location.origin) urls.add(url.pathname + url.search);
      }
      const answer = await askWorker(registration.active, { type: "cache-shell", urls: [...urls] });
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

  async function askPersistence() {
    if (!state.store.persistent) return;
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

  async function openStore() {
    try {
      const store = await IdbStore.open();
      // Some private modes open the database and then refuse every write: try one.
      await store.apply([{ store: "setup", put: { key: "probe", at: Date.now() } }]);
      await store.apply([{ store: "setup", del: "probe" }]);
      return store;
    } catch (error) {
      const box = $("storage-warning");
      box.textContent =
        "This browser cannot keep entries on this phone (private browsing may be on). " +
        "What you capture is kept only while this page stays open, and sent when there is a connection. " +
        "Do not close or reload this page until it says all entries are saved.";
      box.hidden = false;
      root.dataset.storage = "memory";
      window.addEventListener("beforeunload", (event) => {
        if (entriesWhere("outbox").length) {
          event.preventDefault();
          event.returnValue = "";
        }
      });
      return new MemoryStore();
    }
  }

  /* ---------- someone else signed in on this phone ---------- */

  function someoneElseSignedIn() {
    let now = null;
    try {
      now = window.localStorage.getItem(SIGNED_IN_KEY);
    } catch (_e) {
      return false; // no localStorage: the server's "not_yours" answer still stops this page
    }
    return now !== null && now !== USER;
  }

  /* Stop for good: show nothing of this person's, send nothing. Their entries and drafts stay
     on the phone under their id; the page made for whoever is signed in now is a reload away. */
  function lock() {
    if (state.locked) return;
    state.locked = true;
    root.dataset.locked = "yes";
    state.entries = new Map();
    state.conflicts = [];
    keepAwake(false);
    for (const list of ["recent", "refused-list", "conflict-list"]) $(list).replaceChildren();
    for (const field of root.querySelectorAll("textarea, input[type=text]")) field.value = ""; // drafts stay saved
    for (const child of root.children) child.hidden = true;
    root.append(
      el(
        "section",
        { id: "signed-in-elsewhere", class: "capture-section", role: "alert" },
        el("h1", {}, "Someone else is signed in"),
        el(
          "p",
          {},
          "This page was opened for someone who is no longer signed in on this phone. " +
            "What they captured is not shown here and is not sent under anyone else's name: " +
            "it stays on this phone until they sign in again and open this page.",
        ),
        el("p", {}, el("a", { href: location.pathname }, "Open this page for the person signed in now")),
      ),
    );
  }

  function lockIfSomeoneElse() {
    if (someoneElseSignedIn()) lock();
  }

  /* ---------- start ---------- */

  async function start() {
    // Another tab may say at any moment that someone else signed in; so may a page restored
    // from the back-forward cache, which heard nothing while it was away.
    window.addEventListener("storage", (event) => {
      if (event.key === SIGNED_IN_KEY || event.key === null) lockIfSomeoneElse();
    });
    window.addEventListener("pageshow", lockIfSomeoneElse);
    lockIfSomeoneElse();
    if (state.locked) return;
    state.store = await openStore();
    try {
      await loadLocal();
    } catch (error) {
      showProblem(`Could not read the entries saved on this phone (${error.message || error}).`);
    }
    renderAll();

    try {
      state.setup = await loadSetup();
    } catch (error) {
      $("tool").replaceChildren(
        el(
          "p",
          { class: "capture-warning" },
          `The evidence tool could not be loaded (${error.message || error}). ` +
            "Open this page once with a connection; after that it works offline.",
        ),
      );
    }
    if (state.setup) {
      const rooms = (state.setup.classrooms || []).map((r) => r.id);
      const remembered = local.get("classroom", null);
      state.classroom = rooms.includes(remembered) ? remembered : rooms.length ? rooms[0] : null;
      renderRooms();
      renderTool();
      renderAll();
      renderTalk();
      renderTimer();
      root.dataset.ready = "yes";
    }

    $("timer-toggle").addEventListener("click", timerToggle);
    $("timer-reset").addEventListener("click", timerReset);
    $("bright").addEventListener("click", tapAction("bright_moment", {}));
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
    setInterval(() => {
      renderTimer();
      renderTalk();
    }, 500);

    askPersistence();
    prepareOffline();
    sync("start");
  }

  start().catch((error) => showProblem(`The capture page could not start (${error.message || error}).`));
})();
