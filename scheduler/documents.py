"""The JSON documents of FORMATS.md §3 as pydantic models: their shape, and the references
between their parts (a meeting's teacher, day and period must be the problem's).

Validation collects every problem at once; `messages` turns pydantic's errors into the
located messages a person can fix ("requests[1].observers[0]: unknown teacher 'T9'").
References are checked while the document is validated, in its order: teachers, days and
periods are recorded in the validation context as they are read, and the parts after them
are checked against it. Unknown keys are kept (`extra="allow"`) so that the reader can warn
about them; nothing here builds the scheduler's dataclasses (problem.py and plan.py do).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    WrapValidator,
    field_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError
from pydantic_core.core_schema import ValidatorFunctionWrapHandler

VERSION = 1
PREFERENCES = ("cross_content", "cross_grade")
STATUSES = ("OPTIMAL", "FEASIBLE")


class Seen:
    """What validation has read so far: the context that later parts are checked against."""

    def __init__(self) -> None:
        self.teachers: set[str] = set()
        self.requests: set[str] = set()
        self.labels: dict[str, list[str]] = {"days": [], "periods": []}

    @staticmethod
    def of(info: ValidationInfo) -> Seen:
        seen = (info.context or {}).get("seen")
        if not isinstance(seen, Seen):
            raise TypeError("validate problem documents with context={'seen': Seen()}")
        return seen


def _fail(error_type: str, message: str, /, **values: object) -> PydanticCustomError:
    return PydanticCustomError(error_type, message, dict(values))


# --- values -------------------------------------------------------------------------------


def _whole_number(least: int) -> WrapValidator:
    def check(value: object, handler: ValidatorFunctionWrapHandler) -> object:
        try:
            return handler(value)
        except ValidationError:
            raise _fail(
                "whole_number",
                "must be a whole number ≥ {least}, not {value}",
                least=least,
                value=repr(value),
            ) from None

    return WrapValidator(check)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise _fail("blank", "must not be empty")
    return value


# A number of the problem: absent or null means the default.
WholeFrom0 = Annotated[int, Field(ge=0), _whole_number(0)] | None
WholeFrom1 = Annotated[int, Field(ge=1), _whole_number(1)] | None
# A required text: null is as absent as a missing key, and blank is refused.
Text = Annotated[str, AfterValidator(_not_blank)]


def _known_teacher(value: str, info: ValidationInfo) -> str:
    if value not in Seen.of(info).teachers:
        raise _fail("unknown_teacher", "unknown teacher '{teacher}'", teacher=value)
    return value


def _known_day(value: str, info: ValidationInfo) -> str:
    days = Seen.of(info).labels["days"]
    if value not in days:
        known = ", ".join(sorted(days))
        raise _fail("unknown_day", "unknown day '{day}' (days are {days})", day=value, days=known)
    return value


def _known_period(value: str, info: ValidationInfo) -> str:
    if value not in Seen.of(info).labels["periods"]:
        raise _fail("unknown_period", "unknown period '{period}'", period=value)
    return value


def _known_preference(value: str) -> str:
    if value not in PREFERENCES:
        known = ", ".join(PREFERENCES)
        raise _fail(
            "unknown_preference",
            "unknown preference '{value}' (known: {known})",
            value=value,
            known=known,
        )
    return value


def _label_of(key: Literal["days", "periods"]) -> AfterValidator:
    def record(value: str, info: ValidationInfo) -> str:
        labels = Seen.of(info).labels[key]
        if value in labels:
            raise _fail("listed_twice", "'{label}' is listed twice", label=value)
        labels.append(value)
        return value

    return AfterValidator(record)


TeacherRef = Annotated[str, AfterValidator(_known_teacher)]
TeacherId = Annotated[str, AfterValidator(_not_blank), AfterValidator(_known_teacher)]
Day = Annotated[str, AfterValidator(_not_blank), AfterValidator(_known_day)]
Period = Annotated[str, AfterValidator(_not_blank), AfterValidator(_known_period)]
Preference = Annotated[str, AfterValidator(_known_preference)]


class _Part(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")


# --- the problem --------------------------------------------------------------------------


class TeacherIn(_Part):
    id: Text
    name: str | None = None
    subjects: list[str] | None = None
    grades: list[str] | None = None
    years: WholeFrom0 = None
    max_hosting: WholeFrom0 = None
    max_coverages: WholeFrom0 = None

    @field_validator("id")
    @classmethod
    def _once(cls, value: str, info: ValidationInfo) -> str:
        teachers = Seen.of(info).teachers
        if value in teachers:
            raise _fail("listed_twice", "teacher '{id}' is listed twice", id=value)
        teachers.add(value)
        return value


class MeetingIn(_Part):
    teacher: TeacherId
    day: Day
    period: Period
    section: Text
    subject: str | None = None
    grade: str | None = None
    room: str | None = None


class UnavailableIn(_Part):
    teacher: TeacherId
    day: Day
    period: Period


class RequestIn(_Part):
    id: Text
    kind: Text
    observers: list[TeacherRef]
    hosts: list[TeacherRef] | None = None
    visits: WholeFrom1 = None
    classrooms: WholeFrom1 = None
    subjects: list[str] | None = None
    grades: list[str] | None = None
    prefer: list[Preference] | None = None

    @field_validator("id")
    @classmethod
    def _once(cls, value: str, info: ValidationInfo) -> str:
        requests = Seen.of(info).requests
        if value in requests:
            raise _fail("listed_twice", "request '{id}' is listed twice", id=value)
        requests.add(value)
        return value

    @field_validator("kind")
    @classmethod
    def _pair_or_group(cls, value: str) -> str:
        if value not in ("pair", "group"):
            raise _fail("kind", "must be 'pair' or 'group', not '{kind}'", kind=value)
        return value

    @field_validator("observers")
    @classmethod
    def _observers_fit_the_kind(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if len(set(value)) != len(value):
            raise _fail("listed_twice", "lists a teacher twice")
        kind = info.data.get("kind")
        if kind == "pair" and len(value) != 1:
            raise _fail(
                "pair",
                "a pair request has exactly one observer, not {count} "
                "(use kind 'group' for several observers together)",
                count=len(value),
            )
        if kind == "group" and not value:
            raise _fail("group", "a group request needs at least one observer")
        return value


class RulesIn(_Part):
    max_observers_per_classroom: WholeFrom1 = None
    max_hosting_per_teacher: WholeFrom0 = None
    max_coverages_per_teacher: WholeFrom0 = None
    substitute_periods: WholeFrom0 = None
    new_teacher_years: WholeFrom0 = None


def _version(value: object) -> object:
    if value is None:
        raise _fail(
            "version", "is required (this scheduler reads version {version})", version=VERSION
        )
    if type(value) is not int or value != VERSION:
        raise _fail("version", "must be {version}, not {value}", version=VERSION, value=repr(value))
    return value


class ProblemIn(_Part):
    """Fields in the order they are read: each may refer to those before it."""

    version: Annotated[object, AfterValidator(_version)] = Field(None, validate_default=True)
    days: list[Annotated[str, _label_of("days")]]
    periods: list[Annotated[str, _label_of("periods")]]
    teachers: list[TeacherIn]
    meetings: list[MeetingIn] | None = None
    unavailable: list[UnavailableIn] | None = None
    requests: list[RequestIn] | None = None
    rules: RulesIn | None = None

    @field_validator("days", "periods")
    @classmethod
    def _some(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if not value:
            raise _fail(
                "empty",
                "is empty: the school week needs at least one {label}",
                label=(info.field_name or "")[:-1],
            )
        return value

    @field_validator("teachers")
    @classmethod
    def _staffed(cls, value: list[TeacherIn]) -> list[TeacherIn]:
        if not value:
            raise _fail("empty", "is empty: the school has no teachers to schedule")
        return value


# --- the plan -----------------------------------------------------------------------------


def _says(message: str) -> WrapValidator:
    """Whatever is wrong with the value (also when it is missing), say this."""

    def check(value: object, handler: ValidatorFunctionWrapHandler) -> object:
        try:
            return handler(value)
        except ValidationError:
            raise _fail("plan", message) from None

    return WrapValidator(check)


# A plan's parts are required: a missing one is validated as this, and refused as a bad value.
_ABSENT = object()


def _required() -> Any:
    return Field(_ABSENT, validate_default=True)


PlanText = Annotated[str, _says("must be a string")]
PlanCount = Annotated[int, Field(ge=0), _says("must be a whole number ≥ 0")]


class VisitIn(_Part):
    request: PlanText = _required()
    observer: PlanText = _required()
    host: PlanText = _required()
    day: PlanText = _required()
    period: PlanText = _required()
    section: PlanText = _required()
    cover: Annotated[str | None, _says("must be a string")] = _required()  # null: free


class UnscheduledIn(_Part):
    request: PlanText = _required()
    missing: PlanCount = _required()
    reason: PlanText = _required()


class PlanIn(_Part):
    version: Annotated[int, Field(ge=VERSION, le=VERSION), _says(f"must be {VERSION}")] = (
        _required()
    )
    status: Annotated[
        Literal["OPTIMAL", "FEASIBLE"], _says(f"must be one of {', '.join(STATUSES)}")
    ] = _required()
    visits: list[VisitIn] = []
    unscheduled: list[UnscheduledIn] = []
    objective: PlanCount = _required()
    bound: PlanCount = _required()
    seconds: Annotated[float, Field(ge=0), _says("must be a number ≥ 0")] = 0.0
    # An optional key beyond FORMATS.md §3: the seconds of each phase of the solve.
    phases: dict[str, Annotated[float, Field(ge=0), _says("must be a number ≥ 0")]] = {}


# --- messages -----------------------------------------------------------------------------


def kind_of(value: object) -> str:
    """How a JSON value is named in a message: "a list", "the number 5", "null"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "a string" if isinstance(value, str) else type(value).__name__


def where(loc: tuple[int | str, ...], top: str) -> str:
    """`("requests", 1, "observers", 0)` → `requests[1].observers[0]`; () → the document."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text or top


def messages(error: ValidationError, *, top: str, say_kind: bool = True) -> list[str]:
    """One located message per problem, in the document's order. `say_kind` names what the
    wrong value is ("must be a list, not a string") and reads null as absent ("is required")."""
    return [f"{where(e['loc'], top)}: {_message(e, say_kind)}" for e in error.errors()]


WHAT = {
    "model_type": "an object",
    "model_attributes_type": "an object",
    "dict_type": "an object",
    "list_type": "a list",
    "string_type": "a string",
}


def _message(error: ErrorDetails, say_kind: bool) -> str:
    kind, value, loc = error["type"], error.get("input"), error["loc"]
    if kind == "missing":
        return "is required"
    what = WHAT.get(kind)
    if what is None:
        return error["msg"]
    if not say_kind:
        return f"must be {what}"
    # A key given as null is as absent as a missing one; a null item of a list is a value.
    if value is None and loc and isinstance(loc[-1], str):
        return "is required"
    return f"must be {what}, not {kind_of(value)}"
