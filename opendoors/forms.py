"""How every form is drawn, and which of its errors a person sees while still filling it in.

`FormRenderer` (settings.FORM_RENDERER) makes `{{ form }}` and `{{ field.as_field_group }}`
draw the design system's components: templates/components/form.html and field.html.

Touched fields: a form that htmx re-checks as the person fills it in (`data-recheck` on the
<form>) must not greet them with "This field is required." under fields they have not
reached yet. static/opendoors/touched.js keeps the names of the fields the person has left
in a hidden input `_touched` ("*" once they submit); a form with `TouchedFieldsMixin`, given
`touched=touched_fields(request)`, then keeps only the errors of those fields. Usage:

    class LookForForm(TouchedFieldsMixin, forms.Form): ...

    form = LookForForm(request.POST or None, touched=touched_fields(request))

The errors it holds back still count: such a form is never valid, so a re-check never saves.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest

TOUCHED = "_touched"  # the hidden input touched.js writes
EVERY_FIELD = "*"  # what it writes once the person submits the form


class FormRenderer(DjangoTemplates):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


def touched_fields(request: HttpRequest) -> frozenset[str] | None:
    """The names of the fields the person has left, when this request is an htmx re-check
    of a form they are still filling in; None (every error counts) for anything else: a
    full page load, a submit, a form without touched.js."""
    if not getattr(request, "htmx", False):
        return None
    data = request.POST if request.method == "POST" else request.GET
    if TOUCHED not in data:
        return None
    value = data[TOUCHED]
    if value.strip() == EVERY_FIELD:
        return None
    return frozenset(name for name in value.split(",") if name)


class TouchedFieldsMixin:
    """A form that shows errors only under the fields named in `touched` (None: all fields).
    Errors about the form as a whole (`non_field_errors`) always show: they come from
    `clean()`, which judges values the person did give."""

    # Provided by forms.BaseForm, which this mixin precedes.
    _errors: Any
    fields: dict[str, forms.Field]
    add_prefix: Any

    def __init__(self, *args: Any, touched: Iterable[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.touched = None if touched is None else frozenset(touched)
        self.held_back: dict[str, list[str]] = {}

    def was_touched(self, name: str) -> bool:
        if self.touched is None:
            return True
        html_name = self.add_prefix(name)
        # A field drawn as several inputs (a MultiWidget) posts name_0, name_1, …
        return any(t == html_name or t.startswith(f"{html_name}_") for t in self.touched)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        if self.touched is None or self._errors is None:
            return
        for name in list(self._errors):
            if name != NON_FIELD_ERRORS and not self.was_touched(name):
                self.held_back[name] = self._errors.pop(name)

    def is_valid(self) -> bool:
        return super().is_valid() and not self.held_back  # type: ignore[misc]
