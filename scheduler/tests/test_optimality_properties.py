"""On small random schools the solver finds the true optimum, proven by exhaustive search,
and every plan it or the greedy construction makes is valid."""

from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler import greedy_plan, plan_problems, solve
from scheduler.problem import Meeting, Problem, Request, Rules, Teacher, Unavailable

from .builders import best_met

NAMES = ("Ana", "Ben", "Cara", "Dev", "Eli")
SUBJECTS = ("math", "art")


@st.composite
def tiny_schools(draw) -> Problem:
    teachers = NAMES[: draw(st.integers(3, 5))]
    days = ("Mon", "Tue")[: draw(st.integers(1, 2))]
    periods = ("1", "2", "3")[: draw(st.integers(1, 3 if len(days) == 1 else 2))]
    slots = [(d, p) for d in days for p in periods]
    meetings, unavailable = [], []
    for t in teachers:
        for d, p in slots:
            what = draw(st.sampled_from(("teach", "teach", "free", "away", "combined")))
            subject = draw(st.sampled_from(SUBJECTS))
            grade = draw(st.sampled_from(("6", "7", "6,7")))
            if what in ("teach", "combined"):
                meetings.append(Meeting(t, d, p, f"{t}{d}{p}", subject, grade))
            if what == "combined":
                meetings.append(Meeting(t, d, p, f"{t}{d}{p}b", subject, grade))
            if what == "away":
                unavailable.append(Unavailable(t, d, p))
    requests = []
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(("pair", "pair", "group")))
        filters: dict[str, Any] = {}
        if draw(st.booleans()):
            filters["subjects"] = (draw(st.sampled_from(SUBJECTS)),)
        if draw(st.integers(0, 3)) == 0:
            filters["grades"] = ("7",)
        if draw(st.integers(0, 3)) == 0:
            filters["hosts"] = tuple(
                draw(st.lists(st.sampled_from(teachers), max_size=3, unique=True))
            )
        if kind == "pair":
            observer = draw(st.sampled_from(teachers))
            visits = draw(st.integers(1, 2))
            requests.append(Request(f"R{i}", "pair", (observer,), visits=visits, **filters))
        else:
            observers = tuple(
                draw(st.lists(st.sampled_from(teachers), min_size=1, max_size=3, unique=True))
            )
            classrooms = draw(st.integers(1, 2))
            requests.append(Request(f"R{i}", "group", observers, classrooms=classrooms, **filters))
    rules = Rules(
        max_observers_per_classroom=draw(st.integers(1, 3)),
        max_hosting_per_teacher=draw(st.sampled_from((None, 1, 2))),
        max_coverages_per_teacher=draw(st.sampled_from((None, 0, 1))),
        substitute_periods=draw(st.integers(0, 1)),
    )
    staff = tuple(Teacher(t, t, years=draw(st.sampled_from((None, 1, 10)))) for t in teachers)
    return Problem(
        days, periods, staff, tuple(meetings), tuple(unavailable), tuple(requests), rules
    )


SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


@SETTINGS
@given(tiny_schools())
def test_the_solver_meets_as_many_visits_as_the_best_possible_plan(problem):
    optimum = best_met(problem)
    plan = solve(problem, time_limit=5, workers=1)
    assert plan_problems(problem, plan) == []
    assert plan.objective == optimum
    assert plan.bound >= optimum
    assert plan.status == "OPTIMAL" and plan.bound == optimum


@SETTINGS
@given(tiny_schools())
def test_the_greedy_plan_is_valid_and_its_bound_is_true(problem):
    plan = greedy_plan(problem)
    assert plan_problems(problem, plan) == []
    assert plan.bound >= best_met(problem) >= plan.objective


@settings(max_examples=15, deadline=None, database=None)
@given(tiny_schools(), st.integers(0, 2))
def test_with_hosts_capped_the_bound_stays_true(problem, cap):
    """Capping hosts per slot (as for big schools) may cost visits, never a false bound."""
    import scheduler.index as index

    old_caps, old_extra = index.CAPS, index.GROUP_EXTRA_HOSTS
    index.CAPS, index.GROUP_EXTRA_HOSTS = (cap,), 0
    try:
        problem = replace(problem)
        plan = solve(problem, time_limit=3, workers=1)
    finally:
        index.CAPS, index.GROUP_EXTRA_HOSTS = old_caps, old_extra
    assert plan_problems(problem, plan) == []
    assert plan.bound >= best_met(problem)
