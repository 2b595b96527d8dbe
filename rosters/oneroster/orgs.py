"""Orgs and academic sessions: which org of the export is the school (any org may be chosen;
departments below it count as the school), the name of its term, and session dates that are
not unambiguous (`1/05/2023`) reported as warnings."""

from __future__ import annotations

import calendar
import re

from ..csvfiles import Row
from ..schedule_data import Problem, ScheduleFileError
from .classes import Classes
from .manifest import Export

# The page and the command ask for the org in their own words.
SAY_WHICH = (
    "say which by its sourcedId (the import page's “OneRoster org sourcedId” field, "
    "or --org on the command line)"
)
TERM_TYPES = {"term", "semester", "schoolyear"}
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?")
LOCAL_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def choose_school(export: Export, wanted: str) -> str:
    """The org whose classes become the school's: `wanted` (any org, `--org`), else the
    export's one school, else, when no org is of type school, the one org the classes name.
    Whatever is assumed is said in a warning; what cannot be decided is refused."""
    orgs = export.index("orgs.csv")
    schools = {sid: row.get("name") for sid, row in orgs.items() if _is_school(row)}
    listing = ", ".join(f"{sid} {name}".strip() for sid, name in schools.items())
    if wanted:
        return _wanted_org(export, orgs, wanted, listing)
    if len(schools) == 1:
        return next(iter(schools))
    if schools:
        message = f"the export has {len(schools)} schools ({listing}); {SAY_WHICH}"
        raise ScheduleFileError([Problem("orgs.csv", message)])
    named, known = _named_orgs(export)
    # A delta names the school's classes already stored: their org is the school's.
    candidates = known if len(known) == 1 else named
    if len(candidates) == 1:
        chosen = next(iter(candidates))
        if "orgs.csv" in export.tables:
            message = (
                f"no org has type “school”; the classes name only {_described(orgs, chosen)}, "
                "so its classes were imported into the school you chose"
            )
            export.warn(
                "orgs.csv", _line(orgs, chosen), "type" if chosen in orgs else None, message
            )
        return chosen
    if not candidates and export.delta:
        return ""  # a delta without classes: there is no class to place
    if candidates:
        listing = ", ".join(_described(orgs, org) for org in candidates)
        message = (
            f"no org has type “school” and the classes name {len(candidates)} orgs "
            f"({listing}); {SAY_WHICH}"
        )
    else:
        message = "no org has type “school” and no class names an org"
    raise ScheduleFileError([Problem("orgs.csv", message)])


def _wanted_org(export: Export, orgs: dict[str, Row], wanted: str, listing: str) -> str:
    row = orgs.get(wanted)
    if row is not None:
        if not _is_school(row):
            kind = row.get("type") or "org without a type"
            message = (
                f"org “{wanted}” ({row.get('name')}) is a {kind}, not a school; its classes "
                "were imported into the school you chose"
            )
            export.warn("orgs.csv", row.line, "type", message)
        return wanted
    if "orgs.csv" not in export.tables:
        return wanted  # a delta without orgs.csv: the org was checked when it was imported
    if wanted in _named_orgs(export)[0]:
        message = (
            f"org “{wanted}” is not in orgs.csv; the classes that name it were imported into "
            "the school you chose"
        )
        export.warn("orgs.csv", None, None, message)
        return wanted
    message = f"no org has sourcedId “{wanted}”; the schools are: {listing or 'none'}"
    raise ScheduleFileError([Problem("orgs.csv", message)])


def _named_orgs(export: Export) -> tuple[dict[str, None], dict[str, None]]:
    """The orgs the classes name (live ones; in a delta, all), in order, and those naming
    classes already stored.
    classes.csv is streamed once more for them, keeping nothing."""
    named: dict[str, None] = {}
    known: dict[str, None] = {}

    def note(row: Row) -> bool:
        org = row.get("schoolSourcedId")
        # A class a delta removes still names its school.
        if org and (export.delta or row.get("status").lower() != "tobedeleted"):
            named[org] = None
            if row.get("sourcedId") in export.known_classes:
                known[org] = None
        return False

    tables = dict(export.tables)
    export.load("classes.csv", keep=note)
    export.tables = tables
    return named, known


def school_orgs(export: Export, chosen: str) -> set[str]:
    """The chosen org and the orgs below it that are not schools (a school's departments):
    their classes are the school's. An org whose parent is not in orgs.csv is a warning."""
    orgs = export.index("orgs.csv")
    children: dict[str, list[str]] = {}
    for sourced_id, row in orgs.items():
        parent = row.get("parentSourcedId")
        if not parent:
            continue
        children.setdefault(parent, []).append(sourced_id)
        if parent not in orgs and parent not in export.deleted("orgs.csv"):
            message = (
                f"parent org “{parent}” is not in orgs.csv; “{row.get('name') or sourced_id}” "
                "is read without it"
            )
            export.warn("orgs.csv", row.line, "parentSourcedId", message)
    ours, waiting = {chosen}, [chosen]
    while waiting:
        for child in children.get(waiting.pop(), []):
            if child not in ours and not _is_school(orgs[child]):
                ours.add(child)
                waiting.append(child)
                message = (
                    f"{_described(orgs, child)} belongs to “{chosen}”; its classes were "
                    "imported as the school's"
                )
                export.warn("orgs.csv", orgs[child].line, "parentSourcedId", message)
    return ours


def _is_school(row: Row) -> bool:
    return row.get("type").lower() == "school"


def _described(orgs: dict[str, Row], sourced_id: str) -> str:
    row = orgs.get(sourced_id)
    if row is None:
        return f"org “{sourced_id}” (not in orgs.csv)"
    kind = row.get("type").lower() or "org"
    name = f" ({row.get('name')})" if row.get("name") else ""
    return f"{kind} “{sourced_id}”{name}"


def _line(orgs: dict[str, Row], sourced_id: str) -> int | None:
    row = orgs.get(sourced_id)
    return row.line if row else None


def term_name(export: Export, classes: Classes) -> str:
    """The title of the one term the school's classes are in, or "" when not just one."""
    sessions = export.index("academicSessions.csv")
    # A delta's academicSessions.csv holds only the sessions that changed.
    checkable = "academicSessions.csv" in export.tables and not export.delta
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
