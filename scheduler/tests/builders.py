"""Small problems written the way a coach would describe them, an exhaustive search, and
`solve_unhurried`, which keeps a busy test machine from changing what the solver finds.

`school("Ana: Mon1 math 3, Mon2 -", ...)` is shorthand for a week: each teacher's
classes by slot (`-` = free, `x` = unavailable); slots not mentioned are free.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations, product
from pathlib import Path

from scheduler.plan import SUBSTITUTE, Plan, Visit
from scheduler.problem import Meeting, Problem, Request, Rules, Teacher, Unavailable
from scheduler.solver import solve
from scheduler.validate import visit_problems

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SCHEDULES = sorted((DATA / "schedules").glob("*.csv"))
# Wall-clock seconds given per second of the time limit by `solve_unhurried`.
SLACK = 5


def solve_unhurried(problem: Problem, *, time_limit: float, **options: int) -> Plan:
    """`solve` with the deterministic work of `time_limit` and SLACK times the wall-clock
    seconds to do it. The suite runs on every core at once, beside browsers: with the
    default, the wall-clock guard could end a search early, and what the plan meets, or
    whether two runs agree, would depend on the load."""
    return solve(problem, time_limit=time_limit, patience=SLACK, **options)


def school(
    *rows: str,
    days: tuple[str, ...] = ("Mon", "Tue"),
    periods: tuple[str, ...] = ("1", "2", "3"),
    requests: tuple[Request, ...] = (),
    rules: Rules | None = None,
    years: dict[str, int] | None = None,
) -> Problem:
    """Rows like "Ana: Mon1 math 3, Tue2 x" (teacher name = id)."""
    teachers, meetings, unavailable = [], [], []
    for row in rows:
        name, _, rest = row.partition(":")
        name = name.strip()
        teachers.append(Teacher(name, name, years=(years or {}).get(name)))
        for item in filter(None, (part.strip() for part in rest.split(","))):
            words = item.split()
            slot = words[0]
            day, period = slot[:3], slot[3:]
            if words[1:] == ["x"]:
                unavailable.append(Unavailable(name, day, period))
                continue
            subject = words[1] if len(words) > 1 else ""
            grade = words[2] if len(words) > 2 else ""
            section = words[3] if len(words) > 3 else f"{name}-{slot}"
            meetings.append(Meeting(name, day, period, section, subject, grade))
    return Problem(
        days=days,
        periods=periods,
        teachers=tuple(teachers),
        meetings=tuple(meetings),
        unavailable=tuple(unavailable),
        requests=requests,
        rules=rules or Rules(),
    )


def pair(request_id: str, observer: str, visits: int = 1, **filters) -> Request:
    return Request(request_id, "pair", (observer,), visits=visits, **_tuples(filters))


def group(request_id: str, *observers: str, classrooms: int = 1, **filters) -> Request:
    return Request(request_id, "group", observers, classrooms=classrooms, **_tuples(filters))


def _tuples(filters: dict) -> dict:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in filters.items()}


# --- exhaustive search ----------------------------------------------------------------------


def best_met(problem: Problem) -> int:
    """The most visits any valid plan meets, by trying every plan (tiny problems only)."""
    options = [list(_request_options(problem, r)) for r in problem.requests]
    best = 0

    def search(i: int, chosen: list[Visit], met: int) -> None:
        nonlocal best
        best = max(best, met)
        if i == len(options):
            return
        if met + sum(r.wanted for r in problem.requests[i:]) <= best:
            return
        request = problem.requests[i]
        for visits in options[i]:
            if visits and visit_problems(problem, chosen + visits):
                continue
            gained = len(visits) if request.kind == "pair" else request.classrooms * bool(visits)
            search(i + 1, chosen + visits, met + gained)

    search(0, [], 0)
    return best


def _request_options(problem: Problem, request: Request) -> Iterator[list[Visit]]:
    """Every set of visits that could meet the request (fully or, for pairs, in part),
    most visits first; the validator decides which are allowed."""
    yield_order: list[list[Visit]] = []
    if request.kind == "pair":
        singles = [
            v
            for slot in _slots(problem)
            for v in _visits(problem, request, request.observers[0], slot)
        ]
        for size in range(min(request.visits, len(singles)), 0, -1):
            yield_order.extend(list(c) for c in combinations(singles, size))
    else:
        for slot in _slots(problem):
            classes = _classes(problem, slot, exclude=request.observers)
            for rooms in combinations(classes, request.classrooms):
                if len({host for host, _ in rooms}) < len(rooms):
                    continue
                covers = [_covers(problem, o, slot) for o in request.observers]
                for chosen_covers in product(*covers):
                    yield_order.append(
                        [
                            Visit(request.id, o, host, *slot, section, cover)
                            for host, section in rooms
                            for o, cover in zip(request.observers, chosen_covers, strict=True)
                        ]
                    )
    yield from yield_order
    yield []


def _slots(problem: Problem) -> list[tuple[str, str]]:
    return [(d, p) for d in problem.days for p in problem.periods]


def _classes(problem: Problem, slot, exclude=()) -> list[tuple[str, str]]:
    return [
        (m.teacher, m.section)
        for m in problem.meetings
        if (m.day, m.period) == slot and m.teacher not in exclude
    ]


def _covers(problem: Problem, observer: str, slot) -> list[str | None]:
    teaching = {m.teacher for m in problem.meetings if (m.day, m.period) == slot}
    if observer not in teaching:
        return [None]
    covers: list[str | None] = [t.id for t in problem.teachers if t.id not in teaching]
    if problem.rules.substitute_periods:
        covers.append(SUBSTITUTE)
    return covers


def _visits(
    problem: Problem, request: Request, observer: str, slot: tuple[str, str]
) -> list[Visit]:
    return [
        Visit(request.id, observer, host, *slot, section, cover)
        for host, section in _classes(problem, slot, exclude=(observer,))
        for cover in _covers(problem, observer, slot)
    ]
