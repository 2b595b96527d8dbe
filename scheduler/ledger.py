"""What every teacher is doing in each slot while a plan is built or read back.

The greedy construction fills a ledger visit by visit; the explanations read one
back from a finished plan to say what stood in the way of an unmet request.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .index import Index
from .plan import SUBSTITUTE, Visit


class Ledger:
    def __init__(self, index: Index):
        self.index = index
        self.rules = index.problem.rules
        self.busy: dict[tuple[str, int], str] = {}  # (teacher, slot) -> observing|covering|hosting
        self.load: Counter[tuple[str, int]] = Counter()  # observers in a classroom
        self.hosting: Counter[str] = Counter()  # slots in which a teacher hosts
        self.covering: Counter[str] = Counter()
        self.substitutes = 0
        self.observers_at: dict[tuple[str, int], set[str]] = defaultdict(set)
        # Colleagues who could cover in a slot, less those who used up their coverage:
        # coverage given is never taken back in a ledger, so they are dropped for good,
        # which spares a scan of them in every question of a week where coverage is scarce.
        self._used_up: set[str] = set()
        self._coverers: dict[int, tuple[int, list[str]]] = {}

    @classmethod
    def from_visits(cls, index: Index, visits: list[Visit]) -> Ledger:
        ledger = cls(index)
        covered: set[tuple[str, int]] = set()
        for v in visits:
            s = index.slot_of[v.day, v.period]
            ledger.busy[v.observer, s] = "observing"
            if v.observer not in ledger.observers_at[v.host, s]:
                ledger._host(v.host, s, 1)
                ledger.observers_at[v.host, s].add(v.observer)
            if v.cover is not None and (v.observer, s) not in covered:
                covered.add((v.observer, s))
                ledger.cover(v.cover, s)
        return ledger

    def free_to_observe(self, teacher: str, slot: int) -> bool:
        return (teacher, slot) not in self.busy

    def room_for(self, host: str, slot: int, observers: int) -> bool:
        """Can this host take `observers` more observers in this slot?"""
        if self.busy.get((host, slot), "hosting") != "hosting":
            return False
        if self.load[host, slot] + observers > self.rules.max_observers_per_classroom:
            return False
        return self.load[host, slot] > 0 or self.hosting[host] < self.index.hosting_limit[host]

    def covers_available(self, slot: int, exclude: tuple[str, ...] = ()) -> list[str]:
        """Colleagues who could still cover in this slot, least used first."""
        free = [t for t in self._may_cover(slot) if (t, slot) not in self.busy and t not in exclude]
        return sorted(free, key=lambda t: self.covering[t])

    def substitutes_left(self) -> int:
        return self.rules.substitute_periods - self.substitutes

    def can_cover(self, count: int, slot: int, exclude: tuple[str, ...] = ()) -> bool:
        short = count - self.substitutes_left()
        if short <= 0:
            return True
        for t in self._may_cover(slot):
            if (t, slot) not in self.busy and t not in exclude:
                short -= 1
                if short == 0:
                    return True
        return False

    def _may_cover(self, slot: int) -> list[str]:
        """The slot's colleagues who have coverage left (busy or not)."""
        used_up = self._used_up
        seen, teachers = self._coverers.get(slot, (0, self.index.coverers[slot]))
        if seen != len(used_up):
            teachers = [t for t in teachers if t not in used_up]
            self._coverers[slot] = (len(used_up), teachers)
        return teachers

    def choose_covers(
        self, observers: tuple[str, ...], slot: int, exclude: tuple[str, ...]
    ) -> dict[str, str]:
        """Covers for these teaching observers: colleagues first, then substitutes.
        `exclude` are the teachers who will be observing in that slot."""
        colleagues = self.covers_available(slot, exclude)
        covers = {}
        for observer in observers:
            covers[observer] = colleagues.pop(0) if colleagues else SUBSTITUTE
        return covers

    def observe(self, observer: str, slot: int, cover: str | None) -> None:
        self.busy[observer, slot] = "observing"
        if cover is not None:
            self.cover(cover, slot)

    def visit(self, observer: str, host: str, slot: int) -> None:
        self._host(host, slot, 1)
        self.observers_at[host, slot].add(observer)

    def _host(self, host: str, slot: int, observers: int) -> None:
        if self.load[host, slot] == 0:
            self.hosting[host] += 1
        self.load[host, slot] += observers
        self.busy[host, slot] = "hosting"

    def cover(self, cover: str, slot: int) -> None:
        """`cover` (a colleague or SUBSTITUTE) covers an observer in this slot."""
        if cover == SUBSTITUTE:
            self.substitutes += 1
        else:
            self.covering[cover] += 1
            self.busy[cover, slot] = "covering"
            if self.covering[cover] >= self.index.cover_limit[cover]:
                self._used_up.add(cover)
