/* The outbox: every entry captured on this phone, kept in IndexedDB ("opendoors-capture")
   before anything else happens, and what became of each once sent.

   Stores: "outbox" (waiting to be sent), "sent" (the server has it), "refused" (the server
   would not take it; kept until tried again or removed), "conflicts" (the server had another
   version under the same id) and "setup" (a probe that writes work). Entries are keyed by an id
   made on the device, and each names its visit and its author (`user`): a phone may be shared,
   and only the author's capture page shows or sends them. opendoors/static/opendoors/session.js
   counts the outbox when its person signs out.

   The storage classes touch IndexedDB; everything else here is pure and tested in
   visits/tests/js/outbox.test.mjs. */

export const DB_NAME = "opendoors-capture";
export const ENTRY_STORES = ["outbox", "sent", "refused", "conflicts"];
export const MAX_BATCH = 200;
export const MAX_BATCH_BYTES = 1000000; // well under Django's 2.5 MB request body limit
export const KEEP_SENT_DAYS = 14;
const DAY_MS = 86400000;
const TALK_FIELDS = ["teacher_talk_seconds", "student_talk_seconds", "silence_seconds"];

export function newId() {
  if (globalThis.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/* ---------- storage: IndexedDB, or memory when the browser cannot keep data ---------- */

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export class IdbStore {
  constructor(db) {
    this.db = db;
    this.persistent = true;
  }
  static open(indexedDB = globalThis.indexedDB) {
    return new Promise((resolve, reject) => {
      if (!indexedDB) {
        reject(new Error("IndexedDB is not available"));
        return;
      }
      let req;
      try {
        req = indexedDB.open(DB_NAME, 1);
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
    return request(this.db.transaction(name, "readonly").objectStore(name).getAll());
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

export class MemoryStore {
  constructor() {
    this.maps = {};
    for (const name of [...ENTRY_STORES, "setup"]) this.maps[name] = new Map();
    this.persistent = false;
  }
  async all(name) {
    return [...this.maps[name].values()].map((r) => structuredClone(r));
  }
  async apply(ops) {
    for (const op of ops) {
      const map = this.maps[op.store];
      if ("put" in op) map.set(op.put[op.store === "setup" ? "key" : "id"], structuredClone(op.put));
      else map.delete(op.del);
    }
  }
}

/* IndexedDB when it can write (some private modes open the database and then refuse every
   write), else null. */
export async function storeOpen() {
  try {
    const store = await IdbStore.open();
    await store.apply([{ store: "setup", put: { key: "probe", at: Date.now() } }]);
    await store.apply([{ store: "setup", del: "probe" }]);
    return store;
  } catch (_error) {
    return null;
  }
}

/* ---------- reading what is on the phone ---------- */

export function mine(rec, { visit, user }) {
  return Boolean(rec) && rec.visit === visit && String(rec.user) === user;
}

/* This person's entries of this visit from the stores' records ({outbox, sent, refused}), as
   id -> {rec, where}; how many of their entries of other visits wait; and which sent entries
   are old enough to forget. Other people's entries are neither shown nor counted. */
export function entriesOnPhone(records, { visit, user, now, keepDays = KEEP_SENT_DAYS }) {
  const entries = new Map();
  const expired = [];
  let otherVisits = 0;
  const cutoff = now - keepDays * DAY_MS;
  for (const where of ["outbox", "sent", "refused"]) {
    for (const rec of records[where] || []) {
      if (mine(rec, { visit, user })) {
        if (where === "sent" && (rec.savedAt || 0) < cutoff) expired.push(rec.id);
        else entries.set(rec.id, { rec, where });
      } else if (where === "outbox" && rec && String(rec.user) === user) {
        otherVisits += 1;
      }
    }
  }
  return { entries, expired, otherVisits };
}

/* ---------- making and sending entries ---------- */

export function entryNew({ id, visit, user, classroom, kind, now, fields }) {
  return {
    id,
    visit,
    user,
    classroom,
    kind,
    recorded_at: new Date(now).toISOString(),
    look_for: null,
    label: "",
    text: "",
    teacher_talk_seconds: null,
    student_talk_seconds: null,
    silence_seconds: null,
    created: now,
    ...fields,
  };
}

/* An entry as the API takes it (POST /api/visits/<id>/evidence): its author is the person it
   was captured by, whoever is signed in now. */
export function payload(rec) {
  const out = {
    id: rec.id,
    author: Number(rec.user),
    classroom: rec.classroom,
    kind: rec.kind,
    recorded_at: rec.recorded_at,
    label: rec.label || "",
    text: rec.text || "",
  };
  for (const name of ["look_for", ...TALK_FIELDS]) {
    if (rec[name] !== null && rec[name] !== undefined) out[name] = rec[name];
  }
  return out;
}

/* The queue in batches of at most maxCount entries and about maxBytes each. */
export function batches(queue, { maxCount = MAX_BATCH, maxBytes = MAX_BATCH_BYTES } = {}) {
  const out = [];
  let current = [];
  let bytes = 0;
  for (const rec of queue) {
    const size = JSON.stringify(payload(rec)).length * 3; // worst case UTF-8
    if (current.length && (current.length >= maxCount || bytes + size > maxBytes)) {
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

function fromServer(server, rec, now) {
  return {
    id: String(server.id).toLowerCase(),
    visit: rec.visit,
    user: rec.user,
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
    savedAt: now,
    fromServer: true,
  };
}

/* What the server's answers for a batch do to the phone, worked out before any of it is
   written: `ops` for one store transaction, `moves` ([id, rec | null, where | null]) for the
   page's copy, `conflicts` to show, and `someoneElse` when the server said an entry is not the
   signed-in person's. An entry leaves the outbox only when the server answered "stored" or
   "duplicate" (to "sent"), "refused" (to "refused", with the reason) or "conflict" (both kept:
   the server's version as sent, ours queued again under a new id). Any other answer, and an
   entry with no answer, stays in the outbox. */
export function settlement(batch, results, { now, makeId = newId }) {
  const byId = new Map(batch.map((rec) => [rec.id.toLowerCase(), rec]));
  const ops = [];
  const moves = [];
  const conflicts = [];
  let someoneElse = false;
  for (const result of results) {
    const key = String(result.id).toLowerCase();
    const rec = byId.get(key);
    if (!rec) continue;
    byId.delete(key);
    if (result.status === "stored" || result.status === "duplicate") {
      const saved = { ...rec, savedAt: now };
      ops.push({ store: "outbox", del: rec.id }, { store: "sent", put: saved });
      moves.push([rec.id, saved, "sent"]);
    } else if (result.status === "conflict") {
      const again = { ...rec, id: makeId(), created: now, conflictOf: rec.id };
      ops.push({ store: "outbox", del: rec.id }, { store: "outbox", put: again });
      moves.push([rec.id, null, null], [again.id, again, "outbox"]);
      if (result.server) {
        const theirs = fromServer(result.server, rec, now);
        ops.push({ store: "sent", put: theirs });
        moves.push([theirs.id, theirs, "sent"]);
      }
      const note = {
        id: rec.id,
        visit: rec.visit,
        user: rec.user,
        at: now,
        newId: again.id,
        mine: rec,
        message: result.message || "",
      };
      ops.push({ store: "conflicts", put: note });
      conflicts.push(note);
    } else if (result.status === "refused") {
      const refused = { ...rec, message: result.message || "refused", refusedAt: now };
      ops.push({ store: "outbox", del: rec.id }, { store: "refused", put: refused });
      moves.push([rec.id, refused, "refused"]);
    } else if (result.status === "not_yours") {
      someoneElse = true; // it stays in the outbox for its author
    }
  }
  return { ops, moves, conflicts, someoneElse };
}
