"""Districts, schools, people and their roles, and the master schedule.

Free (planning) periods are not stored: a teacher is free in every slot of the
term in which they have no meeting and no unavailability.
"""

from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class District(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    # Aggregates shown outside a visit's group must cover at least this many classrooms.
    min_classrooms_for_aggregates = models.PositiveSmallIntegerField(default=3)
    time_zone = models.CharField(max_length=64, default="America/New_York")
    # Credit rules that documenting learning uses: how many minutes make one clock hour.
    minutes_per_clock_hour = models.PositiveSmallIntegerField(default=60)
    # Contract coverage limits a new school starts with (each school can change its own).
    default_max_coverages_per_week = models.PositiveSmallIntegerField(default=2)
    default_max_coverages_per_month = models.PositiveSmallIntegerField(default=4)
    # How long evidence stays identifiable (author and host) before it is made anonymous.
    evidence_identifiable_years = models.PositiveSmallIntegerField(default=3)

    def __str__(self) -> str:
        return self.name


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

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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
        return self.status == ImportStatus.FAILED or self.is_stalled


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
