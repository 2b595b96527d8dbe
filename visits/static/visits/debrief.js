/* A countdown per debrief protocol step: the group sees how long is left, the step's notes
   stay open. What is left comes from the wall clock (clock.js), so a tab left in the background
   shows the true time when it comes back. */
import { clock, timerLeft, timerNew, timerStart } from "./clock.js";

for (const button of document.querySelectorAll(".timer-button")) {
  const minutes = Number(button.dataset.minutes);
  const out = button.parentElement.querySelector(".timer-out");
  const startText = `Start ${minutes}-minute timer`;
  let timer = null;
  let interval = null;

  const stop = () => {
    clearInterval(interval);
    interval = null;
    timer = null;
    button.textContent = startText;
  };
  const show = () => {
    const left = timerLeft(timer, Date.now());
    out.textContent = left > 0 ? `${clock(left)} left` : "Time to move on";
    if (left <= 0) stop();
  };

  button.addEventListener("click", () => {
    if (timer) {
      stop();
      return;
    }
    timer = timerStart(timerNew(minutes), Date.now());
    button.textContent = "Stop timer";
    show();
    interval = setInterval(show, 250);
  });
}
