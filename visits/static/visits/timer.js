/* The capture page's countdown, one per classroom (capture.js), and keeping the screen awake
   while it runs. What is left comes from the wall clock (clock.js); each classroom's timer is
   kept on the phone (`local`, under "timer:<classroom>"). The page passes what it needs:
   root, local, the visit's minutes, room() (the classroom chosen now, or null) and
   roomLabel(id). */

import * as timers from "./clock.js";

let wakeLock = null;
export async function keepAwake(on) {
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

export function countdown({ root, local, minutes, room, roomLabel }) {
  const $ = (id) => document.getElementById(id);

  function get(id) {
    return local.get(`timer:${id}`, timers.timerNew(minutes));
  }

  function render() {
    const classroom = room();
    if (classroom === null) return;
    const now = Date.now();
    const t = get(classroom);
    const left = timers.timerLeft(t, now);
    if (t.since !== null && left <= 0) {
      local.set(`timer:${classroom}`, { remaining: 0, since: null });
      $("timer-announce").textContent = `Time is up in ${roomLabel(classroom)}.`;
      if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
      keepAwake(false);
    }
    $("countdown").textContent = timers.clock(left);
    const toggle = $("timer-toggle");
    toggle.textContent = timers.timerRunning(t, now) ? "Pause" : "Start";
    toggle.disabled = left <= 0;
    root.classList.toggle("time-up", left <= 0);
  }

  function toggle() {
    const classroom = room();
    if (classroom === null) return;
    const t = get(classroom);
    const now = Date.now();
    if (t.since !== null) {
      local.set(`timer:${classroom}`, timers.timerPause(t, now));
      keepAwake(false);
    } else if (t.remaining > 0) {
      local.set(`timer:${classroom}`, timers.timerStart(t, now));
      $("timer-announce").textContent = "";
      keepAwake(true);
    }
    render();
  }

  function reset() {
    const classroom = room();
    if (classroom === null) return;
    local.set(`timer:${classroom}`, timers.timerNew(minutes));
    $("timer-announce").textContent = "";
    keepAwake(false);
    render();
  }

  /* Leaving a classroom pauses its countdown. */
  function pause(id) {
    local.set(`timer:${id}`, timers.timerPause(get(id), Date.now()));
  }

  return { get, render, toggle, reset, pause };
}
