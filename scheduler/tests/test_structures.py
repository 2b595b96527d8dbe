"""The structures the scheduler serves beyond plain requests: a coverage swap day for a
team, and the reciprocal visit offered after a micro-observation."""

from dataclasses import replace

import pytest

from scheduler import ProblemError, Rules, plan_problems, solve
from scheduler.reciprocal import combine, reciprocal_problem
from scheduler.swap_day import CoverageLimits, rotation, swap_day_choose, swap_day_problem

from .builders import pair, school

TEAM_SCHOOL = school(
    "Ana: Mon1 math 6, Mon2 math 6, Tue1 math 6, Tue2 math 6, Tue3 math 6",
    "Ben: Mon2 math 7, Mon3 math 7, Tue1 math 7, Tue2 math 7, Tue3 math 7",
    "Cara: Mon1 math 8, Mon3 math 8, Tue1 math 8, Tue2 math 8, Tue3 math 8",
    "Dev: Tue1 art 6",
    "Eli:",
    rules=Rules(max_coverages_per_teacher=3),
)


def test_a_swap_day_rotation_has_each_member_observe_a_teammate():
    day = swap_day_problem(TEAM_SCHOOL, team=["Ana", "Ben", "Cara"], day="Mon")
    plan = solve(day, time_limit=2)
    assert plan_problems(day, plan) == []
    assert sorted(v.observer for v in plan.visits) == ["Ana", "Ben", "Cara"]
    assert all(v.host in {"Ana", "Ben", "Cara"} and v.host != v.observer for v in plan.visits)
    assert plan.coverages == 0  # on Monday each has a free period when another teaches
    assert rotation(day, plan)[0].startswith("Mon ")


def test_on_a_full_day_colleagues_cover_within_what_is_left_of_their_limits():
    day = swap_day_problem(
        TEAM_SCHOOL,
        team=["Ana", "Ben", "Cara"],
        day="Tue",
        coverage=CoverageLimits(per_week=2, per_month=5, used_this_week={"Dev": 2}),
        substitute_periods=1,
    )
    assert day.max_coverages("Dev") == 0 and day.max_coverages("Eli") == 2
    plan = solve(day, time_limit=2)
    assert plan_problems(day, plan) == []
    covers = sorted(v.cover for v in plan.visits)
    assert covers == ["Eli", "Eli", "substitute"]
    assert any("a substitute covers" in line for line in rotation(day, plan))


def test_the_best_day_for_a_swap_needs_the_least_coverage():
    (best, plan), *_ = swap_day_choose(TEAM_SCHOOL, team=["Ana", "Ben", "Cara"], time_limit=1)
    assert best == "Mon" and plan.objective == 3 and plan.coverages == 0


def test_a_swap_day_for_an_unknown_teacher_or_day_is_refused():
    with pytest.raises(ProblemError) as error:
        swap_day_problem(TEAM_SCHOOL, team=["Ana", "Zed"], day="Sun")
    assert error.value.messages == [
        "team[1]: unknown teacher 'Zed'",
        "day: unknown day 'Sun' (days are Mon, Tue)",
    ]


def test_each_micro_observation_is_offered_its_reciprocal_visit():
    problem = school(
        "Ana: Mon1 math 6, Tue2 math 6",
        "Ben: Mon2 math 7, Tue1 math 7",
        "Cara: Mon1 art 6, Tue1 art 6",
        rules=Rules(max_hosting_per_teacher=2, max_coverages_per_teacher=1),
        requests=(pair("M1", "Ana", hosts=["Ben"]), pair("M2", "Cara", hosts=["Ana"])),
    )
    plan = solve(problem, time_limit=2)
    assert plan.objective == 2
    back = reciprocal_problem(problem, plan)
    assert [(r.observers, r.hosts) for r in back.requests] == [
        (("Ben",), ("Ana",)),
        (("Ana",), ("Cara",)),
    ]
    back_plan = solve(back, time_limit=2)
    assert plan_problems(back, back_plan) == []
    both, merged = combine(problem, plan, back, back_plan)
    assert plan_problems(both, merged) == []
    assert back_plan.objective == 2
    # With one hosting each, Ana (visited by Cara) cannot also host Ben: said in words.
    strict = reciprocal_problem(replace(problem, rules=Rules(max_hosting_per_teacher=1)), plan)
    assert (
        solve(strict, time_limit=1).unscheduled[0].reason == "Ana may not host (hosting limit 0)."
    )
