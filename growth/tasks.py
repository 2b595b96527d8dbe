"""Follow-up reminders, sent by the task worker on the day a check-in is due, to those who
want reminders (`Person.email_reminders`), the weekly digest of celebrations, and the nightly
refresh of the hours ledger (visits that simply passed their date start to count).

The emails are written in templates/growth/email/.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from inquiry.structures import DebriefTiming
from opendoors.tasks import enqueue_unless_waiting
from visits.calendar import one_line

from .models import FollowUp
from .services import (
    DIGEST_EVERY,
    DIGEST_TASK,
    celebrations_digest_send,
    ledger_next_run,
    ledger_nightly_queue,
    ledger_refresh_everywhere,
    next_digest_at,
)


def reminder_text(follow_up: FollowUp) -> str:
    goal = follow_up.goal
    return render_to_string(
        "growth/email/follow_up_reminder.txt",
        {
            "goal": goal,
            "within_24_hours": goal.cycle is not None
            and goal.cycle.debrief_timing == DebriefTiming.WITHIN_24_HOURS,
            "link": settings.OPENDOORS_SITE_URL + reverse("growth:follow_up", args=[follow_up.pk]),
        },
    )


@task()
def follow_up_remind(follow_up_id: int) -> bool:
    follow_up = (
        FollowUp.objects.select_related("goal__person", "goal__cycle", "goal__meeting__team")
        .filter(pk=follow_up_id, answered_at__isnull=True, reminded_at__isnull=True)
        .first()
    )
    if follow_up is None:
        return False
    person = follow_up.goal.person
    # The check-in stays on the person's home page; only the email is theirs to turn off.
    if not person.email or not person.email_reminders:
        return False
    send_mail(
        # A title with a newline would be a header injection: Django refuses to send it.
        subject=one_line(
            render_to_string(
                "growth/email/follow_up_reminder_subject.txt", {"goal": follow_up.goal}
            )
        ),
        message=reminder_text(follow_up),
        from_email=None,
        recipient_list=[person.email],
    )
    FollowUp.objects.filter(pk=follow_up.pk).update(reminded_at=timezone.now())
    return True


@task()
def celebrations_digest_weekly() -> int:
    """Email each person the shout-outs shared with them during the past week (by their team
    or their school), then queue next week's digest. How many emails were sent."""
    now = timezone.now()
    sent = celebrations_digest_send(since=now - DIGEST_EVERY, until=now)
    enqueue_unless_waiting(DIGEST_TASK, run_after=next_digest_at(now))
    return sent


@task()
def ledger_nightly() -> int:
    """Tomorrow's run queued first (a failure today is tried again tomorrow), then every
    district's recent events counted in the hours ledger. How many entries changed."""
    now = timezone.now()
    ledger_nightly_queue(run_after=ledger_next_run(now=now))
    done = ledger_refresh_everywhere(now=now)
    return done.added + done.corrected + done.removed
