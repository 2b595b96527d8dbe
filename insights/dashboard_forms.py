"""The dashboards' forms: the months to show (a date range, widened to whole months), and the
school dashboard's filter (a cycle, a grade or a subject)."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from growth.transcript import school_year_of

from .dashboard import MAX_MONTHS, Span
from .dashboard_filters import Choices, Filter

FIRST_YEAR, LAST_YEAR = 2000, 2100


class SpanForm(forms.Form):
    """From and to; left out, the school year so far. A bad range answers with a message and
    the school year, never an error page."""

    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def _in_years(self, name: str) -> date | None:
        # Whole months are counted around a date: far years would overflow the calendar.
        day = self.cleaned_data.get(name)
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(f"Choose a date between {FIRST_YEAR} and {LAST_YEAR}.")
        return day

    def clean_start(self) -> date | None:
        return self._in_years("start")

    def clean_end(self) -> date | None:
        return self._in_years("end")

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error("end", "“To” comes before “From”.")
            elif len(Span.widened(start, end).months) > MAX_MONTHS:
                self.add_error("end", f"Choose at most {MAX_MONTHS} months.")
        return cleaned

    def span(self) -> Span:
        """The months asked for, or the school year when the form is empty or invalid."""
        first, last = school_year_of(timezone.localdate())
        if not self.is_valid():
            return Span.widened(first, last)
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        # One end left out: the school year, or a year from (or to) the end given.
        if start is None:
            start = first if end is None or end >= first else _months_from(end, -11)
        if end is None:
            end = last if len(Span.widened(start, last).months) <= 12 else _months_from(start, 11)
        if end < start:
            end = _months_from(start, 11)
        return Span.widened(start, end)


def _months_from(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class FilterForm(forms.Form):
    """The school dashboard's filter: one cycle, one grade or one subject, from the school's own
    data (insights.dashboard_filters). A value the school does not offer, or two at once,
    answers with a message and the unfiltered page."""

    cycle = forms.ChoiceField(label="Cycle", required=False)
    grade = forms.ChoiceField(label="Grade", required=False)
    subject = forms.ChoiceField(label="Subject", required=False)

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everyone = [("", "All")]
        for name, values in (
            ("cycle", choices.cycles),
            ("grade", choices.grades),
            ("subject", choices.subjects),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = everyone + values
        self.labels = {
            name: dict(getattr(choices, f"{name}s")) for name in ("cycle", "grade", "subject")
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if sum(1 for name in ("cycle", "grade", "subject") if cleaned.get(name)) > 1:
            # Two filters together are a table of smaller groups whose margins subtract to
            # its cells (insights.dashboard_filters).
            raise forms.ValidationError(
                "Choose one filter at a time: a cycle, a grade or a subject."
            )
        return cleaned

    def chosen(self) -> Filter | None:
        """The filter asked for, or None (none asked, or one the school does not offer)."""
        if not self.is_valid():
            return None
        for name in ("cycle", "grade", "subject"):
            value = self.cleaned_data.get(name)
            if value:
                label = self.labels[name][value]
                return Filter(name, value, label if name != "cycle" else f"Cycle: {label}")
        return None
