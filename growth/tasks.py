"""Follow-up reminders, sent by the task worker on the day a check-in is due."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from inquiry.structures import DebriefTiming

from .models import FollowUp


def reminder_text(follow_up: FollowUp) -> str:
    goal = follow_up.goal
    link = f"{settings.OPENDOORS_SITE_URL}/follow-ups/{follow_up.pk}/"
    lines = [f"Hello {goal.person.first_name or goal.person},", ""]
    if goal.cycle.debrief_timing == DebriefTiming.WITHIN_24_HOURS:
        lines.append(
            "Your micro-observation debrief is due within 24 hours of the visit. Before you "
            "meet, look back at the goal you set:"
        )
    else:
        lines.append("Two weeks ago you set a goal for your classroom:")
    lines += [
        "",
        f"  “{goal.text}”",
        "",
        "Did you try it? Did you get the results you anticipated? Why or why not?",
        f"Answer in a minute: {link}",
        "",
        "— OpenDoors",
    ]
    return "\n".join(lines)


@task()
def follow_up_remind(follow_up_id: int) -> bool:
    follow_up = (
        FollowUp.objects.select_related("goal__person", "goal__cycle")
        .filter(pk=follow_up_id, answered_at__isnull=True, reminded_at__isnull=True)
        .first()
    )
    if follow_up is None or not follow_up.goal.person.email:
        return False
    send_mail(
        # A title with a newline would be a header injection: Django refuses to send it.
        subject=" ".join(f"Follow-up: how did it go? ({follow_up.goal.cycle.title})".split()),
        message=reminder_text(follow_up),
        from_email=None,
        recipient_list=[follow_up.goal.person.email],
    )
    FollowUp.objects.filter(pk=follow_up.pk).update(reminded_at=timezone.now())
    return True
