"""The scheduler's input (FORMATS.md §3, version 1): dataclasses and the JSON reader.

`problem_from_json` checks everything and raises one `ProblemError` listing every
problem with its place in the file ("requests[1].observers[0]: unknown teacher 'T9'").
Unknown keys are ignored with a warning, so that newer files still load.

Extensions to §3 (all optional, so version 1 files stay valid):
- `teachers[].max_hosting`, `teachers[].max_coverages`: a limit for one teacher that
  replaces the rule of the same name (used for coverage already spent this week or month);
- `requests[].prefer`: `"cross_content"` and/or `"cross_grade"` pairings;
- `rules.new_teacher_years` (default 3): a teacher with this many years or fewer is new,
  and new teachers are preferably paired with experienced ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

VERSION = 1
PREFERENCES = ("cross_content", "cross_grade")
MAX_MESSAGES = 50


class ProblemError(ValueError):
    """Input that cannot be scheduled as given; `messages` says where and why."""

    def __init__(self, messages: list[str]):
        self.messages = list(messages)
        shown = self.messages[:MAX_MESSAGES]
        if len(self.messages) > MAX_MESSAGES:
            shown.append(f"… and {len(self.messages) - MAX_MESSAGES} more")
        super().__init__("\n".join(shown))


@dataclass(frozen=True)
class Teacher:
    id: str
    name: str = ""
    subjects: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    years: int | None = None
    max_hosting: int | None = None
    max_coverages: int | None = None

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Meeting:
    teacher: str
    day: str
    period: str
    section: str
    subject: str = ""
    grade: str = ""
    room: str = ""

    @property
    def grades(self) -> tuple[str, ...]:
        """`"9,10"` is grades 9 and 10."""
        return split_grades(self.grade)


@dataclass(frozen=True)
class Unavailable:
    teacher: str
    day: str
    period: str


@dataclass(frozen=True)
class Request:
    id: str
    kind: Literal["pair", "group"]
    observers: tuple[str, ...]
    visits: int = 1
    classrooms: int = 1
    hosts: tuple[str, ...] | None = None
    subjects: tuple[str, ...] | None = None
    grades: tuple[str, ...] | None = None
    prefer: tuple[str, ...] = ()

    @property
    def wanted(self) -> int:
        """Visits this request counts when met: `visits` for a pair, `classrooms` for a group."""
        return self.visits if self.kind == "pair" else self.classrooms


@dataclass(frozen=True)
class Rules:
    max_observers_per_classroom: int = 4
    max_hosting_per_teacher: int | None = None
    max_coverages_per_teacher: int | None = None
    substitute_periods: int = 0
    new_teacher_years: int = 3


@dataclass(frozen=True)
class Problem:
    days: tuple[str, ...]
    periods: tuple[str, ...]
    teachers: tuple[Teacher, ...]
    meetings: tuple[Meeting, ...] = ()
    unavailable: tuple[Unavailable, ...] = ()
    requests: tuple[Request, ...] = ()
    rules: Rules = field(default_factory=Rules)
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def teacher(self, teacher_id: str) -> Teacher:
        return self._teachers()[teacher_id]

    def name(self, teacher_id: str) -> str:
        found = self._teachers().get(teacher_id)
        return found.label if found else teacher_id

    def max_hosting(self, teacher_id: str) -> int | None:
        own = self.teacher(teacher_id).max_hosting
        return own if own is not None else self.rules.max_hosting_per_teacher

    def max_coverages(self, teacher_id: str) -> int | None:
        own = self.teacher(teacher_id).max_coverages
        return own if own is not None else self.rules.max_coverages_per_teacher

    def _teachers(self) -> dict[str, Teacher]:
        cached = self.__dict__.get("_by_id")
        if cached is None:
            cached = {t.id: t for t in self.teachers}
            object.__setattr__(self, "_by_id", cached)
        return cached


def split_grades(grade: str) -> tuple[str, ...]:
    return tuple(g.strip() for g in grade.split(",") if g.strip())


# --- reading JSON -------------------------------------------------------------------------


class _Reader:
    """Collects located messages while reading one JSON document."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def obj(self, value: Any, where: str, known: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(where, f"must be an object, not {_kind(value)}")
            return None
        for key in value:
            if key not in known:
                self.warnings.append(f"{where}.{key}: unknown key, ignored")
        return value

    def text(self, data: dict[str, Any], key: str, where: str, *, required: bool) -> str | None:
        if key not in data or data[key] is None:
            if required:
                self.fail(f"{where}.{key}", "is required")
            return None
        value = data[key]
        if not isinstance(value, str):
            self.fail(f"{where}.{key}", f"must be a string, not {_kind(value)}")
            return None
        if required and not value.strip():
            self.fail(f"{where}.{key}", "must not be empty")
            return None
        return value

    def number(
        self, data: dict[str, Any], key: str, where: str, *, default: int | None, least: int
    ) -> int | None:
        if key not in data or data[key] is None:
            return default
        value = data[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < least:
            self.fail(f"{where}.{key}", f"must be a whole number ≥ {least}, not {value!r}")
            return default
        return value

    def texts(
        self,
        data: dict[str, Any],
        key: str,
        where: str,
        check: Callable[[str, str], bool] = lambda _value, _where: True,
    ) -> tuple[str, ...] | None:
        if key not in data or data[key] is None:
            return None
        values = data[key]
        if not isinstance(values, list):
            self.fail(f"{where}.{key}" if where else key, f"must be a list, not {_kind(values)}")
            return None
        result = []
        for i, value in enumerate(values):
            here = f"{where}.{key}[{i}]" if where else f"{key}[{i}]"
            if not isinstance(value, str):
                self.fail(here, f"must be a string, not {_kind(value)}")
            elif check(value, here):
                result.append(value)
        return tuple(result)

    def items(self, document: dict[str, Any], key: str, *, required: bool) -> list[Any]:
        if key not in document or document[key] is None:
            if required:
                self.fail(key, "is required")
            return []
        value = document[key]
        if not isinstance(value, list):
            self.fail(key, f"must be a list, not {_kind(value)}")
            return []
        return value


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    return names.get(type(value), type(value).__name__)


def _labels(reader: _Reader, document: dict[str, Any], key: str) -> tuple[str, ...]:
    labels = reader.texts(document, key, "") or ()
    if key not in document:
        reader.fail(key, "is required")
    elif isinstance(document[key], list) and not document[key]:
        reader.fail(key, f"is empty: the school week needs at least one {key[:-1]}")
    seen: set[str] = set()
    for i, label in enumerate(labels):
        if label in seen:
            reader.fail(f"{key}[{i}]", f"'{label}' is listed twice")
        seen.add(label)
    return tuple(dict.fromkeys(labels))


def problem_from_json(document: Any) -> Problem:
    """Read and check a version 1 problem; raise ProblemError listing every problem."""
    reader = _Reader()
    known = ("version", "days", "periods", "teachers", "meetings", "unavailable")
    top = reader.obj(document, "problem", (*known, "requests", "rules"))
    if top is None:
        raise ProblemError(reader.errors)
    version = top.get("version")
    if version is None:
        reader.fail("version", f"is required (this scheduler reads version {VERSION})")
    elif not isinstance(version, int) or isinstance(version, bool) or version != VERSION:
        reader.fail("version", f"must be {VERSION}, not {version!r}")
    days = _labels(reader, top, "days")
    periods = _labels(reader, top, "periods")
    teachers = _read_teachers(reader, top)
    ids = {t.id for t in teachers}
    where_ok = _slot_checker(reader, ids, set(days), set(periods))
    meetings = _read_meetings(reader, top, where_ok)
    unavailable = []
    for i, item in enumerate(reader.items(top, "unavailable", required=False)):
        here = f"unavailable[{i}]"
        data = reader.obj(item, here, ("teacher", "day", "period"))
        if data is not None:
            slot = where_ok(data, here)
            if slot:
                unavailable.append(Unavailable(*slot))
    requests = _read_requests(reader, top, ids)
    rules = _read_rules(reader, top)
    if reader.errors:
        raise ProblemError(reader.errors)
    return Problem(
        days=days,
        periods=periods,
        teachers=teachers,
        meetings=tuple(meetings),
        unavailable=tuple(dict.fromkeys(unavailable)),
        requests=requests,
        rules=rules,
        warnings=tuple(reader.warnings),
    )


def _read_teachers(reader: _Reader, top: dict[str, Any]) -> tuple[Teacher, ...]:
    items = reader.items(top, "teachers", required=True)
    if "teachers" in top and isinstance(top["teachers"], list) and not items:
        reader.fail("teachers", "is empty: the school has no teachers to schedule")
    keys = ("id", "name", "subjects", "grades", "years", "max_hosting", "max_coverages")
    teachers: dict[str, Teacher] = {}
    for i, item in enumerate(items):
        here = f"teachers[{i}]"
        data = reader.obj(item, here, keys)
        if data is None:
            continue
        teacher_id = reader.text(data, "id", here, required=True)
        if teacher_id is None:
            continue
        if teacher_id in teachers:
            reader.fail(f"{here}.id", f"teacher '{teacher_id}' is listed twice")
            continue
        teachers[teacher_id] = Teacher(
            id=teacher_id,
            name=reader.text(data, "name", here, required=False) or teacher_id,
            subjects=reader.texts(data, "subjects", here) or (),
            grades=reader.texts(data, "grades", here) or (),
            years=reader.number(data, "years", here, default=None, least=0),
            max_hosting=reader.number(data, "max_hosting", here, default=None, least=0),
            max_coverages=reader.number(data, "max_coverages", here, default=None, least=0),
        )
    return tuple(teachers.values())


def _slot_checker(
    reader: _Reader, ids: set[str], days: set[str], periods: set[str]
) -> Callable[[dict[str, Any], str], tuple[str, str, str] | None]:
    def check(data: dict[str, Any], here: str) -> tuple[str, str, str] | None:
        teacher = reader.text(data, "teacher", here, required=True)
        day = reader.text(data, "day", here, required=True)
        period = reader.text(data, "period", here, required=True)
        ok = teacher is not None and day is not None and period is not None
        if teacher is not None and teacher not in ids:
            reader.fail(f"{here}.teacher", f"unknown teacher '{teacher}'")
            ok = False
        if day is not None and day not in days:
            reader.fail(f"{here}.day", f"unknown day '{day}' (days are {_list(days)})")
            ok = False
        if period is not None and period not in periods:
            reader.fail(f"{here}.period", f"unknown period '{period}'")
            ok = False
        return (teacher, day, period) if ok else None  # type: ignore[return-value]

    return check


def _list(labels: set[str]) -> str:
    return ", ".join(sorted(labels))


def _read_meetings(
    reader: _Reader,
    top: dict[str, Any],
    where_ok: Callable[[dict[str, Any], str], tuple[str, str, str] | None],
) -> list[Meeting]:
    keys = ("teacher", "day", "period", "section", "subject", "grade", "room")
    meetings: dict[Meeting, int] = {}
    for i, item in enumerate(reader.items(top, "meetings", required=False)):
        here = f"meetings[{i}]"
        data = reader.obj(item, here, keys)
        if data is None:
            continue
        slot = where_ok(data, here)
        section = reader.text(data, "section", here, required=True)
        extra = [reader.text(data, key, here, required=False) or "" for key in keys[4:]]
        if slot is None or section is None:
            continue
        meeting = Meeting(*slot, section, *extra)
        if meeting in meetings:
            reader.warnings.append(f"{here}: the same as meetings[{meetings[meeting]}], ignored")
            continue
        meetings[meeting] = i
    return list(meetings)


def _read_requests(reader: _Reader, top: dict[str, Any], ids: set[str]) -> tuple[Request, ...]:
    keys = ("id", "kind", "observers", "visits", "classrooms", "hosts", "subjects", "grades")
    requests: dict[str, Request] = {}
    for i, item in enumerate(reader.items(top, "requests", required=False)):
        here = f"requests[{i}]"
        data = reader.obj(item, here, (*keys, "prefer"))
        if data is None:
            continue
        request_id = reader.text(data, "id", here, required=True)
        kind = reader.text(data, "kind", here, required=True)
        if kind is not None and kind not in ("pair", "group"):
            reader.fail(f"{here}.kind", f"must be 'pair' or 'group', not '{kind}'")
            kind = None

        def known_teacher(value: str, where: str) -> bool:
            if value not in ids:
                reader.fail(where, f"unknown teacher '{value}'")
                return False
            return True

        def known_preference(value: str, where: str) -> bool:
            if value not in PREFERENCES:
                reader.fail(
                    where, f"unknown preference '{value}' (known: {', '.join(PREFERENCES)})"
                )
                return False
            return True

        observers = reader.texts(data, "observers", here, known_teacher)
        if "observers" not in data:
            reader.fail(f"{here}.observers", "is required")
        hosts = reader.texts(data, "hosts", here, known_teacher)
        visits = reader.number(data, "visits", here, default=1, least=1)
        classrooms = reader.number(data, "classrooms", here, default=1, least=1)
        subjects = reader.texts(data, "subjects", here)
        grades = reader.texts(data, "grades", here)
        prefer = reader.texts(data, "prefer", here, known_preference) or ()
        if request_id is not None and request_id in requests:
            reader.fail(f"{here}.id", f"request '{request_id}' is listed twice")
            continue
        if observers is not None and len(set(observers)) != len(observers):
            reader.fail(f"{here}.observers", "lists a teacher twice")
            continue
        listed = len(data["observers"]) if isinstance(data.get("observers"), list) else None
        if kind == "pair" and listed is not None and listed != 1:
            reader.fail(
                f"{here}.observers",
                f"a pair request has exactly one observer, not {listed} "
                "(use kind 'group' for several observers together)",
            )
            continue
        if kind == "group" and listed == 0:
            reader.fail(f"{here}.observers", "a group request needs at least one observer")
            continue
        if kind == "pair" and "classrooms" in data:
            reader.warnings.append(f"{here}.classrooms: ignored for a pair request")
        if kind == "group" and "visits" in data:
            reader.warnings.append(f"{here}.visits: ignored for a group request")
        if request_id is None or kind is None or observers is None:
            continue
        requests[request_id] = Request(
            id=request_id,
            kind=kind,  # type: ignore[arg-type]
            observers=observers,
            visits=visits or 1,
            classrooms=classrooms or 1,
            hosts=_unique(hosts),
            subjects=_unique(subjects),
            grades=_unique(grades),
            prefer=tuple(dict.fromkeys(prefer)),
        )
    return tuple(requests.values())


def _unique(values: tuple[str, ...] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(dict.fromkeys(values))


def _read_rules(reader: _Reader, top: dict[str, Any]) -> Rules:
    if top.get("rules") is None:
        return Rules()
    keys = (
        "max_observers_per_classroom",
        "max_hosting_per_teacher",
        "max_coverages_per_teacher",
        "substitute_periods",
        "new_teacher_years",
    )
    data = reader.obj(top["rules"], "rules", keys)
    if data is None:
        return Rules()
    return Rules(
        max_observers_per_classroom=reader.number(data, keys[0], "rules", default=4, least=1) or 4,
        max_hosting_per_teacher=reader.number(data, keys[1], "rules", default=None, least=0),
        max_coverages_per_teacher=reader.number(data, keys[2], "rules", default=None, least=0),
        substitute_periods=reader.number(data, keys[3], "rules", default=0, least=0) or 0,
        new_teacher_years=reader.number(data, keys[4], "rules", default=3, least=0) or 0,
    )


def problem_check(problem: Problem) -> None:
    """Raise ProblemError if a problem built in code (not read from JSON) breaks the same
    rules as a file would: unknown teachers, days or periods, duplicates, bad numbers."""
    problem_from_json(problem_to_json(problem))


# --- writing JSON -------------------------------------------------------------------------


def problem_to_json(problem: Problem) -> dict[str, Any]:
    """The problem as a version 1 document; `problem_from_json` reads it back unchanged."""

    def teacher(t: Teacher) -> dict[str, Any]:
        data: dict[str, Any] = {"id": t.id, "name": t.label}
        data.update(subjects=list(t.subjects), grades=list(t.grades))
        for key in ("years", "max_hosting", "max_coverages"):
            if getattr(t, key) is not None:
                data[key] = getattr(t, key)
        return data

    def request(r: Request) -> dict[str, Any]:
        data: dict[str, Any] = {"id": r.id, "kind": r.kind, "observers": list(r.observers)}
        if r.kind == "pair":
            data["visits"] = r.visits
        else:
            data["classrooms"] = r.classrooms
        for key in ("hosts", "subjects", "grades"):
            if getattr(r, key) is not None:
                data[key] = list(getattr(r, key))
        if r.prefer:
            data["prefer"] = list(r.prefer)
        return data

    rules = problem.rules
    rules_data: dict[str, Any] = {
        "max_observers_per_classroom": rules.max_observers_per_classroom,
        "substitute_periods": rules.substitute_periods,
    }
    for key in ("max_hosting_per_teacher", "max_coverages_per_teacher"):
        if getattr(rules, key) is not None:
            rules_data[key] = getattr(rules, key)
    if rules.new_teacher_years != Rules.new_teacher_years:
        rules_data["new_teacher_years"] = rules.new_teacher_years
    return {
        "version": VERSION,
        "days": list(problem.days),
        "periods": list(problem.periods),
        "teachers": [teacher(t) for t in problem.teachers],
        "meetings": [
            {
                "teacher": m.teacher,
                "day": m.day,
                "period": m.period,
                "section": m.section,
                "subject": m.subject,
                "grade": m.grade,
                "room": m.room,
            }
            for m in problem.meetings
        ],
        "unavailable": [
            {"teacher": u.teacher, "day": u.day, "period": u.period} for u in problem.unavailable
        ],
        "requests": [request(r) for r in problem.requests],
        "rules": rules_data,
    }
