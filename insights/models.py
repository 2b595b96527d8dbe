"""What the patterns page last published for each cycle (see insights.aggregates), each
visited classroom's counts, and the hours ledger by school, month and person: kept so that a
read does not count a million entries."""

from decimal import Decimal

from django.db import models

from inquiry.models import Cycle
from schools.models import District, LearningActivity, Person, School
from visits.models import VisitClassroom

# The kinds of learning time the dashboards' time audit shows, each a column of HoursRollup.
TIME_KINDS = {
    "visits": (LearningActivity.OBSERVED, LearningActivity.HOSTED, LearningActivity.PRE_BRIEF),
    "debriefs": (LearningActivity.DEBRIEF,),
    "plc": (LearningActivity.PLC_MEETING, LearningActivity.PROTOCOL_FACILITATED),
    "follow_ups": (LearningActivity.FOLLOW_UP,),
}


class PatternSnapshot(models.Model):
    """A cycle's published numbers, each with the classrooms (and hosts) it is drawn on.

    Stored so that a number changes only when at least k teachers' classrooms have
    contributed since: reading the page twice around one new visit shows the same numbers.
    """

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="pattern_snapshot")
    numbers = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Published patterns of {self.cycle}"


class ClassroomRollup(models.Model):
    """What one visit's classroom holds, counted once instead of on every read: taps per
    look-for and talk seconds. Capture bumps `version` after storing entries in the
    classroom; the patterns page recounts a classroom whose `counted_version` is behind (or
    that has no row yet) before it reads, so a read never misses what was stored before it.
    A row is a read of evidence: only `opendoors.access` hands out what it holds."""

    classroom = models.OneToOneField(
        VisitClassroom, on_delete=models.CASCADE, primary_key=True, related_name="rollup"
    )
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    entries = models.PositiveIntegerField(default=0)
    look_fors = models.JSONField(default=dict)  # look-for id -> taps
    talk = models.JSONField(default=list)  # seconds: teacher, students, silence
    version = models.PositiveIntegerField(default=0)
    counted_version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Counts of {self.classroom_id}"


class HoursMonth(models.Model):
    """Whether the kept counts of a month of the hours ledger are behind its entries: a
    school's month (HoursRollup) or, without a school, the district's month (DesignationRollup,
    which also holds entries that name no school). Every write of entries bumps `version` in
    its transaction (insights.services.ledger_months_mark); a read recounts a month whose
    `counted_version` is behind, or that has no row yet, before it reads (and the task worker
    soon after the write, so that reads rarely have to)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    month = models.DateField()  # its first day
    version = models.PositiveIntegerField(default=0)
    counted_version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "month"],
                condition=models.Q(school__isnull=False),
                name="hours_month_of_a_school",
            ),
            models.UniqueConstraint(
                fields=["district", "month"],
                condition=models.Q(school__isnull=True),
                name="hours_month_of_a_district",
            ),
        ]

    def __str__(self) -> str:
        return f"Hours of {self.school_id or self.district_id} in {self.month:%Y-%m}"


class HoursRollup(models.Model):
    """One person's counted learning (growth.ledger.counted) at one school in one month:
    minutes per kind of time (TIME_KINDS) and whether they hosted, observed or met with their
    team. Kept for everyone with entries; the dashboards keep only the school's teachers, at
    read time, so a change of roles needs no recount."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    minutes_visits = models.PositiveIntegerField(default=0)
    minutes_debriefs = models.PositiveIntegerField(default=0)
    minutes_plc = models.PositiveIntegerField(default=0)
    minutes_follow_ups = models.PositiveIntegerField(default=0)
    hosted = models.BooleanField(default=False)
    observed = models.BooleanField(default=False)
    team = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "month", "person"], name="hours_rollup_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"Hours of {self.person_id} at {self.school_id} in {self.month:%Y-%m}"


class DesignationRollup(models.Model):
    """A district's counted minutes and credits in one month, for one list of designations
    (the entries' own, as credited): "All learning" and each designation add these up."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    designations = models.JSONField(default=list)
    minutes = models.PositiveBigIntegerField(default=0)
    credits = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))

    class Meta:
        indexes = [models.Index(fields=["district", "month"], name="designation_rollup_month")]

    def __str__(self) -> str:
        return f"Credits of {self.district_id} in {self.month:%Y-%m}"
