"""Forms of a school's improvement goals page: each parses what was posted into the values the
services in goal_services.py take."""

from django import forms


class ImprovementGoalForm(forms.Form):
    title = forms.CharField(max_length=200, label="Goal")
    description = forms.CharField(
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="What it means for students (optional)",
    )

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Name the goal in a few words.")
        return title

    def clean_description(self) -> str:
        return self.cleaned_data["description"].strip()


class ImprovementGoalActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("up", "down", "archive", "restore")],
        error_messages={"invalid_choice": "Choose up, down, archive or restore."},
    )
