"""Districts, schools, people and their roles, and the master schedule.

Free (planning) periods are not stored: a teacher is free in every slot of the
term in which they have no meeting and no unavailability.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class CreditUnit(models.TextChoices):
    """What a district's credits are counted in (its state's or its contract's unit)."""

    CLOCK_HOURS = "clock_hours", "Clock hours"
    CEU = "ceu", "Continuing education units (CEUs)"
    PDP = "pdp", "Professional development points (PDPs)"


class CreditRounding(models.TextChoices):
    """How credits earned are rounded (`schools.credits.credits_from_minutes`)."""

    NONE = "none", "None: to the hundredth (1.83)"
    QUARTER_DOWN = "quarter_down", "Down to a quarter (1.83 → 1.75)"
    TENTH_NEAREST = "tenth_nearest", "To the nearest tenth (1.83 → 1.8, 1.85 → 1.9)"
    WHOLE_DOWN = "whole_down", "Down to a whole credit (1.83 → 1)"


class LearningActivity(models.TextChoices):
    """The kinds of professional learning that earn hours; a district's designations say
    which of them carry which designation (the hours ledger counts time by these kinds)."""

    # The first seven are what OpenDoors sees happen; their values are the `activity` column
    # of the hours ledger export (FORMATS.md §4). The rest a teacher reports themselves.
    OBSERVED = "observed", "Observing a visit"
    HOSTED = "hosted", "Hosting a visit"
    PRE_BRIEF = "pre_brief", "Writing a pre-brief"
    DEBRIEF = "debrief", "Debrief"
    FOLLOW_UP = "follow_up", "Follow-up"
    PLC_MEETING = "plc_meeting", "Team (PLC) meeting"
    PROTOCOL_FACILITATED = "protocol_facilitated", "Facilitating a protocol"
    LESSON_STUDY = "lesson_study", "Lesson study"
    MENTORING = "mentoring", "Mentoring"
    COACHING = "coaching", "Coaching"
    STUDY_GROUP = "study_group", "Study group"
    ACTION_RESEARCH = "action_research", "Action research"
    JOURNALING = "journaling", "Journaling"
    READING = "reading", "Professional reading"
    OTHER = "other", "Other"


class District(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    # Aggregates shown outside a visit's group must cover at least this many classrooms.
    min_classrooms_for_aggregates = models.PositiveSmallIntegerField(default=3)
    time_zone = models.CharField(max_length=64, default="America/New_York")
    # Credit rules that documenting learning uses: how many minutes make one clock hour, the
    # unit credits are posted in, how many clock hours make one of it, and how it is rounded.
    minutes_per_clock_hour = models.PositiveSmallIntegerField(default=60)
    credit_unit = models.CharField(
        max_length=20, choices=CreditUnit.choices, default=CreditUnit.CLOCK_HOURS
    )
    clock_hours_per_credit = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(1))
    credit_rounding = models.CharField(
        max_length=20, choices=CreditRounding.choices, default=CreditRounding.NONE
    )
    # Contract coverage limits a new school starts with (each school can change its own).
    default_max_coverages_per_week = models.PositiveSmallIntegerField(default=2)
    default_max_coverages_per_month = models.PositiveSmallIntegerField(default=4)
    # How long evidence stays identifiable (author and host) before it is made anonymous.
    evidence_identifiable_years = models.PositiveSmallIntegerField(default=3)
    # Whether learning a teacher logs themself counts only once a facilitator or a district
    # leader approves it (otherwise it counts as self-reported).
    self_reported_needs_approval = models.BooleanField(default=False)
    # The district's improvement strategy, in its own words; each school's goals serve it.
    strategy = models.TextField(blank=True, max_length=5000)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(clock_hours_per_credit__gt=0),
                name="clock_hours_per_credit_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CreditDesignation(models.Model):
    """A designation the district's state requires on credits (Washington's equity hours,
    Massachusetts' content area), and the kinds of learning that carry it."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="designations")
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    # LearningActivity values, in the order of LearningActivity.
    activities = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "district", Lower("name"), name="designation_name_unique_in_district"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def activity_labels(self) -> list[str]:
        return [LearningActivity(a).label for a in self.activities if a in LearningActivity.values]


class School(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    time_zone = models.CharField(max_length=64, default="America/New_York")
    # From the collective bargaining agreement: how often one teacher may be asked to cover.
    max_coverages_per_week = models.PositiveSmallIntegerField(default=2)
    max_coverages_per_month = models.PositiveSmallIntegerField(default=4)
    # Teachers with this many years or fewer count as new when pairs are chosen.
    new_teacher_years = models.PositiveSmallIntegerField(default=3)
    # Besides its teachers, who may cover a class during visits (e.g. assistants, a dean).
    cover_staff = models.ManyToManyField("schools.Person", blank=True, related_name="+")
    # Who books substitute teachers: told whenever a visit needs one.
    office_contact_name = models.CharField(max_length=200, blank=True)
    office_contact_email = models.EmailField(blank=True)
    # An archived school keeps its history but is left out of pickers and lists of schools.
    archived_at = models.DateTimeField(null=True, blank=True)
    # The time audit: minutes of job-embedded learning per teacher per month the school aims
    # to build into the schedule.
    learning_minutes_target_per_month = models.PositiveIntegerField(default=120)
    # What one period of a substitute costs the school, for the coverage chart.
    substitute_period_cost = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal(0))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImprovementGoal(models.Model):
    """One of a school's improvement goals, serving the district's strategy; cycles name the
    goal they serve."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="improvement_goals")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=3000)
    position = models.PositiveSmallIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Person(AbstractUser):
    """Anyone who signs in: teachers, coaches, principals, district leaders."""

    years_of_experience = models.PositiveSmallIntegerField(null=True, blank=True)
    # Chosen on the account page. Visits and covers stay on the home page and in the
    # calendar feed whatever is chosen here.
    email_visit_changes = models.BooleanField(
        default=True, help_text="Visits I am in are scheduled, changed or cancelled."
    )
    email_reminders = models.BooleanField(
        default=True, help_text="Reminders: pre-briefs to write, follow-ups to answer."
    )
    # When the last invitation to set a password was sent (None: never invited).
    invited_at = models.DateTimeField(null=True, blank=True)
    # Set when the person's personal data was erased, or for a placeholder that stands in for
    # an author or host whose identity retention removed from old evidence: never a real sign-in.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    TEACHER = "teacher", "Teacher"
    COACH = "coach", "Coach"
    FACILITATOR = "facilitator", "Facilitator / teacher leader"
    PRINCIPAL = "principal", "Principal"
    DISTRICT_LEADER = "district_leader", "District leader"


class Membership(models.Model):
    """One role of one person at one school; a person may hold several."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "school", "role"], name="one_role_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} at {self.school}"


class SourceId(models.Model):
    """A person's identifier in the school's source system (schedule CSV or OneRoster)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="source_ids")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="source_ids")
    value = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "value"], name="source_id_unique_in_school"),
            models.UniqueConstraint(fields=["school", "person"], name="one_source_id_per_school"),
        ]

    def __str__(self) -> str:
        return self.value


class Term(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=200, default="Current term")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name


class Day(models.Model):
    """A day of the schedule's cycle: Monday, `Dilluns`, `Day_1` or `A`."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="days")
    label = models.CharField(max_length=64)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["term", "label"], name="day_label_unique_in_term"),
        ]

    def __str__(self) -> str:
        return self.label


class Period(models.Model):
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="periods")
    label = models.CharField(max_length=64)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["term", "label"], name="period_label_unique_in_term"),
        ]

    def __str__(self) -> str:
        return self.label


class Slot(models.Model):
    """One period on one day, with clock times when the bell schedule gives them."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="slots")
    day = models.ForeignKey(Day, on_delete=models.CASCADE, related_name="slots")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.TimeField(null=True, blank=True)
    ends_at = models.TimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "period"], name="one_slot_per_day_period"),
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True)
                | models.Q(ends_at__isnull=True)
                | models.Q(starts_at__lt=models.F("ends_at")),
                name="slot_starts_before_it_ends",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.period}"


class Section(models.Model):
    """A class taught: a class code or student group, for one course."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=255)
    course = models.CharField(max_length=255, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    grade = models.CharField(max_length=64, blank=True)
    # The class's id in the roster it came from (OneRoster `sourcedId`), so that a delta
    # export can name the class it changes or removes; blank for schedule CSVs.
    source_id = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["code", "course"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "code", "course"], name="section_unique_in_term"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.course})" if self.course else self.code

    @property
    def grades(self) -> list[str]:
        return [g.strip() for g in self.grade.split(",") if g.strip()]


class Meeting(models.Model):
    """A teacher teaching a section in a slot. Combined classes give a teacher two in one slot."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="meetings")
    teacher = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="meetings")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="meetings")
    room = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section", "teacher", "slot"], name="meeting_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} teaches {self.section} on {self.slot}"


class Unavailability(models.Model):
    """A slot in which a person cannot observe or cover: a duty, a standing meeting."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="unavailability")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="unavailability")
    reason = models.CharField(max_length=200, default="Duty")

    class Meta:
        verbose_name_plural = "unavailability"
        constraints = [
            models.UniqueConstraint(fields=["person", "slot"], name="unavailable_once_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.person} unavailable {self.slot}: {self.reason}"


class ImportKind(models.TextChoices):
    SCHEDULE_CSV = "schedule_csv", "Master-schedule CSV"
    ONEROSTER = "oneroster", "OneRoster 1.1 / 1.2 (ZIP)"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be read"
    READING = "reading", "Reading the file"
    PREVIEW = "preview", "Ready to review"
    APPLYING = "applying", "Applying"
    APPLIED = "applied", "Applied"
    FAILED = "failed", "Could not be imported"


# A job whose row has not moved for this long is taken to have lost its worker (killed,
# restarted, out of memory): the page says so and offers to try again. Reading saves progress
# about a hundred times and applying a big school's schedule takes seconds, so five minutes
# of silence is never a job that is merely slow.
JOB_STALLS_AFTER = timedelta(minutes=5)


class ScheduleImport(models.Model):
    """An uploaded schedule file on its way from preview to applied.

    Each run of a task for this import carries the `attempt` it was queued with; a retry
    increments it, so a worker that wakes up after it was given up on changes nothing.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True)
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    bell_file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    org = models.CharField(
        max_length=255, blank=True, help_text="OneRoster org sourcedId, for multi-school exports"
    )
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    preview = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Written with every change of status or progress: how a stalled job is recognised.
    updated_at = models.DateTimeField(default=timezone.now)
    attempt = models.PositiveSmallIntegerField(default=0)
    # The coach ticked "remove them" for an import that removes much of the schedule.
    removals_confirmed = models.BooleanField(default=False)
    # Who pressed "Apply": the audit log names them for the teachers the import deactivates.
    applied_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="progress_is_a_percentage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_working(self) -> bool:
        return self.status in WORKING and not self.is_stalled

    @property
    def is_stalled(self) -> bool:
        return self.status in WORKING and timezone.now() - self.updated_at > JOB_STALLS_AFTER

    @property
    def can_retry(self) -> bool:
        """Stalled, or failed for a reason reading the file again may not meet (an unexpected
        error, a visit placed meanwhile); not when the file's own problems refused it."""
        if self.is_stalled:
            return True
        in_file = [problem.get("in_file", False) for problem in self.problems]
        return self.status == ImportStatus.FAILED and not (in_file and all(in_file))


WORKING = {ImportStatus.QUEUED, ImportStatus.READING, ImportStatus.APPLYING}


class AuditEntry(models.Model):
    """One change to a district's people, roles, schools or settings, for its leaders to read.

    Kept when the people named are deactivated or erased (their names are copied into
    `summary`)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="audit")
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True)
    actor = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=64)
    summary = models.CharField(max_length=500)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["district", "-at"])]

    def __str__(self) -> str:
        return self.summary
