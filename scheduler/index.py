"""Who teaches what in each slot, who is free, and every possible visit of each request.

The greedy construction, the CP-SAT model and the explanations all start from this
index, so that each considers exactly the same possibilities. (The plan validator
does not: it keeps its own code, so that a mistake here cannot hide there.)

To keep the model linear in the size of the school, a pair request keeps at most
`cap` hosts per slot and a group its classrooms plus `GROUP_EXTRA_HOSTS` (more
choice among interchangeable classrooms only slows the search), the best by soft
score and then spread over hosts. The cap is the largest of `CAPS`
that keeps the model within `OPTION_BUDGET` visit variables, so small and medium
schools are modelled whole. A slot that lost hosts this way is marked `capped`: the
solver then proves its bound on a relaxation that ignores those hosts' limits, so
that the bound stays true.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import NamedTuple

from .problem import Meeting, Problem, Request

CAPS = (10**6, 48, 24, 12, 8)
OPTION_BUDGET = 40_000
GROUP_EXTRA_HOSTS = 6
LOOK_FURTHER = 4
NO_LIMIT = 10**6

# Soft-preference weights, all below one met visit (see solver.py): a new teacher
# observing an experienced one, and the pairings a request prefers.
NEW_WITH_EXPERIENCED = 4
CROSS = 3


@dataclass(frozen=True)
class Option:
    """A classroom that the request's observers can visit in a slot."""

    host: str
    section: str
    score: int  # soft preference for this pairing, summed over the observers


@dataclass(frozen=True)
class SlotOptions:
    slot: int
    options: tuple[Option, ...]
    needs_cover: tuple[str, ...]  # observers who teach in this slot
    capped: bool  # some matching hosts were left out (see module docstring)


@dataclass(frozen=True)
class Candidates:
    request: Request
    slots: tuple[SlotOptions, ...]
    upper: int  # most visits this request could get if it were alone in the school


class _Class(NamedTuple):
    section: str
    kind: int  # in Index._kinds


class _Scoring(NamedTuple):
    new: int  # observers new to teaching
    subjects: list[set[str]]  # observers' subjects, where another subject is preferred
    grades: list[set[str]]  # observers' grades, where another grade is preferred

    def best(self) -> int:
        """The highest score a class could get: an experienced host of another subject and
        grade than every observer's."""
        return NEW_WITH_EXPERIENCED * self.new + CROSS * (len(self.subjects) + len(self.grades))


class _Kind(NamedTuple):
    """What a class's score and fit depend on: its teacher's experience, subject, grades."""

    experienced: bool
    subject: str
    grades: frozenset[str]


class _Fit:
    """A request's score for each kind of class, worked out when first met (-1: the class
    does not fit the request's subjects or grades)."""

    def __init__(self, request: Request, scoring: _Scoring, kinds: list[_Kind]):
        self.scoring = scoring
        self.scores: dict[int, int] = {}
        self._kinds = kinds
        self._subjects = None if request.subjects is None else set(request.subjects)
        self._grades = None if request.grades is None else set(request.grades)

    def score(self, kind: int) -> int:
        k = self._kinds[kind]
        scoring = self.scoring
        score = -1
        if (self._subjects is None or k.subject in self._subjects) and (
            self._grades is None or k.grades & self._grades
        ):
            score = NEW_WITH_EXPERIENCED * scoring.new if k.experienced else 0
            if scoring.subjects and k.subject:
                score += CROSS * sum(1 for own in scoring.subjects if k.subject not in own)
            if scoring.grades and k.grades:
                score += CROSS * sum(1 for own in scoring.grades if not own & k.grades)
        self.scores[kind] = score
        return score


class Index:
    def __init__(self, problem: Problem):
        self.problem = problem
        self.slots = [(d, p) for d in problem.days for p in problem.periods]
        self.slot_of = {slot: i for i, slot in enumerate(self.slots)}
        self.meetings: dict[tuple[str, int], list[Meeting]] = defaultdict(list)
        for m in problem.meetings:
            self.meetings[m.teacher, self.slot_of[m.day, m.period]].append(m)
        self.unavailable = {(u.teacher, self.slot_of[u.day, u.period]) for u in problem.unavailable}
        ids = [t.id for t in problem.teachers]
        self.teaching: list[list[str]] = [[] for _ in self.slots]
        self.free: list[list[str]] = [[] for _ in self.slots]
        for s in self.slots_i:
            for t in ids:
                if (t, s) not in self.unavailable:
                    (self.teaching if (t, s) in self.meetings else self.free)[s].append(t)
        self.hosting_limit = {t: _limit(problem.max_hosting(t)) for t in ids}
        self.cover_limit = {t: _limit(problem.max_coverages(t)) for t in ids}
        self.coverers = [[t for t in self.free[s] if self.cover_limit[t] > 0] for s in self.slots_i]
        self._coverer_sets = [set(teachers) for teachers in self.coverers]
        new = problem.rules.new_teacher_years
        self._new = {t.id: None if t.years is None else t.years <= new for t in problem.teachers}
        self._subjects = {t.id: set(t.subjects) for t in problem.teachers}
        self._grades = {t.id: set(t.grades) for t in problem.teachers}
        for m in problem.meetings:  # a teacher's own classes stand in for a missing profile
            if m.subject and not problem.teacher(m.teacher).subjects:
                self._subjects[m.teacher].add(m.subject)
            if m.grades and not problem.teacher(m.teacher).grades:
                self._grades[m.teacher].update(m.grades)
        # Classes a host could be visited in: teaching, available, allowed to host. Classes
        # of the same kind score the same for a request: each kind is scored once.
        kinds: dict[_Kind, int] = {}
        self.classes: list[dict[str, tuple[_Class, ...]]] = [
            {
                t: tuple(
                    _Class(
                        m.section,
                        kinds.setdefault(
                            _Kind(self._new[t] is False, m.subject, frozenset(m.grades)),
                            len(kinds),
                        ),
                    )
                    for m in self.meetings[t, s]
                )
                for t in self.teaching[s]
                if self.hosting_limit[t] > 0
            }
            for s in self.slots_i
        ]
        self._kinds = list(kinds)
        self._fits: dict[str, _Fit] = {}
        self._pools: dict[
            tuple[int, tuple[str, ...] | None, tuple[str, ...] | None], tuple[str, ...]
        ] = {}
        self._by_subject: list[dict[str, list[str]]] = []
        self._by_grade: list[dict[str, list[str]]] = []
        for s in self.slots_i:
            by_subject: defaultdict[str, list[str]] = defaultdict(list)
            by_grade: defaultdict[str, list[str]] = defaultdict(list)
            for t, classes in self.classes[s].items():
                for c in classes:
                    kind = self._kinds[c.kind]
                    by_subject[kind.subject].append(t)
                    for g in kind.grades:
                        by_grade[g].append(t)
            self._by_subject.append(by_subject)
            self._by_grade.append(by_grade)
        self.cap = self._choose_cap()
        self.candidates = [self._candidates(r) for r in problem.requests]

    @property
    def slots_i(self) -> range:
        return range(len(self.slots))

    def label(self, slot: int) -> str:
        day, period = self.slots[slot]
        return f"{day} {period}"

    def host_candidates(
        self, request: Request, slot: int, *, enough: int | None = None
    ) -> tuple[list[Option], bool]:
        """The classes that fit the request in this slot, best first, and whether some
        were left out: with `enough`, the search stops once that many of the best
        possible score are found, or `LOOK_FURTHER` times as many of any score."""
        pool = self._pool(request, slot)
        if request.hosts is None and pool:
            turn = _spread(request.id, "", slot) % len(pool)
            order: Iterable[str] = chain(islice(pool, turn, None), islice(pool, turn))
        else:
            order = pool
        classes = self.classes[slot]
        fit = self._fit(request)
        scores = fit.scores
        best = fit.scoring.best()
        observers = request.observers
        options: list[Option] = []
        found_best = 0
        last = len(pool) - 1
        for i, host in enumerate(order):
            if host in observers:
                continue
            for section, kind in classes[host]:
                score = scores.get(kind)
                if score is None:
                    score = fit.score(kind)
                if score < 0:
                    continue
                options.append(Option(host, section, score))
                found_best += score == best
                break
            if (
                enough is not None
                and (found_best >= enough or len(options) >= LOOK_FURTHER * enough)
                and i < last
            ):
                options.sort(key=_best_first)
                return options, True
        options.sort(key=_best_first)
        return options, False

    def options_in(self, request: Request, so: SlotOptions) -> Iterator[Sequence[Option]]:
        """The slot's short list of classes, then, when it was cut and the caller asks for
        more, every class that fits (looked for only then: it costs a scan of the school)."""
        yield so.options
        if so.capped:
            yield self.host_candidates(request, so.slot)[0]

    def _fit(self, request: Request) -> _Fit:
        """How the request's observers would score each kind of class (worked out once
        per request): how many are new, and the subjects and grades of those who have any
        where the request prefers another subject or grade."""
        fit = self._fits.get(request.id)
        if fit is None:
            observers = request.observers
            scoring = _Scoring(
                sum(1 for o in observers if self._new[o]),
                [own for o in observers if (own := self._subjects[o])]
                if "cross_content" in request.prefer
                else [],
                [own for o in observers if (own := self._grades[o])]
                if "cross_grade" in request.prefer
                else [],
            )
            fit = self._fits[request.id] = _Fit(request, scoring, self._kinds)
        return fit

    def cover_possible(self, observers: tuple[str, ...], slot: int) -> bool:
        """Could all these teaching observers be covered in this slot, ignoring other visits?"""
        if not observers:
            return True
        spare = self.problem.rules.substitute_periods
        if len(observers) <= spare:
            return True
        # Observers who could cover then are not colleagues who can cover them.
        coverers = self._coverer_sets[slot]
        colleagues = len(coverers) - sum(1 for o in observers if o in coverers)
        return len(observers) <= colleagues + spare

    def _pool(self, request: Request, slot: int) -> Sequence[str]:
        """The teachers whose classes in this slot may fit the request (before filters)."""
        classes = self.classes[slot]
        if request.hosts is not None:
            return [h for h in dict.fromkeys(request.hosts) if h in classes]
        key = (slot, request.subjects, None if request.subjects is not None else request.grades)
        pool = self._pools.get(key)
        if pool is None:
            if request.subjects is not None:
                index, keys = self._by_subject[slot], request.subjects
            elif request.grades is not None:
                index, keys = self._by_grade[slot], request.grades
            else:
                index, keys = {"": list(classes)}, ("",)
            pool = self._pools[key] = tuple(
                dict.fromkeys(h for k in keys for h in index.get(k, ()))
            )
        return pool

    def _keep(self, request: Request, cap: int) -> int:
        if request.kind == "pair":
            return max(request.visits, cap)
        return request.classrooms + GROUP_EXTRA_HOSTS

    def _choose_cap(self) -> int:
        sizes = [(r, len(self._pool(r, s))) for r in self.problem.requests for s in self.slots_i]
        for cap in CAPS:
            if sum(min(size, self._keep(r, cap)) for r, size in sizes) <= OPTION_BUDGET:
                return cap
        return CAPS[-1]

    def _candidates(self, request: Request) -> Candidates:
        result = []
        full: dict[int, list[str]] = {}
        observers = request.observers
        too_many = len(observers) > self.problem.rules.max_observers_per_classroom
        need = 1 if request.kind == "pair" else request.classrooms
        keep = self._keep(request, self.cap)
        for s in self.slots_i:
            if too_many or any((o, s) in self.unavailable for o in observers):
                continue
            needs_cover = tuple(o for o in observers if (o, s) in self.meetings)
            if not self.cover_possible(needs_cover, s):
                continue
            options, cut = self.host_candidates(request, s, enough=keep)
            if len(options) < need:
                continue
            full[s] = [o.host for o in options]
            capped = cut or len(options) > keep
            result.append(SlotOptions(s, tuple(options[:keep]), needs_cover, capped))
        return Candidates(request, tuple(result), _upper(request, full))


def _upper(request: Request, full: dict[int, list[str]]) -> int:
    """Most visits the request could get alone: distinct hosts in distinct slots.
    (A slot whose list was cut still lists at least `visits` hosts, which is enough
    for a matching of that size.)"""
    if request.kind == "group":
        return request.classrooms if full else 0
    if sum(1 for hosts in full.values() if len(hosts) >= request.visits) >= request.visits:
        return request.visits  # pick one new host per slot, greedily
    return min(request.visits, _matching(full))


def _best_first(option: Option) -> int:
    return -option.score


def _limit(value: int | None) -> int:
    return NO_LIMIT if value is None else value


def _spread(request_id: str, host: str, slot: int) -> int:
    """A fixed pseudo-random order, different for each request and slot."""
    return zlib.crc32(f"{request_id}\0{host}\0{slot}".encode())


def _matching(edges: dict[int, list[str]]) -> int:
    """Size of a maximum matching of slots to distinct hosts (augmenting paths)."""
    owner: dict[str, int] = {}

    def augment(slot: int, seen: set[str]) -> bool:
        for host in edges[slot]:
            if host in seen:
                continue
            seen.add(host)
            if host not in owner or augment(owner[host], seen):
                owner[host] = slot
                return True
        return False

    return sum(1 for slot in edges if augment(slot, set()))
