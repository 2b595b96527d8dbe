/* Touched fields: a form that htmx re-checks while it is filled in (<form data-recheck>)
   shows errors only under the fields the person has already left.

   This script keeps, in a hidden input "_touched" of each such form, the names of the fields
   the person has left (focusout) or changed, comma-separated; once they submit, "*" (every
   field). The input is inside the form, so htmx sends it with every re-check; the server
   (opendoors.forms.touched_fields and TouchedFieldsMixin) holds back the other fields' errors.
   A re-check that swaps the form for a new copy keeps what was touched: it is remembered per
   form (by id, else action) for the life of the page. Listeners run in the capture phase, so
   the input is up to date before htmx, listening on the form, gathers its values.
   Such a form is marked novalidate: htmx sends nothing from a form the browser finds invalid,
   and the re-check is how the server says what is wrong (without JavaScript, the browser's
   own checks stay). */

export const TOUCHED = "_touched";
const touchedByForm = new Map();

function keyOf(form) {
  return form.id || form.getAttribute("hx-post") || form.getAttribute("action") || "";
}

function hiddenInput(form) {
  let input = form.querySelector(`input[type=hidden][name="${TOUCHED}"]`);
  if (!input) {
    input = document.createElement("input");
    input.type = "hidden";
    input.name = TOUCHED;
    form.append(input);
  }
  return input;
}

export function touchedOf(form) {
  const key = keyOf(form);
  if (!touchedByForm.has(key)) touchedByForm.set(key, new Set());
  return touchedByForm.get(key);
}

export function write(form, value) {
  hiddenInput(form).value = value;
}

function recheckForm(target) {
  if (!(target instanceof Element)) return null;
  const form = target.form || target.closest("form");
  return form && form.matches("[data-recheck]") ? form : null;
}

function leave(event) {
  const field = event.target;
  const form = recheckForm(field);
  if (!form || !field.name || field.name === TOUCHED) return;
  // A field that loses focus because htmx is replacing the form was not left by the person.
  if (!field.isConnected || form.classList.contains("htmx-swapping")) return;
  const touched = touchedOf(form);
  touched.add(field.name);
  write(form, [...touched].join(","));
}

/* Submitting touches every field: its answer shows every error. */
function submit(event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches("[data-recheck]")) return;
  const touched = touchedOf(form);
  for (const element of form.elements) if (element.name && element.name !== TOUCHED) touched.add(element.name);
  write(form, "*");
}

/* A form htmx has just put on the page starts from what was touched in the copy it replaced. */
function restore(root) {
  const forms = root instanceof Element ? [root, ...root.querySelectorAll("form[data-recheck]")] : [];
  for (const form of forms) {
    if (!form.matches("form[data-recheck]")) continue;
    form.noValidate = true;
    const touched = touchedOf(form);
    write(form, [...touched].join(","));
  }
}

document.addEventListener("focusout", leave, true);
document.addEventListener("change", leave, true);
document.addEventListener("submit", submit, true);
document.addEventListener("htmx:load", (event) => restore(event.target));
restore(document.body);
