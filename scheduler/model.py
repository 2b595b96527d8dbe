"""The CP-SAT model: a variable for each possible visit, and the rules of FORMATS.md §3.

- a pair request has a variable per (host, slot) it could visit; a group has one per
  slot it could meet in, and one per (slot, host) for the classrooms it visits there;
- a teacher hosted in a slot (`hosted`) takes no more observers than a classroom
  holds and does nothing else then; hosting slots count toward the hosting limit;
- an observer who teaches in the slot needs a cover: per slot, the teaching observers
  equal the colleagues who cover (`cover`, only teachers free then) plus substitutes.
  Which colleague covers whom in a slot does not matter, so it is decided afterwards.

`relaxed=True` builds the relaxation used for bounds when hosts were capped (see
index.py): a capped slot of a request keeps its observer and coverage but forgets
which host it visits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from ortools.sat.python import cp_model

from .index import Index, Option
from .plan import SUBSTITUTE, Visit

# Soft-preference weights (visit scores are in index.py); all below one met visit.
COVERAGE = 2
SUBSTITUTE_PERIOD = 4
EXTRA_HOSTING = 2
MOST_HOSTING = 2
EXTRA_COVERING = 1
MOST_COVERING = 1

Var = cp_model.IntVar


class Model:
    def __init__(self, index: Index, *, relaxed: bool = False):
        self.index = index
        self.relaxed = relaxed
        self.cp = cp_model.CpModel()
        self.variables: list[Var] = []
        self.pairs: dict[tuple[int, int, str], tuple[Var, Option]] = {}
        self.groups: dict[tuple[int, int], Var] = {}
        self.rooms: dict[tuple[int, int, str], tuple[Var, Option]] = {}
        self.aggregated: dict[tuple[int, int], Var] = {}
        self.hosted: dict[tuple[str, int], Var] = {}
        self.cover: dict[tuple[str, int], Var] = {}
        self.substitutes: dict[int, Var] = {}
        self.met_terms: list[tuple[Var, int]] = []
        self.soft_terms: list[tuple[Var, int]] = []
        self.aux_hints: list[tuple[Var, Callable[[Callable[[Var], int]], int]]] = []
        self._fairness: list[tuple[dict[str, list[Var]], int, int]] = []
        self._values: dict[int, int] = {}
        self._observing: defaultdict[tuple[str, int], list[Var]] = defaultdict(list)
        self._needs: defaultdict[int, list[Var]] = defaultdict(list)
        self._load: defaultdict[tuple[str, int], list[tuple[int, Var]]] = defaultdict(list)
        self._request_of = {c.request.id: i for i, c in enumerate(index.candidates)}
        self._build()

    # --- building -------------------------------------------------------------------------

    def _bool(self) -> Var:
        var = self.cp.new_bool_var("")
        self.variables.append(var)
        return var

    def _int(self, upper: int) -> Var:
        var = self.cp.new_int_var(0, upper, "")
        self.variables.append(var)
        return var

    def _build(self) -> None:
        for i, c in enumerate(self.index.candidates):
            if c.request.kind == "pair":
                self._pair(i)
            else:
                self._group(i)
        self._hosts()
        self._covers()
        for involved in self._observing.values():
            if len(involved) > 1:
                self.cp.add_at_most_one(involved)

    def _pair(self, i: int) -> None:
        c = self.index.candidates[i]
        observer = c.request.observers[0]
        mine: list[Var] = []
        by_host: defaultdict[str, list[Var]] = defaultdict(list)
        for so in c.slots:
            s = so.slot
            if self.relaxed and so.capped:
                var = self._bool()
                self.aggregated[i, s] = var
                self._observe(observer, s, var, bool(so.needs_cover))
                mine.append(var)
                continue
            for option in so.options:
                var = self._bool()
                self.pairs[i, s, option.host] = (var, option)
                self._observe(observer, s, var, bool(so.needs_cover))
                self._load[option.host, s].append((1, var))
                by_host[option.host].append(var)
                mine.append(var)
                self.soft_terms.append((var, option.score))
        if len(mine) > c.upper:
            self.cp.add(sum(mine) <= c.upper)
        for same_host in by_host.values():
            if len(same_host) > 1:
                self.cp.add_at_most_one(same_host)
        self.met_terms.extend((var, 1) for var in mine)

    def _group(self, i: int) -> None:
        c = self.index.candidates[i]
        size = len(c.request.observers)
        wanted = c.request.classrooms
        chosen_slot: list[Var] = []
        for so in c.slots:
            s = so.slot
            meets = self._bool()
            self.groups[i, s] = meets
            chosen_slot.append(meets)
            for observer in c.request.observers:
                self._observe(observer, s, meets, needs_cover=observer in so.needs_cover)
            self.met_terms.append((meets, wanted))
            if self.relaxed and so.capped:
                continue
            rooms = []
            for option in so.options:
                var = self._bool()
                self.rooms[i, s, option.host] = (var, option)
                self._load[option.host, s].append((size, var))
                self.soft_terms.append((var, option.score))
                rooms.append(var)
            self.cp.add(sum(rooms) == wanted * meets)
        if len(chosen_slot) > 1:
            self.cp.add_at_most_one(chosen_slot)

    def _observe(self, observer: str, slot: int, var: Var, needs_cover: bool) -> None:
        self._observing[observer, slot].append(var)
        if needs_cover:
            self._needs[slot].append(var)

    def _hosts(self) -> None:
        capacity = self.index.problem.rules.max_observers_per_classroom
        by_host: defaultdict[str, list[Var]] = defaultdict(list)
        received: defaultdict[str, list[Var]] = defaultdict(list)
        for (host, s), terms in self._load.items():
            hosted = self._bool()
            self.hosted[host, s] = hosted
            by_host[host].append(hosted)
            self._observing[host, s].append(hosted)
            for _, var in terms:
                self.cp.add_implication(var, hosted)
                received[host].append(var)
            if sum(weight for weight, _ in terms) > capacity:
                self.cp.add(sum(w * v for w, v in terms) <= capacity * hosted)
        self._limit(by_host, self.index.hosting_limit)
        # Fairness counts visits received, so that a day's visits do not all go to one room.
        self._fairness.append((received, EXTRA_HOSTING, MOST_HOSTING))

    def _covers(self) -> None:
        spare = self.index.problem.rules.substitute_periods
        by_teacher: defaultdict[str, list[Var]] = defaultdict(list)
        for s, needs in self._needs.items():
            covers = []
            for teacher in self.index.coverers[s]:
                var = self._bool()
                self.cover[teacher, s] = var
                self._observing[teacher, s].append(var)
                by_teacher[teacher].append(var)
                covers.append(var)
                self.soft_terms.append((var, -COVERAGE))
            if spare:
                substitutes = self._int(min(spare, len(needs)))
                self.substitutes[s] = substitutes
                self.soft_terms.append((substitutes, -SUBSTITUTE_PERIOD))
                covers.append(substitutes)
            self.cp.add(sum(needs) == sum(covers))
        if spare and len(self.substitutes) > 1:
            self.cp.add(sum(self.substitutes.values()) <= spare)
        self._limit(by_teacher, self.index.cover_limit)
        self._fairness.append((by_teacher, EXTRA_COVERING, MOST_COVERING))

    def _limit(self, duties: dict[str, list[Var]], limits: dict[str, int]) -> None:
        for teacher, vars_ in duties.items():
            if len(vars_) > limits[teacher]:
                self.cp.add(sum(vars_) <= limits[teacher])

    def add_fairness(self) -> None:
        """The soft terms that spread hosting and covering (left out while only met
        visits and coverage count, where they would only slow the search)."""
        for duties, extra, most in self._fairness:
            self._spread(duties, extra, most)
        self._fairness = []
        self._hint(dict(self._values))

    def _spread(self, duties: dict[str, list[Var]], extra: int, most: int) -> None:
        """Soft: each duty beyond a teacher's first costs `extra`, the most anyone has `most`."""
        largest = max((len(v) for v in duties.values()), default=0)
        if largest <= 1:
            return
        top = self._int(largest)
        self.soft_terms.append((top, -most))
        self.aux_hints.append((top, lambda value: max(_counts(duties, value), default=0)))
        for vars_ in duties.values():
            if len(vars_) <= 1:
                continue
            self.cp.add(top >= sum(vars_))
            beyond = self._int(len(vars_) - 1)
            self.cp.add(beyond >= sum(vars_) - 1)
            self.soft_terms.append((beyond, -extra))
            self.aux_hints.append((beyond, _beyond_first(vars_)))

    # --- objectives -----------------------------------------------------------------------

    def met(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.weighted_sum(
            [v for v, _ in self.met_terms], [w for _, w in self.met_terms]
        )

    def soft(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.weighted_sum(
            [v for v, _ in self.soft_terms], [w for _, w in self.soft_terms]
        )

    def coverage_cost(self) -> tuple[cp_model.LinearExpr, int]:
        """Coverages plus substitute periods, weighted as in the soft part, and its most."""
        terms = [(v, COVERAGE) for v in self.cover.values()]
        terms += [(v, SUBSTITUTE_PERIOD) for v in self.substitutes.values()]
        spare = self.index.problem.rules.substitute_periods
        worst = COVERAGE * len(self.cover) + SUBSTITUTE_PERIOD * spare
        expression = cp_model.LinearExpr.weighted_sum([v for v, _ in terms], [w for _, w in terms])
        return expression, worst

    def soft_range(self) -> tuple[int, int]:
        """The least and the most the soft part can be."""
        low = high = 0
        for var, weight in self.soft_terms:
            domain = list(var.proto.domain)  # (its own [-1] is not the last item)
            upper = domain[-1]
            low += min(0, weight * upper)
            high += max(0, weight * upper)
        return low, high

    # --- hints and solutions --------------------------------------------------------------

    def hint_visits(self, visits: Iterable[Visit]) -> None:
        """Give CP-SAT a whole plan (the greedy one) to start from."""
        ones: set[int] = set()
        covered: set[tuple[str, int]] = set()
        substitutes: defaultdict[int, int] = defaultdict(int)
        slot_of = self.index.slot_of
        for v in visits:
            i, s = self._request_of[v.request], slot_of[v.day, v.period]
            if (i, s, v.host) in self.pairs:
                ones.add(self.pairs[i, s, v.host][0].index)
            if (i, s, v.host) in self.rooms:
                ones.add(self.rooms[i, s, v.host][0].index)
            for key in ((i, s),):
                for table in (self.groups, self.aggregated):
                    if key in table:
                        ones.add(table[key].index)
            if (v.host, s) in self.hosted:
                ones.add(self.hosted[v.host, s].index)
            if v.cover is not None and (v.observer, s) not in covered:
                covered.add((v.observer, s))
                if v.cover == SUBSTITUTE:
                    substitutes[s] += 1
                elif (v.cover, s) in self.cover:
                    ones.add(self.cover[v.cover, s].index)
        values = {var.index: int(var.index in ones) for var in self.variables}
        for s, var in self.substitutes.items():
            values[var.index] = substitutes[s]
        self._hint(values)

    def hint_solution(self, solver: cp_model.CpSolver) -> None:
        self._hint({var.index: solver.value(var) for var in self.variables})

    def _hint(self, values: dict[int, int]) -> None:
        def value(var: Var) -> int:
            return values[var.index]

        for var, rule in self.aux_hints:
            values[var.index] = rule(value)
        self._values = values
        self.cp.clear_hints()  # type: ignore[no-untyped-call]  # OR-Tools leaves it untyped
        for var in self.variables:
            self.cp.add_hint(var, values[var.index])

    def visits(self, solver: cp_model.CpSolver) -> list[Visit]:
        """The plan in a solution (of a model that is not relaxed)."""
        slots = self.index.slots
        candidates = self.index.candidates
        chosen: list[tuple[str, str, int, Option]] = []  # request, observer, slot, option
        for (i, s, _), (var, option) in self.pairs.items():
            if solver.value(var):
                chosen.append(
                    (candidates[i].request.id, candidates[i].request.observers[0], s, option)
                )
        for (i, s, _), (var, option) in self.rooms.items():
            if solver.value(var):
                request = candidates[i].request
                chosen.extend((request.id, o, s, option) for o in request.observers)
        needing = sorted({(s, o) for _, o, s, _ in chosen if (o, s) in self.index.meetings})
        colleagues: defaultdict[int, list[str]] = defaultdict(list)
        for (teacher, s), var in sorted(self.cover.items()):
            if solver.value(var):
                colleagues[s].append(teacher)
        cover_of: dict[tuple[str, int], str] = {}
        for s, observer in needing:
            cover_of[observer, s] = colleagues[s].pop(0) if colleagues[s] else SUBSTITUTE
        return [
            Visit(request, observer, o.host, *slots[s], o.section, cover_of.get((observer, s)))
            for request, observer, s, o in chosen
        ]


def _beyond_first(vars_: list[Var]) -> Callable[[Callable[[Var], int]], int]:
    def rule(value: Callable[[Var], int]) -> int:
        return max(0, sum(value(v) for v in vars_) - 1)

    return rule


def _counts(duties: dict[str, list[Var]], value: Callable[[Var], int]) -> list[int]:
    return [sum(value(v) for v in vars_) for vars_ in duties.values()]
