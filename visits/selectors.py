"""Reads for visit pages: my upcoming visits, calendar contents, the slot picker, and who read
a host's classroom."""

from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime, timedelta

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet

from inquiry.models import Participant, ParticipantRole
from rosters.ordering import weekday_of
from schools.models import Meeting, Person, Slot, Term

from .calendar import cover_lesson
from .models import EvidenceRead, Visit, VisitClassroom, VisitStatus
from .rules import commitments, duties_in, lessons_in


def with_people(visits: QuerySet[Visit]) -> QuerySet[Visit]:
    """Everything a visit card or calendar event shows, in a fixed number of queries."""
    return visits.select_related("cycle__school", "slot__day", "slot__period").prefetch_related(
        "classrooms__host",
        Prefetch(
            "classrooms__section__meetings",
            queryset=Meeting.objects.only("id", "section_id", "slot_id", "teacher_id", "room"),
        ),
        "observers__person__meetings__section",
        "observers__covered_by",
    )


def visits_of(person: Person, *, facilitating: bool = False) -> QuerySet[Visit]:
    """Visits in which a person hosts, observes or covers; with `facilitating`, also the visits
    of the cycles they facilitate (their home page: a coach leads visits she is not in)."""
    mine = (
        Q(classrooms__host=person, classrooms__removed_at__isnull=True)
        | Q(observers__person=person, observers__removed_at__isnull=True)
        | Q(observers__covered_by=person, observers__removed_at__isnull=True)
    )
    if facilitating:
        mine |= Q(
            Exists(
                Participant.objects.filter(
                    cycle=OuterRef("cycle"), person=person, role=ParticipantRole.FACILITATOR
                )
            )
        )
    return Visit.objects.filter(mine).distinct()


@dataclass
class MyVisit:
    visit: Visit
    part: str  # "hosting", "observing", "covering" or "facilitating"
    # What a cover needs, and all they see: the class and room they cover.
    cover: str = ""


def upcoming_visits_for(person: Person, *, today: Date) -> list[MyVisit]:
    """The visits a person hosts, observes, covers or facilitates, from today on."""
    visits = with_people(
        visits_of(person, facilitating=True).filter(date__gte=today, status=VisitStatus.SCHEDULED)
    ).order_by("date", "slot__period__position")
    mine = []
    for visit in visits:
        # No part in the visit itself: they are here as a facilitator of its cycle.
        part = visit.part_of(person.pk) or "facilitating"
        if part != "covering":
            mine.append(MyVisit(visit, part))
            continue
        seat = next(s for s in visit.observers.all() if s.covered_by_id == person.pk)
        lesson = cover_lesson(visit, seat)
        room = f", room {lesson.room}" if lesson.room else ""
        mine.append(MyVisit(visit, part, cover=f"{lesson.section}{room}"))
    return mine


def calendar_visits_for(person: Person, *, today: Date) -> list[Visit]:
    """A feed keeps a month of history, and cancelled visits so calendars remove them."""
    since = today - timedelta(days=30)
    return list(with_people(visits_of(person).filter(date__gte=since)).order_by("date"))


@dataclass
class SlotChoice:
    slot: Slot
    # The section each chosen host teaches then.
    sections: dict[int, Meeting]


def slots_where_hosts_teach(term: Term, hosts: list[Person], on: Date | None) -> list[SlotChoice]:
    """Slots (on the date's day, when the day names a weekday) in which every host teaches."""
    if not hosts:
        return []
    meetings = Meeting.objects.filter(section__term=term, teacher__in=hosts).select_related(
        "section", "slot__day", "slot__period"
    )
    by_slot: dict[int, dict[int, Meeting]] = {}
    slots: dict[int, Slot] = {}
    for meeting in meetings:
        by_slot.setdefault(meeting.slot_id, {}).setdefault(meeting.teacher_id, meeting)
        slots[meeting.slot_id] = meeting.slot
    wanted_day = on.weekday() if on else None
    choices = [
        SlotChoice(slots[slot_id], sections)
        for slot_id, sections in by_slot.items()
        if len(sections) == len(hosts)
        and (wanted_day is None or weekday_of(slots[slot_id].day.label) in (None, wanted_day))
    ]
    return sorted(choices, key=lambda c: (c.slot.day.position, c.slot.period.position))


@dataclass
class Availability:
    person: Person
    state: str  # "free", "needs cover", "unavailable" or "busy"
    detail: str = ""
    field_name: str = ""  # the plan form's "who covers" field, when cover is needed


def availability_in(
    slot: Slot, on: Date, people: list[Person], exclude: Visit | None = None
) -> list[Availability]:
    """Who is free in the slot, who teaches (and needs cover), who is on duty or booked."""
    ids = {p.pk for p in people}
    lessons, duties = lessons_in(slot, ids), duties_in(slot, ids)
    busy = commitments(slot=slot, on=on, exclude=exclude)
    states = []
    for person in people:
        if person.pk in busy:
            states.append(Availability(person, "busy", busy[person.pk]))
        elif person.pk in duties:
            states.append(Availability(person, "unavailable", duties[person.pk]))
        elif person.pk in lessons:
            states.append(Availability(person, "needs cover", str(lessons[person.pk][0].section)))
        else:
            states.append(Availability(person, "free"))
    return states


def classrooms_left_by(host: Person) -> list[VisitClassroom]:
    """Classrooms a host was removed from after capture: what was captured stays theirs to read."""
    return list(
        VisitClassroom.including_removed.filter(host=host, removed_at__isnull=False)
        .select_related("visit__cycle", "visit__slot__period")
        .order_by("-visit__date")
    )


# Where a read happened (`EvidenceRead.where`), in the host's words.
READ_PLACES = {"debrief": "on the debrief", "api": "through the app"}


@dataclass
class ReaderReads:
    """One person's reads of a host's classroom: how often, when last, and where."""

    reader: Person
    times: int
    last: datetime
    places: list[str]


def reads_by_reader(room: VisitClassroom) -> list[ReaderReads]:
    """Who else read a classroom's evidence, one line per person however often they opened it,
    the latest reader first (the host's page). Two queries, however many reads."""
    rows = list(
        EvidenceRead.objects.filter(classroom=room)
        .order_by()
        .values("reader_id", "where")
        .annotate(times=Count("id"), last=Max("at"))
    )
    people = Person.objects.in_bulk({row["reader_id"] for row in rows})
    readers: dict[int, ReaderReads] = {}
    for row in rows:
        place = READ_PLACES.get(row["where"], row["where"])
        seen = readers.get(row["reader_id"])
        if seen is None:
            readers[row["reader_id"]] = ReaderReads(
                people[row["reader_id"]], row["times"], row["last"], [place]
            )
            continue
        seen.times += row["times"]
        seen.last = max(seen.last, row["last"])
        seen.places.append(place)
    for reader in readers.values():
        reader.places.sort()
    return sorted(readers.values(), key=lambda r: (-r.last.timestamp(), str(r.reader)))


def debrief_group(visit: Visit) -> list[Person]:
    """Who may attend a visit's debrief: its observers, its hosts and the cycle's
    facilitators, by name."""
    return list(
        Person.objects.filter(
            Q(observed_visits__visit=visit, observed_visits__removed_at__isnull=True)
            | Q(hosted_visits__visit=visit, hosted_visits__removed_at__isnull=True)
            | Q(
                participations__cycle_id=visit.cycle_id,
                participations__role=ParticipantRole.FACILITATOR,
            )
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
