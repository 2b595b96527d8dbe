"""School-wide patterns for any member of the school: published aggregates over at least k
teachers' classrooms, and the same numbers added up over time, by improvement goal and by
problem of practice. The evidence comes from `opendoors.access`, which applies the rule.

Counting happens in the database, and is kept: each visited classroom's taps per look-for and
talk seconds (ClassroomRollup) are counted once, and again only after capture stored more
in that classroom, so a read costs what the new entries cost, not what all of them do.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Min, Q, QuerySet, Sum

from inquiry.models import Cycle, LookFor
from schools.models import School, Term
from visits.models import Evidence, EvidenceKind, VisitClassroom

from .aggregates import (
    Aggregate,
    ClassroomCounts,
    Combined,
    combine,
    contributions,
    from_json,
    publish,
    shown,
    to_json,
)
from .models import ClassroomRollup, PatternSnapshot

NO_GOAL = "No improvement goal named"
NO_PROBLEM = "No problem of practice written"


@dataclass
class CyclePattern:
    cycle: Cycle
    aggregate: Aggregate
    first_visit: date | None = None  # the date of the cycle's first visit


@dataclass
class PatternGroup:
    """Whole cycles added up: a group never splits a cycle, so it never narrows a number."""

    title: str
    combined: Combined


def _recount(evidence: QuerySet[Evidence], cycles: QuerySet[Cycle, Any]) -> None:
    """Count again, in the database, the classrooms of these cycles whose counts are behind
    (or were never counted), and keep the counts: a read of a school then costs what its
    new entries cost, not what all its entries do."""
    behind = {
        room: (cycle_id, version or 0)
        for room, cycle_id, version in VisitClassroom.including_removed.filter(
            visit__cycle__in=cycles
        )
        .filter(Q(rollup__isnull=True) | Q(rollup__version__gt=F("rollup__counted_version")))
        .values_list("pk", "visit__cycle_id", "rollup__version")
    }
    if not behind:
        return
    # A classroom without entries is counted too (as empty), so it is not recounted each time.
    counted = {
        room: ClassroomRollup(classroom_id=room, cycle_id=cycle_id, look_fors={}, talk=[0, 0, 0])
        for room, (cycle_id, _) in behind.items()
    }
    rows = (
        evidence.filter(classroom_id__in=list(behind))
        .order_by()
        .values_list("classroom_id", "kind", "look_for_id")
        .annotate(
            taps=Count("pk"),
            teacher=Sum("teacher_talk_seconds"),
            students=Sum("student_talk_seconds"),
            silence=Sum("silence_seconds"),
        )
    )
    for room, kind, look_for, taps, teacher, students, silence in rows:
        rollup = counted[room]
        rollup.entries += taps
        if kind == EvidenceKind.LOOK_FOR and look_for:
            rollup.look_fors[str(look_for)] = rollup.look_fors.get(str(look_for), 0) + taps
        if kind == EvidenceKind.TALK_TIME:
            rollup.talk = [
                a + (b or 0) for a, b in zip(rollup.talk, (teacher, students, silence), strict=True)
            ]
    for room, rollup in counted.items():
        rollup.version = rollup.counted_version = behind[room][1]
    ClassroomRollup.objects.bulk_create(
        counted.values(),
        update_conflicts=True,
        unique_fields=["classroom"],
        update_fields=["entries", "look_fors", "talk", "counted_version"],
    )


def classroom_counts(
    evidence: QuerySet[Evidence], cycles: QuerySet[Cycle, Any]
) -> dict[int, list[ClassroomCounts]]:
    """Cycle id -> what each visited classroom with entries holds, from the kept counts."""
    _recount(evidence, cycles)
    texts = dict(LookFor.objects.filter(cycle__in=cycles).values_list("pk", "text"))
    rows = (
        ClassroomRollup.objects.filter(cycle__in=cycles, entries__gt=0)
        .order_by("classroom_id")
        .values_list("cycle_id", "classroom_id", "classroom__host_id", "look_fors", "talk")
    )
    by_cycle: dict[int, list[ClassroomCounts]] = defaultdict(list)
    for cycle_id, room, host, look_fors, talk in rows:
        taps: dict[str, int] = {}
        for look_for, count in look_fors.items():
            if text := texts.get(int(look_for)):
                taps[text] = taps.get(text, 0) + count
        teacher, students, silence = talk
        by_cycle[cycle_id].append(ClassroomCounts(room, host, taps, (teacher, students, silence)))
    return by_cycle


@transaction.atomic
def school_patterns(
    *, school: School, evidence: QuerySet[Evidence], cycles: QuerySet[Cycle, Any], k: int
) -> list[CyclePattern]:
    """One published aggregate per cycle with evidence, newest first; a read publishes what
    may change. A constant number of queries however many cycles, classrooms and entries.
    `evidence` is the entries of `cycles`, both handed out by opendoors.access."""
    by_cycle = classroom_counts(evidence, cycles)
    cycles = (
        Cycle.objects.filter(school=school, pk__in=by_cycle.keys())
        .select_related("improvement_goal")
        .annotate(first_visit=Min("visits__date"))
        .order_by("-created_at", "-pk")
    )
    published = {
        s.cycle_id: from_json(s.numbers)
        for s in PatternSnapshot.objects.select_for_update().filter(cycle_id__in=by_cycle.keys())
    }
    patterns, changed = [], []
    for cycle in cycles:
        current = contributions(by_cycle[cycle.pk])
        before = published.get(cycle.pk, {})
        after = publish(before, current, k=k)
        if after != before:
            changed.append(PatternSnapshot(cycle=cycle, numbers=to_json(after)))
        patterns.append(CyclePattern(cycle, shown(after, current, k=k), cycle.first_visit))
    if changed:
        PatternSnapshot.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["cycle"],
            update_fields=["numbers", "updated_at"],
        )
    return patterns


def _grouped(patterns: Iterable[tuple[str, CyclePattern]]) -> list[PatternGroup]:
    groups: dict[str, list[Aggregate]] = {}
    for title, pattern in patterns:
        groups.setdefault(title, []).append(pattern.aggregate)
    return [PatternGroup(title, combine(aggregates)) for title, aggregates in groups.items()]


def patterns_by_goal(patterns: list[CyclePattern]) -> list[PatternGroup]:
    """The cycles' shown numbers added up by the improvement goal each serves."""
    ordered = sorted(
        patterns,
        key=lambda p: (
            p.cycle.improvement_goal is None,
            getattr(p.cycle.improvement_goal, "position", 0),
            p.cycle.improvement_goal_id or 0,
        ),
    )
    return _grouped((str(p.cycle.improvement_goal or NO_GOAL), p) for p in ordered)


def patterns_by_problem(patterns: list[CyclePattern]) -> list[PatternGroup]:
    """The cycles' shown numbers added up by their problem of practice, as written."""
    ordered = sorted(
        patterns,
        key=lambda p: (
            not p.cycle.problem_of_practice.strip(),
            p.cycle.problem_of_practice.strip().casefold(),
        ),
    )
    return _grouped(
        (" ".join(p.cycle.problem_of_practice.split()) or NO_PROBLEM, p) for p in ordered
    )


def _quarter(day: date) -> str:
    first = 3 * ((day.month - 1) // 3) + 1
    return f"{date(day.year, first, 1):%b}–{date(day.year, first + 2, 1):%b} {day.year}"


def period_of(day: date, terms: list[Term]) -> str:
    """The school's term holding a day, or its calendar quarter where no term's dates do."""
    for term in terms:
        if term.starts_on and term.ends_on and term.starts_on <= day <= term.ends_on:
            return term.name
    return _quarter(day)


def patterns_over_time(patterns: list[CyclePattern], terms: list[Term]) -> list[PatternGroup]:
    """The cycles' shown numbers added up by the term (or quarter) of their first visit,
    oldest first: a cycle counts in one period only, whole."""
    dated = sorted((p for p in patterns if p.first_visit), key=lambda p: p.first_visit or date.min)
    return _grouped((period_of(p.first_visit, terms), p) for p in dated if p.first_visit)


def look_fors_by_period(
    periods: list[PatternGroup], *, most: int = 8
) -> list[tuple[str, list[int | None]]]:
    """The look-fors noted most over all periods, each with its total per period (None where
    no shown number holds it): the table under the chart of patterns over time."""
    totals: dict[str, int] = defaultdict(int)
    for period in periods:
        for text, count in period.combined.look_fors.items():
            totals[text] += count
    top = sorted(totals, key=lambda text: (-totals[text], text))[:most]
    return [(text, [p.combined.look_fors.get(text) for p in periods]) for text in top]


def talk_chart(groups: list[PatternGroup]) -> list[dict[str, object]]:
    """Rows of components/bar_chart.html: students' share of talk time in each group."""
    rows: list[dict[str, object]] = []
    for group in groups:
        if share := group.combined.talk_share:
            note = f"teacher {share[0]}%, silence {share[2]}%"
            rows.append({"label": group.title, "value": share[1], "max": 100, "note": note})
    return rows
