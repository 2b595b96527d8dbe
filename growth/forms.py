"""The goal and follow-up forms, and the forms of celebrations."""

from collections.abc import Sequence
from typing import cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from schools.models import Person, School
from teams.models import Team

from .models import Audience, FollowUp, Goal


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

    def __init__(self, *args, at_meeting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if at_meeting:
            # A goal set at a team's meeting is its author's alone: no one to share it with.
            del self.fields["shared_with_facilitators"]

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

    def __init__(self, *args, of_a_cycle: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not of_a_cycle:
            # A goal set at a team's meeting: its answer stays its author's, nobody to share with.
            del self.fields["share"]

    def clean(self):
        data = super().clean()
        data.setdefault("share", False)
        return data

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


class ShoutOutForm(forms.Form):
    """A shout-out to a colleague of the school: who, and what they did for students."""

    celebrated = forms.ModelChoiceField(
        queryset=Person.objects.none(), label="Who are you celebrating?"
    )
    text = forms.CharField(
        max_length=1000,
        label="What did they do for students' learning?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="They choose who else sees it: only them, their team or the school.",
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        label="A team you share (optional)",
        help_text="Lets them show it to that team with one tap.",
    )

    def __init__(self, *args, school: School, author: Person, **kwargs):
        super().__init__(*args, **kwargs)
        colleagues = Person.objects.filter(memberships__school=school, is_active=True)
        cast(forms.ModelChoiceField, self.fields["celebrated"]).queryset = colleagues.exclude(
            pk=author.pk
        ).distinct()
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = Team.objects.filter(
            school=school, archived_at__isnull=True, members__person=author
        )

    def clean(self):
        data = super().clean()
        team, celebrated = data.get("team"), data.get("celebrated")
        if team and celebrated and not team.members.filter(person=celebrated).exists():
            self.add_error("team", f"{celebrated} is not on {team}: choose a team you share.")
        return data


class AudienceForm(forms.Form):
    """Who sees a shout-out to me (or a bright moment from my classroom I share). The teams
    and goals to choose from are read once per school by the page (`audience_choices`), not
    once per shout-out."""

    audience = forms.ChoiceField(
        choices=Audience.choices, widget=forms.RadioSelect, label="Who may see it?"
    )
    team = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Team")
    goal = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="A goal of mine it met (optional)"
    )

    def __init__(self, *args, teams: Sequence[Team], goals: Sequence[Goal], **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {team.pk: team for team in teams}
        self.goals = {goal.pk: goal for goal in goals}
        cast(forms.ChoiceField, self.fields["team"]).choices = [("", "Choose a team")] + [
            (team.pk, team.name) for team in teams
        ]
        cast(forms.ChoiceField, self.fields["goal"]).choices = [("", "None")] + [
            (goal.pk, Truncator(goal.text).chars(60)) for goal in goals
        ]

    def clean_team(self) -> Team | None:
        pk = self.cleaned_data["team"]
        return None if pk is None else self.teams[pk]

    def clean_goal(self) -> Goal | None:
        pk = self.cleaned_data["goal"]
        return None if pk is None else self.goals[pk]

    def clean(self):
        data = super().clean()
        if data.get("audience") == Audience.TEAM and not data.get("team"):
            self.add_error("team", "Choose the team that may see it.")
        return data


def audience_choices(person: Person, school: School) -> tuple[list[Team], list[Goal]]:
    """The teams a person is on at a school and their goals there: what a shout-out to them
    can be shown to, or tied to."""
    teams = list(
        Team.objects.filter(school=school, archived_at__isnull=True, members__person=person)
    )
    at_school = Q(cycle__school=school) | Q(meeting__team__school=school)
    goals = list(Goal.objects.filter(at_school, person=person).order_by("-created_at"))
    return teams, goals
