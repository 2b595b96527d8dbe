"""Visits as iCalendar events: one visit as `.ics`, or a person's private feed.

A feed's address is usually handed to a third-party calendar service, so an event
carries only what gets its reader to the right room at the right time: the cycle's
title, the period, the room, and the classroom's `classroom_label`. No
pre-briefs, notes, look-fors or colleagues' names; a link leads to the rest after
sign-in. A cover's event says only "Cover <section> in <room>": covering is not
taking part in the visit.

Times come from the bell schedule, in the school's time zone, with a VTIMEZONE;
a school without a bell schedule gets all-day events named with the period.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.dateformat import format as date_format
from icalendar import Calendar, Event

from inquiry.structures import classroom_label
from schools.models import Person, Slot
from teams.models import MeetingStatus, TeamMeeting

from .models import Visit, VisitClassroom, VisitObserver, VisitStatus

PRODUCT = "-//OpenDoors//Classroom visits//EN"


def one_line(text: str) -> str:
    """A title as one line: newlines in a summary or a mail subject break what reads them."""
    return " ".join(str(text).split())


def when_words(on: Date, slot: Slot) -> str:
    """ "Monday December 7, period 2 (09:00–09:50)": a visit's time as emails write it."""
    text = f"{date_format(on, 'l F j')}, period {slot.period.label}"
    if slot.starts_at and slot.ends_at:
        text += f" ({slot.starts_at:%H:%M}–{slot.ends_at:%H:%M})"
    return text


@dataclass(frozen=True)
class CoverLesson:
    """The class a cover teaches while its teacher observes: which section, in which room."""

    section: str
    room: str

    def __str__(self) -> str:
        return f"Cover {self.section}" + (f" in room {self.room}" if self.room else "")


def cover_lesson(visit: Visit, seat: VisitObserver) -> CoverLesson:
    lessons = [m for m in seat.person.meetings.all() if m.slot_id == visit.slot_id]
    if not lessons:
        return CoverLesson(section="a class", room="")
    return CoverLesson(section=str(lessons[0].section), room=lessons[0].room)


def room_of(visit: Visit, room: VisitClassroom) -> str:
    """The room a visit's classroom meets in then (from the prefetched meetings), or ""."""
    return next(
        (
            m.room
            for m in room.section.meetings.all()
            if m.slot_id == visit.slot_id and m.teacher_id == room.host_id
        ),
        "",
    )


def _where(visit: Visit, room: VisitClassroom) -> str:
    """A classroom as an observer needs it: its label and its room; never the host's name."""
    name = classroom_label(room, visit.cycle)
    number = room_of(visit, room)
    return f"{name}, room {number}" if number else name


def _event_text(visit: Visit, person: Person | None, base_url: str) -> tuple[str, list[str], str]:
    """Summary, description lines and location, as this person should read them."""
    pk = getattr(person, "pk", None)
    school = visit.cycle.school.name
    link = f"Details after sign-in: {base_url}{reverse('visits:detail', args=[visit.pk])}"
    title = one_line(visit.cycle.title)
    for room in visit.classrooms.all():
        if room.host_id == pk:
            number = room_of(visit, room)
            here = f"{room.section}" + (f", room {number}" if number else "")
            where = f"Room {number}, {school}" if number else school
            return f"Hosting: {title}", [f"You host observers in {here}.", link], where
    for seat in visit.observers.all():
        if seat.covered_by_id is not None and seat.covered_by_id == pk:
            lesson = cover_lesson(visit, seat)
            where = f"Room {lesson.room}, {school}" if lesson.room else school
            return str(lesson), [link], where
    rooms = list(visit.classrooms.all())
    lines = ["You observe.", *(_where(visit, room) for room in rooms), link]
    where = school
    if len(rooms) == 1 and (number := room_of(visit, rooms[0])):
        where = f"Room {number}, {school}"
    return f"Observing: {title}", lines, where


def visit_event(
    visit: Visit, *, person: Person | None = None, base_url: str = "", released: bool = False
) -> Event:
    """The visit as this person's calendar shows it. `released`: they had a part and have none
    now; the event is cancelled for them and says nothing of the visit."""
    lines: list[str]
    if released:
        summary, lines, where = "OpenDoors: no longer needed", [], visit.cycle.school.name
    else:
        summary, lines, where = _event_text(visit, person, base_url)
    slot = visit.slot
    event = Event()
    event.add("uid", f"visit-{visit.pk}@opendoors")
    event.add("sequence", visit.sequence)
    event.add("dtstamp", visit.updated_at)
    if slot.starts_at and slot.ends_at:
        zone = ZoneInfo(visit.cycle.school.time_zone)
        event.add("summary", summary)
        event.add("dtstart", datetime.combine(visit.date, slot.starts_at, tzinfo=zone))
        event.add("dtend", datetime.combine(visit.date, slot.ends_at, tzinfo=zone))
    else:
        event.add("summary", f"{summary} (period {one_line(slot.period.label)})")
        event.add("dtstart", visit.date)
        event.add("dtend", visit.date + timedelta(days=1))
    event.add("description", "\n".join(lines))
    event.add("location", where)
    if released or visit.status == VisitStatus.CANCELLED:
        event.add("status", "CANCELLED")
    return event


def team_meeting_event(meeting: TeamMeeting, *, base_url: str = "") -> Event:
    """A team's meeting as its members' calendars show it: the team and where to read the
    agenda after sign-in; nothing of what the team discusses."""
    slot = meeting.slot
    summary = f"Team meeting: {one_line(meeting.team.name)}"
    link = reverse("teams:meeting", kwargs={"meeting_id": meeting.pk})
    event = Event()
    event.add("uid", f"team-meeting-{meeting.pk}@opendoors")
    cancelled = meeting.status == MeetingStatus.CANCELLED
    # Cancelling is the one change a meeting's event has: calendars need a higher sequence.
    event.add("sequence", 1 if cancelled else 0)
    event.add("dtstamp", meeting.created_at)
    if slot.starts_at and slot.ends_at:
        zone = ZoneInfo(meeting.team.school.time_zone)
        event.add("summary", summary)
        event.add("dtstart", datetime.combine(meeting.date, slot.starts_at, tzinfo=zone))
        event.add("dtend", datetime.combine(meeting.date, slot.ends_at, tzinfo=zone))
    else:
        event.add("summary", f"{summary} (period {one_line(slot.period.label)})")
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + timedelta(days=1))
    event.add("description", f"The agenda after sign-in: {base_url}{link}")
    event.add("location", meeting.team.school.name)
    if cancelled:
        event.add("status", "CANCELLED")
    return event


def _covers_only(visits: list[Visit], person: Person | None) -> bool:
    pk = getattr(person, "pk", None)
    return bool(visits) and all(v.part_of(pk) == "covering" for v in visits)


def calendar_bytes(
    visits: list[Visit],
    *,
    name: str,
    person: Person | None = None,
    base_url: str = "",
    released: bool = False,
    meetings: Sequence[TeamMeeting] = (),
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    # A cover's one-visit calendar is not named after the cycle they take no part in.
    one_visit_cover = len(visits) == 1 and _covers_only(visits, person)
    calendar.add("x-wr-calname", "OpenDoors cover" if one_visit_cover else one_line(name))
    for visit in visits:
        calendar.add_component(
            visit_event(visit, person=person, base_url=base_url, released=released)
        )
    for meeting in meetings:
        calendar.add_component(team_meeting_event(meeting, base_url=base_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def site_url(request=None) -> str:
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return getattr(settings, "OPENDOORS_SITE_URL", "http://127.0.0.1:8000")
