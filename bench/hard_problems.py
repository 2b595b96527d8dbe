"""Scheduling problems where the greedy plan is not the best: the ones a scheduler exists for.

- `scarce_week(teachers)`: a district-size week (200 to 800 teachers) with many rounds and
  learning walks (three groups for every four teachers, 4–5 observers visiting 5
  classrooms), each teacher covering at most once and only two substitute periods:
  coverage, not classrooms, decides how many groups fit.
- `used_up_week(teachers)`: the same, after a month in which a third of the staff already
  covered (their `max_coverages` is 0) and hosting is limited to 3 periods a teacher.
- `tight_week(path)`: a real timetable in which every teacher asks two visits, one observer
  per classroom, two hosted periods and one coverage per teacher, two substitute periods.

Each is a fixed function of its arguments (seeded), so a benchmark run can be repeated.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from scheduler.from_rosters import read_schedule
from scheduler.generate import school
from scheduler.problem import Problem, Request, Rules


def scarce_week(teachers: int, *, seed: int = 0, groups_per_teacher: float = 0.75) -> Problem:
    problem = school(teachers, seed=seed)
    rng = random.Random(seed)
    ids = [t.id for t in problem.teachers]
    requests = tuple(
        Request(f"G{i + 1}", "group", tuple(rng.sample(ids, k=rng.choice((4, 5)))), classrooms=5)
        for i in range(round(teachers * groups_per_teacher))
    )
    rules = Rules(max_observers_per_classroom=5, max_coverages_per_teacher=1, substitute_periods=2)
    return replace(problem, requests=requests, rules=rules)


def used_up_week(teachers: int, *, seed: int = 0) -> Problem:
    problem = scarce_week(teachers, seed=seed)
    rng = random.Random(seed + 1)
    staff = tuple(
        replace(t, max_coverages=0) if rng.random() < 1 / 3 else t for t in problem.teachers
    )
    return replace(problem, teachers=staff, rules=replace(problem.rules, max_hosting_per_teacher=3))


def tight_week(path: Path) -> Problem:
    problem = read_schedule(path)
    requests = tuple(
        Request(f"P{i + 1}", "pair", (t.id,), visits=2) for i, t in enumerate(problem.teachers)
    )
    rules = Rules(
        max_observers_per_classroom=1,
        max_hosting_per_teacher=2,
        max_coverages_per_teacher=1,
        substitute_periods=2,
    )
    return replace(problem, requests=requests, rules=rules)
