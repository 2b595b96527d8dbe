/* The site menu on phones: folded behind "Menu" once this script runs (without it, the menu
   simply stays open). The button says whether the menu is open (aria-expanded); Escape closes
   it and returns to the button. On wide screens site.css hides the button and shows the menu. */

const header = document.querySelector("[data-site-header]");
const toggle = header && header.querySelector("[data-menu-toggle]");
const menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));

function setOpen(open) {
  toggle.setAttribute("aria-expanded", String(open));
  header.classList.toggle("menu-open", open);
}

if (toggle && menu) {
  header.classList.add("has-menu");
  toggle.hidden = false;
  toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
  header.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
}
