"""Goals and follow-ups, and celebrations. Goals belong to the person who wrote them and
describe their own practice; nothing here rates anyone. Others read them only where their
author shared them with a cycle's facilitators (off by default); otherwise only counts over at
least k people. A shout-out is seen by whom the person celebrated chooses, and nothing about
shout-outs is ever counted per person: no points, no badges for volume, no leaderboards."""

import uuid
from decimal import Decimal

from django.db import models

from inquiry.models import Cycle, PreBrief
from schools.models import District, LearningActivity, Person, School
from teams.models import Team, TeamMeeting
from visits.models import Evidence, Visit


class Goal(models.Model):
    """What a participant will try in their own classroom, and when: set in a cycle (after a
    visit or its debrief) or at the end of a team's meeting (`meeting`, no cycle)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="goals")
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, null=True, blank=True, related_name="goals"
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals"
    )
    meeting = models.ForeignKey(
        TeamMeeting, on_delete=models.CASCADE, null=True, blank=True, related_name="goals"
    )
    text = models.TextField(max_length=2000)
    try_by = models.DateField()
    # The author's choice: the goal's cycle's facilitators may read it.
    shared_with_facilitators = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cycle__isnull=False) | models.Q(meeting__isnull=False),
                name="goal_set_in_a_cycle_or_a_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class FollowUp(models.Model):
    """A check-in on a goal: did I try it, did I get the results I anticipated, why."""

    class Result(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    goal = models.OneToOneField(Goal, on_delete=models.CASCADE, related_name="follow_up")
    due_on = models.DateField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    tried = models.BooleanField(null=True)
    results_as_anticipated = models.CharField(max_length=10, choices=Result.choices, blank=True)
    why = models.TextField(blank=True, max_length=3000)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Cycles whose facilitators the author let read this answer (and the goal it answers).
    shared_with = models.ManyToManyField(Cycle, blank=True, related_name="shared_follow_ups")

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"Follow-up on {self.goal} due {self.due_on}"


class Audience(models.TextChoices):
    PRIVATE = "private", "Only me"
    TEAM = "team", "My team"
    SCHOOL = "school", "My school"


class ShoutOut(models.Model):
    """A colleague named for what they did for students' learning.

    It starts private: only the person celebrated (and its author) sees it until the person
    celebrated chooses their team or their school. A bright moment from a visit becomes one
    only when the host shares it; then `author` is empty, since the observer wrote the moment
    for the visit's group, not for the school."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="shout_outs")
    celebrated = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="shout_outs_received"
    )
    author = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="shout_outs_given"
    )
    text = models.TextField(max_length=1000)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="shout_outs"
    )
    bright_moment = models.ForeignKey(
        Evidence, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="shout_outs"
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PRIVATE)
    audience_chosen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(author=models.F("celebrated")),
                name="shout_out_celebrates_someone_else",
            ),
            models.CheckConstraint(
                condition=~models.Q(audience="team") | models.Q(team__isnull=False),
                name="shout_out_for_team_has_team",
            ),
            models.UniqueConstraint(
                fields=["bright_moment"],
                condition=models.Q(bright_moment__isnull=False),
                name="bright_moment_shared_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Shout-out to {self.celebrated}"


class EntryStatus(models.TextChoices):
    VERIFIED = "verified", "Verified: OpenDoors saw it happen"
    SELF_REPORTED = "self_reported", "Self-reported"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned with a comment"


class LedgerEntry(models.Model):
    """One piece of learning in a person's hours ledger.

    What OpenDoors saw happen (observing, hosting, a pre-brief, a debrief or meeting attended,
    a follow-up answered, a protocol facilitated) is computed, never typed: `source` names
    the event ("visit:12:observed"), so accruing again changes nothing, and an event that no
    longer counts (a cancelled visit) takes its entry away while it is unposted. Other
    learning is reported by the teacher (`source` blank). Credits follow the district's
    rules until the entry is posted (exported to HR); then they never change."""

    entry_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ledger_entries")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date = models.DateField()
    activity = models.CharField(max_length=32, choices=LearningActivity.choices)
    title = models.CharField(max_length=300)
    minutes = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=EntryStatus.choices)
    source = models.CharField(max_length=80, blank=True)
    cycle = models.ForeignKey(
        Cycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reflection = models.TextField(blank=True, max_length=5000)
    credits = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal(0))
    credit_unit = models.CharField(max_length=20, blank=True)
    designations = models.JSONField(default=list, blank=True)
    reviewed_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True, max_length=2000)
    posted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "ledger entries"
        # The leaders' dashboards and the district export read a school's (a district's)
        # entries by month: without these they scan the whole ledger.
        indexes = [
            models.Index(fields=["school", "date"], name="ledger_school_date"),
            models.Index(fields=["district", "date"], name="ledger_district_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "source"],
                condition=~models.Q(source=""),
                name="ledger_entry_once_per_event",
            ),
            models.CheckConstraint(
                condition=models.Q(minutes__gt=0) & models.Q(minutes__lte=24 * 60),
                name="ledger_entry_minutes_in_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.minutes} min)"


class Artifact(models.Model):
    """A file that documents learning (student work with names removed, a photo of an anchor
    chart, a lesson plan, slides), its owner's, attached to one of their goals, follow-ups,
    pre-briefs or ledger entries. Served only as a download to those allowed."""

    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="artifacts")
    file = models.FileField(upload_to="artifacts/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    caption = models.TextField(blank=True, max_length=2000)
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="artifacts"
    )
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="artifacts"
    )
    pre_brief = models.ForeignKey(
        PreBrief, on_delete=models.SET_NULL, null=True, blank=True, related_name="artifacts"
    )
    ledger_entry = models.ForeignKey(
        LedgerEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="artifacts"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class PortfolioSection(models.TextChoices):
    CYCLES = "cycles", "My cycles"
    GOALS = "goals", "Goals and follow-ups"
    REFLECTIONS = "reflections", "Reflections"
    ARTIFACTS = "artifacts", "Artifacts"
    CELEBRATIONS = "celebrations", "Celebrations"
    HOURS = "hours", "Hours and credits"


class PortfolioShare(models.Model):
    """A teacher shares their private portfolio (the sections they chose) with a named
    colleague, or by a link that expires; withdrawn, it stops working at once."""

    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="portfolio_shares")
    colleague = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    sections = models.JSONField(default=list)
    expires_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(colleague__isnull=False) | models.Q(token__isnull=False),
                name="portfolio_share_to_someone_or_by_link",
            ),
        ]

    def __str__(self) -> str:
        return f"Portfolio of {self.owner}"


class Credential(models.Model):
    """An Open Badges 3.0 credential a teacher claimed for a cycle they completed, as issued:
    the signed credential is kept exactly as it was handed out, so it can be downloaded again
    and its place in the district's status list says whether it has been revoked."""

    credential_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credentials")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(
        Cycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="credentials"
    )
    # The credential's bit in the district's revocation status list.
    status_index = models.PositiveIntegerField()
    issued_at = models.DateTimeField()
    # The signed credential (a compact VC-JWT), byte for byte as issued.
    signed = models.TextField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "status_index"], name="credential_status_index_unique"
            ),
            # One credential per person and cycle: claiming twice gives the same one.
            models.UniqueConstraint(
                fields=["person", "cycle"],
                condition=models.Q(cycle__isnull=False),
                name="one_credential_per_person_and_cycle",
            ),
        ]

    def __str__(self) -> str:
        return f"Credential {self.credential_id} for {self.person}"
