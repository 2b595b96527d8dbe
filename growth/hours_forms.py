"""Forms of the hours ledger: learning a teacher reports, its review, and the district's
export range."""

import datetime
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from opendoors.fields import date_near
from schools.models import LearningActivity, School

from .ledger import REPORTED_ACTIVITIES
from .services import Learning


class LearningForm(forms.Form):
    """Other job-embedded learning: lesson study, mentoring, coaching, a study group, action
    research, journaling, reading."""

    activity = forms.ChoiceField(
        label="What kind of learning",
        choices=[(a.value, a.label) for a in REPORTED_ACTIVITIES],
    )
    title = forms.CharField(
        max_length=300, label="Title", help_text="e.g. “Lesson study on fractions, cycle 2”."
    )
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.IntegerField(min_value=1, max_value=24 * 60, label="Minutes")
    reflection = forms.CharField(
        required=False,
        max_length=5000,
        label="What I took from it (optional)",
        help_text="For you: reviewers see the kind, title, date and minutes, not this.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    school = forms.TypedChoiceField(coerce=int, label="School")

    def __init__(self, *args, schools: list[School], **kwargs):
        super().__init__(*args, **kwargs)
        self.schools = {school.pk: school for school in schools}
        cast(forms.ChoiceField, self.fields["school"]).choices = [(s.pk, s.name) for s in schools]
        if len(schools) == 1:
            self.fields["school"].widget = forms.HiddenInput()
            self.fields["school"].initial = schools[0].pk

    def clean_date(self) -> datetime.date:
        value = self.cleaned_data["date"]
        date_near(value)
        if value > timezone.localdate():
            raise ValidationError("Report learning once it happened: choose today or earlier.")
        return value

    def learning(self) -> Learning:
        data = self.cleaned_data
        return Learning(
            date=data["date"],
            activity=LearningActivity(data["activity"]),
            minutes=data["minutes"],
            title=data["title"],
            reflection=data["reflection"],
        )

    def chosen_school(self) -> School:
        return self.schools[self.cleaned_data["school"]]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("return", "Return with a comment")],
        widget=forms.RadioSelect,
        label="Decision",
    )
    comment = forms.CharField(
        required=False,
        max_length=2000,
        label="Comment",
        help_text="Needed to return it: say what to change.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", "Say what to change, so that they can fix it.")
        return data


class LedgerRangeForm(forms.Form):
    """The dates of the entries to export, both optional and included."""

    start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        for value in (start, end):
            if value is not None:
                try:
                    date_near(value, years=50)
                except ValidationError as error:
                    raise ValidationError(error.messages) from error
        if start and end and end < start:
            raise ValidationError(
                f"The range ends ({end:%b %-d, %Y}) before it starts ({start:%b %-d, %Y}): "
                "choose a “To” date on or after the “From” date."
            )
        return data
