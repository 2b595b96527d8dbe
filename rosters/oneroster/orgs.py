"""Orgs and academic sessions: which school of the export to read, the name of its term, and
session dates that are not unambiguous (`1/05/2023`) reported as warnings."""

from __future__ import annotations

import calendar
import re

from ..csvfiles import CsvTable
from ..schedule_data import Problem, ScheduleFileError
from .classes import Classes
from .manifest import Export

TERM_TYPES = {"term", "semester", "schoolyear"}
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?")
LOCAL_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def choose_school(orgs: CsvTable, wanted: str) -> str:
    schools = {
        row.get("sourcedId"): row.get("name")
        for row in orgs.rows
        if row.get("type").lower() == "school" and row.get("status").lower() != "tobedeleted"
    }
    listing = ", ".join(f"{sourced_id} {name}".strip() for sourced_id, name in schools.items())
    if wanted:
        if wanted in schools:
            return wanted
        message = f"no school has sourcedId “{wanted}”; the schools are: {listing or 'none'}"
    elif len(schools) == 1:
        return next(iter(schools))
    elif not schools:
        message = "no org has type “school”"
    else:
        message = f"the export has {len(schools)} schools ({listing}); choose one with --org"
    raise ScheduleFileError([Problem("orgs.csv", message)])


def term_name(export: Export, classes: Classes) -> str:
    """The title of the one term the school's classes are in, or "" when not just one."""
    sessions = export.index("academicSessions.csv")
    checkable = "academicSessions.csv" in export.tables
    deleted = export.deleted("academicSessions.csv")
    titles = {}
    for cls in classes.ours.values():
        for term in cls.terms:
            session = sessions.get(term)
            if session is None and checkable and term not in deleted:
                message = f"unknown academic session “{term}”"
                export.warn("classes.csv", cls.line, "termSourcedIds", message)
            elif session is not None and session.get("type").lower() in TERM_TYPES:
                titles[term] = session.get("title")
    return next(iter(titles.values())) if len(titles) == 1 else ""


def check_session_dates(export: Export) -> None:
    for row in export.live_rows("academicSessions.csv"):
        for column in ("startDate", "endDate"):
            text = row.get(column)
            problem = _date_problem(text) if text else ""
            if problem:
                export.warn("academicSessions.csv", row.line, column, problem)


def _date_problem(text: str) -> str:
    """Why `text` is not an unambiguous date, or "" when it is one."""
    unreadable = f"“{text}” is not a date; write dates as YYYY-MM-DD"
    iso = ISO_DATE.fullmatch(text)
    if iso:
        return "" if _is_date(int(iso[1]), int(iso[2]), int(iso[3])) else unreadable
    local = LOCAL_DATE.fullmatch(text)
    if local is None:
        return unreadable
    first, second, year = (int(part) for part in local.groups())
    if first != second and first <= 12 and second <= 12:
        return (
            f"“{text}” is ambiguous ({_spoken(year, second, first)} or "
            f"{_spoken(year, first, second)}); write dates as YYYY-MM-DD"
        )
    day, month = (second, first) if second > 12 else (first, second)
    return "" if _is_date(year, month, day) else unreadable


def _is_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _spoken(year: int, month: int, day: int) -> str:
    return f"{day} {calendar.month_name[month]} {year}"
