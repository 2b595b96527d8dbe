"""The patterns page's dates: a range of days or one of the school's terms (GET ?from=&to=)."""

from datetime import date

from django import forms

from schools.models import Term


class PatternsRangeForm(forms.Form):
    """`from` and `to` are ISO dates (the dashboards link with them); a term fills in both."""

    def __init__(self, data=None, *, terms: list[Term]) -> None:
        super().__init__(data)
        # "from" is a Python keyword: these fields are named by the URL's parameters.
        self.fields["from"] = forms.DateField(
            required=False, label="Visits held from", widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["to"] = forms.DateField(
            required=False, label="to", widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["term"] = forms.TypedChoiceField(
            required=False,
            coerce=int,
            empty_value=None,
            label="or a term",
            choices=[("", "Any dates")] + [(t.pk, t.name) for t in terms],
        )
        self.terms = {t.pk: t for t in terms}

    def clean(self) -> dict:
        data = super().clean() or {}
        term = self.terms.get(data.get("term") or 0)
        if term and not (data.get("from") or data.get("to")):
            data["from"], data["to"] = term.starts_on, term.ends_on
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            raise forms.ValidationError("The first date comes after the last: swap them.")
        return data

    def held(self) -> tuple[date | None, date | None]:
        """The range asked for; none when the form was not valid (every cycle is shown)."""
        if not self.is_valid():
            return None, None
        return self.cleaned_data.get("from"), self.cleaned_data.get("to")
