"""Forms of the team pages: forming a team, placing a series of meetings, a meeting's agenda,
announcements and parking lot. Every input is parsed here; junk is a message, never an error
page."""

import re
from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from opendoors.fields import IdChoiceField, IdsChoiceField, date_near
from schools.models import Slot, Term

from .models import STEP_MINUTES_MAX, STEP_MINUTES_MIN, AgendaKind, Team, TeamKind
from .selectors import cycles_for_agenda, protocols_for, slot_words
from .services import END_SLOT_MAX, MOST_MEETINGS, Repeat, series_end

NO_MEMBERS = "A team needs at least one member: tick the people on it."


class PersonChoices(IdsChoiceField):
    """People as checkboxes, each with what they teach ("Ana Ortiz · math, grade 7")."""

    def __init__(self, *args, facts: dict[int, str], **kwargs):
        self.facts = facts
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        fact = self.facts.get(obj.pk, "")
        return f"{obj} · {fact}" if fact else str(obj)


class TeamForm(forms.Form):
    name = forms.CharField(max_length=120, label="Name", help_text="e.g. Grade 7 team")
    kind = forms.ChoiceField(choices=TeamKind.choices, label="Kind of team")

    def __init__(self, *args, people, facts: dict[int, str], team: Team | None = None, **kwargs):
        if team is not None:
            members = list(team.members.all())
            kwargs.setdefault(
                "initial",
                {
                    "name": team.name,
                    "kind": team.kind,
                    "members": [m.person_id for m in members],
                    "facilitators": [m.person_id for m in members if m.is_facilitator],
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["members"] = PersonChoices(
            people,
            facts=facts,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Members",
        )
        self.fields["facilitators"] = PersonChoices(
            people,
            facts={},
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Facilitators (they lead the team's meetings and change the team)",
            help_text="Facilitators are members too.",
        )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the team a name.")
        return name

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("members") and not cleaned.get("facilitators"):
            self.add_error("members", NO_MEMBERS)
        return cleaned


DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


def _parse_dates(text: str) -> list[date]:
    found = []
    for word in re.split(r"[\s,;]+", text.strip()):
        if not word:
            continue
        try:
            on = date.fromisoformat(word)
        except ValueError:
            raise forms.ValidationError(
                f"“{word[:20]}” is not a date: write dates as YYYY-MM-DD, separated by commas."
            ) from None
        date_near(on)
        found.append(on)
    return found


class MeetingSeriesForm(forms.Form):
    """A recurring PLC meeting in one period of the week, from a start to an end date."""

    slot = IdChoiceField(queryset=Slot.objects.none(), label="Period")
    repeat = forms.ChoiceField(
        choices=Repeat.CHOICES, initial=Repeat.WEEKLY, widget=forms.RadioSelect, label="Repeat"
    )
    starts_on = forms.DateField(label="From", widget=DATE_WIDGET)
    ends_on = forms.DateField(
        required=False,
        label="Until",
        widget=DATE_WIDGET,
        help_text="Empty: the end of the term, or six weeks when the term has no end date.",
    )
    dates = forms.CharField(
        required=False,
        max_length=1000,
        label="Dates (for “On the dates I choose”)",
        help_text="YYYY-MM-DD, separated by commas.",
    )

    def __init__(self, *args, term: Term, **kwargs):
        super().__init__(*args, **kwargs)
        self.term = term
        slot = self.fields["slot"]
        assert isinstance(slot, IdChoiceField)
        slot.queryset = (
            Slot.objects.filter(term=term)
            .select_related("day", "period")
            .order_by("day__position", "period__position")
        )
        slot.label_from_instance = slot_words  # type: ignore[method-assign,assignment]
        if not self.is_bound:
            self.initial.setdefault("starts_on", timezone.localdate())

    def clean_starts_on(self) -> date:
        on = self.cleaned_data["starts_on"]
        date_near(on)
        return on

    def clean_ends_on(self) -> date | None:
        on = self.cleaned_data.get("ends_on")
        if on is not None:
            date_near(on)
            if self.term.ends_on and on > self.term.ends_on:
                raise forms.ValidationError(
                    f"The term ends on {self.term.ends_on:%b} {self.term.ends_on.day}: choose "
                    "that date or an earlier one."
                )
        return on

    def clean_dates(self) -> list[date]:
        return _parse_dates(self.cleaned_data.get("dates", ""))

    def clean(self):
        cleaned = super().clean()
        starts_on = cleaned.get("starts_on")
        if starts_on is None:
            return cleaned
        ends_on = cleaned.get("ends_on") or series_end(self.term, starts_on)
        cleaned["ends_on"] = ends_on
        if ends_on < starts_on:
            self.add_error("ends_on", "The end comes before the start: choose a later date.")
        if cleaned.get("repeat") == Repeat.DATES:
            if not cleaned.get("dates") and "dates" not in self.errors:
                self.add_error("dates", "Write the dates the team meets.")
            elif len(cleaned.get("dates", [])) > MOST_MEETINGS:
                self.add_error("dates", f"At most {MOST_MEETINGS} dates in one series.")
        return cleaned


class AgendaItemForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            (AgendaKind.PROTOCOL, "Protocol (comes first)"),
            (AgendaKind.PRE_BRIEF, AgendaKind.PRE_BRIEF.label),
            (AgendaKind.DEBRIEF, AgendaKind.DEBRIEF.label),
        ],
        label="Block",
    )
    protocol = IdChoiceField(queryset=None, required=False, label="Protocol")
    cycle = IdChoiceField(queryset=None, required=False, label="Observation cycle")
    minutes = forms.IntegerField(
        required=False,
        label="Minutes",
        help_text="A protocol block takes the protocol's own minutes.",
        validators=[MinValueValidator(STEP_MINUTES_MIN), MaxValueValidator(STEP_MINUTES_MAX)],
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protocol"].queryset = protocols_for(school)
        self.fields["cycle"].queryset = cycles_for_agenda(school)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == AgendaKind.PROTOCOL and not cleaned.get("protocol"):
            self.add_error("protocol", "Choose the protocol the team runs.")
        if kind in (AgendaKind.PRE_BRIEF, AgendaKind.DEBRIEF):
            if not cleaned.get("cycle") and "cycle" not in self.errors:
                self.add_error("cycle", "Choose the observation cycle.")
            if cleaned.get("minutes") is None and "minutes" not in self.errors:
                self.add_error("minutes", "Say how many minutes the block takes.")
        return cleaned


class AgendaChangeForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("up", "Up"), ("down", "Down"), ("remove", "Remove"), ("park", "Park")]
    )


class AnnouncementsForm(forms.Form):
    digest = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Digest: announcements and logistics",
        help_text="Emailed to the members the afternoon before the meeting.",
    )
    end_slot_minutes = forms.IntegerField(
        min_value=0,
        max_value=END_SLOT_MAX,
        initial=0,
        label="Time-boxed end slot (minutes, at most 15)",
        help_text="For what must be said aloud; 0 for none.",
    )


class ParkingLotForm(forms.Form):
    text = forms.CharField(max_length=500, label="Keep for a later meeting")


class CancelForm(forms.Form):
    scope = forms.ChoiceField(
        choices=[("one", "This meeting"), ("series", "This and the rest of the series")],
        initial="one",
        widget=forms.RadioSelect,
        label="Cancel",
    )
