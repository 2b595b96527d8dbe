"""Plans made on every real master schedule in shared/data/schedules are valid, and the
CSV of FORMATS.md §1 is read without Django, by the same reader as the web app's import."""

import pytest

from rosters.schedule_csv import read_schedule_csv
from scheduler import ProblemError, greedy_plan, plan_problems, solve
from scheduler.from_rosters import problem_from_csv, read_schedule
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
        b"\xef\xbb\xbfteacher_id,teacher_name,day,period,section,subject,grade,room,extra\n"
        b"T1,Ana Ortiz,Mon,P2,7A,math,7,101,x\n"
        b"T1,Ana Ortiz,Mon,P2,7B,math,7,101,x\n"
        b'T2,,Tue,P10,8A,science,"8,9",\n'
        b'T2,,Tue,P2,8A,science,"8,9",\n'
    )
    assert problem.days == ("Mon", "Tue")
    assert problem.periods == ("P2", "P10")  # numbered labels in numeric order
    assert [t.name for t in problem.teachers] == ["Ana Ortiz", "T2"]
    assert problem.teacher("T2").grades == ("8", "9")
    assert problem.teacher("T1").subjects == ("math",)
    assert len([m for m in problem.meetings if m.teacher == "T1"]) == 2  # combined classes
    assert problem.warnings == (
        "schedule.csv, line 1, column extra: unknown column “extra” ignored",
    )


def test_the_scheduler_orders_days_as_the_web_import_does():
    # The scheduler's own CSV reader kept a file's first day first ("Tue", "Mon"), while the
    # web app's import put weekdays in calendar order: both now read with `rosters`.
    text = b"teacher_id,day,period,section\nT1,Tue,1,7A\nT1,Mon,1,7A\n"
    problem = problem_from_csv(text)
    assert problem.days == ("Mon", "Tue")
    assert list(problem.days) == read_schedule_csv(text, "schedule.csv").days


def test_every_real_schedule_reads_as_the_web_import_reads_it():
    for path in SCHEDULES:
        schedule = read_schedule_csv(path.read_bytes(), path.name)
        problem = read_schedule(path)
        assert (list(problem.days), list(problem.periods)) == (schedule.days, schedule.periods)
        assert len(problem.teachers) == len(schedule.teachers)


def test_a_broken_schedule_csv_says_where_as_the_web_import_does():
    with pytest.raises(ProblemError) as error:
        problem_from_csv(b"teacher_id,day,period\nT1,Mon,1\n", source="s.csv")
    assert error.value.messages == [
        "s.csv, line 1, column section: missing required column “section”"
    ]
    with pytest.raises(ProblemError) as error:
        problem_from_csv(b"teacher_id,day,period,section\nT1,Mon,,7A\n", source="s.csv")
    assert error.value.messages == ["s.csv, line 2, column period: “period” is empty"]


def test_a_row_given_twice_is_refused_as_the_web_import_refuses_it():
    # The scheduler's own reader merged the twin rows silently; the import names the twin.
    text = b"teacher_id,day,period,section\nT1,Mon,1,7A\nT1,Mon,1,7A\n"
    with pytest.raises(ProblemError) as error:
        problem_from_csv(text, source="s.csv")
    assert error.value.messages == [
        "s.csv, line 3, column section: duplicate row: the same as line 2"
    ]


def test_a_missing_file_is_named():
    with pytest.raises(ProblemError) as error:
        read_schedule("/nonexistent/schedule.csv")
    assert error.value.messages == ["schedule.csv: cannot be read (No such file or directory)"]
