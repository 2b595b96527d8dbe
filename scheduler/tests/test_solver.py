"""The solver places visits by the rules, meets as many as possible, prefers good
pairings and little coverage, and reports a true bound beside the plan."""

import pytest

from scheduler import (
    SUBSTITUTE,
    ProblemError,
    Rules,
    greedy_plan,
    plan_problems,
    problem_from_json,
    solve,
)
from scheduler.generate import school as made_up_school
from scheduler.generate import with_requests
from scheduler.plan import Visit

from .builders import group, pair, school, solve_unhurried
from .test_problem_json import EXAMPLE


def solved(problem, **options):
    plan = solve(problem, time_limit=options.pop("time_limit", 3), **options)
    assert plan_problems(problem, plan) == []
    return plan


def test_the_example_of_formats_md_is_planned_and_what_cannot_be_done_is_explained():
    problem = problem_from_json(EXAMPLE)
    plan = solved(problem)
    # Only Ana (T1) teaches, once: one visit of R1 is possible, and no group of three rooms.
    assert [(v.observer, v.host, v.day, v.period, v.section) for v in plan.visits] == [
        ("T2", "T1", "Mon", "1", "3A")
    ]
    assert [(u.request, u.missing) for u in plan.unscheduled] == [("R1", 1), ("R2", 3)]
    assert plan.objective == plan.bound == 1 and plan.status == "OPTIMAL"


def test_a_free_observer_needs_no_cover():
    problem = school("Ana: Mon1 math 6", "Ben:", requests=(pair("R", "Ben"),))
    (visit,) = solved(problem).visits
    assert (visit.host, visit.cover) == ("Ana", None)


def test_a_teaching_observer_is_covered_by_a_free_colleague_or_else_a_substitute():
    problem = school(
        "Ana: Mon1 math 6",
        "Ben: Mon1 art 6",
        "Cara:",
        days=("Mon",),
        periods=("1",),
        requests=(pair("R", "Ben"),),
    )
    assert solved(problem).visits[0].cover == "Cara"
    busy_cara = school(
        "Ana: Mon1 math 6",
        "Ben: Mon1 art 6",
        "Cara: Mon1 x",
        days=("Mon",),
        periods=("1",),
        rules=Rules(substitute_periods=1),
        requests=(pair("R", "Ben"),),
    )
    assert solved(busy_cara).visits[0].cover == SUBSTITUTE


def test_a_free_period_is_preferred_to_a_coverage():
    problem = school(
        "Ana: Mon1 math 6, Mon2 math 6",
        "Ben: Mon1 art 6",
        "Cara:",
        requests=(pair("R", "Ben"),),
    )
    (visit,) = solved(problem).visits
    assert (visit.period, visit.cover) == ("2", None)


def test_coverage_limits_and_substitute_periods_hold():
    problem = school(
        "Ana: Mon1 math 6, Mon2 math 6, Mon3 math 6",
        "Ben: Mon1 art 6, Mon2 art 6, Mon3 art 6",
        "Cara: Mon1 art 6, Mon2 art 6, Mon3 art 6",
        "Dev:",
        days=("Mon",),
        rules=Rules(max_coverages_per_teacher=1, substitute_periods=1),
        requests=(
            pair("R", "Ben", visits=1),
            pair("S", "Cara", visits=1),
            group("G", "Ben", "Cara"),
        ),
    )
    plan = solved(problem)
    covers = sorted(v.cover for v in plan.visits)
    assert covers.count("Dev") <= 1 and covers.count(SUBSTITUTE) <= 1
    assert plan.objective == 2 == plan.bound


def test_a_group_is_met_whole_or_not_at_all():
    problem = school(
        "Ana: Mon1 math 6, Tue1 math 6",
        "Ben: Mon1 math 7",
        "Cara:",
        "Dev: Tue1 x",
        requests=(group("G", "Cara", "Dev", classrooms=2),),
    )
    plan = solved(problem)
    assert {(v.observer, v.host, v.day) for v in plan.visits} == {
        ("Cara", "Ana", "Mon"),
        ("Cara", "Ben", "Mon"),
        ("Dev", "Ana", "Mon"),
        ("Dev", "Ben", "Mon"),
    }
    assert plan.objective == 2
    three = school(
        "Ana: Mon1 math 6",
        "Ben: Mon1 math 7",
        "Cara:",
        requests=(group("G", "Cara", classrooms=3),),
    )
    plan = solved(three)
    assert plan.visits == [] and plan.unscheduled[0].missing == 3


def test_a_new_teacher_observes_an_experienced_colleague_rather_than_another_new_one():
    problem = school(
        "Ana: Mon1 math 6",
        "Ben: Mon2 math 6",
        "Cara:",
        years={"Ana": 1, "Ben": 20, "Cara": 2},
        requests=(pair("R", "Cara"),),
    )
    assert solved(problem).visits[0].host == "Ben"


def test_a_cross_grade_pairing_is_chosen_when_the_request_asks_for_it():
    base = school(
        "Ana: Mon1 math 6",
        "Ben: Mon2 math 8",
        "Cara: Mon3 math 6",
        requests=(pair("R", "Cara", prefer=("cross_grade",)),),
    )
    assert solved(base).visits[0].host == "Ben"


def test_hosting_is_spread_over_colleagues():
    problem = school(
        "Ana: Mon1 math 6, Mon2 math 6",
        "Ben: Mon1 math 6, Mon2 math 6",
        "Cara:",
        "Dev:",
        requests=(pair("R", "Cara"), pair("S", "Dev")),
    )
    assert {v.host for v in solved(problem).visits} == {"Ana", "Ben"}


def test_combined_classes_can_be_visited_under_either_section():
    problem = school(
        "Ana: Mon1 art 6 6A, Mon1 math 6 6B",
        "Ben:",
        requests=(pair("R", "Ben", subjects=["math"]),),
    )
    assert solved(problem).visits[0].section == "6B"


def test_nothing_to_schedule_is_a_proven_empty_plan():
    plan = solved(school("Ana: Mon1 math 6"))
    assert (plan.visits, plan.unscheduled, plan.objective, plan.bound, plan.status) == (
        [],
        [],
        0,
        0,
        "OPTIMAL",
    )


def test_the_solver_never_does_worse_than_greedy_and_its_bound_is_above_both():
    problem = with_requests(made_up_school(60, seed=7), seed=7, density=2)
    first = greedy_plan(problem)
    plan = solved(problem, time_limit=3)
    assert plan_problems(problem, first) == []
    assert first.objective <= plan.objective <= plan.bound <= first.bound


def test_on_a_large_school_the_plan_is_within_five_percent_of_its_bound():
    # The time limit itself is measured by bench/ (scheduler_bench.py, scheduler_hard_bench.py).
    problem = with_requests(made_up_school(300, seed=1), seed=1)
    plan = solve_unhurried(problem, time_limit=2)
    assert plan_problems(problem, plan) == []
    assert plan.objective >= 0.95 * plan.bound


def test_a_problem_built_in_code_with_an_unknown_teacher_is_refused_in_words():
    problem = school("Ana: Mon1 math 6", "Ben:", requests=(pair("R", "Zed"),))
    with pytest.raises(ProblemError) as error:
        solve(problem, time_limit=1)
    assert error.value.messages == ["requests[0].observers[0]: unknown teacher 'Zed'"]


def test_the_last_pass_moves_a_covered_visit_to_a_free_period_without_losing_it():
    from scheduler.index import Index
    from scheduler.polish import fewer_covers

    problem = school(
        "Ana: Mon1 math 6, Mon2 math 6",
        "Ben: Mon1 art 6",
        "Cara:",
        requests=(pair("R", "Ben"),),
    )
    covered = [Visit("R", "Ben", "Ana", "Mon", "1", "Ana-Mon1", "Cara")]
    (visit,) = fewer_covers(Index(problem), covered)
    assert (visit.period, visit.cover) == ("2", None)
