/* Small DOM and wording helpers for the capture page (capture.js and the modules it imports).
   `el` builds an element whose text is always set as text, never parsed as HTML; `plural` and
   `timeOfDay` word counts and times. `plural` is pure, tested in visits/tests/js/dom.test.mjs. */

export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

export function timeOfDay(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}
