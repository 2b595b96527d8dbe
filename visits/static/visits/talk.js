/* The capture page's talk-time tracker, one per classroom (capture.js): the toggles, their
   shares and times, and saving the timing as a talk_time entry. Times come from the wall clock
   (clock.js); each classroom's tracker is kept on the phone (`local`, under "talk:<classroom>").
   The page passes what it needs: root, local, room() (the classroom chosen now, or null) and
   record(kind, fields, classroom), which keeps an entry. `talkSeconds` is pure, tested in
   visits/tests/js/talk.test.mjs. */

import * as timers from "./clock.js";

/* Talk-time totals (milliseconds) as the whole seconds of a talk_time entry. */
export function talkSeconds(totals) {
  return {
    teacher_talk_seconds: Math.round(totals.teacher / 1000),
    student_talk_seconds: Math.round(totals.student / 1000),
    silence_seconds: Math.round(totals.silence / 1000),
  };
}

export function talkTracker({ root, local, room, record }) {
  function get(id) {
    return local.get(`talk:${id}`, timers.talkNew());
  }

  function toggle(mode) {
    const classroom = room();
    if (classroom === null) return;
    local.set(`talk:${classroom}`, timers.talkToggle(get(classroom), mode, Date.now()));
    render();
  }

  /* Save the talk time of classroom `id` as an entry (none when nothing was timed). */
  async function save(id) {
    const totals = timers.talkTotals(get(id), Date.now());
    const seconds = talkSeconds(totals);
    local.remove(`talk:${id}`);
    if (seconds.teacher_talk_seconds + seconds.student_talk_seconds + seconds.silence_seconds === 0) {
      return null;
    }
    try {
      return await record("talk_time", seconds, id);
    } catch (error) {
      local.set(`talk:${id}`, { mode: null, since: null, totals }); // keep the timing
      throw error;
    }
  }

  function render() {
    const toggles = root.querySelectorAll("#tool .talk-toggle");
    const classroom = room();
    if (!toggles.length || classroom === null) return;
    const t = get(classroom);
    const totals = timers.talkTotals(t, Date.now());
    const sum = totals.teacher + totals.student + totals.silence;
    const pct = timers.percentages(totals);
    const shortNames = {};
    for (const button of toggles) {
      const mode = button.dataset.talk;
      shortNames[mode] = button.dataset.short;
      button.setAttribute("aria-pressed", String(t.mode === mode));
      button.querySelector(".talk-pct").textContent = `${pct[mode]}%`;
      button.querySelector(".talk-time").textContent = timers.clock(totals[mode]);
    }
    const parts = timers.TALK_MODES.map((mode) => `${shortNames[mode]} ${pct[mode]}%`);
    for (const summary of root.querySelectorAll("#tool .talk-summary")) {
      summary.textContent = `${parts.join(" · ")} · ${timers.clock(sum)} timed`;
    }
    for (const saveButton of root.querySelectorAll("#tool [data-talk-save]")) saveButton.disabled = sum < 500;
  }

  return { get, toggle, save, render };
}
