"""Visits as iCalendar events: one visit as `.ics`, or a person's private feed.

Times come from the bell schedule, in the school's time zone, with a VTIMEZONE;
a school without a bell schedule gets all-day events named with the period.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

from schools.models import Person

from .models import Visit, VisitStatus

PRODUCT = "-//OpenDoors//Classroom visits//EN"


def _part_of(visit: Visit, person: Person | None) -> tuple[str, str]:
    """The summary's verb and the person's role, as the person should read them."""
    for room in visit.classrooms.all():
        if room.host_id == getattr(person, "pk", None):
            return "Hosting", f"You host observers in {room.section}."
    for seat in visit.observers.all():
        if seat.covered_by_id == getattr(person, "pk", None):
            lessons = [m for m in seat.person.meetings.all() if m.slot_id == visit.slot_id]
            what = f" {lessons[0].section}" if lessons else ""
            return "Covering", f"You cover{what} for {seat.person}."
    return "Observing", "You observe."


def _description(visit: Visit, role: str, base_url: str) -> str:
    rooms = [
        f"Classroom {room.letter}: {room.host}, {room.section}"
        + (f", room {m}" if (m := _room(visit, room)) else "")
        for room in visit.classrooms.all()
    ]
    observers = ", ".join(str(seat.person) for seat in visit.observers.all())
    link = f"{base_url}/visits/{visit.pk}/"
    return "\n".join([role, *rooms, f"Observers: {observers}", f"Look-fors and pre-brief: {link}"])


def _room(visit: Visit, room) -> str:
    return next(
        (
            m.room
            for m in room.section.meetings.all()
            if m.slot_id == visit.slot_id and m.teacher_id == room.host_id
        ),
        "",
    )


def visit_event(visit: Visit, *, person: Person | None = None, base_url: str = "") -> Event:
    verb, role = _part_of(visit, person)
    slot = visit.slot
    event = Event()
    event.add("uid", f"visit-{visit.pk}@opendoors")
    event.add("sequence", visit.sequence)
    event.add("dtstamp", visit.updated_at)
    event.add("summary", f"{verb}: {visit.cycle.title}")
    if slot.starts_at and slot.ends_at:
        zone = ZoneInfo(visit.cycle.school.time_zone)
        event.add("dtstart", datetime.combine(visit.date, slot.starts_at, tzinfo=zone))
        event.add("dtend", datetime.combine(visit.date, slot.ends_at, tzinfo=zone))
    else:
        event["summary"] = f"{verb}: {visit.cycle.title} (period {slot.period.label})"
        event.add("dtstart", visit.date)
        event.add("dtend", visit.date + timedelta(days=1))
    event.add("description", _description(visit, role, base_url))
    event.add("location", visit.cycle.school.name)
    if visit.status == VisitStatus.CANCELLED:
        event.add("status", "CANCELLED")
    return event


def calendar_bytes(
    visits: list[Visit], *, name: str, person: Person | None = None, base_url: str = ""
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for visit in visits:
        calendar.add_component(visit_event(visit, person=person, base_url=base_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def site_url(request=None) -> str:
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return getattr(settings, "OPENDOORS_SITE_URL", "http://127.0.0.1:8000")
