"""Proven upper bounds on met visits that count coverage and classrooms.

Each request's best alone (index.py) ignores that requests compete for the same
colleagues' coverage, substitute periods and classrooms. When they do, that bound can be
far above what fits (a week of many rounds and one coverage per teacher: 29% above).

`coverage_bound` is a linear relaxation that keeps what decides such weeks and forgets
which host is visited:

- a group meets in at most one of its slots, a pair request makes at most its `upper`
  visits, at most one in each slot (fractions allowed: it is a linear program);
- per teacher and slot: observing, covering and hosting together at most once;
- per slot, the observers who teach then are covered by colleagues free then (each within
  their coverage limit over the week) or by substitute periods (within the week's total);
- per slot, observer visits fit in the classrooms taught then by teachers who are not
  busy observing (each room holds `max_observers_per_classroom`, and holds at most one
  request of more than half that many observers), and per host, hosted slots stay within
  the hosting limit.

Every constraint holds for every valid plan, so the relaxation's optimum is a true bound.
Solved whole, it took GLOP 20 s at 800 teachers; so it is solved on a few columns (each
request's slots that need the fewest covers, and the classroom rows only when the
classrooms could bind), and the bound is not that restricted program's optimum but the
value of its dual prices over every column (weak duality: for any prices ≥ 0, the
capacities they buy plus each column's positive reduced cost bound the relaxation).
Columns priced positive are added and the program solved again, a few rounds. At 800
teachers that takes well under a second, and gives the whole relaxation's optimum when the
rounds end with no column priced positive.

`supply_bound` is a knapsack of the week's coverage and classrooms, quicker and looser.
`achievable` rounds a bound down to a count of visits a plan can meet.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from time import perf_counter
from typing import NamedTuple, TypeAlias

from ortools.linear_solver import pywraplp

from .index import NO_LIMIT, Candidates, Index, SlotOptions

log = logging.getLogger(__name__)

Var: TypeAlias = pywraplp.Variable
Row: TypeAlias = tuple[str, ...] | tuple[str, int] | tuple[str, str, int] | tuple[str, int, int]
# A request's slots that need at most this many covers more than its best slot start in
# the restricted program; the others come in when their prices say they could help.
SLACK = 1
ROUNDS = 6
CLASSROOM_ROWS = ("seats", "rooms")


@dataclass(frozen=True)
class _Column:
    """One request in one slot: its rows with their coefficients, and its value."""

    i: int
    slot: SlotOptions
    value: int
    rows: tuple[tuple[Row, float], ...]


class Relaxation(NamedTuple):
    bound: int | None  # None when GLOP did not finish a first round
    effort: int  # simplex iterations times rows, over the rounds: what GLOP's time grows with


def coverage_bound(
    index: Index, *, seconds: float, work: float = 10.0, known: tuple[int, int] = (0, NO_LIMIT)
) -> Relaxation:
    """The relaxation's bound rounded down, or None when GLOP did not finish a first round
    within its deterministic `work` (the same every run) or the wall-clock guard `seconds`.
    With `known` (met visits, a bound): the rounds stop once they cannot prove more."""
    met, ceiling = known
    effort = 0
    until = perf_counter() + seconds
    columns = [_columns(index, i, c) for i, c in enumerate(index.candidates)]
    lp = pywraplp.Solver.CreateSolver("GLOP")
    lp.SetSolverSpecificParametersAsString(f"max_deterministic_time: {work}")
    rows: dict[Row, pywraplp.Constraint] = {}
    objective = lp.Objective()
    objective.SetMaximization()
    added: dict[tuple[int, int], Var] = {}
    seats = False  # the classroom rows come in only when they could lower the bound

    def row(key: Row) -> pywraplp.Constraint:
        if key not in rows:
            rows[key] = lp.Constraint(-lp.infinity(), _rhs(index, key))
        return rows[key]

    def coefficients(column: _Column, var: Var, *, classrooms: bool) -> None:
        for key, weight in column.rows:
            if (key[0] in CLASSROOM_ROWS) == classrooms:
                row(key).SetCoefficient(var, weight)

    def add(column: _Column) -> None:
        var = added[column.i, column.slot.slot] = lp.NumVar(0, 1, "")
        objective.SetCoefficient(var, column.value)
        coefficients(column, var, classrooms=False)
        if seats:
            coefficients(column, var, classrooms=True)

    for cs in columns:
        least = min((len(col.slot.needs_cover) for col in cs), default=0)
        for col in cs:
            if len(col.slot.needs_cover) <= least + SLACK:
                add(col)
    _supply(index, lp, row, rooms=False)
    best: float | None = None
    rooms = _rooms_knapsack(index)
    for _ in range(ROUNDS):
        lp.SetTimeLimit(max(1, int((until - perf_counter()) * 1000)))
        if perf_counter() >= until or lp.Solve() != pywraplp.Solver.OPTIMAL:
            break
        effort += lp.iterations() * len(rows)
        if objective.Value() >= ceiling:  # the whole relaxation is no lower
            log.debug("relaxation: %.1f, no lower than %d", objective.Value(), ceiling)
            break
        prices = {key: max(0.0, r.dual_value()) for key, r in rows.items()}
        value, positive = _priced(index, columns, prices, seats)
        best = value if best is None else min(best, value)
        log.debug(
            "relaxation: %.1f, %d columns, %d rows, %d iterations, proves %.1f",
            objective.Value(),
            len(added),
            len(rows),
            lp.iterations(),
            value,
        )
        if best < met + 1:
            break
        fresh = [col for col in positive if (col.i, col.slot.slot) not in added]
        if not fresh and (seats or rooms >= best):
            break
        if not fresh:  # the classrooms could bind: their rows and the hosts' columns
            seats = True
            for cs in columns:
                for col in cs:
                    if (col.i, col.slot.slot) in added:
                        coefficients(col, added[col.i, col.slot.slot], classrooms=True)
            _supply(index, lp, row, rooms=True)
        for col in fresh:
            add(col)
    return Relaxation(None if best is None else math.floor(best + 1e-6), effort)


def _columns(index: Index, i: int, c: Candidates) -> list[_Column]:
    request = c.request
    if not c.slots or c.upper <= 0:
        return []
    size = len(request.observers)
    rooms = 1 if request.kind == "pair" else request.classrooms
    capacity = index.problem.rules.max_observers_per_classroom
    value = request.wanted if request.kind == "group" else 1
    result = []
    for so in c.slots:
        rows: list[tuple[Row, float]] = [(("request", i), 1)]
        rows += [(("busy", o, so.slot), 1) for o in request.observers]
        if so.needs_cover:
            rows.append((("cover", so.slot), len(so.needs_cover)))
        rows.append((("seats", so.slot), size * rooms))
        if 2 * size > capacity:  # no two such requests share a room
            rows.append((("rooms", so.slot), rooms))
        result.append(_Column(i, so, value, tuple(rows)))
    return result


def _rhs(index: Index, key: Row) -> float:
    kind = key[0]
    if kind == "request":
        c = index.candidates[int(key[1])]
        return 1 if c.request.kind == "group" else c.upper
    if kind == "busy":
        return 1
    if kind == "covers":
        return index.cover_limit[str(key[1])]
    if kind == "hosting":
        return index.hosting_limit[str(key[1])]
    if kind == "substitutes":
        return index.problem.rules.substitute_periods
    return 0  # cover, seats, rooms: demand minus supply


def _needing(index: Index) -> list[int]:
    return sorted({so.slot for c in index.candidates for so in c.slots if so.needs_cover})


def _used(index: Index) -> list[int]:
    return sorted({so.slot for c in index.candidates for so in c.slots})


def _supply(
    index: Index, lp: pywraplp.Solver, row: Callable[[Row], pywraplp.Constraint], *, rooms: bool
) -> None:
    """The columns that supply: colleagues covering and substitute periods, or (`rooms`)
    hosted rooms."""
    spare = index.problem.rules.substitute_periods
    for s in [] if rooms else _needing(index):
        for teacher in index.coverers[s]:
            var = lp.NumVar(0, 1, "")
            row(("cover", s)).SetCoefficient(var, -1)
            row(("covers", teacher)).SetCoefficient(var, 1)
            row(("busy", teacher, s)).SetCoefficient(var, 1)
        if spare:
            var = lp.NumVar(0, spare, "")
            row(("cover", s)).SetCoefficient(var, -1)
            row(("substitutes",)).SetCoefficient(var, 1)
    capacity = index.problem.rules.max_observers_per_classroom
    for s in _used(index) if rooms else []:
        for host in index.classes[s]:
            var = lp.NumVar(0, 1, "")
            row(("seats", s)).SetCoefficient(var, -capacity)
            row(("rooms", s)).SetCoefficient(var, -1)
            row(("hosting", host)).SetCoefficient(var, 1)
            row(("busy", host, s)).SetCoefficient(var, 1)


def _priced(
    index: Index, columns: list[list[_Column]], prices: dict[Row, float], seats: bool
) -> tuple[float, list[_Column]]:
    """What the prices prove (the capacities they buy plus every column's positive reduced
    cost times its upper bound), and the request columns priced positive."""
    total = sum(price * _rhs(index, key) for key, price in prices.items() if price > 0)
    positive = []
    for cs in columns:
        for col in cs:
            reduced = col.value - sum(w * prices.get(key, 0.0) for key, w in col.rows)
            if reduced > 1e-9:
                total += reduced
                positive.append(col)
    spare = index.problem.rules.substitute_periods
    for s in _needing(index):
        price = prices.get(("cover", s), 0.0)
        if price <= 0:
            continue
        for teacher in index.coverers[s]:
            taken = prices.get(("covers", teacher), 0.0) + prices.get(("busy", teacher, s), 0.0)
            total += max(0.0, price - taken)
        total += spare * max(0.0, price - prices.get(("substitutes",), 0.0))
    capacity = index.problem.rules.max_observers_per_classroom
    for s in _used(index) if seats else ():
        room = capacity * prices.get(("seats", s), 0.0) + prices.get(("rooms", s), 0.0)
        if room <= 0:
            continue
        for host in index.classes[s]:
            total += max(
                0.0, room - prices.get(("hosting", host), 0.0) - prices.get(("busy", host, s), 0.0)
            )
    return total, positive


def achievable(index: Index, bound: int) -> int:
    """The bound rounded down to a multiple of what every met request counts (a week of
    groups of 5 classrooms meets a multiple of 5)."""
    counts = [c.request.wanted if c.request.kind == "group" else 1 for c in index.candidates]
    step = reduce(math.gcd, counts, 0) or 1
    return bound - bound % step


def supply_bound(index: Index) -> int:
    """A quicker, looser bound: the coverage the week can give and the classrooms it can
    host, each shared by the requests that need the least of it first (a knapsack,
    fractions allowed)."""
    problem = index.problem
    free: defaultdict[str, int] = defaultdict(int)
    for s in _needing(index):
        for teacher in index.coverers[s]:
            free[teacher] += 1
    covers = sum(min(index.cover_limit[t], n) for t, n in free.items())
    covers += problem.rules.substitute_periods
    by_covers: list[tuple[int, float]] = []  # (visits, what they need at least)
    for c in index.candidates:
        if not c.slots or c.upper <= 0:
            continue
        request = c.request
        if request.kind == "group":
            by_covers.append((request.classrooms, min(len(so.needs_cover) for so in c.slots)))
        else:
            needs = sorted(len(so.needs_cover) for so in c.slots)
            by_covers.extend((1, needs[k]) for k in range(c.upper))
    return math.floor(min(_knapsack(by_covers, covers), _rooms_knapsack(index)) + 1e-6)


def _rooms_knapsack(index: Index) -> float:
    """The classroom seats the week can host (within the hosting limits), and its rooms for
    requests of more than half a room's observers (one such request a room): each shared
    by the requests that need the least of it first."""
    teaching: defaultdict[str, int] = defaultdict(int)
    for s in _used(index):
        for host in index.classes[s]:
            teaching[host] += 1
    rooms = sum(min(index.hosting_limit[t], n) for t, n in teaching.items())
    capacity = index.problem.rules.max_observers_per_classroom
    by_seats: list[tuple[int, float]] = []
    by_rooms: list[tuple[int, float]] = []
    for c in index.candidates:
        if not c.slots or c.upper <= 0:
            continue
        request = c.request
        size = len(request.observers)
        big = 2 * size > capacity
        if request.kind == "group":
            by_seats.append((request.classrooms, request.classrooms * size))
            by_rooms.append((request.classrooms, request.classrooms if big else 0))
        else:
            by_seats.extend((1, size) for _ in range(c.upper))
            by_rooms.extend((1, 1 if big else 0) for _ in range(c.upper))
    return min(_knapsack(by_seats, capacity * rooms), _knapsack(by_rooms, rooms))


def _knapsack(items: list[tuple[int, float]], room: float) -> float:
    """Most value that fits in `room`, taking items by value per weight, the last in part."""
    total = 0.0
    for value, weight in sorted(items, key=lambda item: item[1] / item[0]):
        if weight <= 0:
            total += value
            continue
        if room <= 0:
            break
        part = min(1.0, room / weight)
        total += value * part
        room -= weight * part
    return total
