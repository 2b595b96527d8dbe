"""The master-schedule CSV of FORMATS.md §1, and its optional `bell.csv`."""

from datetime import time

from .csvfiles import Row, cell_list, read_table
from .ordering import natural_order
from .schedule_data import (
    MeetingRecord,
    Problem,
    ProgressCallback,
    ScheduleData,
    ScheduleFileError,
    SectionRecord,
    TeacherRecord,
    no_progress,
)

REQUIRED = ("teacher_id", "day", "period", "section")
OPTIONAL = ("teacher_name", "course", "subject", "grade", "room")
PROGRESS_STEPS = 50


def read_schedule_csv(
    data: bytes,
    filename: str,
    *,
    bell: bytes | None = None,
    bell_filename: str = "bell.csv",
    on_progress: ProgressCallback = no_progress,
) -> ScheduleData:
    """Read a schedule CSV (and bell schedule) or raise ScheduleFileError listing every problem."""
    schedule = ScheduleData(source=filename)
    if bell is not None:
        _read_bell(bell, bell_filename, schedule)
    table = read_table(data, filename, required=REQUIRED, optional=OPTIONAL)
    schedule.warnings.extend(table.warnings)
    problems: list[Problem] = []
    first_line: dict[tuple[str, str, str, str, str], int] = {}
    total = len(table.rows)
    every = max(1, total // PROGRESS_STEPS)
    for done, row in enumerate(table.rows, start=1):
        problems.extend(_read_meeting(row, filename, schedule, first_line, bool(bell)))
        if done % every == 0 or done == total:
            on_progress(done, total)
    if not table.rows:
        problems.append(Problem(filename, "the file has a header but no rows", line=1))
    if problems:
        raise ScheduleFileError(problems)
    if bell is None:
        schedule.days = natural_order(schedule.days)
        schedule.periods = natural_order(schedule.periods)
    combined = schedule.combined_classes()
    if combined:
        schedule.notes.append(
            f"{combined} times a teacher teaches two sections in the same slot (combined classes)"
        )
    return schedule


def _read_meeting(
    row: Row,
    filename: str,
    schedule: ScheduleData,
    first_line: dict[tuple[str, str, str, str, str], int],
    bell_fixed_days: bool,
) -> list[Problem]:
    values = {name: row.get(name) for name in REQUIRED + OPTIONAL}
    problems = [
        Problem(filename, f"“{name}” is empty", line=row.line, column=name)
        for name in REQUIRED
        if not values[name]
    ]
    if problems:
        return problems
    day, period = values["day"], values["period"]
    if bell_fixed_days and day not in schedule.days:
        return [_unknown(filename, row.line, "day", day, schedule.days)]
    if bell_fixed_days and period not in schedule.periods:
        return [_unknown(filename, row.line, "period", period, schedule.periods)]
    key = (values["teacher_id"], day, period, values["section"], values["course"])
    if key in first_line:
        return [
            Problem(
                filename,
                f"duplicate row: the same as line {first_line[key]}",
                line=row.line,
                column="section",
            )
        ]
    first_line[key] = row.line
    _remember(schedule.days, day)
    _remember(schedule.periods, period)
    teacher = values["teacher_id"]
    if teacher not in schedule.teachers:
        schedule.teachers[teacher] = TeacherRecord(
            source_id=teacher, name=values["teacher_name"] or teacher
        )
    section = SectionRecord(
        code=values["section"],
        course=values["course"],
        subject=values["subject"],
        grade=_grades(values["grade"]),
    )
    schedule.sections.setdefault(section.key, section)
    schedule.meetings.append(
        MeetingRecord(
            teacher=teacher,
            section=section.key,
            day=day,
            period=period,
            room=values["room"],
            line=row.line,
        )
    )
    return []


def _unknown(filename: str, line: int, column: str, value: str, known: list[str]) -> Problem:
    return Problem(
        filename,
        f"unknown {column} “{value}”: the bell schedule has {', '.join(known)}",
        line=line,
        column=column,
    )


def _remember(labels: list[str], label: str) -> None:
    if label not in labels:
        labels.append(label)


def _grades(raw: str) -> str:
    return ",".join(cell_list(raw))


def _read_bell(data: bytes, filename: str, schedule: ScheduleData) -> None:
    table = read_table(data, filename, required=("day", "period", "start", "end"))
    problems: list[Problem] = []
    for row in table.rows:
        day, period = row.get("day"), row.get("period")
        start = _clock(row.get("start"), filename, row.line, "start", problems)
        end = _clock(row.get("end"), filename, row.line, "end", problems)
        if not day or not period:
            column = "day" if not day else "period"
            problems.append(Problem(filename, f"“{column}” is empty", row.line, column))
            continue
        if start and end and start >= end:
            problems.append(Problem(filename, "the period ends before it starts", row.line, "end"))
        if (day, period) in schedule.bell:
            problems.append(Problem(filename, "this day and period appear twice", row.line, "day"))
        if start and end:
            schedule.bell[(day, period)] = (start, end)
        _remember(schedule.days, day)
        _remember(schedule.periods, period)
    if not table.rows:
        problems.append(Problem(filename, "the bell schedule has a header but no rows", 1))
    if problems:
        raise ScheduleFileError(problems)


def _clock(raw: str, filename: str, line: int, column: str, problems: list[Problem]) -> time | None:
    try:
        hours, minutes = raw.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        problems.append(Problem(filename, f"“{raw}” is not a time like 08:15", line, column))
        return None
