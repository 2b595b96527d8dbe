"""A last pass over a plan: move covered visits to times when the observers are free.

CP-SAT may reach the most met visits late in its time, with a plan that leans on
coverage, and have no time left to undo it. This pass is quick and never loses a
visit: one at a time, a visit (or a whole group) that needs coverage moves to another
time that needs less, with a fitting host free then, when the pairing it loses is worth
less than the coverage it saves (the weights of the soft preferences).
"""

from __future__ import annotations

from time import perf_counter

from .index import Candidates, Index, Option
from .ledger import Ledger
from .model import COVERAGE, SUBSTITUTE_PERIOD
from .plan import SUBSTITUTE, Visit


def fewer_covers(
    index: Index, visits: list[Visit], *, tries: int | None = None, until: float | None = None
) -> list[Visit]:
    """The plan with covered visits moved where they need less coverage. Each try looks at
    the whole plan, so a big plan is given at most `tries` (the same every run) and the
    wall-clock guard `until` (a `perf_counter` time)."""
    by_id = {c.request.id: c for c in index.candidates}
    for _ in range(3):  # each round may free room for another
        moved = False
        for key in sorted({(v.request, v.day, v.period) for v in visits if v.cover is not None}):
            if tries is not None:
                tries -= 1
            if (tries is not None and tries < 0) or (until is not None and perf_counter() > until):
                return visits
            request_id = key[0]
            mine = [v for v in visits if (v.request, v.day, v.period) == key]
            rest = [v for v in visits if (v.request, v.day, v.period) != key]
            better = _move(index, by_id[request_id], Ledger.from_visits(index, rest), mine, rest)
            if better is not None:
                visits = rest + better
                moved = True
        if not moved:
            break
    return visits


def _cost(visits: list[Visit]) -> int:
    covered = {(v.observer, v.cover) for v in visits if v.cover is not None}
    return sum(SUBSTITUTE_PERIOD if cover == SUBSTITUTE else COVERAGE for _, cover in covered)


def _move(
    index: Index, c: Candidates, ledger: Ledger, mine: list[Visit], rest: list[Visit]
) -> list[Visit] | None:
    """The request's visits of one slot, moved somewhere cheaper, or None."""
    request = c.request
    here = index.slot_of[mine[0].day, mine[0].period]
    scores = {(o.host, o.section): o.score for so in c.slots for o in so.options}
    rooms_here = {(v.host, v.section) for v in mine}
    before = sum(scores.get(room, 0) for room in rooms_here) - _cost(mine)
    used_slots = {index.slot_of[v.day, v.period] for v in rest if v.request == request.id}
    used_hosts = {v.host for v in rest if v.request == request.id}
    best: tuple[int, list[Visit]] | None = None
    for so in c.slots:
        s = so.slot
        if s == here or s in used_slots or len(so.needs_cover) >= _teaching(index, mine, here):
            continue
        if not all(ledger.free_to_observe(o, s) for o in request.observers):
            continue
        if not ledger.can_cover(len(so.needs_cover), s, request.observers):
            continue
        size = len(request.observers)
        rooms = [
            o for o in so.options if o.host not in used_hosts and ledger.room_for(o.host, s, size)
        ]
        wanted = 1 if request.kind == "pair" else request.classrooms
        if len(rooms) < wanted:
            continue
        rooms.sort(key=lambda o: -o.score)
        covers = ledger.choose_covers(so.needs_cover, s, request.observers)
        moved = [
            _visit(index, request.id, observer, option, s, covers.get(observer))
            for option in rooms[:wanted]
            for observer in request.observers
        ]
        after = sum(o.score for o in rooms[:wanted]) - _cost(moved)
        if after > before and (best is None or after > best[0]):
            best = (after, moved)
    return best[1] if best else None


def _teaching(index: Index, mine: list[Visit], slot: int) -> int:
    return len({v.observer for v in mine if (v.observer, slot) in index.meetings})


def _visit(
    index: Index, request: str, observer: str, option: Option, slot: int, cover: str | None
) -> Visit:
    day, period = index.slots[slot]
    return Visit(request, observer, option.host, day, period, option.section, cover)
