"""The rules a visit must keep in the master schedule, as messages a coach can act on.

`visit_plan_problems` is the one check behind placing, moving and (later) publishing
a proposed schedule: hosts teach then, observers are free or covered, covers are
free, and nobody has two commitments in one slot.
"""

from dataclasses import dataclass, field
from datetime import date as Date

from django.db.models import Q, QuerySet

from inquiry.models import Cycle, ParticipantRole
from rosters.ordering import weekday_of
from schools.models import Meeting, Person, Role, Section, Slot, Unavailability
from teams.models import MeetingStatus, TeamMember

from .models import Visit, VisitClassroom, VisitObserver, VisitStatus


@dataclass(frozen=True)
class ObserverPlan:
    person: Person
    covered_by: Person | None = None
    substitute: bool = False


@dataclass
class VisitPlan:
    date: Date
    slot: Slot
    classrooms: list[tuple[Person, Section]] = field(default_factory=list)
    observers: list[ObserverPlan] = field(default_factory=list)

    def people(self) -> set[int]:
        covers = {o.covered_by.pk for o in self.observers if o.covered_by}
        return {h.pk for h, _ in self.classrooms} | {o.person.pk for o in self.observers} | covers


def when(slot: Slot, on: Date) -> str:
    return f"{on:%a %b} {on.day}, period {slot.period.label}"


def commitments(*, slot: Slot, on: Date, exclude: Visit | None = None) -> dict[int, str]:
    """What each person is already doing in this slot on this date, in words."""
    visits = Visit.objects.filter(slot=slot, date=on, status=VisitStatus.SCHEDULED)
    if exclude is not None:
        visits = visits.exclude(pk=exclude.pk)
    busy: dict[int, str] = {}
    for room in VisitClassroom.objects.filter(visit__in=visits).select_related("visit__cycle"):
        busy[room.host_id] = f"hosting a visit of “{room.visit.cycle}”"
    for seat in VisitObserver.objects.filter(visit__in=visits).select_related(
        "visit__cycle", "person"
    ):
        busy[seat.person_id] = f"observing in “{seat.visit.cycle}”"
        if seat.covered_by_id:
            busy[seat.covered_by_id] = f"covering for {seat.person} (“{seat.visit.cycle}”)"
    # A team's PLC meeting is protected time too: no visit is placed over it.
    members = TeamMember.objects.filter(
        team__meetings__slot=slot,
        team__meetings__date=on,
        team__meetings__status=MeetingStatus.SCHEDULED,
    ).select_related("team")
    for member in members:
        busy.setdefault(member.person_id, f"in the “{member.team}” meeting")
    return busy


def cover_candidates(cycle: Cycle) -> QuerySet[Person]:
    """Who may cover a class during this cycle's visits: the school's teachers, and the staff
    its settings add (assistants, say), who can sign in; never the cycle's facilitators (their
    part is in every visit). Covering is no part of a leader's role. Whether they are free
    then, and not in the visit itself, is checked per slot."""
    facilitators = cycle.participants.filter(role=ParticipantRole.FACILITATOR).values("person")
    teachers = Q(memberships__school=cycle.school, memberships__role=Role.TEACHER)
    extra = Q(pk__in=cycle.school.cover_staff.values("pk"))
    return (
        Person.objects.filter(teachers | extra, is_active=True)
        .exclude(pk__in=facilitators)
        .distinct()
        .order_by("last_name", "first_name")
    )


def lessons_in(slot: Slot, people: set[int]) -> dict[int, list[Meeting]]:
    lessons: dict[int, list[Meeting]] = {}
    for meeting in Meeting.objects.filter(slot=slot, teacher_id__in=people).select_related(
        "section"
    ):
        lessons.setdefault(meeting.teacher_id, []).append(meeting)
    return lessons


def duties_in(slot: Slot, people: set[int]) -> dict[int, str]:
    return dict(
        Unavailability.objects.filter(slot=slot, person_id__in=people).values_list(
            "person_id", "reason"
        )
    )


def _day_problems(plan: VisitPlan) -> list[str]:
    weekday = weekday_of(plan.slot.day.label)
    if weekday is not None and plan.date.weekday() != weekday:
        return [
            f"{plan.date:%A %b} {plan.date.day} is not a {plan.slot.day.label}: choose a date "
            f"on that day, or a slot on {plan.date:%A}."
        ]
    return []


def _shape_problems(plan: VisitPlan, pair: bool) -> list[str]:
    problems = []
    if not plan.classrooms:
        problems.append("Choose at least one host's class to visit.")
    if not plan.observers:
        problems.append("Choose at least one observer.")
    if pair and (len(plan.classrooms) > 1 or len(plan.observers) > 1):
        problems.append(
            "This cycle visits in pairs: one observer, one host. Change the cycle's "
            "settings to send a group."
        )
    hosts = {h.pk for h, _ in plan.classrooms}
    for seat in plan.observers:
        if seat.person.pk in hosts:
            problems.append(f"{seat.person} cannot host and observe in the same visit.")
    return problems


def _host_problems(plan: VisitPlan, lessons: dict[int, list[Meeting]]) -> list[str]:
    problems = []
    for host, section in plan.classrooms:
        taught = {m.section_id for m in lessons.get(host.pk, [])}
        if section.pk not in taught:
            problems.append(
                f"{host} does not teach {section} in {plan.slot.day} period "
                f"{plan.slot.period}: choose a slot in which they teach it."
            )
    return problems


def _observer_problems(plan, lessons, duties, allowed_covers: set[int] | None) -> list[str]:
    problems = []
    covering: dict[int, Person] = {}
    in_visit = {h.pk for h, _ in plan.classrooms} | {o.person.pk for o in plan.observers}
    for seat in plan.observers:
        person, cover = seat.person, seat.covered_by
        if person.pk in duties:
            problems.append(f"{person} has {duties[person.pk].lower()} then.")
        teaching = lessons.get(person.pk)
        if teaching and not (cover or seat.substitute):
            problems.append(
                f"{person} teaches {teaching[0].section} then: name a colleague who covers, "
                "or ask for a substitute."
            )
        if cover is None:
            continue
        if cover.pk in covering:
            problems.append(
                f"{cover} cannot cover both {covering[cover.pk]} and {person} in one period."
            )
        covering[cover.pk] = person
        if allowed_covers is not None and cover.pk not in allowed_covers:
            problems.append(
                f"{cover} cannot cover {person}: covers are teachers of the school with no part "
                "in this cycle's visits."
            )
        elif cover.pk in in_visit:
            problems.append(f"{cover} is in this visit and cannot also cover {person}.")
        elif cover.pk in lessons:
            problems.append(
                f"{cover} teaches {lessons[cover.pk][0].section} then and cannot cover."
            )
        elif cover.pk in duties:
            problems.append(f"{cover} has {duties[cover.pk].lower()} then and cannot cover.")
    return problems


def visit_plan_problems(
    plan: VisitPlan,
    *,
    pair: bool = False,
    exclude: Visit | None = None,
    allowed_covers: set[int] | None = None,
) -> list[str]:
    """Everything wrong with placing this visit, each clash named; empty when it fits.
    `allowed_covers` (see `cover_candidates`) are who may cover, when given."""
    people = plan.people()
    lessons = lessons_in(plan.slot, people)
    duties = duties_in(plan.slot, people)
    problems = _day_problems(plan) + _shape_problems(plan, pair)
    problems += _host_problems(plan, lessons) + _observer_problems(
        plan, lessons, duties, allowed_covers
    )
    busy = commitments(slot=plan.slot, on=plan.date, exclude=exclude)
    names = {h.pk: h for h, _ in plan.classrooms} | {o.person.pk: o.person for o in plan.observers}
    names |= {o.covered_by.pk: o.covered_by for o in plan.observers if o.covered_by}
    for person_id in sorted(people & busy.keys()):
        problems.append(
            f"{names[person_id]} is already {busy[person_id]} on {when(plan.slot, plan.date)}."
        )
    return problems
