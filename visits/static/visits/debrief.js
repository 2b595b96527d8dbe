/* The debrief's timer per protocol step: start, stop (showing what was spent), resume, reset.
   Each timer is kept in the tab's sessionStorage (step_timer.js), so pressing "Save the debrief"
   reloads the page with every timer where it was, still running if it was. What is left comes
   from the wall clock, so a tab left in the background shows the true time when it comes back. */
import { timerNew } from "./clock.js";
import { stepTimerKey, stepTimerLoad, stepTimerPress, stepTimerSave, stepTimerView } from "./step_timer.js";

const root = document.getElementById("debrief");
const announce = document.getElementById("timer-announce");
let store = null;
try {
  store = window.sessionStorage;
} catch (_e) {
  store = null; // storage refused: timers still run, without surviving a reload
}
const memory = new Map();
const kept = store || { getItem: (k) => memory.get(k) ?? null, setItem: (k, v) => memory.set(k, v) };

for (const box of root.querySelectorAll(".step-timer")) {
  const minutes = Number(box.dataset.minutes);
  const key = stepTimerKey(root.dataset.visit, box.dataset.step);
  const out = box.querySelector(".timer-out");
  const note = box.querySelector(".step-timer-note");
  const button = box.querySelector(".timer-button");
  const reset = box.querySelector(".timer-reset");
  let timer = stepTimerLoad(kept, key, minutes);
  let interval = null;

  const show = () => {
    const view = stepTimerView(timer, minutes, Date.now());
    if (box.dataset.state === "running" && view.state === "done") {
      announce.textContent = `Time to move on from ${box.dataset.name}.`;
    }
    box.dataset.state = view.state;
    out.textContent = view.clock;
    note.textContent = view.note;
    button.textContent = view.button;
    reset.hidden = view.state === "new";
    if (view.state === "running" && interval === null) interval = setInterval(show, 250);
    if (view.state !== "running" && interval !== null) {
      clearInterval(interval);
      interval = null;
    }
  };

  button.addEventListener("click", () => {
    timer = stepTimerPress(timer, minutes, Date.now());
    stepTimerSave(kept, key, timer);
    announce.textContent = "";
    show();
  });
  reset.addEventListener("click", () => {
    timer = timerNew(minutes);
    stepTimerSave(kept, key, timer);
    show();
    button.focus(); // the reset button hides itself: keep the keyboard in the step
  });
  show();
}
