"""A school's week read by `rosters` (the master-schedule CSV of FORMATS.md §1) as a
scheduler problem, without Django: for the command line, the tests and the benchmark.

The web app reads the same files with the same reader, stores them, and builds its
problems from the database (`visits.scheduling`); so both sides order days and periods,
and refuse a broken file, in the same way.
"""

from __future__ import annotations

from pathlib import Path

from rosters.schedule_csv import read_schedule_csv
from rosters.schedule_data import ScheduleData, ScheduleFileError

from .problem import Meeting, Problem, ProblemError, Request, Rules, Teacher


def read_schedule(
    path: Path | str, *, requests: tuple[Request, ...] = (), rules: Rules | None = None
) -> Problem:
    """The problem of a schedule CSV file, with these requests and rules."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ProblemError([f"{path.name}: cannot be read ({error.strerror})"]) from None
    return problem_from_csv(data, source=path.name, requests=requests, rules=rules)


def problem_from_csv(
    data: bytes,
    *,
    source: str = "schedule.csv",
    requests: tuple[Request, ...] = (),
    rules: Rules | None = None,
) -> Problem:
    """The problem of a schedule CSV's bytes; ProblemError lists the file's problems, each
    with its line and column, as the web app's import shows them."""
    try:
        schedule = read_schedule_csv(data, source)
    except ScheduleFileError as error:
        raise ProblemError([str(problem) for problem in error.problems]) from None
    return problem_from_schedule(schedule, requests=requests, rules=rules)


def problem_from_schedule(
    schedule: ScheduleData, *, requests: tuple[Request, ...] = (), rules: Rules | None = None
) -> Problem:
    """Each meeting of the schedule as the scheduler sees it (a section is named by its code);
    a teacher's subjects and grades are those of their sections, in order of appearance."""
    meetings: dict[Meeting, None] = {}
    subjects: dict[str, dict[str, None]] = {t: {} for t in schedule.teachers}
    grades: dict[str, dict[str, None]] = {t: {} for t in schedule.teachers}
    for record in schedule.meetings:
        section = schedule.sections[record.section]
        meeting = Meeting(
            teacher=record.teacher,
            day=record.day,
            period=record.period,
            section=section.code,
            subject=section.subject,
            grade=section.grade,
            room=record.room,
        )
        meetings.setdefault(meeting)
        if meeting.subject:
            subjects[meeting.teacher].setdefault(meeting.subject)
        for grade in meeting.grades:
            grades[meeting.teacher].setdefault(grade)
    teachers = tuple(
        Teacher(t.source_id, t.name, tuple(subjects[key]), tuple(grades[key]))
        for key, t in schedule.teachers.items()
    )
    return Problem(
        days=tuple(schedule.days),
        periods=tuple(schedule.periods),
        teachers=teachers,
        meetings=tuple(meetings),
        requests=requests,
        rules=rules or Rules(),
        warnings=tuple(str(warning) for warning in schedule.warnings),
    )
