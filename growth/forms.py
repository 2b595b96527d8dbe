"""The goal and follow-up forms."""

from django import forms
from django.utils import timezone

from .models import FollowUp, Goal


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["text", "try_by", "shared_with_facilitators"]
        labels = {
            "text": "What I will try in my classroom",
            "try_by": "I will try it by",
            "shared_with_facilitators": "Share this goal with this cycle's facilitators",
        }
        help_texts = {
            "shared_with_facilitators": "Off unless you choose it: your goal is yours. "
            "Facilitators otherwise see only how many people set one.",
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "try_by": forms.DateInput(attrs={"type": "date"}),
        }

    def clean_try_by(self):
        day = self.cleaned_data["try_by"]
        if day < timezone.localdate():
            raise forms.ValidationError("Choose a day from today on.")
        return day


class FollowUpForm(forms.ModelForm):
    share = forms.BooleanField(
        required=False,
        label="Share my answer with this cycle's facilitators",
        help_text="Off unless you choose it: your answer is yours. Facilitators otherwise see "
        "only counts over several people.",
    )
    tried = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "Not yet")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Did you try it?",
    )

    class Meta:
        model = FollowUp
        fields = ["tried", "results_as_anticipated", "why"]
        labels = {
            "results_as_anticipated": "Did you get the results you anticipated?",
            "why": "Why, or why not?",
        }
        widgets = {
            "results_as_anticipated": forms.RadioSelect,
            "why": forms.Textarea(attrs={"rows": 4}),
        }


class ShareForm(forms.Form):
    share = forms.TypedChoiceField(
        choices=[("yes", "Share"), ("no", "Stop sharing")], coerce=lambda value: value == "yes"
    )
