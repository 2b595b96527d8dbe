"""School-wide patterns for any member of the school: aggregates over at least k classrooms."""

from collections import defaultdict
from dataclasses import dataclass

from inquiry.models import Cycle
from schools.models import School
from visits.models import Evidence, EvidenceKind

from .aggregates import Aggregate, ClassroomCounts, aggregate


@dataclass
class CyclePattern:
    cycle: Cycle
    aggregate: Aggregate


def school_patterns(school: School) -> list[CyclePattern]:
    """One aggregate per cycle with evidence. Three queries, however much was captured."""
    k = school.district.min_classrooms_for_aggregates
    cycles = {c.pk: c for c in Cycle.objects.filter(school=school)}
    look_fors: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    talk: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    rows = Evidence.objects.filter(classroom__visit__cycle__school=school).values_list(
        "classroom__visit__cycle_id",
        "classroom_id",
        "kind",
        "look_for__text",
        "teacher_talk_seconds",
        "student_talk_seconds",
        "silence_seconds",
    )
    for cycle_id, room, kind, text, teacher, students, silence in rows:
        counts = look_fors[cycle_id][room]
        if kind == EvidenceKind.LOOK_FOR and text:
            counts[text] = counts.get(text, 0) + 1
        if kind == EvidenceKind.TALK_TIME:
            seconds = talk[cycle_id][room]
            for i, value in enumerate((teacher, students, silence)):
                seconds[i] += value or 0
    patterns = []
    for cycle_id, rooms in look_fors.items():
        counts = [
            ClassroomCounts(room, counts, tuple(talk[cycle_id][room]))
            for room, counts in rooms.items()
        ]
        patterns.append(CyclePattern(cycles[cycle_id], aggregate(counts, k=k)))
    return sorted(patterns, key=lambda p: p.cycle.created_at, reverse=True)
