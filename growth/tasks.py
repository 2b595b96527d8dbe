"""Follow-up reminders, sent by the task worker on the day a check-in is due, to those who
want reminders (`Person.email_reminders`).

The email is written in templates/growth/email/ (`follow_up_reminder.txt` and its subject).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from inquiry.structures import DebriefTiming
from visits.calendar import one_line

from .models import FollowUp


def reminder_text(follow_up: FollowUp) -> str:
    goal = follow_up.goal
    return render_to_string(
        "growth/email/follow_up_reminder.txt",
        {
            "goal": goal,
            "within_24_hours": goal.cycle.debrief_timing == DebriefTiming.WITHIN_24_HOURS,
            "link": settings.OPENDOORS_SITE_URL + reverse("growth:follow_up", args=[follow_up.pk]),
        },
    )


@task()
def follow_up_remind(follow_up_id: int) -> bool:
    follow_up = (
        FollowUp.objects.select_related("goal__person", "goal__cycle")
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
