"""The scheduler's input (FORMATS.md §3, version 1): dataclasses, and the JSON reader and writer.

`problem_from_json` checks everything (the schema is `documents.ProblemIn`, a pydantic
model) and raises one `ProblemError` listing every problem with its place in the file
("requests[1].observers[0]: unknown teacher 'T9'"). Unknown keys are ignored with a
warning, so that newer files still load.

Extensions to §3 (all optional, so version 1 files stay valid):
- `teachers[].max_hosting`, `teachers[].max_coverages`: a limit for one teacher that
  replaces the rule of the same name (used for coverage already spent this week or month);
- `requests[].prefer`: `"cross_content"` and/or `"cross_grade"` pairings;
- `rules.new_teacher_years` (default 3): a teacher with this many years or fewer is new,
  and new teachers are preferably paired with experienced ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from .documents import VERSION, ProblemIn, RequestIn, RulesIn, Seen, messages

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


@cache  # a week's thousands of classes share a few grade labels
def split_grades(grade: str) -> tuple[str, ...]:
    return tuple(g.strip() for g in grade.split(",") if g.strip())


# --- reading JSON -------------------------------------------------------------------------


def problem_from_json(document: Any) -> Problem:
    """Read and check a version 1 problem; raise ProblemError listing every problem."""
    try:
        top = ProblemIn.model_validate(document, context={"seen": Seen()})
    except ValidationError as error:
        raise ProblemError(messages(error, top="problem")) from None
    warnings = _unknown_keys(top, "problem")
    teachers = []
    for i, t in enumerate(top.teachers):
        warnings += _unknown_keys(t, f"teachers[{i}]")
        teachers.append(
            Teacher(
                id=t.id,
                name=t.name or t.id,
                subjects=tuple(t.subjects or ()),
                grades=tuple(t.grades or ()),
                years=t.years,
                max_hosting=t.max_hosting,
                max_coverages=t.max_coverages,
            )
        )
    meetings: dict[Meeting, int] = {}
    for i, m in enumerate(top.meetings or ()):
        here = f"meetings[{i}]"
        warnings += _unknown_keys(m, here)
        meeting = Meeting(
            m.teacher, m.day, m.period, m.section, m.subject or "", m.grade or "", m.room or ""
        )
        if meeting in meetings:
            warnings.append(f"{here}: the same as meetings[{meetings[meeting]}], ignored")
        else:
            meetings[meeting] = i
    unavailable = []
    for i, u in enumerate(top.unavailable or ()):
        warnings += _unknown_keys(u, f"unavailable[{i}]")
        unavailable.append(Unavailable(u.teacher, u.day, u.period))
    requests = [_request(r, f"requests[{i}]", warnings) for i, r in enumerate(top.requests or ())]
    rules = top.rules or RulesIn()
    warnings += _unknown_keys(rules, "rules")
    problem = Problem(
        days=tuple(top.days),
        periods=tuple(top.periods),
        teachers=tuple(teachers),
        meetings=tuple(meetings),
        unavailable=tuple(dict.fromkeys(unavailable)),
        requests=tuple(requests),
        rules=Rules(
            max_observers_per_classroom=_or(rules.max_observers_per_classroom, 4),
            max_hosting_per_teacher=rules.max_hosting_per_teacher,
            max_coverages_per_teacher=rules.max_coverages_per_teacher,
            substitute_periods=_or(rules.substitute_periods, 0),
            new_teacher_years=_or(rules.new_teacher_years, 3),
        ),
        warnings=tuple(warnings),
    )
    object.__setattr__(problem, "_checked", True)  # problem_check need not read it again
    return problem


def _request(r: RequestIn, here: str, warnings: list[str]) -> Request:
    warnings += _unknown_keys(r, here)
    kind: Literal["pair", "group"] = "pair" if r.kind == "pair" else "group"
    if kind == "pair" and "classrooms" in r.model_fields_set:
        warnings.append(f"{here}.classrooms: ignored for a pair request")
    if kind == "group" and "visits" in r.model_fields_set:
        warnings.append(f"{here}.visits: ignored for a group request")
    return Request(
        id=r.id,
        kind=kind,
        observers=tuple(r.observers),
        visits=_or(r.visits, 1),
        classrooms=_or(r.classrooms, 1),
        hosts=_unique(r.hosts),
        subjects=_unique(r.subjects),
        grades=_unique(r.grades),
        prefer=tuple(dict.fromkeys(r.prefer or ())),
    )


def _unknown_keys(part: BaseModel, here: str) -> list[str]:
    return [f"{here}.{key}: unknown key, ignored" for key in part.model_extra or {}]


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def _unique(values: list[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(dict.fromkeys(values))


def problem_check(problem: Problem) -> None:
    """Raise ProblemError if a problem built in code (not read from JSON) breaks the same
    rules as a file would: unknown teachers, days or periods, duplicates, bad numbers.
    A problem read from JSON was checked then (a changed copy is checked again)."""
    if not problem.__dict__.get("_checked"):
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
