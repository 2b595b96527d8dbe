"""The scheduler's output (FORMATS.md §3): a plan of visits, what could not be met, and why.

`objective` counts met visits (a pair visit counts 1, a met group counts its
`classrooms`), `bound` is a proven upper bound on it, and `status` is OPTIMAL
exactly when the two are equal. `phases` (optional, beyond §3) times each phase.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import ValidationError

from .documents import VERSION, PlanIn, messages
from .problem import ProblemError

SUBSTITUTE = "substitute"


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
    # Seconds per phase of the solve (greedy, placement, bound, search, preferences,
    # explanations): an optional key beyond FORMATS.md §3, written only when known.
    phases: dict[str, float] = field(default_factory=dict)

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
        "visits": [asdict(v) for v in plan.visits],
        "unscheduled": [
            {"request": u.request, "missing": u.missing, "reason": u.reason}
            for u in plan.unscheduled
        ],
        "objective": plan.objective,
        "bound": plan.bound,
        "seconds": round(plan.seconds, 3),
    } | ({"phases": {k: round(v, 3) for k, v in plan.phases.items()}} if plan.phases else {})


def plan_from_json(document: Any) -> Plan:
    """Read a plan document, checking its shape (`documents.PlanIn`; its rules: validate.py)."""
    try:
        plan = PlanIn.model_validate(document)
    except ValidationError as error:
        raise ProblemError(messages(error, top="plan", say_kind=False)) from None
    return Plan(
        plan.status,
        [
            Visit(v.request, v.observer, v.host, v.day, v.period, v.section, v.cover or None)
            for v in plan.visits
        ],
        [Unscheduled(u.request, u.missing, u.reason) for u in plan.unscheduled],
        plan.objective,
        plan.bound,
        float(plan.seconds),
        {key: float(value) for key, value in plan.phases.items()},
    )
