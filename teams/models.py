"""A school's teams and their collaboration time: meetings with an agenda, the protocol
library (shipped, copied and written by coaches, shared to the district) and the runs of a
protocol that a facilitator leads live, step by step, with notes and attendance.

A run copies its protocol's steps when it starts, so that editing a protocol never changes
a run under way or one already held. The debrief of a visit runs a library protocol through
the same `ProtocolRun` (visits depends on teams, never the other way round).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from inquiry.models import Cycle
from schools.models import District, Person, School, Slot

# A step of a protocol lasts at least one minute and at most two hours.
STEP_MINUTES_MIN = 1
STEP_MINUTES_MAX = 120


class TeamKind(models.TextChoices):
    GRADE_LEVEL = "grade_level", "Grade level"
    DEPARTMENT = "department", "Department"
    CROSS_CONTENT = "cross_content", "Cross-content"
    LEARNING_LAB = "learning_lab", "Learning lab group"
    OTHER = "other", "Other"


class Team(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=TeamKind.choices, default=TeamKind.OTHER)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="team_name_unique_in_school"),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A person on a team; a facilitator (a teacher leader, a coach) leads its meetings."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="team_memberships")
    is_facilitator = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="team_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.team}"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class TeamMeeting(models.Model):
    """One meeting of a team in one period of the school's week on one date. Meetings made
    together as a recurring series share `series` (the first meeting's id)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="team_meetings")
    series = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    # Announcements and logistics: written, sent before the meeting, so the time is kept
    # for the protocol; or a short time-boxed slot at the end (0: none).
    digest = models.TextField(blank=True, max_length=5000)
    digest_sent_at = models.DateTimeField(null=True, blank=True)
    end_slot_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(15)]
    )
    takeaways = models.TextField(blank=True, max_length=5000)
    next_step = models.TextField(blank=True, max_length=1000)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "slot__period__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "date", "slot"],
                condition=~models.Q(status="cancelled"),
                name="team_meets_once_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} on {self.date:%Y-%m-%d}"


class AgendaKind(models.TextChoices):
    PROTOCOL = "protocol", "Protocol"
    PRE_BRIEF = "pre_brief", "Pre-brief of an observation cycle"
    DEBRIEF = "debrief", "Debrief of an observation cycle"
    END_SLOT = "end_slot", "Announcements (time-boxed, at the end)"


class AgendaItem(models.Model):
    """A block of a meeting's agenda. The protocol block comes first and is protected: the
    order is kept by `position`, and announcements only fit in the time-boxed end slot."""

    meeting = models.ForeignKey(TeamMeeting, on_delete=models.CASCADE, related_name="agenda")
    kind = models.CharField(max_length=12, choices=AgendaKind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200, blank=True)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(STEP_MINUTES_MIN), MaxValueValidator(STEP_MINUTES_MAX)]
    )
    protocol = models.ForeignKey(
        "Protocol", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class ParkingLotItem(models.Model):
    """What a meeting had no time for, kept on the team for a later one."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="parking_lot")
    text = models.CharField(max_length=500)
    raised_at = models.ForeignKey(
        TeamMeeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text


class Protocol(models.Model):
    """A protocol: timed steps with roles and prompts. The library's own have `library_key`
    and no school; a coach's copy or their own belongs to a school; shared to the district's
    library, it keeps its author and school and others copy it."""

    library_key = models.SlugField(max_length=60, null=True, blank=True, unique=True)
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="protocols"
    )
    title = models.CharField(max_length=120)
    purpose = models.TextField(blank=True, max_length=2000)
    # Where it comes from: a published source, or "Written by … at …".
    source = models.CharField(max_length=300, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    shared_with = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shared_protocols",
        help_text="The district whose library offers it to its other schools.",
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def total_minutes(self) -> int:
        return sum(step.minutes for step in self.steps.all())


class ProtocolStep(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=120)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(STEP_MINUTES_MIN), MaxValueValidator(STEP_MINUTES_MAX)]
    )
    # Who speaks and who listens: "Presenter silent; participants give warm feedback".
    roles = models.CharField(max_length=300, blank=True)
    prompt = models.TextField(max_length=2000)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=STEP_MINUTES_MIN)
                & models.Q(minutes__lte=STEP_MINUTES_MAX),
                name="protocol_step_minutes_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProtocolRun(models.Model):
    """A protocol led live. `steps` is a copy of the protocol's steps taken at the start
    ([{"title", "minutes", "roles", "prompt"}]); the countdown is computed from
    `step_started_at` and `step_extra_seconds`, never ticked by the server, so every screen
    shows the same time. `version` grows with each change of step: a facilitator's "next"
    names the version it saw, and two facilitators advancing at once move one step."""

    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="runs")
    meeting = models.ForeignKey(
        TeamMeeting, on_delete=models.CASCADE, null=True, blank=True, related_name="runs"
    )
    steps = models.JSONField(default=list)
    current_step = models.PositiveSmallIntegerField(default=0)
    step_started_at = models.DateTimeField(null=True, blank=True)
    step_extra_seconds = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    recorder = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The student work or data under discussion, uploaded by a facilitator or the recorder;
    # served only as a download to those who may see the run.
    attachment = models.FileField(upload_to="runs/%Y/%m/", blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return f"{self.protocol} run {self.pk}"


class StepNote(models.Model):
    """The recorder's notes for one step of a run."""

    run = models.ForeignKey(ProtocolRun, on_delete=models.CASCADE, related_name="notes")
    step = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True, max_length=5000)
    updated_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "step"], name="one_note_per_step"),
        ]

    def __str__(self) -> str:
        return f"Notes of step {self.step + 1} of {self.run}"


class Attendance(models.Model):
    """Who attended a meeting, marked by its facilitator (everyone scheduled is pre-ticked);
    what happened, not what was planned: the hours ledger reads it."""

    meeting = models.ForeignKey(TeamMeeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    attended = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.meeting}"
