"""An independent check of a plan against its problem: every rule of FORMATS.md §3.

This module shares no code with the solver, the greedy construction or their index,
so that a mistake there shows up here. `plan_problems` returns one message per
broken rule, in plain words; an empty list means the plan is valid.

One rule goes beyond the letter of §3 and is documented in problem.py: a teacher
who is unavailable in a slot does nothing in it — not even host.
"""

from __future__ import annotations

from collections import defaultdict

from .documents import STATUSES
from .plan import SUBSTITUTE, Plan, Visit
from .problem import Meeting, Problem, Request

Slot = tuple[str, str]


def plan_problems(problem: Problem, plan: Plan) -> list[str]:
    """Every way the plan breaks a rule, or its totals disagree with its visits."""
    return _Check(problem, plan).run()


def visit_problems(problem: Problem, visits: list[Visit]) -> list[str]:
    """The rules alone, for any set of visits (a partial plan is fine: requests may be
    unmet, but a group that is there must be whole)."""
    return _Check(problem, Plan("FEASIBLE", list(visits))).run(totals=False)


class _Check:
    def __init__(self, problem: Problem, plan: Plan):
        self.problem = problem
        self.plan = plan
        self.errors: list[str] = []
        self.teachers = {t.id: t for t in problem.teachers}
        self.requests = {r.id: r for r in problem.requests}
        self.classes: dict[tuple[str, str, str], list[Meeting]] = defaultdict(list)
        for m in problem.meetings:
            self.classes[m.teacher, m.day, m.period].append(m)
        self.away = {(u.teacher, u.day, u.period) for u in problem.unavailable}
        # what each teacher does in each slot
        self.observes: dict[tuple[str, Slot], set[str]] = defaultdict(set)  # requests
        self.observer_rows: dict[tuple[str, Slot, str], int] = defaultdict(int)
        self.covers_of: dict[tuple[str, Slot], set[str]] = defaultdict(set)  # observer -> covers
        self.covering: dict[tuple[str, Slot], set[str]] = defaultdict(set)  # cover -> observers
        self.visitors: dict[tuple[str, Slot], set[str]] = defaultdict(set)  # host -> observers

    def fail(self, message: str) -> None:
        self.errors.append(message)

    def run(self, *, totals: bool = True) -> list[str]:
        for i, visit in enumerate(self.plan.visits):
            self._visit(f"visits[{i}]", visit)
        self._places()
        self._limits()
        met = self._requests()
        if totals:
            self._totals(met)
        return self.errors

    def _teaches(self, teacher: str, slot: Slot) -> bool:
        return bool(self.classes.get((teacher, *slot)))

    def _visit(self, where: str, v: Visit) -> None:
        request = self.requests.get(v.request)
        known = True
        if request is None:
            self.fail(f"{where}: unknown request '{v.request}'")
            known = False
        for role, teacher in (("observer", v.observer), ("host", v.host)):
            if teacher not in self.teachers:
                self.fail(f"{where}: unknown {role} '{teacher}'")
                known = False
        if v.day not in self.problem.days or v.period not in self.problem.periods:
            self.fail(f"{where}: unknown slot {v.day} {v.period}")
            known = False
        if not known:
            return
        slot = (v.day, v.period)
        assert request is not None
        if v.observer not in request.observers:
            self.fail(f"{where}: {v.observer} is not an observer of request {request.id}")
        if v.host in request.observers:
            self.fail(f"{where}: {v.host} observes in request {request.id} and cannot host it")
        self._host(where, request, v, slot)
        self._observer(where, v, slot)
        self.observes[v.observer, slot].add(v.request)
        self.observer_rows[v.observer, slot, v.request] += 1
        self.visitors[v.host, slot].add(v.observer)

    def _host(self, where: str, request: Request, v: Visit, slot: Slot) -> None:
        if (v.host, *slot) in self.away:
            self.fail(f"{where}: host {v.host} is unavailable in {v.day} {v.period}")
        if request.hosts is not None and v.host not in request.hosts:
            self.fail(f"{where}: {v.host} is not one of the hosts request {request.id} allows")
        taught = [m for m in self.classes.get((v.host, *slot), []) if m.section == v.section]
        if not taught:
            self.fail(f"{where}: {v.host} does not teach section {v.section} in {v.day} {v.period}")
            return
        meeting = taught[0]
        if request.subjects is not None and meeting.subject not in request.subjects:
            self.fail(f"{where}: subject '{meeting.subject}' is not asked for by {request.id}")
        grades = {g.strip() for g in meeting.grade.split(",") if g.strip()}
        if request.grades is not None and not grades & set(request.grades):
            self.fail(f"{where}: grade '{meeting.grade}' is not asked for by {request.id}")

    def _observer(self, where: str, v: Visit, slot: Slot) -> None:
        if (v.observer, *slot) in self.away:
            self.fail(f"{where}: observer {v.observer} is unavailable in {v.day} {v.period}")
        teaches = self._teaches(v.observer, slot)
        if teaches and v.cover is None:
            self.fail(f"{where}: {v.observer} teaches in {v.day} {v.period} and has no cover")
        if not teaches and v.cover is not None:
            self.fail(f"{where}: {v.observer} is free in {v.day} {v.period} and needs no cover")
        if v.cover is None:
            return
        self.covers_of[v.observer, slot].add(v.cover)
        if v.cover == SUBSTITUTE:
            return
        if v.cover not in self.teachers:
            self.fail(f"{where}: unknown cover '{v.cover}'")
            return
        if v.cover == v.observer:
            self.fail(f"{where}: {v.observer} cannot cover their own class")
        elif (v.cover, *slot) in self.away or self._teaches(v.cover, slot):
            self.fail(f"{where}: cover {v.cover} is not free in {v.day} {v.period}")
        self.covering[v.cover, slot].add(v.observer)

    def _places(self) -> None:
        """Nobody is in two places in one slot."""
        for (teacher, slot), requests in self.observes.items():
            when = f"{slot[0]} {slot[1]}"
            if len(requests) > 1:
                self.fail(f"{teacher} observes for {len(requests)} requests in {when}")
            if self.visitors.get((teacher, slot)):
                self.fail(f"{teacher} observes while being visited in {when}")
            if self.covering.get((teacher, slot)):
                self.fail(f"{teacher} observes while covering in {when}")
        for (teacher, slot, request_id), rows in self.observer_rows.items():
            request = self.requests[request_id]
            if request.kind == "pair" and rows > 1:
                self.fail(f"{teacher} makes {rows} visits at once in {slot[0]} {slot[1]}")
        for (teacher, slot), observers in self.covering.items():
            when = f"{slot[0]} {slot[1]}"
            if len(observers) > 1:
                self.fail(f"{teacher} covers {len(observers)} classes at once in {when}")
            if self.visitors.get((teacher, slot)):
                self.fail(f"{teacher} covers while being visited in {when}")
        for (observer, slot), covers in self.covers_of.items():
            if len(covers) > 1:
                self.fail(f"{observer} has {len(covers)} different covers in {slot[0]} {slot[1]}")

    def _limits(self) -> None:
        rules = self.problem.rules
        hosted: dict[str, int] = defaultdict(int)
        for (host, slot), observers in self.visitors.items():
            hosted[host] += 1
            if len(observers) > rules.max_observers_per_classroom:
                self.fail(
                    f"{host}'s classroom has {len(observers)} observers in {slot[0]} {slot[1]}, "
                    f"more than {rules.max_observers_per_classroom}"
                )
        covered: dict[str, int] = defaultdict(int)
        for (teacher, _slot), _ in self.covering.items():
            covered[teacher] += 1
        for teacher, count in hosted.items():
            own = self.teachers[teacher].max_hosting
            limit = own if own is not None else rules.max_hosting_per_teacher
            if limit is not None and count > limit:
                self.fail(f"{teacher} hosts in {count} periods, more than {limit}")
        for teacher, count in covered.items():
            own = self.teachers[teacher].max_coverages
            limit = own if own is not None else rules.max_coverages_per_teacher
            if limit is not None and count > limit:
                self.fail(f"{teacher} covers {count} periods, more than {limit}")
        substitutes = sum(1 for covers in self.covers_of.values() if SUBSTITUTE in covers)
        if substitutes > rules.substitute_periods:
            self.fail(
                f"{substitutes} substitute periods are used, more than {rules.substitute_periods}"
            )

    def _requests(self) -> dict[str, int]:
        rows: dict[str, list[Visit]] = defaultdict(list)
        for v in self.plan.visits:
            if v.request in self.requests:
                rows[v.request].append(v)
        met: dict[str, int] = {}
        for request in self.problem.requests:
            mine = rows.get(request.id, [])
            if request.kind == "pair":
                met[request.id] = self._pair(request, mine)
            else:
                met[request.id] = self._group(request, mine)
        return met

    def _pair(self, request: Request, visits: list[Visit]) -> int:
        if len(visits) > request.visits:
            self.fail(f"request {request.id} has {len(visits)} visits, {request.visits} asked")
        hosts = [v.host for v in visits]
        if len(set(hosts)) < len(hosts):
            self.fail(f"request {request.id} visits the same host twice")
        slots = [(v.day, v.period) for v in visits]
        if len(set(slots)) < len(slots):
            self.fail(f"request {request.id} has two visits in one slot")
        return min(len(visits), request.visits)

    def _group(self, request: Request, visits: list[Visit]) -> int:
        if not visits:
            return 0
        slots = {(v.day, v.period) for v in visits}
        hosts = {v.host for v in visits}
        pairs = {(v.observer, v.host) for v in visits}
        complete = pairs == {(o, h) for o in request.observers for h in hosts}
        if len(slots) > 1:
            self.fail(f"group {request.id} is spread over {len(slots)} slots")
        if len(hosts) != request.classrooms:
            self.fail(
                f"group {request.id} visits {len(hosts)} classrooms, not {request.classrooms}"
            )
        if not complete or len(pairs) != len(visits):
            self.fail(f"group {request.id} needs one visit per observer and classroom, together")
        return request.classrooms

    def _totals(self, met: dict[str, int]) -> None:
        plan = self.plan
        listed: dict[str, int] = {}
        for i, entry in enumerate(plan.unscheduled):
            if entry.request not in self.requests:
                self.fail(f"unscheduled[{i}]: unknown request '{entry.request}'")
            elif entry.request in listed:
                self.fail(f"unscheduled[{i}]: request {entry.request} is listed twice")
            if not entry.reason.strip():
                self.fail(f"unscheduled[{i}]: the reason is empty")
            listed[entry.request] = entry.missing
        for request in self.problem.requests:
            missing = request.wanted - met[request.id]
            if missing != listed.get(request.id, 0):
                self.fail(
                    f"request {request.id} misses {missing} visits, but the plan says "
                    f"{listed.get(request.id, 0)}"
                )
        total = sum(met.values())
        if plan.objective != total:
            self.fail(f"objective is {plan.objective}, but {total} visits are met")
        if plan.bound < plan.objective:
            self.fail(f"bound {plan.bound} is below the objective {plan.objective}")
        if plan.status not in STATUSES:
            self.fail(f"status '{plan.status}' is not one of {', '.join(STATUSES)}")
        elif (plan.status == "OPTIMAL") != (plan.objective == plan.bound):
            self.fail(f"status {plan.status} with objective {plan.objective}, bound {plan.bound}")
