"""The visit picker: a date, hosts, a slot in which they all teach, observers and their covers.

The form is re-drawn as the coach chooses (with htmx, or a "Show" button without
JavaScript): slots narrow to those the hosts teach, and each observer is shown
as free or needing cover, with the colleagues free to cover them.
"""

from datetime import date, timedelta
from typing import cast

from django import forms
from django.utils import timezone

from inquiry.models import Cycle, ParticipantRole
from opendoors.fields import IdChoiceField, IdsChoiceField, date_near
from opendoors.forms import TouchedFieldsMixin
from schools.models import Person, Slot, Term

from . import proposals
from .models import Debrief
from .rules import ObserverPlan, VisitPlan
from .selectors import Availability, availability_in, slots_where_hosts_teach

SUBSTITUTE = "substitute"


def _people(cycle: Cycle, role: str):
    """The cycle's hosts or observers who can still sign in: someone deactivated (they left)
    is no longer offered."""
    return Person.objects.filter(
        participations__cycle=cycle, participations__role=role, is_active=True
    ).order_by("last_name", "first_name")


class VisitPlanForm(TouchedFieldsMixin, forms.Form):
    """Re-checked by htmx as the coach chooses: built with `touched=touched_fields(request)`,
    it shows errors only under the fields she has already been to."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), validators=[date_near])
    hosts = IdsChoiceField(
        queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple, label="Hosts"
    )
    slot = IdChoiceField(
        queryset=Slot.objects.none(),
        widget=forms.RadioSelect,
        label="Period",
        error_messages={"invalid_choice": "Choose one of the periods in which the hosts teach."},
    )
    observers = IdsChoiceField(
        queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple, label="Observers"
    )
    confirm_removal = forms.BooleanField(
        required=False,
        label="Yes, remove the hosts I unticked: what was captured in their classrooms stays "
        "with the group and them",
    )

    def __init__(self, *args, cycle: Cycle, term: Term, covers, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle, self.term, self.covers = cycle, term, list(covers)
        cast(IdsChoiceField, self.fields["hosts"]).queryset = _people(cycle, ParticipantRole.HOST)
        cast(IdsChoiceField, self.fields["observers"]).queryset = _people(
            cycle, ParticipantRole.OBSERVER
        )
        cast(IdChoiceField, self.fields["slot"]).queryset = Slot.objects.filter(
            term=term
        ).select_related("day", "period")
        self.slot_choices = slots_where_hosts_teach(term, self._chosen("hosts"), self._date())
        self.availability: list[Availability] = []
        self._cover_fields()

    def _chosen(self, name: str) -> list:
        """What the coach has picked so far, read leniently: the form is not validated yet."""
        field = self.fields[name]
        raw = self.data.getlist(name) if hasattr(self.data, "getlist") else self.initial.get(name)
        if not raw:
            return []
        try:
            return list(field.clean(raw)) if name != "slot" else [field.clean(raw)]
        except forms.ValidationError:
            return []

    def _date(self):
        try:
            return self.fields["date"].clean(self.data.get("date") or self.initial.get("date"))
        except forms.ValidationError:
            return None

    def chosen_slot(self) -> Slot | None:
        raw = self.data.get("slot") if self.is_bound else self.initial.get("slot")
        try:
            return self.fields["slot"].clean(raw) if raw else None
        except forms.ValidationError:
            return None

    def _cover_fields(self) -> None:
        slot, on, observers = self.chosen_slot(), self._date(), self._chosen("observers")
        if slot is None or on is None:
            return
        exclude = self.initial.get("visit")
        in_visit = {p.pk for p in observers} | {p.pk for p in self._chosen("hosts")}
        self.availability = availability_in(slot, on, observers, exclude=exclude)
        free = [
            a.person
            for a in availability_in(slot, on, self.covers, exclude=exclude)
            if a.state == "free" and a.person.pk not in in_visit
        ]
        choices = [("", "Choose who covers"), (SUBSTITUTE, "A substitute")]
        choices += [(str(p.pk), str(p)) for p in free]
        for state in self.availability:
            if state.state == "needs cover":
                name = f"cover_{state.person.pk}"
                self.fields[name] = forms.ChoiceField(
                    choices=choices,
                    required=False,
                    label=f"Who covers {state.person}'s {state.detail}?",
                )
                state.field_name = name

    def clean(self):
        cleaned = super().clean()
        slot, hosts, observers = cleaned.get("slot"), cleaned.get("hosts"), cleaned.get("observers")
        if not (slot and hosts and observers and cleaned.get("date")):
            return cleaned
        taught = next((c for c in self.slot_choices if c.slot.pk == slot.pk), None)
        if taught is None:
            self.add_error("slot", "Choose a period in which every chosen host teaches.")
            return cleaned
        covers = {p.pk: p for p in self.covers}
        seats = []
        for person in observers:
            cover = cleaned.get(f"cover_{person.pk}") or ""
            seats.append(
                ObserverPlan(
                    person=person,
                    covered_by=covers.get(int(cover)) if cover.isdigit() else None,
                    substitute=cover == SUBSTITUTE,
                )
            )
        cleaned["plan"] = VisitPlan(
            date=cleaned["date"],
            slot=slot,
            classrooms=[(host, taught.sections[host.pk].section) for host in hosts],
            observers=seats,
        )
        return cleaned


def next_school_monday(term: Term | None, today: date | None = None) -> date:
    """The Monday of the next school week: next week's, or the term's first week if the term
    has not started by then (a coach plans ahead; this week is usually already arranged)."""
    today = today or timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    if term is not None and term.starts_on and term.starts_on > monday:
        monday = term.starts_on - timedelta(days=term.starts_on.weekday())
    return monday


class ProposeForm(forms.Form):
    """Ask the scheduler for a week's schedule; the week starts filled in, so one press asks."""

    monday = forms.DateField(
        label="Week of",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[date_near],
        error_messages={
            "required": "Choose the week to schedule.",
            "invalid": "Enter the week as a date, e.g. 2026-09-14.",
        },
    )
    day = forms.CharField(required=False, max_length=64, label="One day only (swap day)")
    time_limit = forms.IntegerField(
        min_value=1, max_value=proposals.MAX_TIME_LIMIT, initial=10, label="Seconds to search"
    )

    def __init__(self, *args, term: Term | None = None, **kwargs):
        kwargs.setdefault("auto_id", "propose-%s")
        super().__init__(*args, **kwargs)
        self.initial.setdefault("monday", next_school_monday(term))

    def clean_monday(self):
        day = self.cleaned_data["monday"]
        return day - timedelta(days=day.weekday())


class DebriefForm(forms.ModelForm):
    """Notes for each step of the protocol the group runs (once a facilitator has started it:
    `steps` are the run's), the takeaways and one next step. Saved by
    `services.debrief_save`, the notes as the run's StepNote rows."""

    class Meta:
        model = Debrief
        fields = ["takeaways", "team_next_step"]
        labels = {"takeaways": "Takeaways", "team_next_step": "Our team's next step"}
        widgets = {
            "takeaways": forms.Textarea(attrs={"rows": 3}),
            "team_next_step": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, steps: list[dict], notes: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = steps
        for i, step in enumerate(steps):
            self.fields[f"step_{i}"] = forms.CharField(
                required=False,
                max_length=5000,
                label=f"Notes: {step['title']}",
                initial=notes.get(i, ""),
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def step_fields(self):
        return [self[f"step_{i}"] for i in range(len(self.steps))]

    def notes(self) -> list[str]:
        return [self.cleaned_data.get(f"step_{i}", "") for i in range(len(self.steps))]


class DebriefAttendanceForm(forms.Form):
    """Who of the visit's group attended its debrief (all ticked at first), and how long it
    took when the facilitator wants to say."""

    attended = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Who attended",
        help_text="Untick anyone who did not come: their hours count what happened.",
    )
    minutes = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=240,
        label="How long it took, in minutes (optional)",
        help_text="Left empty, the structure's protocol says how long.",
    )

    def __init__(self, *args, group: list[Person], debrief: Debrief | None, **kwargs):
        marked = None
        if debrief is not None and debrief.attendance_marked_at is not None:
            marked = {m.person_id for m in debrief.attendance.all() if m.attended}
            kwargs.setdefault("initial", {})["minutes"] = debrief.minutes
        super().__init__(*args, **kwargs)
        self.marked_at = debrief.attendance_marked_at if debrief is not None else None
        cast(forms.ChoiceField, self.fields["attended"]).choices = [(p.pk, str(p)) for p in group]
        self.fields["attended"].initial = (
            [p.pk for p in group] if marked is None else [p.pk for p in group if p.pk in marked]
        )
