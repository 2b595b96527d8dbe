"""Emails about visits, sent by the task worker so that a page never waits on a mail server,
and the worker's handle on solving a proposed schedule (`proposals.proposal_solve_attempt`).

Who hears what (each email written in templates/visits/email/; subjects are made one line
here, so that a title with a newline cannot inject a header):

- everyone in a visit, when it is scheduled, moved or cancelled (`visit.txt`), unless they
  turned these emails off; a cover's request is a duty, sent whatever they chose, and names
  only the class, the room and the time;
- the school's office contact, when a seat needs a substitute or no longer does
  (`substitutes.txt`): class, room, time and the teacher covered, nothing of the visit;
- the cycle's facilitators: one email for the visits placed at once, and each move or
  cancellation (`facilitators.txt`);
- a host asked to write their pre-brief, and reminded two days before (`pre_brief.txt`),
  where the cycle asks for pre-briefs. Both check again when they run: a visit moved,
  cancelled or handed to another host, or a pre-brief written meanwhile, sends nothing.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from inquiry.models import Cycle, ParticipantRole, PreBrief
from schools.models import Person, School

from .calendar import calendar_bytes, cover_lesson, one_line, room_of, when_words
from .models import Visit, VisitStatus
from .proposals import proposal_solve_attempt
from .selectors import with_people

SUBJECTS = {
    "scheduled": "Visit scheduled",
    "moved": "Visit changed",
    "cancelled": "Visit cancelled",
}
COVER_SUBJECTS = {
    "scheduled": "Please cover",
    "moved": "Cover changed",
    "cancelled": "Cover no longer needed",
}
# Someone who had a part in a visit and has none now; a cover hears it whatever they chose.
RELEASED = {"released": "You are no longer needed", "cover_released": "Cover no longer needed"}
FACILITATOR_SUBJECTS = {
    "scheduled": "placed",
    "moved": "changed",
    "cancelled": "cancelled",
}


def _link(name: str, *args: object) -> str:
    return settings.OPENDOORS_SITE_URL + reverse(name, args=args)


def _when(visit: Visit) -> str:
    return when_words(visit.date, visit.slot)


def _is_duty(visit: Visit, change: str, person: Person) -> bool:
    """Covering a colleague's class is a duty, not a choice: its request, changes and release
    reach the cover even when they turned visit emails off."""
    if change in RELEASED:
        return change == "cover_released"
    return visit.part_of(person.pk) == "covering"


def visit_email(visit: Visit, change: str, person: Person, *, was: str = "") -> EmailMessage:
    released = change in RELEASED
    context: dict[str, object]
    if released:
        # No longer in the visit (or no longer covering): nothing of it, only the time they
        # were needed (the visit may have moved since).
        context = {"headline": RELEASED[change], "was": was or _when(visit)}
    elif visit.part_of(person.pk) == "covering":
        # Covering is not taking part: the class, the room and the time, nothing of the visit.
        seat = next(s for s in visit.observers.all() if s.covered_by_id == person.pk)
        context = {
            "headline": COVER_SUBJECTS[change],
            "lesson": cover_lesson(visit, seat),
            "duty": True,
        }
    else:
        context = {"headline": SUBJECTS[change], "title": one_line(visit.cycle.title)}
    # A cancelled visit has nowhere to be.
    nowhere = change in {"cancelled", *RELEASED}
    context |= {
        "person": person,
        "visit": visit,
        "link": "" if nowhere else _link("visits:detail", visit.pk),
    }
    message = EmailMessage(
        subject=one_line(render_to_string("visits/email/visit_subject.txt", context)),
        body=render_to_string("visits/email/visit.txt", context),
        to=[person.email],
    )
    message.attach(
        f"visit-{visit.pk}.ics",
        calendar_bytes(
            [visit],
            name="OpenDoors" if released else visit.cycle.title,
            person=person,
            released=released,
        ),
        "text/calendar",
    )
    return message


@task()
def visit_notify(visit_id: int, change: str, person_ids: list[int], was: str = "") -> int:
    """Tell each person involved that a visit was scheduled, moved or cancelled, or that they
    are no longer needed in it ("released", "cover_released", at the time it `was`), as far as
    they want to hear."""
    visit = with_people(Visit.objects.filter(pk=visit_id)).first()
    if visit is None:
        return 0
    people = Person.objects.filter(pk__in=person_ids).exclude(email="")
    sent = 0
    for person in people:
        if person.email_visit_changes or _is_duty(visit, change, person):
            sent += visit_email(visit, change, person, was=was).send()
    return sent


@task()
def substitutes_notify(
    school_id: int, before: list[dict[str, str]], after: list[dict[str, str]]
) -> int:
    """Tell the school's office contact which substitutes to book, and which bookings are no
    longer needed, from what a visit needed before and after a change (as the service wrote
    them down then: a later change sends its own email)."""
    school = School.objects.filter(pk=school_id).first()
    if school is None or not school.office_contact_email:
        return 0
    book = [b for b in after if b not in before]
    release = [b for b in before if b not in after]
    if not book and not release:
        return 0
    context = {"school": school, "book": book, "release": release, "first": (book or release)[0]}
    message = EmailMessage(
        subject=one_line(render_to_string("visits/email/substitutes_subject.txt", context)),
        body=render_to_string("visits/email/substitutes.txt", context),
        to=[school.office_contact_email],
    )
    return message.send()


def _visit_summary(visit: Visit) -> dict[str, object]:
    """A visit as its facilitators read it: when, whose classrooms and who observes, covered
    by whom."""
    hosts = []
    for room in visit.classrooms.all():
        number = room_of(visit, room)
        hosts.append(f"{room.host} ({room.section}{f', room {number}' if number else ''})")
    observers = []
    for seat in visit.observers.all():
        if seat.covered_by is not None:
            observers.append(f"{seat.person}, covered by {seat.covered_by}")
        elif seat.substitute:
            observers.append(f"{seat.person}, covered by a substitute")
        else:
            observers.append(f"{seat.person}, free then")
    return {"when": _when(visit), "hosts": hosts, "observers": observers, "visit": visit}


@task()
def facilitators_notify(cycle_id: int, change: str, visit_ids: list[int]) -> int:
    """One email to each of the cycle's facilitators about the visits just placed (however
    many), or the one visit moved or cancelled."""
    cycle = Cycle.objects.select_related("school").filter(pk=cycle_id).first()
    if cycle is None:
        return 0
    visits = with_people(Visit.objects.filter(pk__in=visit_ids)).order_by(
        "date", "slot__period__position"
    )
    summaries = [_visit_summary(visit) for visit in visits]
    if not summaries:
        return 0
    facilitators = (
        Person.objects.filter(
            participations__cycle=cycle,
            participations__role=ParticipantRole.FACILITATOR,
            email_visit_changes=True,
        )
        .exclude(email="")
        .distinct()
    )
    context = {
        "cycle": cycle,
        "title": one_line(cycle.title),
        "change": change,
        "done": FACILITATOR_SUBJECTS[change],
        "visits": summaries,
        "substitutes": any(seat.substitute for v in visits for seat in v.observers.all()),
        "office": cycle.school.office_contact_email,
        "office_name": cycle.school.office_contact_name,
        "link": _link("visits:plan", cycle.pk),
    }
    sent = 0
    for person in facilitators:
        message = EmailMessage(
            subject=one_line(render_to_string("visits/email/facilitators_subject.txt", context)),
            body=render_to_string("visits/email/facilitators.txt", context | {"person": person}),
            to=[person.email],
        )
        sent += message.send()
    return sent


def _pre_brief_due(visit_id: int, host_id: int, sequence: int | None) -> Visit | None:
    """The visit, when its host should still hear about their pre-brief: the cycle asks for
    one, the visit is still on, ahead and (for a reminder) as it was when the reminder was
    set, the person still hosts it, wants reminders, and has not written it."""
    visit = with_people(Visit.objects.filter(pk=visit_id)).first()
    if visit is None or visit.status != VisitStatus.SCHEDULED or not visit.cycle.needs_pre_brief:
        return None
    if sequence is not None and visit.sequence != sequence:
        return None  # moved or changed since: the change set its own reminder
    today = timezone.localdate(timezone=ZoneInfo(visit.cycle.school.time_zone))
    if visit.date < today or visit.part_of(host_id) != "hosting":
        return None
    written = PreBrief.objects.filter(cycle=visit.cycle, host_id=host_id).exclude(
        instructional_goal="", expectations="", focus=""
    )
    if written.exists():
        return None
    return visit


def _pre_brief_email(visit_id: int, host_id: int, *, sequence: int | None = None) -> bool:
    visit = _pre_brief_due(visit_id, host_id, sequence)
    host = Person.objects.filter(pk=host_id, email_reminders=True).exclude(email="").first()
    if visit is None or host is None:
        return False
    room = next(r for r in visit.classrooms.all() if r.host_id == host_id)
    number = room_of(visit, room)
    context = {
        "person": host,
        "title": one_line(visit.cycle.title),
        "reminder": sequence is not None,
        "when": _when(visit),
        "where": f"{room.section}" + (f", room {number}" if number else ""),
        "link": _link("inquiry:pre_brief", visit.cycle_id, host_id),
        "visit_link": _link("visits:detail", visit.pk),
    }
    message = EmailMessage(
        subject=one_line(render_to_string("visits/email/pre_brief_subject.txt", context)),
        body=render_to_string("visits/email/pre_brief.txt", context),
        to=[host.email],
    )
    return bool(message.send())


@task()
def pre_brief_request(visit_id: int, host_id: int) -> bool:
    """Ask a host, when a visit to their classroom is placed, to write their pre-brief."""
    return _pre_brief_email(visit_id, host_id)


@task()
def pre_brief_remind(visit_id: int, host_id: int, sequence: int) -> bool:
    """Two days before the visit, remind a host whose pre-brief is still not written.
    `sequence` is the visit's as it was when the reminder was set: any change since
    makes this one stale (the change set a new one)."""
    return _pre_brief_email(visit_id, host_id, sequence=sequence)


@task()
def proposal_solve(proposal_id: int) -> str:
    """Solve a proposed week with the scheduler; the page shows progress meanwhile."""
    return proposal_solve_attempt(proposal_id=proposal_id)
