"""The style page (/style/): every component of the design system, live, beside the markup to
copy. Each example is a small template in templates/style_guide/, drawn and shown as source,
so the example and the snippet cannot drift apart."""

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.views.decorators.http import require_http_methods

from .forms import TouchedFieldsMixin, touched_fields
from .http import AuthenticatedRequest


class ExampleCycleForm(TouchedFieldsMixin, forms.Form):
    """A form with one field of each kind the product uses. It is never saved."""

    title = forms.CharField(
        label="Title", max_length=80, help_text="What everyone sees on their home page."
    )
    minutes = forms.IntegerField(label="Minutes per classroom", min_value=5, max_value=45)
    structure = forms.ChoiceField(
        label="Structure",
        choices=[("round", "Instructional rounds"), ("lab", "Peer learning lab")],
        widget=forms.RadioSelect,
    )
    steps = forms.MultipleChoiceField(
        label="Steps",
        required=False,
        choices=[("pre_brief", "Pre-brief"), ("debrief", "Debrief"), ("goals", "Goals")],
        widget=forms.CheckboxSelectMultiple,
    )
    share = forms.BooleanField(label="Share takeaways with the whole school", required=False)


class ExampleFileForm(forms.Form):
    data_file = forms.FileField(
        label="Data file",
        required=False,
        help_text="A spreadsheet or PDF of what informed the focus, up to 20 MB.",
    )


@dataclass(frozen=True)
class Specimen:
    slug: str
    title: str
    note: str = ""

    @property
    def template(self) -> str:
        return f"style_guide/{self.slug}.html"

    @property
    def source(self) -> str:
        return str(get_template(self.template).template.source).strip()  # type: ignore[attr-defined]


SPECIMENS = [
    Specimen(
        "page_header", "Page header", "One per page: where it belongs, its title, one sentence."
    ),
    Specimen(
        "buttons",
        "Buttons",
        "One primary button per view. Danger for what removes; quiet for what is rarely needed. "
        "Every button is at least 44 px tall on a touch screen, small ones too.",
    ),
    Specimen(
        "form",
        "Forms",
        "{{ form }} draws each field with components/field.html: label, a * for required, help "
        "text and errors (read out with the field: aria-describedby), aria-invalid. Choices are "
        "touch-sized tiles. Try it: leave a field, and only that field is re-checked.",
    ),
    Specimen(
        "touched",
        "Errors wait until a field is touched",
        "After an htmx re-check in which only “Minutes per classroom” was touched, Title (empty, "
        "required) shows no error yet. Submitting shows every error.",
    ),
    Specimen("file_input", "File input"),
    Specimen("cards", "Cards", 'Cards in a grid: <ul class="cards">.'),
    Specimen(
        "table",
        "Tables",
        "Wrapped in .table-wrap: on a phone the table scrolls inside it, never the page.",
    ),
    Specimen(
        "bar_chart",
        "Bar chart",
        "The chart is the table: a caption, a header per row, the number as text.",
    ),
    Specimen(
        "heat_map",
        "Heat map",
        "A table with a shade per cell: the number is text in every cell; a hidden one says why.",
    ),
    Specimen(
        "line_chart",
        "Line chart",
        "A line over the months, then its table: the table is the chart for a screen reader.",
    ),
    Specimen("share_bar", "Share bar", "Parts of one whole, such as talk time."),
    Specimen("empty", "Empty state", "Say what is missing and offer the one thing to do."),
    Specimen(
        "confirm",
        "Confirmation",
        "Asks before a removal, without JavaScript: the button opens the question.",
    ),
    Specimen("undo", "Undo", "What a removal answers with: what was removed, and Undo."),
    Specimen("badges", "Badges"),
    Specimen("status_steps", "Status steps", "Say each state in words too (sr-only)."),
    Specimen("messages", "Messages and problems"),
]


@require_http_methods(["GET", "POST"])
@login_required
def style_guide(request: AuthenticatedRequest) -> HttpResponse:
    # A POST is the example form re-checked or submitted (or the confirm/undo examples):
    # it is validated and drawn again, and nothing is saved.
    form = ExampleCycleForm(
        request.POST if "title" in request.POST else None, touched=touched_fields(request)
    )
    if form.is_bound:
        form.is_valid()
    touched_form = ExampleCycleForm(
        {"title": "", "minutes": "90"}, touched={"minutes"}, auto_id="touched_%s"
    )
    touched_form.is_valid()
    context = {
        "specimens": SPECIMENS,
        "form": form,
        "touched_form": touched_form,
        "file_form": ExampleFileForm(),
        "chart_rows": [
            {"label": "Students ask each other questions", "value": 12, "max": 12, "note": ""},
            {"label": "Students refer to the anchor chart", "value": 7, "max": 12, "note": ""},
            {"label": "Students explain their thinking", "value": 0, "max": 12, "note": "not seen"},
        ],
        # The dashboards' charts (insights/report.py builds the same shapes).
        "heat_months": ["Sep 2025", "Oct 2025", "Nov 2025"],
        "heat_rows": [
            {
                "label": "Teachers who hosted a visit",
                "cells": [
                    {"month": "Sep 2025", "text": "38%", "level": 2, "shown": True},
                    {"month": "Oct 2025", "text": "–", "level": 0, "shown": False},
                    {"month": "Nov 2025", "text": "63%", "level": 3, "shown": True},
                ],
            },
        ],
        "talk_parts": [
            {"label": "Teacher talk", "percent": 38, "key": "teacher"},
            {"label": "Student talk", "percent": 54, "key": "students"},
            {"label": "Silence", "percent": 8, "key": "silence"},
        ],
    }
    return render(request, "style_guide.html", context)
