"""A year of history at Lincoln and Roosevelt, so that the leaders' pages have something to
show right after `make demo`: past rounds and learning walks, one every two months or so,
each visited and captured through the same services as the pages (`demo.cycles._captured`
sends what observers noted the way a phone does), debriefed, with a goal and its follow-up.

The cycles repeat the same look-fors, so the patterns page draws them over time, and most
serve one of the school's improvement goals (demo/goals.py). One pilot at each school visited
only two teachers' classrooms: fewer than k = 3, so the patterns page shows it as suppressed
and adds it to no total. A school that already has its history is left as it is.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from growth.services import follow_up_answer, goal_set
from inquiry.models import Cycle
from inquiry.services import cycle_start, look_for_add, participants_set
from inquiry.structures import EvidencePart, Structure
from schools.models import ImprovementGoal, Person, School
from visits.models import Debrief
from visits.rules import ObserverPlan, VisitPlan
from visits.services import visit_schedule

from .cycles import (
    ROUNDS_LOOK_FORS,
    WALK_LOOK_FORS,
    WALK_WORDS,
    _captured,
    _free,
    _slot,
    _teaching,
    _tool_offers,
)
from .district import SEED


@dataclass(frozen=True)
class Past:
    """One past cycle: how long ago its visits were, how many classrooms each visited."""

    structure: str
    title: str
    problem: str
    months_ago: int
    hosts: int
    visits: int = 2
    goal: int | None = 0  # the school's improvement goal it serves, by position


REASONING_PROBLEM = (
    "When students solve multi-step problems, few explain why their strategy works; most "
    "report only the answer."
)
TALK_PROBLEM = "Teachers do most of the talking; students rarely respond to one another."
HISTORY = [
    Past(Structure.ROUNDS, "Rounds: explaining strategies", REASONING_PROBLEM, 11, 4),
    Past(Structure.WALK, "Learning walk: who does the talking?", TALK_PROBLEM, 9, 3, goal=1),
    Past(Structure.ROUNDS, "Rounds: reasoning in pairs", REASONING_PROBLEM, 7, 3),
    Past(Structure.ROUNDS, "Pilot: two classrooms try talk moves", TALK_PROBLEM, 6, 2, 1, None),
    Past(
        Structure.WALK, "Learning walk: students responding to students", TALK_PROBLEM, 5, 3, goal=1
    ),
    Past(Structure.ROUNDS, "Rounds: justify with a model", REASONING_PROBLEM, 3, 3),
]
# Each school's slot for its history (a Wednesday period with many teaching and many free).
SLOTS = {"lincoln": ("Wed", "2"), "roosevelt": ("Wed", "3")}
FACILITATORS = {"lincoln": "coach", "roosevelt": "roosevelt-principal"}


def _past_wednesday(months_ago: int, week: int, today: date) -> date:
    day = today - timedelta(days=30 * months_ago) + timedelta(weeks=week)
    return day - timedelta(days=day.weekday()) + timedelta(days=2)


def _past_cycle(
    school: School, facilitator: Person, past: Past, n: int, today: date, rng: random.Random
) -> None:
    cycle = cycle_start(
        school=school,
        structure=past.structure,
        title=past.title,
        by=facilitator,
        problem_of_practice=past.problem,
    )
    goals = list(ImprovementGoal.objects.filter(school=school, archived_at__isnull=True))
    if past.goal is not None and len(goals) > past.goal:
        cycle.improvement_goal = goals[past.goal]
        cycle.save(update_fields=["improvement_goal"])
    look_fors = ROUNDS_LOOK_FORS if past.structure == Structure.ROUNDS else WALK_LOOK_FORS
    for text, kind in look_fors:
        look_for_add(cycle=cycle, text=text, kind=kind)
    _tool_offers(cycle, EvidencePart.CHECKLIST, EvidencePart.TALK_TIME)
    slot = _slot(school, *SLOTS[school.slug])
    teaching = _teaching(slot)
    free = [p for p in _free(school, slot, teaching) if p != facilitator]
    # Hosts and observers change from cycle to cycle, as hosting rotates.
    lessons = list(teaching.values())
    start = (n * 3) % max(1, len(lessons) - past.hosts * past.visits)
    hosts = [m.teacher for m in lessons[start : start + past.hosts * past.visits]]
    observers = free[(n * 2) % max(1, len(free) - 3) :][:3]
    participants_set(cycle=cycle, observers=observers, hosts=hosts, facilitators=[facilitator])
    for v in range(past.visits):
        visiting = hosts[v * past.hosts : (v + 1) * past.hosts]
        visit = visit_schedule(
            cycle=cycle,
            plan=VisitPlan(
                date=_past_wednesday(past.months_ago, 2 * v, today),
                slot=slot,
                classrooms=[(host, teaching[host.pk].section) for host in visiting],
                observers=[ObserverPlan(p) for p in observers],
            ),
            notify=False,
        )
        _captured(visit, observers, WALK_WORDS, rng)
        Debrief.objects.create(
            visit=visit,
            takeaways="Where the task asked for a reason, more students gave one.",
            team_next_step="Each of us asks “how do you know?” twice a lesson this month.",
        )
    goal = goal_set(
        person=observers[0],
        cycle=cycle,
        visit=visit,
        text="Ask “how do you know?” and wait five seconds before taking an answer.",
        try_by=visit.date + timedelta(days=14),
        shared_with_facilitators=True,
    )
    follow_up_answer(
        follow_up=goal.follow_up,
        tried=True,
        results="partly",
        why="More students answered, but the explanations stayed short.",
        share=True,
    )


@transaction.atomic
def demo_history_load(*, today: date) -> None:
    """A year of past cycles at Lincoln and at Roosevelt; a school with them already is kept."""
    rng = random.Random(SEED + 1)
    for slug, username in FACILITATORS.items():
        school = School.objects.get(slug=slug)
        if Cycle.objects.filter(school=school, title=HISTORY[0].title).exists():
            continue
        facilitator = Person.objects.get(username=username)
        for n, past in enumerate(HISTORY):
            _past_cycle(school, facilitator, past, n, today, rng)
