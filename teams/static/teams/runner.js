/* The live runner's countdown on every member's screen. htmx swaps #run-state when the
   facilitator moves the run; this reads the fragment's end time on each tick (so a new fragment
   needs no set-up) and announces only a change of step to screen readers, never the seconds. */
import { clockOffset, clockText, msLeft, stepAnnouncement } from "./countdown.js";

const announce = document.getElementById("run-announce");
let shownStep = null;
let offsetFor = null; // the fragment whose clock offset is measured
let offset = 0;

function tick() {
  const state = document.getElementById("run-state");
  if (!state) return;
  const step = state.dataset.runStep;
  const said = stepAnnouncement(shownStep, step, state.dataset.count, state.dataset.runTitle);
  if (said && announce) announce.textContent = said;
  shownStep = step;
  const out = state.querySelector("[data-countdown]");
  if (!out || !state.dataset.endsAt) return;
  if (offsetFor !== state) {
    offset = clockOffset(Number(state.dataset.serverNow), Date.now());
    offsetFor = state;
  }
  const left = msLeft(Number(state.dataset.endsAt), offset, Date.now());
  const text = left > 0 ? clockText(left) : "Time to move on";
  if (out.textContent !== text) out.textContent = text;
  state.classList.toggle("over", left <= 0);
}

tick();
setInterval(tick, 250);
