"""Reads for team pages: the school's teams, a team's members with what they teach, its
common time in the master schedule (`scheduler.common_time`), its meetings and agendas, and
the meetings a person's calendar feed carries.

Each read runs a fixed number of queries, however many members, meetings or teams.
"""

from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet

from inquiry.models import Cycle
from scheduler.common_time import CommonTime, common_time, slot_label, words
from schools.models import Meeting, Person, School, Slot, Term, Unavailability
from schools.selectors import term_current

from .models import (
    AgendaItem,
    MeetingStatus,
    ParkingLotItem,
    Protocol,
    ProtocolRun,
    Team,
    TeamMeeting,
)


def school_teams(school: School) -> QuerySet[Team]:
    """The school's teams (archived ones left out), each with `member_count`."""
    return (
        Team.objects.filter(school=school, archived_at__isnull=True)
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name")
    )


def team_ids_of(person: Person, school: School) -> set[int]:
    return set(
        Team.objects.filter(school=school, members__person=person).values_list("pk", flat=True)
    )


def school_pickable_people(school: School) -> QuerySet[Person]:
    """Who can be put on a team: the school's active people (deactivated ones and erased
    placeholders never appear in a picker)."""
    return (
        Person.objects.filter(memberships__school=school, is_active=True, erased_at__isnull=True)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


@dataclass
class TeamMemberRow:
    person: Person
    is_facilitator: bool
    subjects: list[str] = field(default_factory=list)
    grades: list[str] = field(default_factory=list)
    free: list[Slot] = field(default_factory=list)
    teaches: bool = False


def _week(term: Term) -> list[Slot]:
    return list(
        Slot.objects.filter(term=term)
        .select_related("day", "period")
        .order_by("day__position", "period__position")
    )


def _key(slot: Slot) -> tuple[str, str]:
    return (slot.day.label, slot.period.label)


@dataclass
class TeamWeek:
    """The team's members with what they teach, and the team's common time this term."""

    members: list[TeamMemberRow]
    term: Term | None
    slots: dict[tuple[str, str], Slot]
    time: CommonTime | None
    sentence: str
    names: dict[str, str]

    @property
    def all_free(self) -> list[Slot]:
        return [self.slots[s] for s in self.time.all_free] if self.time else []

    @property
    def all_but_one(self) -> list[tuple[Slot, Person]]:
        if self.time is None:
            return []
        people = {str(row.person.pk): row.person for row in self.members}
        return [(self.slots[s], people[who]) for s, who in self.time.all_but_one]


def team_week(team: Team) -> TeamWeek:
    """Members (facilitators first), what each teaches this term and when they are free, and
    the slots in which all, or all but one, are free. Lessons are the weekly pattern; duties
    (`Unavailability`) are busy too but cannot be moved. Visits and other meetings are on
    dates, checked when a meeting is placed (`services.meetings_schedule`)."""
    memberships = list(
        team.members.select_related("person").order_by(
            "-is_facilitator", "person__last_name", "person__first_name", "person__pk"
        )
    )
    rows = [TeamMemberRow(m.person, m.is_facilitator) for m in memberships]
    term = term_current(team.school)
    names = {str(row.person.pk): str(row.person) for row in rows}
    if term is None or not rows:
        return TeamWeek(rows, term, {}, None, "", names)
    week = _week(term)
    slots = {_key(s): s for s in week}
    by_pk = {s.pk: s for s in week}
    ids = [row.person.pk for row in rows]
    lessons: dict[str, dict[tuple[str, str], str]] = {}
    sections: dict[int, set[tuple[str, str]]] = {}
    for meeting in Meeting.objects.filter(section__term=term, teacher_id__in=ids).select_related(
        "section"
    ):
        slot = by_pk.get(meeting.slot_id)
        if slot is not None:
            lessons.setdefault(str(meeting.teacher_id), {})[_key(slot)] = str(meeting.section)
        sections.setdefault(meeting.teacher_id, set()).add(
            (meeting.section.subject, meeting.section.grade)
        )
    unavailable: dict[str, set[tuple[str, str]]] = {}
    for person_id, slot_id in Unavailability.objects.filter(
        slot__term=term, person_id__in=ids
    ).values_list("person_id", "slot_id"):
        if slot_id in by_pk:
            unavailable.setdefault(str(person_id), set()).add(_key(by_pk[slot_id]))
    for row in rows:
        taught = sections.get(row.person.pk, set())
        row.teaches = bool(taught)
        row.subjects = sorted({subject for subject, _ in taught if subject})
        row.grades = sorted(
            {g.strip() for _, grades in taught for g in grades.split(",") if g.strip()},
            key=lambda g: (len(g), g),
        )
        busy = set(lessons.get(str(row.person.pk), {})) | unavailable.get(str(row.person.pk), set())
        row.free = [s for s in week if _key(s) not in busy] if row.teaches else []
    time = common_time([str(pk) for pk in ids], list(slots), lessons, unavailable)
    return TeamWeek(rows, term, slots, time, words(time, names), names)


def slot_words(slot: Slot) -> str:
    return slot_label(_key(slot))


def upcoming_meetings(team: Team, *, today: Date) -> QuerySet[TeamMeeting]:
    return (
        TeamMeeting.objects.filter(team=team, date__gte=today, status=MeetingStatus.SCHEDULED)
        .select_related("slot__day", "slot__period")
        .annotate(blocks=Count("agenda"))
        .order_by("date", "slot__period__position")
    )


# The team page lists this many of the team's meetings held, newest first.
RECENT_HELD = 6


def meetings_held(team: Team) -> QuerySet[TeamMeeting]:
    """The team's meetings held, newest first, with how many attended of those marked."""
    return (
        TeamMeeting.objects.filter(team=team, status=MeetingStatus.HELD)
        .select_related("slot__day", "slot__period")
        .annotate(
            came=Count("attendance", filter=Q(attendance__attended=True)),
            marked=Count("attendance"),
        )
        .order_by("-date", "-slot__period__position")[:RECENT_HELD]
    )


@dataclass(frozen=True)
class HeldSummary:
    """What a held meeting's page says: how many attended, for everyone who sees the meeting;
    its protocol runs (to reread the notes), takeaways and next step, for its team only."""

    came: int
    marked: int
    runs: list[ProtocolRun]
    with_notes: bool
    # Outside the team, how many came shows only for a team of at least k (the district's).
    attendance_shown: bool


def meeting_held_summary(meeting: TeamMeeting, *, with_notes: bool) -> HeldSummary:
    marks = list(meeting.attendance.values_list("attended", flat=True))
    runs = list(meeting.runs.select_related("protocol").order_by("pk")) if with_notes else []
    k = meeting.team.school.district.min_classrooms_for_aggregates
    shown = with_notes or len(marks) >= k
    return HeldSummary(sum(marks), len(marks), runs, with_notes, attendance_shown=shown)


def open_parking_lot(team: Team) -> QuerySet[ParkingLotItem]:
    return ParkingLotItem.objects.filter(team=team, done_at__isnull=True).select_related(
        "created_by", "raised_at"
    )


def meeting_agenda(meeting: TeamMeeting) -> list[AgendaItem]:
    return list(meeting.agenda.select_related("protocol", "cycle").order_by("position", "pk"))


def period_minutes(slot: Slot) -> int | None:
    """How long the period lasts, when the bell schedule gives its times."""
    if slot.starts_at is None or slot.ends_at is None:
        return None
    start = datetime.combine(Date.min, slot.starts_at)
    return int((datetime.combine(Date.min, slot.ends_at) - start) / timedelta(minutes=1))


def protocols_for(school: School) -> QuerySet[Protocol]:
    """Protocols a team of the school may run: the library's, the school's own, and those
    shared to its district's library; archived ones are left out."""
    return (
        Protocol.objects.filter(archived_at__isnull=True)
        .filter(
            Q(school__isnull=True, library_key__isnull=False)
            | Q(school=school)
            | Q(shared_with=school.district_id)
        )
        .prefetch_related("steps")
        .order_by("title", "pk")
    )


def cycles_for_agenda(school: School) -> QuerySet[Cycle]:
    """The school's observation cycles a meeting can pre-brief or debrief, newest first."""
    return Cycle.objects.filter(school=school).order_by("-created_at", "-pk")


def calendar_meetings_for(person: Person, *, today: Date) -> list[TeamMeeting]:
    """The team meetings a member's feed carries: a month of history, and cancelled ones so
    calendars remove them."""
    since = today - timedelta(days=30)
    return list(
        TeamMeeting.objects.filter(team__members__person=person, date__gte=since)
        .select_related("team__school", "slot__period", "slot__day")
        .distinct()
        .order_by("date", "slot__period__position")
    )
