"""The live protocol runner: when the current step ends (pure functions of the clock), and the
facilitator's moves (start, next, back, extend, end) with the recorder's notes and the file
under discussion. A team's meeting and a visit's debrief run protocols with it alike.

Nothing ticks on the server. A step's end is `step_started_at` + its minutes +
`step_extra_seconds`; every screen receives that end and the server's time, and counts down
to it by itself. Every move names the `version` of the run it saw: the UPDATE … WHERE
version = seen moves the run once, so two facilitators pressing "Next" together move one step,
and the second is told the run already moved on.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePath
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from growth.services import ledger_refresh_for_meeting
from schools.models import Person

from .models import (
    Attendance,
    MeetingStatus,
    Protocol,
    ProtocolRun,
    StepNote,
    TeamMeeting,
)

EXTENSIONS = (1, 5)  # the minutes a facilitator may add to a step at one press
MOVED_ON = "The protocol already moved on: here is where it is now."


def step_end(started_at: datetime, minutes: int, extra_seconds: int) -> datetime:
    return started_at + timedelta(minutes=minutes, seconds=extra_seconds)


def seconds_left(end: datetime, now: datetime) -> int:
    """Whole seconds left, rounded up: a countdown shows 0:00 only once nothing is left."""
    return max(0, math.ceil((end - now).total_seconds()))


def clock_text(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


@dataclass(frozen=True)
class RunView:
    """What every screen shows of a run at one moment."""

    number: int  # 1-based
    count: int
    title: str
    minutes: int
    roles: str
    prompt: str
    ends_at: datetime | None
    seconds_left: int
    ended: bool

    @property
    def clock(self) -> str:
        return clock_text(self.seconds_left)

    @property
    def ends_at_ms(self) -> int | None:
        """The end as milliseconds since the epoch, as the browser's clock counts."""
        return round(self.ends_at.timestamp() * 1000) if self.ends_at else None

    @property
    def is_last(self) -> bool:
        return self.number == self.count


def run_view(run: ProtocolRun, now: datetime) -> RunView:
    step = run.steps[run.current_step]
    ended = run.ended_at is not None
    ends_at = None
    if run.step_started_at is not None and not ended:
        ends_at = step_end(run.step_started_at, step["minutes"], run.step_extra_seconds)
    return RunView(
        number=run.current_step + 1,
        count=len(run.steps),
        title=step["title"],
        minutes=step["minutes"],
        roles=step["roles"],
        prompt=step["prompt"],
        ends_at=ends_at,
        seconds_left=seconds_left(ends_at, now) if ends_at else 0,
        ended=ended,
    )


@transaction.atomic
def run_start(
    *, meeting: TeamMeeting, protocol: Protocol, by: Person, recorder: Person | None
) -> ProtocolRun:
    """Start the protocol for the meeting."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled: schedule another to run a protocol.")
    today = timezone.localtime(timezone.now(), ZoneInfo(meeting.team.school.time_zone)).date()
    if meeting.date > today:
        # Ending it would mark a meeting to come as held, and count hours not yet earned.
        raise ValidationError(
            f"This meeting is on {meeting.date:%a %b %-d}: run its protocol then."
        )
    if meeting.runs.filter(ended_at__isnull=True).exists():
        raise ValidationError("A protocol is already running in this meeting: open it instead.")
    return run_begin(protocol=protocol, by=by, recorder=recorder, meeting=meeting)


def run_begin(
    *,
    protocol: Protocol,
    by: Person,
    recorder: Person | None,
    meeting: TeamMeeting | None = None,
) -> ProtocolRun:
    """A run of the protocol at its first step, its steps copied so that editing the protocol
    later changes neither this run nor its notes. Without a meeting, it is a visit's debrief's
    (visits.services.debrief_run_start)."""
    steps = [
        {"title": s.title, "minutes": s.minutes, "roles": s.roles, "prompt": s.prompt}
        for s in protocol.steps.all()
    ]
    if not steps:
        raise ValidationError("This protocol has no steps yet: add one before running it.")
    now = timezone.now()
    return ProtocolRun.objects.create(
        protocol=protocol,
        meeting=meeting,
        steps=steps,
        current_step=0,
        step_started_at=now,
        started_at=now,
        started_by=by,
        recorder=recorder,
        version=1,
    )


def _move(run: ProtocolRun, seen: int, **changes: object) -> ProtocolRun:
    """Apply the change only if nobody moved the run since `seen`; the run as it is now."""
    moved = ProtocolRun.objects.filter(pk=run.pk, version=seen, ended_at__isnull=True).update(
        version=F("version") + 1, **changes
    )
    run.refresh_from_db()
    if not moved:
        raise ValidationError(MOVED_ON, code="moved_on")
    return run


def run_next(*, run: ProtocolRun, seen: int) -> ProtocolRun:
    if run.version == seen and run.current_step + 1 >= len(run.steps):
        raise ValidationError("This is the last step: end the protocol to record what it gave.")
    return _move(
        run,
        seen,
        current_step=F("current_step") + 1,
        step_started_at=timezone.now(),
        step_extra_seconds=0,
    )


def run_back(*, run: ProtocolRun, seen: int) -> ProtocolRun:
    """Back to the step before, its full time again."""
    if run.version == seen and run.current_step == 0:
        raise ValidationError("This is the first step.")
    return _move(
        run,
        seen,
        current_step=F("current_step") - 1,
        step_started_at=timezone.now(),
        step_extra_seconds=0,
    )


def run_extend(*, run: ProtocolRun, seen: int, minutes: int) -> ProtocolRun:
    if minutes not in EXTENSIONS:
        raise ValidationError("A step is extended by 1 or 5 minutes at a time.")
    return _move(run, seen, step_extra_seconds=F("step_extra_seconds") + 60 * minutes)


def note_save(*, run: ProtocolRun, step: int, text: str, by: Person) -> StepNote:
    """The recorder's notes for a step. The last save wins and names who made it: one recorder
    writes at a time, and a version check would only make them retype what they wrote."""
    if not 0 <= step < len(run.steps):
        raise ValidationError("That step is not in this protocol.")
    note, _ = StepNote.objects.update_or_create(
        run=run, step=step, defaults={"text": text, "updated_by": by}
    )
    return note


def run_attach(*, run: ProtocolRun, upload: UploadedFile) -> None:
    """The student work or data under discussion (checked by the form: opendoors.uploads).
    A new file replaces the one before, which is deleted: a run keeps one file."""
    replaced = run.attachment.name if run.attachment else ""
    run.attachment = upload
    run.attachment_name = PurePath(upload.name or "").name[:255]
    run.save(update_fields=["attachment", "attachment_name"])
    if replaced and replaced != run.attachment.name:
        run.attachment.storage.delete(replaced)


@transaction.atomic
def run_end(
    *,
    run: ProtocolRun,
    takeaways: str,
    next_step: str,
    attended: set[int],
) -> None:
    """End the run (or correct what its end recorded): the meeting's takeaways and next step,
    held, and who attended of the team's members (everyone not unticked)."""
    ProtocolRun.objects.filter(pk=run.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), version=F("version") + 1
    )
    run.refresh_from_db()
    meeting = run.meeting
    if meeting is None:  # a run outside a team meeting has no takeaways of its own to keep
        return
    meeting.takeaways = takeaways
    meeting.next_step = next_step
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["takeaways", "next_step", "status"])
    for person_id in meeting.team.members.values_list("person_id", flat=True):
        Attendance.objects.update_or_create(
            meeting=meeting, person_id=person_id, defaults={"attended": person_id in attended}
        )
    ledger_refresh_for_meeting(meeting=meeting)  # the hours of those who attended
