"""Visits placed in the master schedule: who observes which classrooms, when, and who covers.

A visit is one slot on one date. A group in a round visits several classrooms in
that slot; a pair visit has one classroom. An observer who teaches in the slot is
covered by a free colleague or a substitute.
"""

import secrets

from django.db import models

from inquiry.models import Cycle
from schools.models import Person, Section, Slot


class VisitStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class Visit(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="visits")
    date = models.DateField()
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="visits")
    status = models.CharField(
        max_length=20, choices=VisitStatus.choices, default=VisitStatus.SCHEDULED
    )
    # Calendar clients replace an event when its SEQUENCE grows: bumped on every change.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Retention replaced everyone this visit names by placeholders (schools.retention): it is
    # never processed again, and nothing left here leads back to its author or host.
    anonymized_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "slot__period__position"]
        # Dashboards count a school's visits by month (through the cycle).
        indexes = [models.Index(fields=["cycle", "date"], name="visit_cycle_date")]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.date:%a %b %-d} · period {self.slot.period}"

    def part_of(self, person_id: int | None) -> str | None:
        """A person's part in the visit as it is now: "hosting", "observing", "covering" (a
        colleague's class, no part in the visit's learning) or None. Reads the classrooms and
        observers prefetched with the visit, when they were."""
        if any(room.host_id == person_id for room in self.classrooms.all()):
            return "hosting"
        seats = self.observers.all()
        if any(seat.person_id == person_id for seat in seats):
            return "observing"
        if person_id is not None and any(seat.covered_by_id == person_id for seat in seats):
            return "covering"
        return None


class ClassroomsInVisit(models.Manager):
    """The classrooms a visit holds now: a host removed after capture is not among them."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class VisitClassroom(models.Model):
    """A host's class that the visit's observers see; labelled A, B, C in rounds and walks.

    A host removed from a visit after evidence was captured (or read) in their class stays
    here with `removed_at` set, so that what was captured stays with the group and the host.
    `objects` (and `visit.classrooms`) leave such classrooms out: scheduling, calendars and
    capture setup see the visit as it is now; `including_removed` is for reading evidence.
    """

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="classrooms")
    host = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="hosted_visits")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    removed_at = models.DateTimeField(null=True, blank=True)

    including_removed = models.Manager()
    objects = ClassroomsInVisit()

    class Meta:
        default_manager_name = "objects"
        # Forward relations (evidence.classroom) must reach removed classrooms too.
        base_manager_name = "including_removed"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "host"], name="host_once_per_visit"),
        ]

    def __str__(self) -> str:
        return f"Classroom {self.letter}"

    @property
    def letter(self) -> str:
        return chr(ord("A") + self.position % 26)


class ObserversInVisit(models.Manager):
    """The observers a visit holds now: one removed from it is not among them."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class VisitObserver(models.Model):
    """An observer's seat in a visit, and who covers their class meanwhile.

    An observer removed from a visit keeps their seat with `removed_at` set, so that entries
    still waiting on their phone are accepted when it reconnects (`access.visit_for_author`).
    As with classrooms, `objects` and `visit.observers` are the visit as it is now.
    """

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="observers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="observed_visits")
    covered_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="coverages"
    )
    substitute = models.BooleanField(default=False)
    removed_at = models.DateTimeField(null=True, blank=True)

    including_removed = models.Manager()
    objects = ObserversInVisit()

    class Meta:
        default_manager_name = "objects"
        base_manager_name = "including_removed"
        constraints = [
            models.UniqueConstraint(fields=["visit", "person"], name="observer_once_per_visit"),
            models.CheckConstraint(
                condition=~(models.Q(covered_by__isnull=False) & models.Q(substitute=True)),
                name="covered_by_a_colleague_or_a_substitute_not_both",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class CommitmentRole(models.TextChoices):
    HOST = "host", "Hosting"
    OBSERVER = "observer", "Observing"
    COVER = "cover", "Covering"


class Commitment(models.Model):
    """One person's part in a scheduled visit, in one slot on one date.

    The unique constraint is the rule "nobody has two commitments in one slot", held by the
    database: two coaches placing clashing visits at the same moment cannot both succeed
    (`visits.rules` names the clash in words; this makes it impossible to slip through).
    Rows exist only for scheduled visits: cancelling a visit frees its people.
    """

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="commitments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, choices=CommitmentRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "date", "slot"], name="one_commitment_per_person_and_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_role_display().lower()} on {self.date}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private iCalendar feed URL; resetting the token revokes the old URL."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"


class EvidenceKind(models.TextChoices):
    LOOK_FOR = "look_for", "Look-for seen or heard"
    TALLY = "tally", "Tally"
    TALK_TIME = "talk_time", "Talk time"
    WHAT = "what", "What we saw and heard"
    SO_WHAT = "so_what", "Why it matters for student understanding"
    NOW_WHAT = "now_what", "Implications for my practice"
    NOTE = "note", "Note"
    TIME_OUT = "time_out", "Teacher time-out"
    BRIGHT_MOMENT = "bright_moment", "Bright moment"
    STUDENT_PROMPT = "student_prompt", "About students"


class Evidence(models.Model):
    """One entry an observer captured about what students did, said or thought.

    Its id is made on the observer's device, so an entry sent twice is stored once.
    Nothing here describes or rates the teacher.
    """

    id = models.UUIDField(primary_key=True)
    # PROTECT: no schedule change may delete what an observer captured (DESIGN.md).
    classroom = models.ForeignKey(VisitClassroom, on_delete=models.PROTECT, related_name="evidence")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    look_for = models.ForeignKey(
        "inquiry.LookFor", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True, max_length=5000)
    teacher_talk_seconds = models.PositiveIntegerField(null=True, blank=True)
    student_talk_seconds = models.PositiveIntegerField(null=True, blank=True)
    silence_seconds = models.PositiveIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    # A digest of the content: the same id with a different digest is a conflict.
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ["recorded_at"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.classroom}"


class EvidenceRead(models.Model):
    """Someone other than its author or host read a classroom's evidence: the host sees this."""

    # PROTECT: the host's log of who read their classroom outlives any schedule change.
    classroom = models.ForeignKey(VisitClassroom, on_delete=models.PROTECT, related_name="reads")
    reader = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="evidence_reads")
    where = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.reader} read {self.classroom} ({self.where})"


class Debrief(models.Model):
    """The group's debrief of a visit: takeaways and one next step; its protocol is run live
    as `run` (teams.ProtocolRun), whose StepNote rows hold the notes of each step."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="debrief")
    # Nothing reads or writes it since migration 0010 turned it into runs: kept one release
    # so that code rolled back still finds the notes; dropped by a later migration.
    step_notes = models.JSONField(default=dict, blank=True)
    takeaways = models.TextField(blank=True, max_length=5000)
    team_next_step = models.TextField(blank=True, max_length=1000)
    # How long the debrief took, when its facilitator recorded it; else the district's rules
    # and the structure's protocol decide (growth.ledger).
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    # When a facilitator marked who attended (DebriefAttendance); until then nobody is counted.
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    # The library protocol the group runs live for this debrief (teams.ProtocolRun): one runner
    # and one library for a team's meetings and a visit's debrief.
    run = models.OneToOneField(
        "teams.ProtocolRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="debrief",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Debrief of {self.visit}"


class DebriefAttendance(models.Model):
    """Who attended a visit's debrief, marked by a facilitator (everyone in the visit's group
    is pre-ticked): what happened, not what was planned, which the hours ledger reads."""

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    attended = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["debrief", "person"], name="debrief_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.debrief}"


class ProposalStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the scheduler"
    SOLVING = "solving", "Finding the best schedule"
    READY = "ready", "Ready to review"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Could not be scheduled"


class Proposal(models.Model):
    """A schedule the scheduler proposes for a cycle's week, reviewed before it is published."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="proposals")
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    monday = models.DateField()
    # One day of that week (a coverage swap day), or blank for the whole week.
    day = models.CharField(max_length=64, blank=True)
    time_limit = models.PositiveSmallIntegerField(default=10)
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.QUEUED
    )
    # FORMATS.md §3 documents: the problem as solved and the plan as (edited and) published.
    problem = models.JSONField(default=dict, blank=True)
    plan = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Proposal for {self.cycle}, week of {self.monday}"

    @property
    def is_working(self) -> bool:
        return self.status in {ProposalStatus.QUEUED, ProposalStatus.SOLVING}
