"""The bridge between the master schedule and the Django-free scheduler.

`cycle_problem` turns a school's schedule, a cycle's people and the school's
contract settings into a `scheduler.Problem` (teachers are named by their
person id); `plan_visits` turns a solved plan back into visit plans on real
dates, checked by the same rules as visits placed by hand.
"""

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from django.db.models import Q

import scheduler
from inquiry.models import Cycle, ParticipantRole
from inquiry.structures import Grouping
from rosters.ordering import weekday_of
from schools.models import Meeting, Person, School, Section, Slot, Unavailability
from schools.selectors import term_current
from teams.models import MeetingStatus, TeamMember

from .models import Visit, VisitObserver, VisitStatus
from .rules import ObserverPlan, VisitPlan, cover_candidates


class NotSchedulable(Exception):
    """The cycle cannot be turned into a problem yet; the message says what to do."""


def week_dates(school: School, monday: date) -> dict[str, date]:
    """The date of each of the school's days in the week that starts on `monday`."""
    term = term_current(school)
    labels = list(term.days.values_list("label", flat=True)) if term else []
    dates = {}
    for label in labels:
        weekday = weekday_of(label)
        if weekday is not None:
            dates[label] = monday + timedelta(days=weekday)
    return dates


def _teachers(
    cycle: Cycle, meetings: list[Meeting], coverage_left: dict[str, int]
) -> list[scheduler.Teacher]:
    school = cycle.school
    subjects: dict[int, set[str]] = defaultdict(set)
    grades: dict[int, set[str]] = defaultdict(set)
    for m in meetings:
        if m.section.subject:
            subjects[m.teacher_id].add(m.section.subject)
        grades[m.teacher_id].update(m.section.grades)
    staff = Person.objects.filter(memberships__school=school).distinct()
    covers = set(cover_candidates(cycle).values_list("pk", flat=True))
    return [
        scheduler.Teacher(
            id=str(p.pk),
            name=str(p),
            subjects=tuple(sorted(subjects[p.pk])),
            grades=tuple(sorted(grades[p.pk])),
            years=p.years_of_experience,
            # Not a cover (a leader, a facilitator of this cycle): none to give.
            max_coverages=coverage_left.get(str(p.pk)) if p.pk in covers else 0,
        )
        for p in staff
    ]


def coverage_left(school: School, monday: date) -> dict[str, int]:
    """Coverages each teacher may still give this week and month, by the contract's limits."""
    first = monday.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    week = coverages_used(school, since=monday, until=monday + timedelta(days=6))
    month = coverages_used(school, since=first, until=last)
    return {
        teacher: max(
            0,
            min(
                school.max_coverages_per_week - week.get(teacher, 0),
                school.max_coverages_per_month - month.get(teacher, 0),
            ),
        )
        for teacher in week.keys() | month.keys()
    }


def _busy_that_week(school: School, dates: dict[str, date]) -> set[tuple[int, int, date]]:
    """(person, slot, date) already taken by visits placed that week, or team meetings."""
    visits = Visit.objects.filter(
        cycle__school=school, date__in=dates.values(), status=VisitStatus.SCHEDULED
    )
    busy = set()
    for visit in visits.prefetch_related("classrooms", "observers"):
        for room in visit.classrooms.all():
            busy.add((room.host_id, visit.slot_id, visit.date))
        for seat in visit.observers.all():
            busy.add((seat.person_id, visit.slot_id, visit.date))
            if seat.covered_by_id:
                busy.add((seat.covered_by_id, visit.slot_id, visit.date))
    # Team meetings are protected time: the scheduler places no visit over one.
    members = TeamMember.objects.filter(
        team__school=school,
        team__meetings__date__in=dates.values(),
        team__meetings__status=MeetingStatus.SCHEDULED,
    ).values_list("person_id", "team__meetings__slot_id", "team__meetings__date")
    busy.update(members)
    return busy


def _requests(cycle: Cycle) -> list[scheduler.Request]:
    people = defaultdict(list)
    # Someone deactivated (they left) is not given visits, though their part stays recorded.
    active = cycle.participants.filter(person__is_active=True)
    for role, person_id in active.values_list("role", "person_id"):
        people[role].append(str(person_id))
    observers, hosts = people[ParticipantRole.OBSERVER], people[ParticipantRole.HOST]
    if not observers or not hosts:
        raise NotSchedulable("Choose the cycle's observers and hosts first (People).")
    prefer = cycle.preset.pairing_preferences
    if cycle.grouping == Grouping.GROUP:
        group = tuple(o for o in observers if o not in hosts)
        return [
            scheduler.Request(
                id=f"cycle-{cycle.pk}",
                kind="group",
                observers=group,
                classrooms=min(len(hosts), cycle.preset.classrooms_per_visit),
                hosts=tuple(hosts),
                prefer=prefer,
            )
        ]
    return [
        scheduler.Request(
            id=f"observer-{observer}",
            kind="pair",
            observers=(observer,),
            visits=1,
            hosts=tuple(h for h in hosts if h != observer),
            prefer=prefer,
        )
        for observer in observers
    ]


def cycle_problem(cycle: Cycle, *, monday: date, day: str = "") -> scheduler.Problem:
    """The week's scheduling problem for a cycle, as the scheduler reads it; with a `day`, that
    day only. A coverage swap day rotates its whole team: each member observes a teammate while
    a free colleague or a substitute covers (one substitute period per member at most)."""
    week = _week_problem(cycle, monday=monday)
    if not day:
        return week
    if day not in week.days:
        raise NotSchedulable(f"“{day}” is not one of the school's days ({', '.join(week.days)}).")
    if cycle.preset.swap_day:
        members = [o for r in week.requests for o in r.observers]
        members += [h for r in week.requests for h in r.hosts or ()]
        team = list(dict.fromkeys(members))
        return scheduler.swap_day_problem(
            replace(week, requests=()),
            team=team,
            day=day,
            substitute_periods=len(team),
            prefer=cycle.preset.pairing_preferences,
        )
    return replace(
        week,
        days=(day,),
        meetings=tuple(m for m in week.meetings if m.day == day),
        unavailable=tuple(u for u in week.unavailable if u.day == day),
    )


def _week_problem(cycle: Cycle, *, monday: date) -> scheduler.Problem:
    school = cycle.school
    term = term_current(school)
    if term is None:
        raise NotSchedulable("Import the school's master schedule first.")
    dates = week_dates(school, monday)
    if not dates:
        raise NotSchedulable(
            "This school's days are not named after weekdays, so a week cannot be placed "
            "on dates: place visits by hand on the Visits page."
        )
    slots = list(
        Slot.objects.filter(term=term, day__label__in=dates).select_related("day", "period")
    )
    meetings = list(
        Meeting.objects.filter(slot__in=slots).select_related(
            "section", "slot__day", "slot__period"
        )
    )
    busy = _busy_that_week(school, dates)
    unavailable = {
        (u.person_id, u.slot.day.label, u.slot.period.label)
        for u in Unavailability.objects.filter(slot__in=slots).select_related(
            "slot__day", "slot__period"
        )
    }
    by_slot = {s.pk: s for s in slots}
    unavailable |= {
        (person, by_slot[slot].day.label, by_slot[slot].period.label)
        for person, slot, on in busy
        if slot in by_slot and dates.get(by_slot[slot].day.label) == on
    }
    return scheduler.Problem(
        days=tuple(d for d in dates),
        periods=tuple(term.periods.values_list("label", flat=True)),
        teachers=tuple(_teachers(cycle, meetings, coverage_left(school, monday))),
        meetings=tuple(
            scheduler.Meeting(
                teacher=str(m.teacher_id),
                day=m.slot.day.label,
                period=m.slot.period.label,
                section=str(m.section_id),
                subject=m.section.subject,
                grade=m.section.grades[0] if m.section.grades else "",
                room=m.room,
            )
            for m in meetings
        ),
        unavailable=tuple(
            scheduler.Unavailable(teacher=str(p), day=d, period=per) for p, d, per in unavailable
        ),
        requests=tuple(_requests(cycle)),
        rules=scheduler.Rules(
            max_observers_per_classroom=4,
            max_coverages_per_teacher=school.max_coverages_per_week,
            new_teacher_years=school.new_teacher_years,
        ),
    )


def plan_visits(cycle: Cycle, plan: scheduler.Plan, *, monday: date) -> list[VisitPlan]:
    """One visit plan per request, day and period of a solved plan."""
    dates = week_dates(cycle.school, monday)
    slots = {
        (s.day.label, s.period.label): s
        for s in Slot.objects.filter(term__school=cycle.school).select_related("day", "period")
    }
    ids = {int(v.observer) for v in plan.visits} | {int(v.host) for v in plan.visits}
    ids |= {int(v.cover) for v in plan.visits if v.cover and v.cover != scheduler.SUBSTITUTE}
    people = Person.objects.in_bulk(ids)
    sections = Section.objects.in_bulk({int(v.section) for v in plan.visits})
    grouped: dict[tuple[str, str, str], list[scheduler.Visit]] = defaultdict(list)
    for v in plan.visits:
        grouped[(v.request, v.day, v.period)].append(v)
    plans = []
    for (_, day, period), visits in sorted(grouped.items(), key=lambda kv: kv[0][1:]):
        rooms = {v.host: sections[int(v.section)] for v in visits}
        seats = {v.observer: v.cover for v in visits}
        plans.append(
            VisitPlan(
                date=dates[day],
                slot=slots[(day, period)],
                classrooms=[(people[int(h)], section) for h, section in rooms.items()],
                observers=[
                    ObserverPlan(
                        people[int(o)],
                        covered_by=people[int(c)] if c and c != scheduler.SUBSTITUTE else None,
                        substitute=c == scheduler.SUBSTITUTE,
                    )
                    for o, c in seats.items()
                ],
            )
        )
    return plans


def coverages_used(school: School, *, since: date, until: date) -> dict[str, int]:
    """How many times each teacher covered between two dates (for the contract's limits)."""
    used: dict[str, int] = defaultdict(int)
    seats = VisitObserver.objects.filter(
        Q(covered_by__isnull=False),
        visit__cycle__school=school,
        visit__status=VisitStatus.SCHEDULED,
        visit__date__gte=since,
        visit__date__lte=until,
    )
    for person_id in seats.values_list("covered_by_id", flat=True):
        used[str(person_id)] += 1
    return dict(used)
