"""Plans made on every real master schedule in shared/data/schedules are valid, and the
CSV of FORMATS.md §1 is read without Django."""

import pytest

from scheduler import ProblemError, greedy_plan, plan_problems, solve
from scheduler.csv_schedule import problem_from_csv, read_schedule
from scheduler.generate import with_requests

from .builders import SCHEDULES


def test_the_real_schedules_are_there():
    assert len(SCHEDULES) >= 6


@pytest.mark.parametrize("path", SCHEDULES, ids=lambda p: p.stem)
def test_plans_on_a_real_schedule_are_valid(path):
    problem = with_requests(read_schedule(path), seed=len(path.stem), density=1.5)
    first = greedy_plan(problem)
    assert plan_problems(problem, first) == []
    plan = solve(problem, time_limit=2)
    assert plan_problems(problem, plan) == []
    assert first.objective <= plan.objective <= plan.bound
    assert all(u.reason for u in plan.unscheduled)


def test_a_schedule_csv_becomes_a_problem():
    problem = problem_from_csv(
        "\ufeffteacher_id,teacher_name,day,period,section,subject,grade,room,extra\n"
        "T1,Ana Ortiz,Tue,P2,7A,math,7,101,x\n"
        "T1,Ana Ortiz,Tue,P2,7B,math,7,101,x\n"
        'T2,,Mon,P10,8A,science,"8,9",\n'
        'T2,,Mon,P2,8A,science,"8,9",\n'
    )
    assert problem.days == ("Tue", "Mon")  # order of first appearance
    assert problem.periods == ("P2", "P10")  # numbered labels in numeric order
    assert [t.name for t in problem.teachers] == ["Ana Ortiz", "T2"]
    assert problem.teacher("T2").grades == ("8", "9")
    assert len([m for m in problem.meetings if m.teacher == "T1"]) == 2  # combined classes


def test_a_broken_schedule_csv_says_where():
    with pytest.raises(ProblemError) as error:
        problem_from_csv("teacher_id,day,period\nT1,Mon,1\n", source="s.csv")
    assert error.value.messages == ["s.csv:1: missing column section"]
    with pytest.raises(ProblemError) as error:
        problem_from_csv("teacher_id,day,period,section\nT1,Mon,,7A\n", source="s.csv")
    assert error.value.messages == ["s.csv:2: period is empty"]
