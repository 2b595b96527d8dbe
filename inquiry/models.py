"""A cycle of inquiry: its structure's settings, its focus, its people, look-fors and pre-briefs.

Nothing here rates a teacher: the focus and the look-fors are about what students
do, say and think.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models

from schools.models import Person, School

from .structures import PRESETS, DebriefTiming, Grouping, Preset, Structure

THEORY_OF_ACTION = re.compile(r"^\s*if\b.+\bthen\b.+", re.IGNORECASE | re.DOTALL)


def theory_of_action_check(text: str) -> None:
    """A theory of action reads "If …, then …"."""
    if text and not THEORY_OF_ACTION.match(text):
        missing = "“If”" if not text.strip().lower().startswith("if") else "“then …”"
        raise ValidationError(
            f"A theory of action reads “If …, then …”: this one has no {missing}. For example: "
            "“If students discuss the learning target with a partner, then more of them will "
            "explain their reasoning in writing.”"
        )


class Stage(models.TextChoices):
    PLANNING = "planning", "Planning"
    SCHEDULED = "scheduled", "Visits scheduled"
    DEBRIEFING = "debriefing", "Debriefing"
    FOLLOWING_UP = "following_up", "Following up"
    CLOSED = "closed", "Closed"


class Cycle(models.Model):
    """One turn of the cycle of inquiry, in one of the five structures."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="cycles")
    title = models.CharField(max_length=200)
    structure = models.CharField(max_length=20, choices=Structure.choices)
    # The stage follows the steps by itself (`inquiry.stages.stage_of`, computed from facts on
    # read); a facilitator may set it by hand, and it then stays here until they clear it.
    stage_by_hand = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # The structure's preset, each setting changeable.
    grouping = models.CharField(max_length=10, choices=Grouping.choices)
    visit_minutes = models.PositiveSmallIntegerField()
    debrief_timing = models.CharField(max_length=20, choices=DebriefTiming.choices)
    needs_problem_of_practice = models.BooleanField()
    needs_theory_of_action = models.BooleanField()
    needs_pre_brief = models.BooleanField()
    needs_follow_up = models.BooleanField()

    # The focus.
    problem_of_practice = models.TextField(blank=True)
    focuses_on_instructional_core = models.BooleanField(default=False)
    is_directly_observable = models.BooleanField(default=False)
    is_actionable = models.BooleanField(default=False)
    connects_to_strategy = models.BooleanField(default=False)
    is_high_leverage = models.BooleanField(default=False)
    theory_of_action = models.TextField(blank=True, validators=[theory_of_action_check])
    informed_by = models.TextField(
        blank=True, help_text="What informed the focus: student work, data, observations."
    )
    data_file = models.FileField(upload_to="cycles/%Y/%m/", blank=True)
    initiative = models.CharField(
        max_length=200,
        blank=True,
        help_text="The school initiative or instructional framework this cycle serves.",
    )
    # The school's improvement goal this cycle serves (leaders see cycles grouped by it).
    improvement_goal = models.ForeignKey(
        "schools.ImprovementGoal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cycles",
    )
    # The evidence tool: an ordered list of parts, e.g. {"kind": "tally", "labels": [...]}.
    evidence_tool = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visit_minutes__gte=5) & models.Q(visit_minutes__lte=240),
                name="visit_length_is_5_to_240_minutes",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def preset(self) -> Preset:
        """What the structure itself sets (anonymous classrooms, protocol, pairings…)."""
        return PRESETS[self.structure]

    @property
    def criteria_met(self) -> int:
        return sum(
            [
                self.focuses_on_instructional_core,
                self.is_directly_observable,
                self.is_actionable,
                self.connects_to_strategy,
                self.is_high_leverage,
            ]
        )


class ParticipantRole(models.TextChoices):
    FACILITATOR = "facilitator", "Facilitator"
    OBSERVER = "observer", "Observer"
    HOST = "host", "Host"


class Participant(models.Model):
    """A person's part in a cycle; a teacher in a round may both host and observe."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="participations")
    role = models.CharField(max_length=20, choices=ParticipantRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person", "role"], name="one_part_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class LookForKind(models.TextChoices):
    VISUAL = "visual", "Visual (what you would see)"
    ORAL = "oral", "Oral (what you would hear)"


class LookFor(models.Model):
    """What observers would see or hear students do, say or think."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="look_fors")
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=LookForKind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    retired = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class PreBrief(models.Model):
    """What a host shares before observers walk in."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="pre_briefs")
    host = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pre_briefs")
    instructional_goal = models.TextField(blank=True)
    expectations = models.TextField(blank=True)
    focus = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "host"], name="one_pre_brief_per_host"),
        ]

    def __str__(self) -> str:
        return f"Pre-brief of {self.host}"


class SharedPlanKind(models.TextChoices):
    EVIDENCE_TOOL = "evidence_tool", "Evidence tool"
    LOOK_FORS = "look_fors", "Look-for set"


class SharedPlan(models.Model):
    """An evidence tool or a set of look-fors that worked, shared by a cycle's facilitator to
    the district's library for other schools to copy. A copy of the plan, never evidence:
    `content` is the tool's parts, or the look-fors as [{"text", "kind"}]."""

    district = models.ForeignKey(
        "schools.District", on_delete=models.CASCADE, related_name="shared_plans"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="shared_plans")
    author = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=20, choices=SharedPlanKind.choices)
    title = models.CharField(max_length=200)
    problem_of_practice = models.TextField(blank=True)
    content = models.JSONField()
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-shared_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
