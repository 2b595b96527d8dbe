"""School-wide patterns for any member of the school: published aggregates over at least k
teachers' classrooms. The evidence comes from `opendoors.access`, which applies the rule."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from inquiry.models import Cycle
from schools.models import School
from visits.models import Evidence, EvidenceKind

from .aggregates import (
    Aggregate,
    ClassroomCounts,
    contributions,
    from_json,
    publish,
    shown,
    to_json,
)
from .models import PatternSnapshot


@dataclass
class CyclePattern:
    cycle: Cycle
    aggregate: Aggregate


def _talk_time(seconds: list[int]) -> tuple[int, int, int]:
    teacher, students, silence = seconds
    return teacher, students, silence


def classroom_counts(evidence: QuerySet[Evidence]) -> dict[int, list[ClassroomCounts]]:
    """Cycle id -> what each visit's classroom holds, in one query."""
    rooms: dict[int, dict[int, ClassroomCounts]] = defaultdict(dict)
    rows = evidence.values_list(
        "classroom__visit__cycle_id",
        "classroom_id",
        "classroom__host_id",
        "kind",
        "look_for__text",
        "teacher_talk_seconds",
        "student_talk_seconds",
        "silence_seconds",
    )
    look_fors: dict[int, dict[str, int]] = defaultdict(dict)
    talk: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for cycle_id, room, host, kind, text, teacher, students, silence in rows:
        if room not in rooms[cycle_id]:
            rooms[cycle_id][room] = ClassroomCounts(room, host, look_fors[room], (0, 0, 0))
        if kind == EvidenceKind.LOOK_FOR and text:
            look_fors[room][text] = look_fors[room].get(text, 0) + 1
        if kind == EvidenceKind.TALK_TIME:
            for i, value in enumerate((teacher, students, silence)):
                talk[room][i] += value or 0
    return {
        cycle_id: [
            ClassroomCounts(r.classroom, r.host, r.look_fors, _talk_time(talk[r.classroom]))
            for r in by_room.values()
        ]
        for cycle_id, by_room in rooms.items()
    }


@transaction.atomic
def school_patterns(*, school: School, evidence: QuerySet[Evidence], k: int) -> list[CyclePattern]:
    """One published aggregate per cycle with evidence; a read publishes what may change."""
    by_cycle = classroom_counts(evidence)
    cycles = Cycle.objects.filter(school=school, pk__in=by_cycle.keys()).order_by("-created_at")
    published = {
        s.cycle_id: from_json(s.numbers)
        for s in PatternSnapshot.objects.select_for_update().filter(cycle__in=cycles)
    }
    patterns = []
    for cycle in cycles:
        current = contributions(by_cycle[cycle.pk])
        before = published.get(cycle.pk, {})
        after = publish(before, current, k=k)
        if after != before:
            PatternSnapshot.objects.update_or_create(
                cycle=cycle, defaults={"numbers": to_json(after)}
            )
        patterns.append(CyclePattern(cycle, shown(after, current, k=k)))
    return patterns
