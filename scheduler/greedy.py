"""A fast greedy plan: the solver's first solution (hint) and the baseline it is compared to.

Requests are taken hardest first (groups, then the pairs with the fewest
possibilities); each takes the best visit still possible, preferring observers who
are free over ones who need a coverage, then classrooms that use up least of a
hosting limit (one already visited in that slot costs nothing), then better pairings.
"""

from __future__ import annotations

import logging
from time import perf_counter

from .explain import unscheduled_entries
from .index import NO_LIMIT, Candidates, Index, Option, SlotOptions
from .ledger import Ledger
from .plan import Plan, Visit
from .problem import Problem, problem_check

log = logging.getLogger(__name__)


def greedy_plan(problem: Problem) -> Plan:
    """The greedy plan, with reasons for what it could not meet."""
    start = perf_counter()
    problem_check(problem)
    index = Index(problem)
    return finished_plan(index, greedy_visits(index), bound=upper_bound(index), start=start)


def greedy_visits(index: Index) -> list[Visit]:
    return fill(index, Ledger(index), index.candidates)


def fill(index: Index, ledger: Ledger, candidates: list[Candidates]) -> list[Visit]:
    """Greedy visits for these requests, around what the ledger already holds."""
    visits: list[Visit] = []
    for c in sorted(candidates, key=_difficulty):
        if c.request.kind == "group":
            visits.extend(_group(index, ledger, c))
        else:
            visits.extend(_pair(index, ledger, c))
    return visits


def upper_bound(index: Index) -> int:
    """The sum of what each request could get alone: true, and often tight."""
    return sum(c.upper for c in index.candidates)


def finished_plan(index: Index, visits: list[Visit], *, bound: int, start: float) -> Plan:
    visits = sorted(visits, key=lambda v: (index.slot_of[v.day, v.period], v.request, v.host))
    unscheduled = unscheduled_entries(index, visits)
    wanted = sum(c.request.wanted for c in index.candidates)
    met = wanted - sum(u.missing for u in unscheduled)
    if bound < met:  # a bug: say so, and keep the plan consistent
        log.error("bound %d below %d met visits", bound, met)
        bound = met
    status = "OPTIMAL" if met == bound else "FEASIBLE"
    return Plan(status, visits, unscheduled, met, bound, perf_counter() - start)


def _difficulty(c: Candidates) -> tuple[int, float]:
    options = sum(len(so.options) for so in c.slots)
    return (0 if c.request.kind == "group" else 1, options / max(1, c.request.wanted))


def _pair(index: Index, ledger: Ledger, c: Candidates) -> list[Visit]:
    request = c.request
    observer = request.observers[0]
    used_hosts: set[str] = set()
    used_slots: set[int] = set()
    visits = []
    for _ in range(request.visits):
        best: tuple[tuple[float, ...], SlotOptions, Option] | None = None
        for so in c.slots:
            s = so.slot
            if s in used_slots or not ledger.free_to_observe(observer, s):
                continue
            needs = len(so.needs_cover)
            if needs and not ledger.can_cover(1, s, request.observers):
                continue
            for option in so.options:
                if option.host in used_hosts or not ledger.room_for(option.host, s, 1):
                    continue
                key = (needs, hosting_cost(index, ledger, option.host, s), -option.score, s)
                if best is None or key < best[0]:
                    best = (key, so, option)
        if best is None:
            break
        _, so, option = best
        s = so.slot
        cover = ledger.choose_covers(so.needs_cover, s, request.observers).get(observer)
        ledger.observe(observer, s, cover)
        ledger.visit(observer, option.host, s)
        used_hosts.add(option.host)
        used_slots.add(s)
        visits.append(_visit(index, request.id, observer, option, s, cover))
    return visits


def _group(index: Index, ledger: Ledger, c: Candidates) -> list[Visit]:
    request = c.request
    observers = request.observers
    best: tuple[tuple[float, ...], SlotOptions, list[Option]] | None = None
    for so in c.slots:
        s = so.slot
        if not all(ledger.free_to_observe(o, s) for o in observers):
            continue
        if not ledger.can_cover(len(so.needs_cover), s, observers):
            continue
        rooms = [o for o in so.options if ledger.room_for(o.host, s, len(observers))]
        if len(rooms) < request.classrooms:
            continue
        rooms.sort(key=lambda o: (hosting_cost(index, ledger, o.host, s), -o.score))
        chosen = rooms[: request.classrooms]
        key = (len(so.needs_cover), -sum(o.score for o in chosen), s)
        if best is None or key < best[0]:
            best = (key, so, chosen)
    if best is None:
        return []
    _, so, chosen = best
    covers = ledger.choose_covers(so.needs_cover, so.slot, observers)
    for observer in observers:
        ledger.observe(observer, so.slot, covers.get(observer))
    visits = []
    for option in chosen:
        for observer in observers:
            ledger.visit(observer, option.host, so.slot)
            visits.append(
                _visit(index, request.id, observer, option, so.slot, covers.get(observer))
            )
    return visits


def hosting_cost(index: Index, ledger: Ledger, host: str, slot: int) -> float:
    """How much of the host's hosting limit a visit would use up: none if the host is
    already hosted then, else more the closer the host is to the limit."""
    if ledger.load[host, slot]:
        return 0.0
    limit = index.hosting_limit[host]
    return (1 + ledger.hosting[host]) / limit if limit < NO_LIMIT else ledger.hosting[host] / 100


def _visit(
    index: Index, request: str, observer: str, option: Option, slot: int, cover: str | None
) -> Visit:
    day, period = index.slots[slot]
    return Visit(request, observer, option.host, day, period, option.section, cover)
