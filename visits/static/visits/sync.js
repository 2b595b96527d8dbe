/* Sending the outbox to POST /api/visits/<id>/evidence, and making sense of the answers.

   A batch the server turned away whole (400, 413, 422) is sent again in halves until the entry
   at fault is found and kept as refused with the server's reason; the others are sent. A batch
   with no answer (no connection, a timeout, a server error) waits for the next attempt, later
   each time (`backoffMs`). The page (capture.js) decides when to send; this module only sends,
   and is tested with a fake server in visits/tests/js/sync.test.mjs. */

import { payload } from "./outbox.js";

export const REQUEST_TIMEOUT_MS = 20000;
export const MAX_BACKOFF_MS = 60000;

/* How long to wait after the n-th failure in a row: tick, 2 ticks, 4 ticks… at most a minute. */
export function backoffMs(failures, tick) {
  return Math.min(tick * 2 ** Math.max(0, failures - 1), MAX_BACKOFF_MS);
}

/* The server's reason in words, from django-ninja's {"detail": …} (a string, or a list of
   validation errors each naming its field). */
export function detailText(body) {
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

/* A function that posts one batch to `url` and resolves to {status, ok, body} (body null when
   it is not JSON); it rejects when there is no answer in time. */
export function poster(url, { csrf, fetch = globalThis.fetch, timeoutMs = REQUEST_TIMEOUT_MS }) {
  return async (batch) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ entries: batch.map(payload) }),
        signal: controller.signal,
      });
      let body = null;
      try {
        body = await response.json();
      } catch (_e) {
        body = null;
      }
      return { status: response.status, ok: response.ok, body };
    } finally {
      clearTimeout(timer);
    }
  };
}

const TURNED_AWAY = new Set([400, 413, 422]);

/* Send one batch with `post`, and hand the server's answers to `settle(batch, results)`.
   Resolves to {judged: true} once the server judged every entry (whatever it said), or to
   {judged: false, problem} when the batch must wait for another attempt. `signedOut` says
   whether the server answered as to someone signed out (true), signed in (false), or did not
   answer (undefined). */
export async function batchSend(batch, { post, settle, offline = () => false }) {
  let answer;
  try {
    answer = await post(batch);
  } catch (_error) {
    return { judged: false, problem: offline() ? "offline" : "no answer from OpenDoors, trying again soon" };
  }
  const { status, ok, body } = answer;
  if (status === 401) {
    return { judged: false, problem: "you are signed out: sign in again to send them", signedOut: true };
  }
  if (TURNED_AWAY.has(status)) {
    if (batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      const first = await batchSend(batch.slice(0, half), { post, settle, offline });
      return first.judged ? batchSend(batch.slice(half), { post, settle, offline }) : first;
    }
    const message = detailText(body) || `refused (${status})`;
    await settle(batch, [{ id: batch[0].id, status: "refused", message }]);
    return { judged: true, signedOut: false };
  }
  if (!ok || !body || !Array.isArray(body.results)) {
    const why = detailText(body);
    const problem = why ? `OpenDoors said: ${why}` : `OpenDoors had a problem (${status}), trying again soon`;
    return { judged: false, problem, signedOut: false };
  }
  await settle(batch, body.results);
  return { judged: true, signedOut: false };
}
