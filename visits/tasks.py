"""Emails about visits, sent by the task worker so that a page never waits on a mail server."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task

from opendoors.access import takes_part_in_visit
from schools.models import Person

from .calendar import calendar_bytes, cover_lesson, one_line
from .models import Visit
from .selectors import with_people

logger = logging.getLogger(__name__)

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
    slot = visit.slot
    times = f" ({slot.starts_at:%H:%M}–{slot.ends_at:%H:%M})" if slot.starts_at else ""
    when = f"{visit.date:%A %B} {visit.date.day}, period {slot.period.label}{times}"
    link = f"{settings.OPENDOORS_SITE_URL}/visits/{visit.pk}/"
    day = f"{visit.date:%a %b} {visit.date.day}"
    covering = [seat for seat in visit.observers.all() if seat.covered_by_id == person.pk]
    if covering and not takes_part_in_visit(person, visit):
        # Covering is not taking part: the class, the room and the time, nothing of the visit.
        lesson = cover_lesson(visit, covering[0])
        where = f"{lesson.section}" + (f" in room {lesson.room}" if lesson.room else "")
        subject = f"{COVER_SUBJECTS[change]}: {where} · {day}"
        text = f"{COVER_SUBJECTS[change]}: {where}, {when}."
    else:
        subject = f"{SUBJECTS[change]}: {visit.cycle.title} · {day}"
        text = f"{SUBJECTS[change]}: {one_line(visit.cycle.title)}, {when}."
    lines = [f"Hello {person.first_name or person},", "", text]
    if change != "cancelled":
        lines += ["", f"Where to be and when: {link}"]
    lines += ["", "— OpenDoors"]
    message = EmailMessage(subject=one_line(subject), body="\n".join(lines), to=[person.email])
    message.attach(
        f"visit-{visit.pk}.ics",
        calendar_bytes([visit], name=visit.cycle.title, person=person),
        "text/calendar",
    )
    return message


@task()
def visit_notify(visit_id: int, change: str, person_ids: list[int]) -> int:
    """Tell each person involved that a visit was scheduled, moved or cancelled."""
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
    """Solve a proposed week with the scheduler; the page shows progress meanwhile.

    Every ending is written: ready, or failed with the reason. The solve claims the proposal
    by moving it from queued to solving at a start time of its own, and writes its result
    only while both still hold, so a retried proposal is not overwritten by a late worker."""
    from django.utils import timezone

    import scheduler

    from .models import Proposal, ProposalStatus

    started = timezone.now()
    claimed = Proposal.objects.filter(pk=proposal_id, status=ProposalStatus.QUEUED).update(
        status=ProposalStatus.SOLVING, started_at=started
    )
    if not claimed:
        return "skipped"
    mine = Proposal.objects.filter(
        pk=proposal_id, status=ProposalStatus.SOLVING, started_at=started
    )
    proposal = Proposal.objects.get(pk=proposal_id)
    try:
        problem = scheduler.problem_from_json(proposal.problem)
        plan = scheduler.solve(problem, time_limit=proposal.time_limit)
    except scheduler.ProblemError as error:
        mine.update(status=ProposalStatus.FAILED, message="\n".join(error.messages))
        return "failed"
    except Exception as error:
        logger.exception("proposal %s failed", proposal_id)
        mine.update(
            status=ProposalStatus.FAILED,
            message=f"The scheduler stopped with an unexpected error ({type(error).__name__}). "
            "Try again; if it fails again, tell your administrator.",
        )
        return "failed"
    mine.update(
        status=ProposalStatus.READY, plan=scheduler.plan_to_json(plan), message=plan.summary()
    )
    return plan.status
