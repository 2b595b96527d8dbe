"""A master-schedule CSV (FORMATS.md §1) as a scheduler problem, without Django.

The web app imports schedules into its database and builds problems from there;
this reader is for the command line, the tests and the benchmark. Days and periods
keep their order of first appearance, except that labels which are all numbered
(`1`, `P3`, `Day_2`) are put in numeric order.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .problem import Meeting, Problem, ProblemError, Request, Rules, Teacher

REQUIRED = ("teacher_id", "day", "period", "section")
NUMBERED = re.compile(r"^(\D*?)[\s_-]*(\d+)$")


def read_schedule(
    path: Path | str, *, requests: tuple[Request, ...] = (), rules: Rules | None = None
) -> Problem:
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ProblemError([f"{path.name}: cannot be read as UTF-8 text ({error})"]) from None
    return problem_from_csv(text, source=path.name, requests=requests, rules=rules)


def problem_from_csv(
    text: str,
    *,
    source: str = "schedule.csv",
    requests: tuple[Request, ...] = (),
    rules: Rules | None = None,
) -> Problem:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ProblemError([f"{source}:1: missing column {', '.join(missing)}"])
    errors = []
    names: dict[str, str] = {}
    days: dict[str, None] = {}
    periods: dict[str, None] = {}
    meetings: dict[Meeting, None] = {}
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        empty = [c for c in REQUIRED if not row.get(c)]
        if empty:
            errors.append(f"{source}:{line}: {', '.join(empty)} is empty")
            continue
        teacher = row["teacher_id"]
        names.setdefault(teacher, row.get("teacher_name") or teacher)
        days.setdefault(row["day"])
        periods.setdefault(row["period"])
        meeting = Meeting(
            teacher,
            row["day"],
            row["period"],
            row["section"],
            row.get("subject", ""),
            row.get("grade", ""),
            row.get("room", ""),
        )
        meetings.setdefault(meeting)
    if errors:
        raise ProblemError(errors)
    if not meetings:
        raise ProblemError([f"{source}: the file has no rows"])
    subjects: dict[str, dict[str, None]] = {t: {} for t in names}
    grades: dict[str, dict[str, None]] = {t: {} for t in names}
    for m in meetings:
        if m.subject:
            subjects[m.teacher].setdefault(m.subject)
        for grade in m.grades:
            grades[m.teacher].setdefault(grade)
    teachers = tuple(
        Teacher(t, name, tuple(subjects[t]), tuple(grades[t])) for t, name in names.items()
    )
    return Problem(
        days=_ordered(list(days)),
        periods=_ordered(list(periods)),
        teachers=teachers,
        meetings=tuple(meetings),
        requests=requests,
        rules=rules or Rules(),
    )


def _ordered(labels: list[str]) -> tuple[str, ...]:
    matches = [NUMBERED.match(label) for label in labels]
    if all(matches) and len({m[1] for m in matches if m}) == 1:
        return tuple(sorted(labels, key=lambda label: int(NUMBERED.match(label)[2])))  # type: ignore[index]
    return tuple(labels)
