"""The scheduler's output (FORMATS.md §3): a plan of visits, what could not be met, and why.

`objective` counts met visits (a pair visit counts 1, a met group counts its
`classrooms`), `bound` is a proven upper bound on it, and `status` is OPTIMAL
exactly when the two are equal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .problem import VERSION, ProblemError

SUBSTITUTE = "substitute"
STATUSES = ("OPTIMAL", "FEASIBLE")


@dataclass(frozen=True)
class Visit:
    request: str
    observer: str
    host: str
    day: str
    period: str
    section: str
    cover: str | None = None  # None: the observer is free; a teacher id; or "substitute"


@dataclass(frozen=True)
class Unscheduled:
    request: str
    missing: int
    reason: str


@dataclass
class Plan:
    status: str
    visits: list[Visit] = field(default_factory=list)
    unscheduled: list[Unscheduled] = field(default_factory=list)
    objective: int = 0
    bound: int = 0
    seconds: float = 0.0

    @property
    def coverages(self) -> int:
        """Colleague coverages: one per observer and slot covered by a teacher."""
        return len({(v.observer, v.day, v.period) for v in self.visits if _colleague(v.cover)})

    @property
    def substitutes(self) -> int:
        """Substitute periods used: one per observer and slot covered by a substitute."""
        return len({(v.observer, v.day, v.period) for v in self.visits if v.cover == SUBSTITUTE})

    def summary(self) -> str:
        wanted = self.objective + sum(u.missing for u in self.unscheduled)
        text = (
            f"{self.objective} of {wanted} requested visits met "
            f"(bound {self.bound}, {self.status}) in {self.seconds:.1f} s"
        )
        if self.unscheduled:
            count = len(self.unscheduled)
            text += f"; {count} request{'s' if count != 1 else ''} not fully met"
        return text


def _colleague(cover: str | None) -> bool:
    return cover is not None and cover != SUBSTITUTE


def plan_to_json(plan: Plan) -> dict[str, Any]:
    return {
        "version": VERSION,
        "status": plan.status,
        "visits": [
            {
                "request": v.request,
                "observer": v.observer,
                "host": v.host,
                "day": v.day,
                "period": v.period,
                "section": v.section,
                "cover": v.cover,
            }
            for v in plan.visits
        ],
        "unscheduled": [
            {"request": u.request, "missing": u.missing, "reason": u.reason}
            for u in plan.unscheduled
        ],
        "objective": plan.objective,
        "bound": plan.bound,
        "seconds": round(plan.seconds, 3),
    }


def plan_from_json(document: Any) -> Plan:
    """Read a plan document, checking its shape (not its rules: see validate.py)."""
    errors: list[str] = []

    def text(data: dict[str, Any], key: str, where: str, *, nullable: bool = False) -> str:
        value = data.get(key)
        if value is None and nullable and key in data:
            return ""
        if not isinstance(value, str):
            errors.append(f"{where}.{key}: must be a string")
            return ""
        return value

    def whole(data: dict[str, Any], key: str, where: str) -> int:
        value = data.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors.append(f"{where}{key}: must be a whole number ≥ 0")
            return 0
        return value

    if not isinstance(document, dict):
        raise ProblemError(["plan: must be an object"])
    if document.get("version") != VERSION or isinstance(document.get("version"), bool):
        errors.append(f"version: must be {VERSION}")
    status = document.get("status")
    if status not in STATUSES:
        errors.append(f"status: must be one of {', '.join(STATUSES)}")
    visits = []
    for i, item in enumerate(_list(document, "visits", errors)):
        here = f"visits[{i}]"
        if not isinstance(item, dict):
            errors.append(f"{here}: must be an object")
            continue
        keys = ("request", "observer", "host", "day", "period", "section")
        values = {key: text(item, key, here) for key in keys}
        cover = text(item, "cover", here, nullable=True) or None
        visits.append(Visit(**values, cover=cover))
    unscheduled = []
    for i, item in enumerate(_list(document, "unscheduled", errors)):
        here = f"unscheduled[{i}]"
        if not isinstance(item, dict):
            errors.append(f"{here}: must be an object")
            continue
        unscheduled.append(
            Unscheduled(
                text(item, "request", here),
                whole(item, "missing", here + "."),
                text(item, "reason", here),
            )
        )
    objective = whole(document, "objective", "")
    bound = whole(document, "bound", "")
    seconds = document.get("seconds", 0.0)
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
        errors.append("seconds: must be a number ≥ 0")
        seconds = 0.0
    if errors:
        raise ProblemError(errors)
    return Plan(str(status), visits, unscheduled, objective, bound, float(seconds))


def _list(document: dict[str, Any], key: str, errors: list[str]) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        errors.append(f"{key}: must be a list")
        return []
    return value
