// A countdown per protocol step: the group sees how long is left, the step's notes stay open.
document.querySelectorAll(".timer-button").forEach((button) => {
  let timer = null;
  button.addEventListener("click", () => {
    const out = button.parentElement.querySelector(".timer-out");
    if (timer) {
      clearInterval(timer);
      timer = null;
      button.textContent = `Start ${button.dataset.minutes}-minute timer`;
      return;
    }
    let left = Number(button.dataset.minutes) * 60;
    const show = () => {
      const m = Math.floor(left / 60);
      const s = String(left % 60).padStart(2, "0");
      out.textContent = left > 0 ? `${m}:${s} left` : "Time to move on";
    };
    show();
    button.textContent = "Stop timer";
    timer = setInterval(() => {
      left -= 1;
      show();
      if (left <= 0) {
        clearInterval(timer);
        timer = null;
        button.textContent = `Start ${button.dataset.minutes}-minute timer`;
      }
    }, 1000);
  });
});
