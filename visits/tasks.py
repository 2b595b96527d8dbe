"""Emails about visits, sent by the task worker so that a page never waits on a mail server,
and the worker's handle on solving a proposed schedule (`proposals.proposal_solve_attempt`).

Emails are written in templates/visits/email/: `visit_subject.txt` (made one line here, so
that a title with a newline cannot inject a header) and `visit.txt`.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from schools.models import Person

from .calendar import calendar_bytes, cover_lesson, one_line
from .models import Visit
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


def visit_email(visit: Visit, change: str, person: Person) -> EmailMessage:
    released = change == "released"
    if released:
        # No longer in the visit (or no longer covering): nothing of it, only the time.
        context: dict[str, object] = {"headline": "You are no longer needed"}
    elif visit.part_of(person.pk) == "covering":
        # Covering is not taking part: the class, the room and the time, nothing of the visit.
        seat = next(s for s in visit.observers.all() if s.covered_by_id == person.pk)
        context = {"headline": COVER_SUBJECTS[change], "lesson": cover_lesson(visit, seat)}
    else:
        context = {"headline": SUBJECTS[change], "title": one_line(visit.cycle.title)}
    link = settings.OPENDOORS_SITE_URL + reverse("visits:detail", args=[visit.pk])
    # A cancelled visit has nowhere to be.
    nowhere = change in {"cancelled", "released"}
    context |= {"person": person, "visit": visit, "link": "" if nowhere else link}
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
def visit_notify(visit_id: int, change: str, person_ids: list[int]) -> int:
    """Tell each person involved that a visit was scheduled, moved or cancelled, or that they
    are no longer needed in it ("released")."""
    visit = with_people(Visit.objects.filter(pk=visit_id)).first()
    if visit is None:
        return 0
    people = Person.objects.filter(pk__in=person_ids).exclude(email="")
    sent = 0
    for person in people:
        sent += visit_email(visit, change, person).send()
    return sent


@task()
def proposal_solve(proposal_id: int) -> str:
    """Solve a proposed week with the scheduler; the page shows progress meanwhile."""
    return proposal_solve_attempt(proposal_id=proposal_id)
