"""The leaders' view of a school's cycles: every cycle's plan and stage, and each step as counts,
in a fixed number of queries however many cycles; and the district's strategy with each school's
goals and the cycles serving them.

What it reads (DESIGN.md, "Who sees what"): the plan (focus, look-fors, people, schedule,
coverage) and facts of the cycle's shared work (pre-briefs written, visits held, debriefs
done) as they are; how many set a goal or answered a follow-up only over at least k people
(`access.goal_counts_shown_to_leaders`). Never evidence, a debrief's notes or takeaways, a
goal's or an answer's words, nor which person did which step.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from opendoors import access
from schools.models import District, ImprovementGoal, School

from .models import Cycle, LookFor, Participant, ParticipantRole, PreBrief, Stage
from .stages import CycleStage, stage_facts, stage_shown


@dataclass(frozen=True)
class StepCount:
    """One step of a cycle as a count: `done` of `of` (None: not shown to leaders)."""

    name: str
    done: int | None
    of: int | None
    unit: str

    @property
    def complete(self) -> bool:
        return self.done is not None and self.of is not None and 0 < self.of <= self.done


@dataclass
class LeaderCycle:
    cycle: Cycle
    stage: CycleStage
    people: int
    look_fors: list[LookFor]
    steps: list[StepCount] = field(default_factory=list)


@dataclass(frozen=True)
class CycleFilters:
    stage: str = ""
    structure: str = ""
    goal: int | None = None  # an improvement goal's id; 0: cycles that name no goal


def _count(rows: QuerySet, counted: str = "pk", distinct: bool = False) -> Coalesce:
    """A correlated count of `rows` (filtered on OuterRef), as a column of the cycle query."""
    n = Count(counted, distinct=distinct)
    column = rows.order_by().values("cycle").annotate(n=n).values("n")
    return Coalesce(Subquery(column, output_field=IntegerField()), 0)


def _cycles_with_counts(school: School) -> QuerySet[Cycle]:
    from growth.models import FollowUp, Goal

    host_still = Participant.objects.filter(
        cycle=OuterRef("cycle"), person=OuterRef("host"), role=ParticipantRole.HOST
    )
    answered = FollowUp.objects.filter(goal=OuterRef("pk"), answered_at__isnull=False)
    return (
        Cycle.objects.filter(school=school)
        .select_related("school__district", "improvement_goal")
        .prefetch_related(
            Prefetch("look_fors", queryset=LookFor.objects.filter(retired=False), to_attr="live")
        )
        .annotate(
            people_n=_count(Participant.objects.filter(cycle=OuterRef("pk")), "person", True),
            hosts_n=_count(
                Participant.objects.filter(cycle=OuterRef("pk"), role=ParticipantRole.HOST)
            ),
            pre_briefs_n=_count(
                PreBrief.objects.filter(cycle=OuterRef("pk")).filter(Exists(host_still))
            ),
            with_goal_n=_count(Goal.objects.filter(cycle=OuterRef("pk")), "person", True),
            answered_n=_count(
                Goal.objects.filter(cycle=OuterRef("pk")).filter(Exists(answered)),
                "person",
                True,
            ),
        )
        .order_by("-created_at")
    )


def _steps(cycle: Cycle, stage: CycleStage, now: datetime) -> list[StepCount]:
    facts = stage.facts
    visits = len(facts.visits)
    steps = []
    if cycle.needs_pre_brief:
        steps.append(StepCount("Pre-briefs written", cycle.pre_briefs_n, cycle.hosts_n, "hosts"))  # type: ignore[attr-defined]
    steps += [
        StepCount("Visits held", len(facts.visits_over(now)), visits, "visits"),
        StepCount("Debriefs done", sum(v.debrief_done for v in facts.visits), visits, "visits"),
    ]
    people, with_goal = cycle.people_n, cycle.with_goal_n  # type: ignore[attr-defined]
    school = cycle.school
    goals_shown = access.goal_counts_shown_to_leaders(school, with_goal, people)
    steps.append(StepCount("Set a goal", with_goal if goals_shown else None, people, "people"))
    if cycle.needs_follow_up:
        # Counted over those who set a goal: shown only when that number is, and then by the
        # same rule.
        answered = cycle.answered_n  # type: ignore[attr-defined]
        shown = goals_shown and access.goal_counts_shown_to_leaders(school, answered, with_goal)
        steps.append(
            StepCount(
                "Followed up",
                answered if shown else None,
                with_goal if goals_shown else None,
                "people with a goal",
            )
        )
    return steps


def school_cycles_for_leaders(
    school: School, *, now: datetime, filters: CycleFilters = CycleFilters()
) -> list[LeaderCycle]:
    """Every cycle of the school (newest first), with its stage and steps: three queries."""
    cycles = _cycles_with_counts(school)
    if filters.structure:
        cycles = cycles.filter(structure=filters.structure)
    if filters.goal == 0:
        cycles = cycles.filter(improvement_goal__isnull=True)
    elif filters.goal is not None:
        cycles = cycles.filter(improvement_goal_id=filters.goal)
    found = list(cycles)
    facts = stage_facts(found) if found else {}
    rows = []
    for cycle in found:
        stage = stage_shown(cycle, facts[cycle.pk], now)
        if filters.stage and stage.value != filters.stage:
            continue
        rows.append(
            LeaderCycle(
                cycle,
                stage,
                cycle.people_n,  # type: ignore[attr-defined]
                cycle.live,  # type: ignore[attr-defined]
                _steps(cycle, stage, now),
            )
        )
    return rows


def leader_cycle(cycle: Cycle, *, now: datetime) -> LeaderCycle:
    """One cycle as `school_cycles_for_leaders` shows it (three queries)."""
    found = _cycles_with_counts(cycle.school).get(pk=cycle.pk)
    stage = stage_shown(found, stage_facts([found])[found.pk], now)
    return LeaderCycle(found, stage, found.people_n, found.live, _steps(found, stage, now))  # type: ignore[attr-defined]


def stage_counts(rows: list[LeaderCycle]) -> list[tuple[Stage, int]]:
    """How many cycles are at each stage, in the stages' order (every stage, zeros too)."""
    counted = Counter(row.stage.stage for row in rows)
    return [(stage, counted[stage]) for stage in Stage]


@dataclass(frozen=True)
class SchoolCycleStages:
    school_id: int
    stages: list[tuple[Stage, int]]
    total: int


def cycles_by_stage(school_ids: set[int], *, now: datetime) -> dict[int, SchoolCycleStages]:
    """For the leaders' home: each school's cycles counted by stage (two queries, none when
    `school_ids` is empty)."""
    if not school_ids:
        return {}
    cycles = list(Cycle.objects.filter(school__in=school_ids).select_related("school"))
    facts = stage_facts(cycles) if cycles else {}
    counted: dict[int, Counter[Stage]] = {pk: Counter() for pk in school_ids}
    for cycle in cycles:
        counted[cycle.school_id][stage_shown(cycle, facts[cycle.pk], now).stage] += 1
    return {
        pk: SchoolCycleStages(pk, [(s, c[s]) for s in Stage if c[s]], sum(c.values()))
        for pk, c in counted.items()
    }


@dataclass
class GoalCycles:
    goal: ImprovementGoal
    cycles: list[tuple[Cycle, CycleStage]] = field(default_factory=list)


@dataclass
class SchoolStrategy:
    school: School
    goals: list[GoalCycles]
    without_goal: int  # cycles that name none of the school's goals


def district_strategy(district: District, *, now: datetime) -> list[SchoolStrategy]:
    """Each school of the district (not archived) with its goals (not archived) and the
    cycles serving each: titles, structures and stages only. Four queries."""
    schools = list(
        School.objects.filter(district=district, archived_at__isnull=True).order_by("name")
    )
    goals = list(
        ImprovementGoal.objects.filter(school__in=schools, archived_at__isnull=True).order_by(
            "position", "id"
        )
    )
    cycles = list(
        Cycle.objects.filter(school__in=schools).select_related("school").order_by("-created_at")
    )
    facts = stage_facts(cycles) if cycles else {}
    by_goal: dict[int, GoalCycles] = {goal.pk: GoalCycles(goal) for goal in goals}
    without: Counter[int] = Counter()
    for cycle in cycles:
        serving = by_goal.get(cycle.improvement_goal_id or 0)
        if serving is None:
            without[cycle.school_id] += 1
        else:
            serving.cycles.append((cycle, stage_shown(cycle, facts[cycle.pk], now)))
    return [
        SchoolStrategy(
            school,
            [by_goal[goal.pk] for goal in goals if goal.school_id == school.pk],
            without[school.pk],
        )
        for school in schools
    ]
