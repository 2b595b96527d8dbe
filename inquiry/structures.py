"""The five structures of DESIGN.md as presets of one cycle of inquiry: everything that
differs between structures is set here, once, and read from here.

Part of a preset fills in a new cycle's settings (the fields of `Cycle`), which the
facilitator may change each one; the rest belongs to the structure itself and is read
through `cycle.preset` (whether classrooms are anonymous letters, how many a group visits,
which pairings the scheduler prefers, the debrief's protocol and wording).
`classroom_label` is the one name of a visit's classroom that pages, the API and
calendars show.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from visits.models import VisitClassroom

    from .models import Cycle


class Structure(models.TextChoices):
    ROUNDS = "rounds", "Instructional rounds"
    LAB = "lab", "Peer learning lab"
    SWAP = "swap", "Coverage swap day"
    MICRO = "micro", "Micro-observation"
    WALK = "walk", "Learning walk"


class Grouping(models.TextChoices):
    GROUP = "group", "A group of observers visits together"
    PAIR = "pair", "One observer visits one host"


class DebriefTiming(models.TextChoices):
    IMMEDIATELY = "immediately", "Right after the visits"
    SAME_DAY = "same_day", "The same day"
    WITHIN_24_HOURS = "within_24_hours", "Within 24 hours"
    WITHIN_A_WEEK = "within_a_week", "Within a week"


class EvidencePart(models.TextChoices):
    CHECKLIST = "checklist", "Look-for checklist with counts"
    TALLY = "tally", "Tally counters"
    TALK_TIME = "talk_time", "Talk-time tracker"
    WHAT_SO_WHAT = "what_so_what", "What / So what / Now what"
    NOTES = "notes", "Timestamped notes"
    TIME_OUTS = "time_outs", "Teacher time-out log"
    STUDENT_PROMPTS = "student_prompts", "Prompts about students"


@dataclass(frozen=True)
class ProtocolStep:
    """One timed step of a debrief protocol, with the facilitator's prompt."""

    name: str
    prompt: str
    minutes: int


@dataclass(frozen=True)
class DebriefProtocol:
    """A structure's debrief protocol: the library protocol `key` (teams.library), whose steps
    are built from these words, the one place they are written. The debrief runs the library's
    protocol (visits.services.debrief_run_start); iterating gives the steps."""

    key: str
    steps: tuple[ProtocolStep, ...]

    def __iter__(self) -> Iterator[ProtocolStep]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)


DESCRIBE_TO_NEXT_LEVEL = DebriefProtocol(
    "rounds-debrief",
    (
        ProtocolStep(
            "Describe",
            "What did you see and hear students do and say? Evidence only, no judgments.",
            10,
        ),
        ProtocolStep("Analyze", "What patterns and trends do you notice across classrooms?", 10),
        ProtocolStep(
            "Predict",
            "If you were a student in these classrooms and did everything you "
            "were asked to do, what would you learn?",
            5,
        ),
        ProtocolStep("Next level of work", "What would move practice forward, for all of us?", 10),
    ),
)
WHAT_SO_WHAT = DebriefProtocol(
    "what-so-what",
    (
        ProtocolStep("What", "What did we see and hear?", 5),
        ProtocolStep("So what", "Why does it matter for student understanding?", 10),
        ProtocolStep("Now what", "What are the implications for my practice?", 10),
    ),
)
STUDENT_EXPERIENCE = DebriefProtocol(
    "student-experience-debrief",
    (
        ProtocolStep("Did", "What did students do?", 5),
        ProtocolStep("Said", "What did students say?", 5),
        ProtocolStep("Thought", "What were students thinking? How do we know?", 10),
        ProtocolStep("Next step", "What one next step will our team take?", 5),
    ),
)


STUDENT_PROMPTS = {
    "kind": EvidencePart.STUDENT_PROMPTS,
    "prompts": [
        "What are students doing?",
        "What are students saying?",
        "What are students thinking? How do you know?",
    ],
}
QUESTION_TYPES = {
    "kind": EvidencePart.TALLY,
    "title": "Question types",
    "labels": ["Recall", "Open-ended", "Student-to-student"],
}

# Where a debrief looks for patterns: several classrooms, or the one a lab or a pair visits.
ACROSS_CLASSROOMS = "across classrooms"
IN_THIS_CLASSROOM = "in this classroom"
VOLUNTEER_HOST = "a volunteer host"
ROTATING_HOSTS = "rotate hosting so that participation is shared"


@dataclass(frozen=True)
class Preset:
    # A new cycle's settings (fields of the same names on Cycle), each changeable.
    grouping: str
    visit_minutes: int
    debrief_timing: str
    needs_problem_of_practice: bool
    needs_theory_of_action: bool
    needs_pre_brief: bool
    needs_follow_up: bool
    evidence_tool: tuple[dict, ...]
    # The structure's own, read through `cycle.preset`.
    summary: str
    # Classrooms are letters (A, B, C) in `classroom_label`, not sections: the group looks
    # for patterns across several classrooms, not at one teacher.
    anonymous_classrooms: bool
    classrooms_per_visit: int  # a group visit's classrooms in one period, at most
    pairing_preferences: tuple[str, ...]  # as scheduler.Request.prefer reads them
    # The whole team rotates through one day: each member observes a teammate while a free
    # colleague or a substitute covers.
    swap_day: bool
    debrief_protocol: DebriefProtocol  # its `key` names the library protocol the debrief runs
    patterns_where: str  # ACROSS_CLASSROOMS or IN_THIS_CLASSROOM
    hosting: str  # how the facilitator picks hosts
    # The debrief's words: who it is for (a group across classrooms, or one observer and one
    # host) and what its one next step is called.
    debrief_lede: str
    next_step_label: str


PRESETS: dict[str, Preset] = {
    Structure.ROUNDS: Preset(
        grouping=Grouping.GROUP,
        visit_minutes=15,
        debrief_timing=DebriefTiming.IMMEDIATELY,
        needs_problem_of_practice=True,
        needs_theory_of_action=True,
        needs_pre_brief=False,
        needs_follow_up=True,
        evidence_tool=(
            {"kind": EvidencePart.CHECKLIST},
            {"kind": EvidencePart.TALK_TIME},
            {"kind": EvidencePart.NOTES},
        ),
        summary="A group visits several classrooms for 10–15 minutes each around a shared "
        "problem of practice, then looks for patterns: describe, analyze, predict, next level "
        "of work.",
        anonymous_classrooms=True,
        classrooms_per_visit=3,
        pairing_preferences=(),
        swap_day=False,
        debrief_protocol=DESCRIBE_TO_NEXT_LEVEL,
        patterns_where=ACROSS_CLASSROOMS,
        hosting=ROTATING_HOSTS,
        debrief_lede="Patterns and trends across classrooms in what students did and said: "
        "never commentary on one teacher.",
        next_step_label="Our team's next step",
    ),
    Structure.LAB: Preset(
        grouping=Grouping.GROUP,
        visit_minutes=45,
        debrief_timing=DebriefTiming.IMMEDIATELY,
        needs_problem_of_practice=True,
        needs_theory_of_action=False,
        needs_pre_brief=True,
        needs_follow_up=True,
        evidence_tool=(
            {"kind": EvidencePart.WHAT_SO_WHAT},
            {"kind": EvidencePart.TIME_OUTS},
            {"kind": EvidencePart.NOTES},
        ),
        summary="A volunteer host opens one lesson around a strategy they are refining; a "
        "small group observes, calls time-outs to think together, and reflects right after.",
        anonymous_classrooms=False,
        classrooms_per_visit=1,
        pairing_preferences=(),
        swap_day=False,
        debrief_protocol=WHAT_SO_WHAT,
        patterns_where=IN_THIS_CLASSROOM,
        hosting=VOLUNTEER_HOST,
        debrief_lede="What students did and said in this lesson, for the group to think about "
        "together: evidence, never a rating of the host.",
        next_step_label="The group's next step",
    ),
    Structure.SWAP: Preset(
        grouping=Grouping.PAIR,
        visit_minutes=45,
        debrief_timing=DebriefTiming.SAME_DAY,
        needs_problem_of_practice=False,
        needs_theory_of_action=False,
        needs_pre_brief=False,
        needs_follow_up=True,
        evidence_tool=({"kind": EvidencePart.WHAT_SO_WHAT}, {"kind": EvidencePart.NOTES}),
        summary="A grade-level or department team rotates coverage so that each member "
        "observes a colleague during a regular block, then fills a short reflection form.",
        anonymous_classrooms=False,
        classrooms_per_visit=1,
        pairing_preferences=("cross_content",),
        swap_day=True,
        debrief_protocol=WHAT_SO_WHAT,
        patterns_where=IN_THIS_CLASSROOM,
        hosting=ROTATING_HOSTS,
        debrief_lede="What students did and said in the classroom you visited, to reflect on: "
        "evidence, never a rating of your colleague.",
        next_step_label="What I will take back to my team",
    ),
    Structure.MICRO: Preset(
        grouping=Grouping.PAIR,
        visit_minutes=15,
        debrief_timing=DebriefTiming.WITHIN_24_HOURS,
        needs_problem_of_practice=False,
        needs_theory_of_action=False,
        needs_pre_brief=False,
        needs_follow_up=True,
        evidence_tool=(QUESTION_TYPES, {"kind": EvidencePart.TALK_TIME}),
        summary="One observer, one host, 10–15 minutes on one tight focus such as questioning "
        "patterns or student talk time; debrief within 24 hours; the visit is returned.",
        anonymous_classrooms=False,
        classrooms_per_visit=1,
        pairing_preferences=(),
        swap_day=False,
        debrief_protocol=WHAT_SO_WHAT,
        patterns_where=IN_THIS_CLASSROOM,
        hosting=ROTATING_HOSTS,
        debrief_lede="What students did and said in this classroom, for the observer and the "
        "host to talk over one to one: evidence, never a rating.",
        next_step_label="Our next step",
    ),
    Structure.WALK: Preset(
        grouping=Grouping.GROUP,
        visit_minutes=10,
        debrief_timing=DebriefTiming.SAME_DAY,
        needs_problem_of_practice=False,
        needs_theory_of_action=False,
        needs_pre_brief=False,
        needs_follow_up=False,
        evidence_tool=(STUDENT_PROMPTS, {"kind": EvidencePart.NOTES}),
        summary="A mixed-grade group walks through several classrooms and notes the student "
        "experience: what students did, said and thought; each team names one next step.",
        anonymous_classrooms=True,
        classrooms_per_visit=3,
        pairing_preferences=("cross_grade", "cross_content"),
        swap_day=False,
        debrief_protocol=STUDENT_EXPERIENCE,
        patterns_where=ACROSS_CLASSROOMS,
        hosting=ROTATING_HOSTS,
        debrief_lede="Patterns across classrooms in what students did, said and thought: never "
        "commentary on one teacher.",
        next_step_label="Our team's next step",
    ),
}


def default_tool(structure: str) -> list[dict]:
    """A fresh copy of the structure's evidence tool template."""
    return [dict(part) for part in PRESETS[structure].evidence_tool]


def classroom_label(room: VisitClassroom, cycle: Cycle) -> str:
    """A visit's classroom as pages, the API and calendars name it: its letter where the
    structure keeps classrooms anonymous, else its section; never the host's name (a
    calendar feed is read by a third-party service)."""
    if PRESETS[cycle.structure].anonymous_classrooms:
        return f"Classroom {room.letter}"
    return str(room.section)
