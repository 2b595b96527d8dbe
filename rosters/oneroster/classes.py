"""Classes and their weekly meetings: each of the school's classes becomes a section, met by
its teachers in each of its `periods` on every day of the week (OneRoster says no more)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import product

from ..csvfiles import Row, cell_list
from ..ordering import natural_order
from ..schedule_data import MeetingRecord, SectionRecord
from .manifest import Export

DEFAULT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
# A range such as "1-300" in `periods` is a typo, not a timetable.
MAX_PERIOD_RANGE = 50
PERIOD_RANGE = re.compile(r"(\d+)\s*-\s*(\d+)")


@dataclass
class Class:
    line: int
    section: SectionRecord
    room: str
    periods: list[str]
    terms: list[str]
    teachers: list[str] = field(default_factory=list)


@dataclass
class Classes:
    ours: dict[str, Class] = field(default_factory=dict)  # the school's, by sourcedId
    others: set[str] = field(default_factory=set)  # other schools' and deleted classes


def week(days: list[str] | None) -> list[str]:
    """The days every class meets: those chosen, else Monday to Friday."""
    if days is None:
        return list(DEFAULT_DAYS)
    chosen = list(dict.fromkeys(day.strip() for day in days if day.strip()))
    if not chosen:
        raise ValueError("days must name at least one day")
    return chosen


def _is_ours(export: Export, row: Row) -> bool:
    """A class of the school or of a department below it; in a delta, also a class already
    stored, whatever org it names now."""
    school = row.get("schoolSourcedId")
    return school in export.school_orgs or row.get("sourcedId") in export.known_classes


def class_keeper(export: Export) -> Callable[[Row], bool]:
    """Keep the school's classes (and those naming no school, to warn about them); of other
    schools' classes keep only the sourcedId, so that their enrollments are skipped quietly."""
    export.other_classes = set()

    def keep(row: Row) -> bool:
        if _is_ours(export, row) or not row.get("schoolSourcedId"):
            return True
        export.other_classes.add(row.get("sourcedId"))
        return False

    return keep


def read_classes(export: Export) -> Classes:
    classes = Classes(others=set(export.deleted("classes.csv")) | export.other_classes)
    for sourced_id, row in export.index("classes.csv").items():
        if _is_ours(export, row):
            classes.ours[sourced_id] = Class(
                line=row.line,
                section=_section(export, row),
                room=row.get("location"),
                periods=_class_periods(export, row),
                terms=cell_list(row.get("termSourcedIds")),
            )
            continue
        if not row.get("schoolSourcedId"):
            export.warn("classes.csv", row.line, "schoolSourcedId", "no school; class skipped")
        classes.others.add(sourced_id)
    return classes


def _section(export: Export, row: Row) -> SectionRecord:
    course = _course_of(export, row)
    title = row.get("title")
    code = row.get("classCode") or title or row.get("sourcedId")
    # A delta names a course without repeating it when only the class changed: what the
    # stored section took from the course stands.
    stored = export.known_classes.get(row.get("sourcedId"))
    kept = stored if course is None and stored and row.get("courseSourcedId") else None
    section = SectionRecord(
        code=code,
        course=_get(course, "title")
        or _get(course, "courseCode")
        or _kept(kept, "course")
        or title,
        subject=_first(row.get("subjects"), _get(course, "subjects")) or _kept(kept, "subject"),
        grade=_grades(row) or _grades(course) or _kept(kept, "grade"),
        source_id=row.get("sourcedId"),
    )
    if section.key in export.data.sections:
        section = replace(section, code=f"{code} ({row.get('sourcedId')})")
        message = (
            f"another class is also “{code}” in course “{section.course}”; "
            f"this one is called “{section.code}”"
        )
        export.warn(
            "classes.csv", row.line, "classCode" if row.get("classCode") else "title", message
        )
    export.data.sections[section.key] = section
    return section


def _course_of(export: Export, row: Row) -> Row | None:
    course_id = row.get("courseSourcedId")
    if not course_id or "courses.csv" not in export.tables:
        return None
    course = export.index("courses.csv").get(course_id)
    # A delta's courses.csv holds only the courses that changed.
    if course is None and not export.delta and course_id not in export.deleted("courses.csv"):
        message = f"unknown course “{course_id}”; the class title is used as its course"
        export.warn("classes.csv", row.line, "courseSourcedId", message)
    return course


def _get(row: Row | None, column: str) -> str:
    return row.get(column) if row else ""


def _kept(section: SectionRecord | None, attribute: str) -> str:
    return str(getattr(section, attribute)) if section else ""


def _first(*lists: str) -> str:
    return next((items[0] for items in map(cell_list, lists) if items), "")


def _grades(row: Row | None) -> str:
    return ",".join(cell_list(_get(row, "grades") or _get(row, "grade")))


def _class_periods(export: Export, row: Row) -> list[str]:
    periods, unreadable = parse_periods(row.get("periods"))
    for token in unreadable:
        message = f"“{token}” is not a period or a range such as 1-3; ignored"
        export.warn("classes.csv", row.line, "periods", message)
    return periods


def parse_periods(text: str) -> tuple[list[str], list[str]]:
    """Period labels from "1,3", "2-4" or "A,B", and the parts that could not be read."""
    labels, unreadable = [], []
    for token in cell_list(text):
        match = PERIOD_RANGE.fullmatch(token)
        if match is None:
            labels.append(str(int(token)) if token.isdecimal() else token)
            continue
        first, last = int(match[1]), int(match[2])
        if first > last or last - first >= MAX_PERIOD_RANGE:
            unreadable.append(token)
        else:
            labels.extend(str(number) for number in range(first, last + 1))
    return list(dict.fromkeys(labels)), unreadable


def store_meetings(export: Export, classes: Classes) -> None:
    data = export.data
    for cls in classes.ours.values():
        for teacher, day, period in product(cls.teachers, data.days, cls.periods):
            data.meetings.append(
                MeetingRecord(
                    teacher=teacher,
                    section=cls.section.key,
                    day=day,
                    period=period,
                    room=cls.room,
                    line=cls.line,
                )
            )
    data.periods = _period_order(classes.ours.values())
    no_periods = sum(1 for cls in classes.ours.values() if not cls.periods)
    no_teacher = sum(1 for cls in classes.ours.values() if not cls.teachers)
    for count, missing in ((no_periods, "periods"), (no_teacher, "teacher")):
        if count:
            data.notes.append(_without_meetings(count, missing))


def _period_order(classes: Iterable[Class]) -> list[str]:
    """Periods in the order the schedule CSV gets too (rosters.ordering): numbered labels in
    numeric order, others in order of first appearance."""
    return natural_order(list(dict.fromkeys(period for cls in classes for period in cls.periods)))


def _without_meetings(count: int, missing: str) -> str:
    if count == 1:
        return f"1 class has no {missing}; it is stored without meetings"
    return f"{count} classes have no {missing}; they are stored without meetings"
