"""The slot model: which requests meet when, and who covers, with classrooms counted, not chosen.

On weeks where coverage is scarce, what decides met visits is when each group meets and
who covers its teaching observers; which of the many fitting classrooms it visits hardly
matters. The full model (model.py) decides both at once and drowns in classroom
variables (250,000 at 800 teachers). This model keeps one variable per request and slot,
the coverage of model.py, and for classrooms only what must hold for any plan:

- per teacher and slot: observing, covering and hosting together at most once;
- per slot, the observers' seats fit in the rooms of teachers hosting then
  (`max_observers_per_classroom` each), and each host stays within the hosting limit.

Every constraint holds for every valid plan, so the model is a relaxation and its proven
bound is a true bound on met visits. Its solution is turned into visits by `realize`:
classrooms chosen slot by slot, the covers it chose, and whatever did not fit handed to
the greedy construction, which then also tries every request still unmet (a repair).
With `around` and `free` the model re-plans only some slots (a day) around a plan, for
the solver's large-neighbourhood search. `greedy_placement` is a quick placement
without CP-SAT.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .greedy import fill, hosting_cost
from .index import Candidates, Index, Option, SlotOptions
from .ledger import Ledger
from .plan import SUBSTITUTE, Visit

Var = cp_model.IntVar


@dataclass(frozen=True)
class Placement:
    """What the slot model decided: the slots of each request, and who covers in each slot."""

    slots: dict[int, list[int]]  # candidate index -> slots
    covers: dict[int, list[str]]  # slot -> colleagues who cover then
    substitutes: dict[int, int]  # slot -> substitute periods then


class SlotModel:
    """The whole week; or, with `around` and `free`, only the slots in `free`, the plan
    `around` kept as it is in every other slot (a neighbourhood, for `improve`)."""

    def __init__(
        self, index: Index, *, around: list[Visit] | None = None, free: set[int] | None = None
    ):
        self.index = index
        self.cp = cp_model.CpModel()
        self.meets: dict[tuple[int, int], Var] = {}
        self.cover: dict[tuple[str, int], Var] = {}
        self.hosted: dict[tuple[str, int], Var] = {}
        self.substitutes: dict[int, Var] = {}
        self.met_terms: list[tuple[Var, int]] = []
        self.free = free
        kept = placement_of(index, around or [])
        self.kept = Placement(
            {i: [s for s in slots if not self._free(s)] for i, slots in kept.slots.items()},
            {s: covers for s, covers in kept.covers.items() if not self._free(s)},
            {s: n for s, n in kept.substitutes.items() if not self._free(s)},
        )
        self._hosting = Counter(
            host
            for host, s in {(v.host, index.slot_of[v.day, v.period]) for v in around or []}
            if not self._free(s)
        )
        self._build()

    def _free(self, slot: int) -> bool:
        return self.free is None or slot in self.free

    def _build(self) -> None:
        index = self.index
        rules = index.problem.rules
        busy: defaultdict[tuple[str, int], list[Var]] = defaultdict(list)
        needs: defaultdict[int, list[tuple[Var, int]]] = defaultdict(list)
        seats: defaultdict[int, list[tuple[Var, int]]] = defaultdict(list)
        kept = self.kept
        covered = Counter(t for covers in kept.covers.values() for t in covers)
        for i, c in enumerate(index.candidates):
            done = kept.slots.get(i, [])
            most = (1 if c.request.kind == "group" else c.upper) - len(done)
            if most <= 0:
                continue
            request = c.request
            size = len(request.observers)
            rooms = 1 if request.kind == "pair" else request.classrooms
            mine = []
            for so in c.slots:
                if not self._free(so.slot) or so.slot in done:
                    continue
                var = self.cp.new_bool_var("")
                self.meets[i, so.slot] = var
                mine.append(var)
                for observer in request.observers:
                    busy[observer, so.slot].append(var)
                if so.needs_cover:
                    needs[so.slot].append((var, len(so.needs_cover)))
                seats[so.slot].append((var, size * rooms))
                self.met_terms.append((var, request.wanted if request.kind == "group" else 1))
            if len(mine) > most:
                self.cp.add(sum(mine) <= most)
        spare = rules.substitute_periods - sum(kept.substitutes.values())
        covering: defaultdict[str, list[Var]] = defaultdict(list)
        for s, wanted in needs.items():
            supply: list[Var] = []
            for teacher in index.coverers[s]:
                var = self.cp.new_bool_var("")
                self.cover[teacher, s] = var
                busy[teacher, s].append(var)
                covering[teacher].append(var)
                supply.append(var)
            if spare:
                self.substitutes[s] = self.cp.new_int_var(0, spare, "")
                supply.append(self.substitutes[s])
            self.cp.add(sum(w * v for v, w in wanted) == sum(supply))
        if len(self.substitutes) > 1:
            self.cp.add(sum(self.substitutes.values()) <= spare)
        for teacher, vars_ in covering.items():
            if len(vars_) > index.cover_limit[teacher] - covered[teacher]:
                self.cp.add(sum(vars_) <= index.cover_limit[teacher] - covered[teacher])
        capacity = rules.max_observers_per_classroom
        hosting: defaultdict[str, list[Var]] = defaultdict(list)
        for s, wanted in seats.items():
            hosts = []
            for host in index.classes[s]:
                var = self.cp.new_bool_var("")
                self.hosted[host, s] = var
                busy[host, s].append(var)
                hosting[host].append(var)
                hosts.append(var)
            self.cp.add(sum(w * v for v, w in wanted) <= capacity * sum(hosts))
        for host, vars_ in hosting.items():
            if len(vars_) > index.hosting_limit[host] - self._hosting[host]:
                self.cp.add(sum(vars_) <= index.hosting_limit[host] - self._hosting[host])
        for vars_ in busy.values():
            if len(vars_) > 1:
                self.cp.add_at_most_one(vars_)

    def hint(self, visits: list[Visit]) -> int:
        """Start the search from this plan (in the slots the model decides); the plan's
        value of `met()`."""
        placed = placement_of(self.index, visits)
        chosen = {(i, s) for i, slots in placed.slots.items() for s in slots}
        covering = {(t, s) for s, teachers in placed.covers.items() for t in teachers}
        hosting = {(v.host, self.index.slot_of[v.day, v.period]) for v in visits}
        for key, var in self.meets.items():
            self.cp.add_hint(var, key in chosen)
        for who, var in self.cover.items():
            self.cp.add_hint(var, who in covering)
        for who, var in self.hosted.items():
            self.cp.add_hint(var, who in hosting)
        for s, var in self.substitutes.items():
            self.cp.add_hint(var, placed.substitutes.get(s, 0))
        # meets and met_terms were filled together, one entry per request and slot
        weights = (w for _, w in self.met_terms)
        return sum(w for key, w in zip(self.meets, weights, strict=True) if key in chosen)

    def met(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.weighted_sum(
            [v for v, _ in self.met_terms], [w for _, w in self.met_terms]
        )

    def placement(self, solver: cp_model.CpSolver) -> Placement:
        """The solution, with what was kept around it."""
        slots: defaultdict[int, list[int]] = defaultdict(list)
        for i, kept in self.kept.slots.items():
            slots[i].extend(kept)
        for (i, s), var in self.meets.items():
            if solver.value(var):
                slots[i].append(s)
        covers: defaultdict[int, list[str]] = defaultdict(list, self.kept.covers)
        for (teacher, s), var in sorted(self.cover.items()):
            if solver.value(var):
                covers[s].append(teacher)
        substitutes = dict(self.kept.substitutes)
        substitutes.update({s: int(solver.value(var)) for s, var in self.substitutes.items()})
        return Placement(dict(slots), dict(covers), substitutes)


def placement_of(index: Index, visits: list[Visit]) -> Placement:
    """When each request of a plan meets, and who covers then."""
    request_of = {c.request.id: i for i, c in enumerate(index.candidates)}
    slots: defaultdict[int, set[int]] = defaultdict(set)
    covers: defaultdict[int, list[str]] = defaultdict(list)
    substitutes: defaultdict[int, int] = defaultdict(int)
    covered: set[tuple[str, int]] = set()
    for v in visits:
        s = index.slot_of[v.day, v.period]
        slots[request_of[v.request]].add(s)
        if v.cover is None or (v.observer, s) in covered:
            continue
        covered.add((v.observer, s))
        if v.cover == SUBSTITUTE:
            substitutes[s] += 1
        else:
            covers[s].append(v.cover)
    return Placement({i: sorted(s) for i, s in slots.items()}, dict(covers), dict(substitutes))


def slot_model_size(index: Index) -> int:
    """About how many variables the slot model of this week has, without building it."""
    needing = {so.slot for c in index.candidates for so in c.slots if so.needs_cover}
    slots = {so.slot for c in index.candidates for so in c.slots}
    return (
        sum(len(c.slots) for c in index.candidates)
        + sum(len(index.coverers[s]) for s in needing)
        + sum(len(index.classes[s]) for s in slots)
    )


def realize(index: Index, placement: Placement) -> list[Visit]:
    """Visits for a placement: classrooms chosen slot by slot (hardest requests first),
    covers as placed; a request that finds too few classrooms is left to the repair, in
    which the greedy construction tries every request still unmet."""
    ledger = Ledger(index)
    visits: list[Visit] = []
    placed = sorted(placement.slots.items(), key=lambda item: _hardest(index.candidates[item[0]]))
    covers = {s: list(teachers) for s, teachers in placement.covers.items()}
    # Observers first, so that no classroom is chosen whose teacher observes then.
    for i, slots in placed:
        for s in slots:
            for observer in index.candidates[i].request.observers:
                ledger.busy[observer, s] = "observing"
    for s, teachers in covers.items():
        for teacher in teachers:
            ledger.busy[teacher, s] = "covering"
    done: set[int] = set()
    for i, slots in placed:
        c = index.candidates[i]
        by_slot = {so.slot: so for so in c.slots}
        chosen = _classrooms(index, ledger, c, [by_slot[s] for s in slots])
        if chosen is None:
            for s in slots:
                for observer in c.request.observers:
                    ledger.busy.pop((observer, s), None)
            continue
        done.add(i)
        for s, options in chosen:
            cover_of = {}
            for observer in by_slot[s].needs_cover:
                cover_of[observer] = covers[s].pop() if covers.get(s) else SUBSTITUTE
                ledger.cover(cover_of[observer], s)
            day, period = index.slots[s]
            for option in options:
                for observer in c.request.observers:
                    ledger.visit(observer, option.host, s)
                    visits.append(
                        Visit(
                            c.request.id,
                            observer,
                            option.host,
                            day,
                            period,
                            option.section,
                            cover_of.get(observer),
                        )
                    )
    # Covers the model chose but no realized visit used are free again.
    for s, teachers in covers.items():
        for teacher in teachers:
            ledger.busy.pop((teacher, s), None)
    unmet = [c for i, c in enumerate(index.candidates) if i not in done]
    return visits + fill(index, ledger, unmet)


def _hardest(c: Candidates) -> tuple[int, int]:
    return (0 if c.request.kind == "group" else 1, sum(len(so.options) for so in c.slots))


def _classrooms(
    index: Index, ledger: Ledger, c: Candidates, slots: list[SlotOptions]
) -> list[tuple[int, list[Option]]] | None:
    """Classrooms for each of the request's slots (distinct hosts for a pair), or None."""
    request = c.request
    size = len(request.observers)
    need = 1 if request.kind == "pair" else request.classrooms
    used: set[str] = set()
    chosen = []
    for so in slots:
        s = so.slot
        rooms: list[Option] = []
        for options in index.options_in(request, so):
            rooms = [o for o in options if o.host not in used and ledger.room_for(o.host, s, size)]
            if len(rooms) >= need:
                break
        if len(rooms) < need:
            return None
        rooms.sort(key=lambda o: (hosting_cost(index, ledger, o.host, s), -o.score))
        # Reserve them at once, so that the next slot of a pair sees them taken.
        for option in rooms[:need]:
            used.add(option.host)
        chosen.append((s, rooms[:need]))
    return chosen


def greedy_placement(index: Index) -> Placement:
    """A quick placement: the requests needing the fewest covers first (then the hardest),
    each takes the slot that needs the fewest covers among those still possible. Unlike
    the greedy plan, classrooms are left for `realize`, so that they go to teachers who do
    not observe then. (Hardest first, as the greedy plan goes, met fewer visits on every
    week of bench/hard_problems.py.)"""
    ledger = Ledger(index)
    slots: defaultdict[int, list[int]] = defaultdict(list)
    covers: defaultdict[int, list[str]] = defaultdict(list)
    substitutes: defaultdict[int, int] = defaultdict(int)

    def order(item: tuple[int, Candidates]) -> tuple[int, ...]:
        c = item[1]
        fewest = min((len(so.needs_cover) for so in c.slots), default=0)
        return (fewest, *_hardest(c), item[0])

    for i, c in sorted(enumerate(index.candidates), key=order):
        observers = c.request.observers
        times = c.upper if c.request.kind == "pair" else min(1, c.upper)
        for _ in range(times):
            possible = [
                so
                for so in c.slots
                if so.slot not in slots[i]
                and all(ledger.free_to_observe(o, so.slot) for o in observers)
                and ledger.can_cover(len(so.needs_cover), so.slot, observers)
            ]
            if not possible:
                break
            so = min(possible, key=lambda so: (len(so.needs_cover), -len(so.options), so.slot))
            chosen = ledger.choose_covers(so.needs_cover, so.slot, observers)
            for observer in observers:
                ledger.observe(observer, so.slot, chosen.get(observer))
            for cover in chosen.values():
                if cover == SUBSTITUTE:
                    substitutes[so.slot] += 1
                else:
                    covers[so.slot].append(cover)
            slots[i].append(so.slot)
    return Placement({i: s for i, s in slots.items() if s}, dict(covers), dict(substitutes))
