/* "About": the optional look-for beside a note box on the capture page (capture.js). One tap on
   a chip tags the note with a look-for, so that the debrief quotes it under that look-for
   instead of under "Other notes". The chips are radio buttons (one choice, arrow keys, read as
   a group by screen readers), drawn from the look-fors the page already holds, so they work
   offline. The choice is kept on the phone with the note's draft until the note is saved, then
   cleared. `aboutId` is pure, tested in visits/tests/js/note_about.test.mjs. */

import { el } from "./dom.js";

/* The look-for a note is about: the id chosen (a radio's value, "" for none) if it is one of
   the page's look-fors (a Map id -> text), else null. A choice remembered on the phone for a
   look-for no longer on the page is forgotten. */
export function aboutId(value, lookFors) {
  if (value === "" || value === null || value === undefined) return null;
  const id = Number(value);
  return Number.isInteger(id) && lookFors.has(id) ? id : null;
}

/* Draw the chips into a note box (`entry`, a .text-entry) before its buttons, and keep the
   choice in `local` under `key`. Returns value() (the look-for id or null) and clear(); null
   when the cycle has no look-fors to choose from. */
export function aboutPicker({ entry, lookFors, local, key, name }) {
  if (!lookFors.size) return null;
  const radios = [];
  function chip(value, text, id) {
    const input = el("input", { type: "radio", name, id, value });
    radios.push(input);
    return el("span", { class: "about-chip" }, input, el("label", { for: id }, text));
  }
  const group = el(
    "fieldset",
    { class: "note-about" },
    el("legend", {}, "About ", el("span", { class: "note-about-optional" }, "(optional)")),
    el(
      "div",
      { class: "about-chips" },
      chip("", "None", `${name}-none`),
      ...[...lookFors].map(([id, text]) => chip(String(id), text, `${name}-${id}`)),
    ),
  );
  entry.querySelector(".text-entry-actions").before(group);

  function choose(value) {
    const id = aboutId(value, lookFors);
    const wanted = id === null ? "" : String(id);
    for (const radio of radios) radio.checked = radio.value === wanted;
  }
  choose(local.get(key, ""));
  group.addEventListener("change", () => {
    const id = value();
    if (id === null) local.remove(key);
    else local.set(key, id);
  });

  function value() {
    const checked = radios.find((radio) => radio.checked);
    return aboutId(checked ? checked.value : "", lookFors);
  }

  function clear() {
    choose("");
    local.remove(key);
  }

  return { value, clear };
}
