"""The hours ledger's rules: what OpenDoors saw happen earns whom how many minutes, and the
credits those minutes are worth by the district's rules.

Each event worth learning time is read here as `Earned` lines, one per person, named by a
`source` ("visit:12:observed") so that `growth.services.ledger_reconcile` can compare what is
earned now with what the ledger holds, and add, correct or take away entries. Nothing here
writes. The district rules OpenDoors applies:

- observing a visit that has happened and was not cancelled: the visit's minutes
  (`Cycle.visit_minutes`); covering a colleague's class earns nothing;
- hosting such a visit: the visit's minutes, and the pre-brief the host wrote for the cycle
  `PRE_BRIEF_MINUTES` once (dated on the first visit they hosted);
- a debrief, for those a facilitator marked as attending: its recorded minutes, else the
  structure's debrief protocol (the sum of its steps);
- a follow-up answered: `FOLLOW_UP_MINUTES`;
- a team meeting held, for those marked as attending: the slot's length from the bell
  schedule, else its agenda's minutes; the facilitator of a protocol run ended in it also
  earns the run's minutes as `protocol_facilitated`. A run outside a meeting (a visit's
  debrief) earns nothing more: the debrief already counts.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum

from growth.models import EntryStatus, FollowUp, LedgerEntry
from inquiry.models import PreBrief
from inquiry.stages import visit_over
from schools.credits import UNIT_NAMES, credits_from_minutes
from schools.models import CreditDesignation, CreditUnit, District, LearningActivity, SourceId
from teams.models import Attendance, MeetingStatus, ProtocolRun, TeamMeeting
from visits.models import (
    DebriefAttendance,
    Visit,
    VisitClassroom,
    VisitObserver,
    VisitStatus,
)

# Writing a pre-brief: what hosts told us it takes (a district could change it here).
PRE_BRIEF_MINUTES = 15
# Answering a follow-up: did I try it, did I get the results I anticipated, why.
FOLLOW_UP_MINUTES = 10
# The activities OpenDoors sees happen (FORMATS.md §4's `activity` values); the rest are
# reported by the teacher and exported as `self_reported`.
SEEN_ACTIVITIES = (
    LearningActivity.OBSERVED,
    LearningActivity.HOSTED,
    LearningActivity.PRE_BRIEF,
    LearningActivity.DEBRIEF,
    LearningActivity.FOLLOW_UP,
    LearningActivity.PLC_MEETING,
    LearningActivity.PROTOCOL_FACILITATED,
)
REPORTED_ACTIVITIES = tuple(a for a in LearningActivity if a not in SEEN_ACTIVITIES)


@dataclass(frozen=True)
class Earned:
    """One person's learning time from one event, as the ledger should hold it."""

    person_id: int
    source: str
    activity: str
    date: date
    minutes: int
    title: str
    district_id: int
    school_id: int
    cycle_id: int | None = None

    @property
    def key(self) -> tuple[int, str]:
        return (self.person_id, self.source)


@dataclass(frozen=True)
class Credits:
    credits: Decimal
    unit: str
    designations: list[str]


def entry_credits(
    *, minutes: int, activity: str, district: District, designations: Iterable[CreditDesignation]
) -> Credits:
    """What `minutes` of `activity` earn by the district's rules, with the designations that
    carry that activity (by name, in the district's order)."""
    return Credits(
        credits=credits_from_minutes(minutes, district),
        unit=district.credit_unit,
        designations=[d.name for d in designations if activity in d.activities],
    )


def _visit_rows(rows: QuerySet[VisitObserver] | QuerySet[VisitClassroom]) -> QuerySet:
    return rows.filter(visit__status=VisitStatus.SCHEDULED).select_related(
        "visit__cycle__school", "visit__slot"
    )


def _over(visit: Visit, now: datetime) -> bool:
    return visit_over(visit, now)


def _of_visit(visit: Visit, person_id: int, activity: str) -> Earned:
    cycle = visit.cycle
    return Earned(
        person_id=person_id,
        source=f"visit:{visit.pk}:{activity}",
        activity=activity,
        date=visit.date,
        minutes=cycle.visit_minutes,
        title=cycle.title,
        district_id=cycle.school.district_id,
        school_id=cycle.school_id,
        cycle_id=cycle.pk,
    )


def earned_observing(seats: QuerySet[VisitObserver], now: datetime) -> list[Earned]:
    """Observers of visits that have happened (the seats given: current ones only)."""
    return [
        _of_visit(seat.visit, seat.person_id, LearningActivity.OBSERVED)
        for seat in _visit_rows(seats)
        if _over(seat.visit, now)
    ]


def earned_hosting(rooms: QuerySet[VisitClassroom], now: datetime) -> list[Earned]:
    return [
        _of_visit(room.visit, room.host_id, LearningActivity.HOSTED)
        for room in _visit_rows(rooms)
        if _over(room.visit, now)
    ]


def _written(pre_brief: PreBrief) -> bool:
    return any(
        text.strip()
        for text in (pre_brief.instructional_goal, pre_brief.expectations, pre_brief.focus)
    )


def earned_pre_briefs(
    pre_briefs: QuerySet[PreBrief], hosting: list[Earned], rooms: QuerySet[VisitClassroom]
) -> list[Earned]:
    """A pre-brief written counts once its host has hosted a visit of its cycle: dated on the
    first such visit. `hosting` is what `rooms` earned (read with the same scope)."""
    first: dict[tuple[int, int | None], Earned] = {}
    for line in sorted(hosting, key=lambda e: e.date):
        first.setdefault((line.person_id, line.cycle_id), line)
    earned = []
    for pre_brief in pre_briefs.select_related("cycle"):
        hosted = first.get((pre_brief.host_id, pre_brief.cycle_id))
        if hosted is None or not _written(pre_brief):
            continue
        earned.append(
            Earned(
                person_id=pre_brief.host_id,
                source=f"prebrief:{pre_brief.pk}",
                activity=LearningActivity.PRE_BRIEF,
                date=hosted.date,
                minutes=PRE_BRIEF_MINUTES,
                title=pre_brief.cycle.title,
                district_id=hosted.district_id,
                school_id=hosted.school_id,
                cycle_id=pre_brief.cycle_id,
            )
        )
    return earned


def debrief_minutes(visit: Visit, recorded: int | None) -> int:
    """The debrief's recorded minutes, else its structure's protocol."""
    if recorded:
        return recorded
    return sum(step.minutes for step in visit.cycle.preset.debrief_protocol)


def earned_debriefs(marks: QuerySet[DebriefAttendance], now: datetime) -> list[Earned]:
    """Those marked as attending a debrief (once a facilitator marked attendance) of a visit
    that has happened and was not cancelled."""
    rows = marks.filter(
        attended=True,
        debrief__attendance_marked_at__isnull=False,
        debrief__visit__status=VisitStatus.SCHEDULED,
    ).select_related("debrief__visit__cycle__school", "debrief__visit__slot")
    earned = []
    for mark in rows:
        visit = mark.debrief.visit
        if not _over(visit, now):
            continue
        cycle = visit.cycle
        earned.append(
            Earned(
                person_id=mark.person_id,
                source=f"debrief:{visit.pk}",
                activity=LearningActivity.DEBRIEF,
                date=visit.date,
                minutes=debrief_minutes(visit, mark.debrief.minutes),
                title=cycle.title,
                district_id=cycle.school.district_id,
                school_id=cycle.school_id,
                cycle_id=cycle.pk,
            )
        )
    return earned


def earned_follow_ups(follow_ups: QuerySet[FollowUp]) -> list[Earned]:
    """Follow-ups answered, dated on the day of the answer at the goal's school: its cycle's,
    or for a goal set at a team's meeting, the team's (named by the meeting, never the goal)."""
    rows = follow_ups.filter(answered_at__isnull=False).select_related(
        "goal__cycle__school", "goal__meeting__team__school", "goal__person"
    )
    earned = []
    for follow_up in rows:
        cycle, meeting = follow_up.goal.cycle, follow_up.goal.meeting
        if cycle is not None:
            school, title, cycle_id = cycle.school, cycle.title, cycle.pk
        else:
            assert meeting is not None  # a goal has a cycle or a meeting (its constraint)
            school, title, cycle_id = meeting.team.school, _meeting_title(meeting), None
        answered = follow_up.answered_at
        assert answered is not None  # filtered above
        earned.append(
            Earned(
                person_id=follow_up.goal.person_id,
                source=f"followup:{follow_up.pk}",
                activity=LearningActivity.FOLLOW_UP,
                date=answered.astimezone(ZoneInfo(school.time_zone)).date(),
                minutes=FOLLOW_UP_MINUTES,
                title=title,
                district_id=school.district_id,
                school_id=school.pk,
                cycle_id=cycle_id,
            )
        )
    return earned


def meeting_minutes(meeting: TeamMeeting, agenda_minutes: int | None) -> int:
    """The slot's length when the bell schedule gives it, else the agenda's minutes."""
    slot = meeting.slot
    if slot.starts_at and slot.ends_at:
        start = slot.starts_at.hour * 60 + slot.starts_at.minute
        return slot.ends_at.hour * 60 + slot.ends_at.minute - start
    return agenda_minutes or 0


def _meeting_title(meeting: TeamMeeting) -> str:
    # "Grade 7 team meeting", not "Grade 7 team team meeting".
    name = meeting.team.name
    return f"{name} meeting" if name.lower().endswith("team") else f"{name} team meeting"


def meeting_happened(meeting: TeamMeeting, now: datetime) -> bool:
    """Whether a meeting's time has come, in its school's time zone: its day is past, or it is
    its day and its period has begun (a facilitator may end the protocol before the bell)."""
    local = now.astimezone(ZoneInfo(meeting.team.school.time_zone))
    if meeting.date != local.date():
        return meeting.date < local.date()
    starts = meeting.slot.starts_at
    return starts is None or local.time() >= starts


def earned_meetings(marks: QuerySet[Attendance], now: datetime) -> list[Earned]:
    """Members marked as attending a meeting held, once its time has come."""
    rows = (
        marks.filter(attended=True, meeting__status=MeetingStatus.HELD)
        .select_related("meeting__team__school", "meeting__slot")
        .annotate(agenda_minutes=Sum("meeting__agenda__minutes"))
    )
    earned = []
    for mark in rows:
        meeting = mark.meeting
        if not meeting_happened(meeting, now):
            continue
        minutes = meeting_minutes(meeting, mark.agenda_minutes)
        if minutes <= 0:  # no bell times and no agenda: nothing says how long it took
            continue
        school = meeting.team.school
        earned.append(
            Earned(
                person_id=mark.person_id,
                source=f"meeting:{meeting.pk}",
                activity=LearningActivity.PLC_MEETING,
                date=meeting.date,
                minutes=minutes,
                title=_meeting_title(meeting),
                district_id=school.district_id,
                school_id=school.pk,
            )
        )
    return earned


def earned_runs(runs: QuerySet[ProtocolRun], now: datetime) -> list[Earned]:
    """The facilitator of a protocol run ended in a meeting held: the run's steps' minutes."""
    rows = runs.filter(
        ended_at__isnull=False,
        started_by__isnull=False,
        meeting__status=MeetingStatus.HELD,
    ).select_related("meeting__team__school", "meeting__slot", "protocol")
    earned = []
    for run in rows:
        meeting = run.meeting
        assert meeting is not None and run.started_by_id is not None  # filtered above
        if not meeting_happened(meeting, now):
            continue
        minutes = min(sum(int(step.get("minutes", 0)) for step in run.steps), 24 * 60)
        if minutes <= 0:
            continue
        school = meeting.team.school
        earned.append(
            Earned(
                person_id=run.started_by_id,
                source=f"run:{run.pk}:facilitated",
                activity=LearningActivity.PROTOCOL_FACILITATED,
                date=meeting.date,
                minutes=minutes,
                title=f"{run.protocol.title} ({_meeting_title(meeting)})",
                district_id=school.district_id,
                school_id=school.pk,
            )
        )
    return earned


@dataclass(frozen=True)
class Scope:
    """Where to look for events: each filter narrows one kind of event's rows."""

    seats: Q
    rooms: Q
    pre_briefs: Q
    debrief_marks: Q
    follow_ups: Q
    meeting_marks: Q
    runs: Q


def earned_in(scope: Scope, now: datetime) -> list[Earned]:
    """Everything the events in `scope` earn now: seven queries however many events. Visits
    retention made anonymous earn nothing more: their people are placeholders now, and the
    entries they earned before were detached from them (schools.retention)."""
    fresh = Q(visit__anonymized_at__isnull=True)
    rooms = VisitClassroom.objects.filter(scope.rooms, fresh)
    hosting = earned_hosting(rooms, now)
    pre_briefs = PreBrief.objects.filter(scope.pre_briefs).exclude(
        cycle__visits__anonymized_at__isnull=False
    )
    marks = DebriefAttendance.objects.filter(
        scope.debrief_marks, debrief__visit__anonymized_at__isnull=True
    )
    return [
        *earned_observing(VisitObserver.objects.filter(scope.seats, fresh), now),
        *hosting,
        *earned_pre_briefs(pre_briefs, hosting, rooms),
        *earned_debriefs(marks, now),
        *earned_follow_ups(FollowUp.objects.filter(scope.follow_ups)),
        *earned_meetings(Attendance.objects.filter(scope.meeting_marks), now),
        *earned_runs(ProtocolRun.objects.filter(scope.runs), now),
    ]


def scope_of_person(person_id: int) -> Scope:
    return Scope(
        seats=Q(person_id=person_id),
        rooms=Q(host_id=person_id),
        pre_briefs=Q(host_id=person_id),
        debrief_marks=Q(person_id=person_id),
        follow_ups=Q(goal__person_id=person_id),
        meeting_marks=Q(person_id=person_id),
        runs=Q(started_by_id=person_id),
    )


NOTHING = Q(pk__in=[])


def scope_of_visit(visit: Visit) -> Scope:
    """A visit's observers, hosts and debrief, and the pre-briefs of its cycle's hosts (whose
    first hosted visit may be this one)."""
    return Scope(
        seats=Q(visit_id=visit.pk),
        rooms=Q(visit__cycle_id=visit.cycle_id),
        pre_briefs=Q(cycle_id=visit.cycle_id),
        debrief_marks=Q(debrief__visit_id=visit.pk),
        follow_ups=NOTHING,
        meeting_marks=NOTHING,
        runs=NOTHING,
    )


def sources_of_visit(visit: Visit) -> Q:
    """The ledger entries a visit's refresh may add, correct or take away (hosting of the
    cycle's other visits is read only to date the pre-briefs, and written back unchanged)."""
    return (
        Q(source__startswith=f"visit:{visit.pk}:")
        | Q(source=f"debrief:{visit.pk}")
        | Q(source__in=[f"visit:{v}:hosted" for v in _cycle_visits(visit)])
        | Q(
            source__in=[
                f"prebrief:{pk}"
                for pk in PreBrief.objects.filter(cycle_id=visit.cycle_id).values_list(
                    "pk", flat=True
                )
            ]
        )
    )


def _cycle_visits(visit: Visit) -> list[int]:
    return list(Visit.objects.filter(cycle_id=visit.cycle_id).values_list("pk", flat=True))


def scope_of_meeting(meeting: TeamMeeting) -> Scope:
    return Scope(
        seats=NOTHING,
        rooms=NOTHING,
        pre_briefs=NOTHING,
        debrief_marks=NOTHING,
        follow_ups=NOTHING,
        meeting_marks=Q(meeting_id=meeting.pk),
        runs=Q(meeting_id=meeting.pk),
    )


def sources_of_meeting(meeting: TeamMeeting) -> Q:
    run_ids = ProtocolRun.objects.filter(meeting_id=meeting.pk).values_list("pk", flat=True)
    return Q(source=f"meeting:{meeting.pk}") | Q(
        source__in=[f"run:{pk}:facilitated" for pk in run_ids]
    )


def scope_of_follow_up(follow_up: FollowUp) -> Scope:
    return Scope(
        seats=NOTHING,
        rooms=NOTHING,
        pre_briefs=NOTHING,
        debrief_marks=NOTHING,
        follow_ups=Q(pk=follow_up.pk),
        meeting_marks=NOTHING,
        runs=NOTHING,
    )


def scope_of_district(district_id: int, since: date | None) -> Scope:
    """The district's events on or after `since` (all of them without it). Pre-briefs are
    read for the whole district: their date is their host's first visit of the cycle."""

    def dated(path: str) -> dict[str, date]:
        return {} if since is None else {f"{path}__gte": since}

    return Scope(
        seats=Q(visit__cycle__school__district_id=district_id, **dated("visit__date")),
        rooms=Q(visit__cycle__school__district_id=district_id),
        pre_briefs=Q(cycle__school__district_id=district_id),
        debrief_marks=Q(
            debrief__visit__cycle__school__district_id=district_id,
            **dated("debrief__visit__date"),
        ),
        # A day early: the answer's date is its school's, the database's is UTC.
        follow_ups=(
            Q(goal__cycle__school__district_id=district_id)
            | Q(goal__meeting__team__school__district_id=district_id)
        )
        & (Q() if since is None else Q(answered_at__date__gte=since - timedelta(days=1))),
        meeting_marks=Q(meeting__team__school__district_id=district_id, **dated("meeting__date")),
        runs=Q(meeting__team__school__district_id=district_id, **dated("meeting__date")),
    )


# The district's export: FORMATS.md §4, exactly. Hours only: never evidence, notes, goals or
# reflections (the reflection column is not even read).
LEDGER_COLUMNS = (
    "entry_id",
    "person_id",
    "person_name",
    "email",
    "school",
    "date",
    "activity",
    "title",
    "minutes",
    "credit_type",
    "credits",
    "designations",
    "status",
)


def counted() -> Q:
    """The entries that count, everywhere they are added up (My hours, the portfolio, the
    transcript, the district's export): what OpenDoors saw, learning approved, and learning
    self-reported where its district does not ask for approval. Where it does, self-reported
    learning waits in the approvals queue and counts once approved; one posted to the district
    already counts whatever the setting says now, as HR holds it. Returned learning waits for
    its author. The setting is read when counting, so turning it on or off changes no entry."""
    return Q(status__in=(EntryStatus.VERIFIED, EntryStatus.APPROVED)) | Q(
        Q(district__self_reported_needs_approval=False) | Q(posted_at__isnull=False),
        status=EntryStatus.SELF_REPORTED,
    )


def waiting_for_approval() -> Q:
    """Self-reported entries waiting in the approvals queue (`counted` leaves them out)."""
    return Q(
        status=EntryStatus.SELF_REPORTED,
        source="",
        posted_at__isnull=True,
        district__self_reported_needs_approval=True,
    )


def entry_waits(entry: LedgerEntry) -> bool:
    """`waiting_for_approval` for one entry (its district read with it)."""
    return (
        entry.status == EntryStatus.SELF_REPORTED
        and not entry.source
        and entry.posted_at is None
        and entry.district.self_reported_needs_approval
    )


def entry_counts(entry: LedgerEntry) -> bool:
    """`counted` for one entry (its district read with it)."""
    if entry.status in (EntryStatus.VERIFIED, EntryStatus.APPROVED):
        return True
    return entry.status == EntryStatus.SELF_REPORTED and not entry_waits(entry)


EXPORT_CHUNK = 2000


def ledger_for_export(
    district: District, start: date | None, end: date | None
) -> QuerySet[LedgerEntry]:
    """The district's entries that count, dated from `start` to `end` (both included)."""
    entries = LedgerEntry.objects.filter(counted(), district=district)
    if start is not None:
        entries = entries.filter(date__gte=start)
    if end is not None:
        entries = entries.filter(date__lte=end)
    return entries


def export_rows(entries: QuerySet[LedgerEntry]) -> Iterator[list[object]]:
    """The header, then one row per entry, read a chunk at a time (flat memory)."""
    yield list(LEDGER_COLUMNS)
    source_id = SourceId.objects.filter(school=OuterRef("school"), person=OuterRef("person"))
    rows = (
        entries.annotate(source_id=Subquery(source_id.values("value")[:1]))
        .order_by("date", "pk")
        .values_list(
            "entry_id",
            "source_id",
            "person__username",
            "person__first_name",
            "person__last_name",
            "person__email",
            "school__slug",
            "date",
            "activity",
            "title",
            "minutes",
            "credit_unit",
            "credits",
            "designations",
            "status",
        )
    )
    for row in rows.iterator(chunk_size=EXPORT_CHUNK):
        (entry_id, source, username, first, last, email, school, on, activity, *rest) = row
        title, minutes, unit, credits, designations, status = rest
        yield [
            str(entry_id),
            source or username,
            f"{first} {last}".strip() or username,
            email,
            school or "",
            on.isoformat(),
            activity if activity in SEEN_ACTIVITIES else "self_reported",
            title,
            minutes,
            unit,
            f"{credits:f}",
            ";".join(designations or []),
            status,
        ]


@dataclass(frozen=True)
class Totals:
    """What a person's entries add up to: minutes, credits per unit and per designation, of
    the entries that count (`counted`); `waiting`: how many wait for approval."""

    minutes: int
    credits: dict[str, Decimal]
    designations: dict[str, Decimal]
    waiting: int

    @property
    def hours(self) -> str:
        return f"{self.minutes // 60} h {self.minutes % 60:02d} min"


def ledger_totals(entries: Iterable[LedgerEntry]) -> Totals:
    """The totals of `entries`, each read with its district."""
    minutes, waiting = 0, 0
    credits: dict[str, Decimal] = {}
    designations: dict[str, Decimal] = {}
    for entry in entries:
        waiting += entry_waits(entry)
        if not entry_counts(entry):
            continue
        minutes += entry.minutes
        # Keyed by the unit's name in words ("CEUs"), as the page shows it.
        named = entry.credit_unit in CreditUnit.values
        unit = UNIT_NAMES[CreditUnit(entry.credit_unit)][1] if named else "credits"
        credits[unit] = credits.get(unit, Decimal(0)) + entry.credits
        for name in entry.designations:
            designations[name] = designations.get(name, Decimal(0)) + entry.credits
    return Totals(minutes, credits, dict(sorted(designations.items())), waiting)
