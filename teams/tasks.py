"""Emails about team meetings, sent by the task worker: the digest of announcements and
logistics, sent to the members the afternoon before the meeting so that the meeting's time
is kept for the protocol. It checks again when it runs: a meeting cancelled meanwhile, or a
digest already sent or emptied, sends nothing."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from visits.calendar import one_line, when_words

from .models import MeetingStatus, TeamMeeting


@task()
def meeting_digest_send(meeting_id: int) -> int:
    """Email the meeting's digest to its team's members; returns how many were sent."""
    meeting = (
        TeamMeeting.objects.select_related("team__school", "slot__period")
        .filter(pk=meeting_id)
        .first()
    )
    if (
        meeting is None
        or meeting.status != MeetingStatus.SCHEDULED
        or meeting.digest_sent_at is not None
        or not meeting.digest
    ):
        return 0
    context = {
        "meeting": meeting,
        "team": one_line(meeting.team.name),
        "when": when_words(meeting.date, meeting.slot),
        "agenda": list(meeting.agenda.order_by("position", "pk")),
        "link": settings.OPENDOORS_SITE_URL
        + reverse("teams:meeting", kwargs={"meeting_id": meeting.pk}),
    }
    sent = 0
    members = meeting.team.members.select_related("person").filter(person__is_active=True)
    for member in members.exclude(person__email=""):
        sent += EmailMessage(
            subject=one_line(f"{context['team']}: before the meeting of {context['when']}"),
            body=render_to_string("teams/email/digest.txt", context | {"person": member.person}),
            to=[member.person.email],
        ).send()
    meeting.digest_sent_at = timezone.now()
    meeting.save(update_fields=["digest_sent_at"])
    return sent
