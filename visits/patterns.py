"""Patterns across a visit's classrooms, for the debrief: look-for frequency, talk time,
tallies, and quotes grouped by look-for. Classrooms go by `classroom_label`, never by their
teachers' names.

Three queries, however many entries were captured. The entries come from
`opendoors.access.evidence_visible_to`: this module never fetches evidence itself.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from inquiry.models import LookFor

from .models import Evidence, EvidenceKind, Visit, VisitClassroom

TEXT_KINDS = {
    EvidenceKind.NOTE,
    EvidenceKind.WHAT,
    EvidenceKind.SO_WHAT,
    EvidenceKind.NOW_WHAT,
    EvidenceKind.STUDENT_PROMPT,
    EvidenceKind.BRIGHT_MOMENT,
    EvidenceKind.TIME_OUT,
}


@dataclass
class ClassroomPattern:
    classroom: VisitClassroom
    look_fors: Counter = field(default_factory=Counter)
    tallies: Counter = field(default_factory=Counter)
    talk: list[int] = field(default_factory=lambda: [0, 0, 0])  # teacher, students, silence

    @property
    def talk_percentages(self) -> list[int]:
        total = sum(self.talk)
        if not total:
            return [0, 0, 0]
        teacher, students = (round(100 * part / total) for part in self.talk[:2])
        return [teacher, students, 100 - teacher - students]


@dataclass
class LookForRow:
    look_for: LookFor
    counts: list[int]  # one per classroom, in classroom order
    quotes: list[Evidence]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class Patterns:
    classrooms: list[ClassroomPattern]
    look_fors: list[LookForRow]
    tally_labels: list[str]
    other_quotes: list[Evidence]
    entry_count: int
    most: int  # the largest count in the look-for chart, for bar lengths

    def tally_rows(self) -> list[tuple[str, list[int]]]:
        return [(label, [c.tallies[label] for c in self.classrooms]) for label in self.tally_labels]

    @property
    def has_talk_time(self) -> bool:
        return any(sum(c.talk) for c in self.classrooms)


def visit_patterns(
    visit: Visit, *, rooms: QuerySet[VisitClassroom], evidence: QuerySet[Evidence]
) -> Patterns:
    """Patterns over the classrooms and entries the reader may see (both from access)."""
    ordered = list(rooms.select_related("section").order_by("position", "id"))
    by_room = {room.pk: ClassroomPattern(room) for room in ordered}
    look_fors = list(LookFor.objects.filter(cycle_id=visit.cycle_id, retired=False))
    quotes: dict[int, list[Evidence]] = defaultdict(list)
    others: list[Evidence] = []
    tally_labels: list[str] = []
    # An entry outside the rooms given is not the reader's to see.
    entries = [e for e in evidence.order_by("recorded_at") if e.classroom_id in by_room]
    for entry in entries:
        pattern = by_room[entry.classroom_id]
        entry.classroom = pattern.classroom  # the quote's label, without a query per quote
        if entry.kind == EvidenceKind.LOOK_FOR and entry.look_for_id:
            pattern.look_fors[entry.look_for_id] += 1
        elif entry.kind == EvidenceKind.TALLY:
            pattern.tallies[entry.label] += 1
            if entry.label not in tally_labels:
                tally_labels.append(entry.label)
        elif entry.kind == EvidenceKind.TALK_TIME:
            for i, seconds in enumerate(
                (entry.teacher_talk_seconds, entry.student_talk_seconds, entry.silence_seconds)
            ):
                pattern.talk[i] += seconds or 0
        if entry.kind in TEXT_KINDS and entry.text.strip():
            (quotes[entry.look_for_id] if entry.look_for_id else others).append(entry)
    rows = [
        LookForRow(lf, [by_room[r.pk].look_fors[lf.pk] for r in ordered], quotes.get(lf.pk, []))
        for lf in look_fors
    ]
    most = max((count for row in rows for count in row.counts), default=0)
    return Patterns(
        classrooms=[by_room[r.pk] for r in ordered],
        look_fors=rows,
        tally_labels=tally_labels,
        other_quotes=others,
        entry_count=len(entries),
        most=most,
    )
