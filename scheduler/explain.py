"""Why a request was not (fully) met, in words a coach can act on.

First what no plan could change (nobody teaches the class asked for, the observers
are never available together, no coverage exists), then what the other visits of this
plan used up (the observer is busy, the coverage is spent, the hosts are full), with
what would help.
"""

from __future__ import annotations

from collections import Counter

from .index import Candidates, Index, Option, SlotOptions
from .ledger import Ledger
from .plan import Unscheduled, Visit
from .problem import Request


def unscheduled_entries(index: Index, visits: list[Visit]) -> list[Unscheduled]:
    rows = Counter(v.request for v in visits)
    ledger: Ledger | None = None
    entries = []
    for c in index.candidates:
        request = c.request
        if request.kind == "pair":
            met = rows[request.id]
        else:
            met = request.classrooms if rows[request.id] else 0
        missing = request.wanted - met
        if missing <= 0:
            continue
        if ledger is None:
            ledger = Ledger.from_visits(index, visits)
        used = {index.slot_of[v.day, v.period] for v in visits if v.request == request.id}
        hosts = {v.host for v in visits if v.request == request.id}
        reason = Explainer(index, ledger, c, used, hosts).reason(missing)
        entries.append(Unscheduled(request.id, missing, reason))
    return entries


def names(index: Index, teachers: list[str] | tuple[str, ...], *, joiner: str = "and") -> str:
    labels = [index.problem.name(t) for t in teachers]
    if len(labels) > 4:
        return f"{', '.join(labels[:3])} {joiner} {len(labels) - 3} others"
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} {joiner} {labels[-1]}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class Explainer:
    def __init__(
        self, index: Index, ledger: Ledger, c: Candidates, used: set[int], hosts: set[str]
    ):
        self.index = index
        self.ledger = ledger
        self.c = c
        self.request: Request = c.request
        self.used = used
        self.visited = hosts
        self.rules = index.problem.rules

    # --- the words ------------------------------------------------------------------------

    def who(self) -> str:
        return names(self.index, self.request.observers)

    def what(self, *, plural: bool = False) -> str:
        """'a class', 'a math class in grade 3', 'classes of Ben or Cara'…"""
        r = self.request
        text = "classes" if plural else "a class"
        if r.subjects is not None:
            subjects = " or ".join(r.subjects) or "(no subject)"
            text = f"{subjects} classes" if plural else f"{_a(subjects)} {subjects} class"
        if r.grades is not None:
            text += f" in grade {' or '.join(r.grades) or '(none)'}"
        if r.hosts is not None:
            text += f" of {names(self.index, r.hosts, joiner='or') or 'nobody'}"
        return text

    def week(self) -> str:
        days = self.index.problem.days
        if len(days) == 1:
            return f"on {days[0]}"
        if len(days) <= 3:
            return f"on {', '.join(days[:-1])} or {days[-1]}"
        return "this week"

    # --- the reasons ----------------------------------------------------------------------

    def reason(self, missing: int) -> str:
        return self._never() or self._blocked(missing)

    def _never(self) -> str | None:
        """A reason no plan could overcome, or None."""
        r = self.request
        limit = self.rules.max_observers_per_classroom
        if r.kind == "group" and len(r.observers) > limit:
            return (
                f"{plural(len(r.observers), 'observer')} are more than the {limit} allowed in "
                "one classroom (max_observers_per_classroom): split the group or raise the limit."
            )
        if r.hosts is not None and not [h for h in r.hosts if h not in r.observers]:
            return "The request names no host other than its observers: add hosts."
        if self.c.slots:
            # A slot with enough classes exists, so the reasons below cannot apply: skip
            # looking through every class of the week (seconds in a district-size week).
            return self._too_few_hosts()
        slots = self.index.slots_i
        teaching = {s: self.index.host_candidates(r, s)[0] for s in slots}
        hosts = {o.host for options in teaching.values() for o in options}
        if not hosts:
            return self._nobody_teaches()
        if r.kind == "group":
            most = max(len(options) for options in teaching.values())
            if most < r.classrooms:
                return (
                    f"At most {most} {self.what(plural=True)} are taught at the same time by "
                    f"teachers outside the group; {r.classrooms} classrooms were requested. Ask "
                    "for fewer classrooms or widen the subjects, grades or hosts."
                )
        return self._no_slot(teaching)

    def _too_few_hosts(self) -> str | None:
        r = self.request
        if r.kind == "pair" and self.c.upper < r.visits:
            hosts_seen = sorted({o.host for so in self.c.slots for o in so.options})
            return (
                f"{self.who()} can visit only {plural(self.c.upper, 'different colleague')} "
                f"({names(self.index, hosts_seen, joiner='or')}) teaching "
                f"{self.what(plural=True)} at a time {self.who()} is available; "
                f"{r.visits} visits were requested. Widen the hosts, subjects or grades."
            )
        return None

    def _nobody_teaches(self) -> str:
        r = self.request
        blocked = [
            h
            for h in (r.hosts or [t.id for t in self.index.problem.teachers])
            if self.index.hosting_limit[h] <= 0
        ]
        if r.hosts is not None and blocked and set(blocked) >= set(r.hosts) - set(r.observers):
            return f"{names(self.index, blocked)} may not host (hosting limit 0)."
        whose = "of the listed hosts" if r.hosts is not None else "colleague"
        return (
            f"No {whose} teaches {self.what()} in any period {self.who()} could use. "
            "Check the subjects, grades and hosts of this request."
        )

    def _no_slot(self, teaching: dict[int, list[Option]]) -> str:
        """There are classes to visit, but never when the observers can be there."""
        r = self.request
        need = r.classrooms if r.kind == "group" else 1
        fitting = [s for s, options in teaching.items() if len(options) >= need]
        unavailable = [
            s for s in fitting if any((o, s) in self.index.unavailable for o in r.observers)
        ]
        coverable = [s for s in fitting if s not in unavailable]
        if not coverable:
            return (
                f"{self.who()} {'is' if len(r.observers) == 1 else 'are'} unavailable whenever "
                f"{self.what(plural=True)} are taught. Free some of that time or widen the "
                "request."
            )
        best = min(coverable, key=lambda s: len(self._teaching_observers(s)))
        count = len(self._teaching_observers(best))
        colleagues = len([t for t in self.index.coverers[best] if t not in r.observers])
        who = {0: "no colleague who may cover is", 1: "only 1 colleague who may cover is"}.get(
            colleagues, f"only {colleagues} colleagues who may cover are"
        )
        return (
            f"{self._share_no_free_period()}; {plural(count, 'coverage')} would make it "
            f"possible ({self.index.label(best)}), but {who} free then and "
            f"{self._substitutes_text()}. Allow more substitute periods or coverages."
        )

    def _share_no_free_period(self) -> str:
        r = self.request
        what = (
            f" when {r.classrooms} {self.what(plural=True)} are taught"
            if r.kind == "group" and (r.classrooms > 1 or r.hosts or r.subjects or r.grades)
            else ""
        )
        if len(r.observers) == 1:
            return f"{self.who()} has no free period {self.week()} when {self.what()} is taught"
        return f"{self.who()} share no free period {self.week()}{what}"

    def _room_in(self, so: SlotOptions, need: int) -> bool:
        """Do enough fitting classrooms have room in this slot? The index's short list
        first; every class taught then only when that list was cut and is not enough."""
        size = len(self.request.observers)
        for options in self.index.options_in(self.request, so):
            rooms = {
                o.host
                for o in options
                if o.host not in self.visited and self.ledger.room_for(o.host, so.slot, size)
            }
            if len(rooms) >= need:
                return True
        return False

    def _teaching_observers(self, slot: int) -> list[str]:
        return [o for o in self.request.observers if (o, slot) in self.index.meetings]

    def _substitutes_text(self) -> str:
        total = self.rules.substitute_periods
        if total == 0:
            return "there are no substitute periods"
        left = self.ledger.substitutes_left()
        return f"{left} of {plural(total, 'substitute period')} {'is' if left == 1 else 'are'} left"

    def _blocked(self, missing: int) -> str:
        """Every possible time is taken by this plan's other visits: say by what."""
        r = self.request
        busy: Counter[str] = Counter()
        cover_short: list[int] = []
        hosts_full = 0
        for so in self.c.slots:
            s = so.slot
            if s in self.used:
                continue
            taken = [o for o in r.observers if not self.ledger.free_to_observe(o, s)]
            if taken:
                busy.update(taken)
                continue
            if not self.ledger.can_cover(len(so.needs_cover), s, r.observers):
                cover_short.append(s)
                continue
            if not self._room_in(so, 1 if r.kind == "pair" else r.classrooms):
                hosts_full += 1
        parts = []
        if cover_short and not busy and not hosts_full:
            least = min(cover_short, key=lambda s: len(self._teaching_observers(s)))
            count = len(self._teaching_observers(least))
            return (
                f"{self._share_no_free_period()}; {plural(count, 'coverage')} would make it "
                f"possible ({self.index.label(least)}), but the colleagues free then have no "
                f"coverage left and {self._substitutes_text()}. Allow more substitute periods "
                "or coverages."
            )
        if busy:
            who = sorted(busy, key=lambda t: -busy[t])
            verb = "is" if len(who) == 1 else "are"
            parts.append(
                f"at {sum(busy.values())}, {names(self.index, who)} {verb} already observing, "
                "hosting or covering"
            )
        if cover_short:
            parts.append(
                f"at {len(cover_short)}, a coverage is needed but no colleague free then has "
                f"coverage left and {self._substitutes_text()}"
            )
        if hosts_full:
            parts.append(
                f"at {hosts_full}, every fitting host is at the hosting limit or has a full "
                "classroom"
            )
        opening = (
            f"{plural(missing, 'visit')} could not be placed"
            if r.kind == "pair"
            else "The group could not be placed"
        )
        if not parts:
            return f"{opening}: the solver ran out of time before finding room for it."
        advice = []
        if cover_short:
            advice.append("more coverage (substitute periods or a higher coverage limit)")
        if hosts_full:
            advice.append("more hosts or a higher hosting limit")
        if busy:
            advice.append("fewer other visits for these teachers")
        classes = f"{r.classrooms} class{'' if r.classrooms == 1 else 'es'}"
        could = "visit " + (self.what() if r.kind == "pair" else classes)
        help_text = advice[0][0].upper() + advice[0][1:] + " would help"
        if len(advice) > 1:
            help_text += f", as would {' or '.join(advice[1:])}"
        return (
            f"{opening}. Of the {plural(len(self.c.slots), 'time')} when {self.who()} could "
            f"{could}: {'; '.join(parts)}. {help_text}."
        )


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
