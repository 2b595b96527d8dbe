"""Patterns across a visit's classrooms, for the debrief and for a host's own classroom:
look-for frequency, talk time, tallies, bright moments, and quotes grouped by look-for.
Classrooms go by `classroom_label`, never by their teachers' names.

Three queries, however many entries were captured. The entries come from
`opendoors.access.evidence_visible_to`: this module never fetches evidence itself, and it
counts only what it is given (the visit's group, or one host's classroom), so no number here
reaches anyone outside the visit (insights publishes school-wide numbers, over k classrooms).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from inquiry.models import LookFor
from inquiry.structures import classroom_label

from .models import Evidence, EvidenceKind, Visit, VisitClassroom

# Entries whose words are quotes: under their look-for when tagged with one, else "Other notes".
# Bright moments have their own list (with or without words); time-outs without words are
# counted in the protocol, not quoted.
QUOTED_KINDS = {
    EvidenceKind.NOTE,
    EvidenceKind.WHAT,
    EvidenceKind.SO_WHAT,
    EvidenceKind.NOW_WHAT,
    EvidenceKind.STUDENT_PROMPT,
    EvidenceKind.TIME_OUT,
}
# The share bar's parts, in the order the capture page's talk-time tracker shows them.
TALK_PARTS = (("Teacher talk", "teacher"), ("Student talk", "students"), ("Silence", "silence"))


@dataclass
class ClassroomPattern:
    classroom: VisitClassroom
    label: str = ""  # classroom_label: a letter in rounds and walks, else the section
    look_fors: Counter = field(default_factory=Counter)
    tallies: Counter = field(default_factory=Counter)
    talk: list[int] = field(default_factory=lambda: [0, 0, 0])  # teacher, students, silence
    bright_moments: int = 0

    @property
    def talk_tracked(self) -> bool:
        """Whether anyone timed talk here: a classroom without is "not tracked", never 0%."""
        return sum(self.talk) > 0

    @property
    def talk_percentages(self) -> list[int]:
        total = sum(self.talk)
        if not total:
            return [0, 0, 0]
        teacher, students = (round(100 * part / total) for part in self.talk[:2])
        return [teacher, students, 100 - teacher - students]

    @property
    def talk_parts(self) -> list[dict[str, object]]:
        """The parts of components/share_bar.html; none when talk time was not tracked."""
        if not self.talk_tracked:
            return []
        return [
            {"label": label, "percent": percent, "key": key}
            for (label, key), percent in zip(TALK_PARTS, self.talk_percentages, strict=True)
        ]


@dataclass
class LookForRow:
    look_for: LookFor
    counts: list[int]  # one per classroom, in classroom order
    quotes: list[Evidence]  # notes and other words tagged with this look-for

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class Patterns:
    classrooms: list[ClassroomPattern]
    look_fors: list[LookForRow]
    tally_labels: list[str]
    other_quotes: list[Evidence]  # words tagged with no look-for
    bright_moments: list[Evidence]  # every one, with words or without
    entry_count: int
    most: int  # the largest count in the look-for chart, for bar lengths

    def tally_rows(self) -> list[tuple[str, list[int]]]:
        return [(label, [c.tallies[label] for c in self.classrooms]) for label in self.tally_labels]

    @property
    def has_talk_time(self) -> bool:
        return any(c.talk_tracked for c in self.classrooms)

    @property
    def has_quotes(self) -> bool:
        return bool(self.other_quotes) or any(row.quotes for row in self.look_fors)

    @property
    def several_classrooms(self) -> bool:
        return len(self.classrooms) > 1

    def look_for_chart(self) -> list[dict[str, object]]:
        """The rows of components/bar_chart.html: each look-for's taps over the classrooms,
        with each classroom's count in words where there are several."""
        most = max((row.total for row in self.look_fors), default=0)
        return [
            {
                "label": row.look_for.text,
                "value": row.total,
                "max": most,
                "note": " · ".join(
                    f"{c.label} {n}" for c, n in zip(self.classrooms, row.counts, strict=True)
                )
                if self.several_classrooms
                else "",
            }
            for row in self.look_fors
        ]

    @property
    def bright_moment_classrooms(self) -> int:
        return sum(1 for c in self.classrooms if c.bright_moments)

    @property
    def bright_moment_words(self) -> list[Evidence]:
        return [moment for moment in self.bright_moments if moment.text.strip()]


def visit_patterns(
    visit: Visit, *, rooms: QuerySet[VisitClassroom], evidence: QuerySet[Evidence]
) -> Patterns:
    """Patterns over the classrooms and entries the reader may see (both from access)."""
    cycle = visit.cycle
    ordered = list(rooms.select_related("section").order_by("position", "id"))
    by_room = {room.pk: ClassroomPattern(room, classroom_label(room, cycle)) for room in ordered}
    quotes: dict[int, list[Evidence]] = defaultdict(list)
    others: list[Evidence] = []
    bright: list[Evidence] = []
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
        elif entry.kind == EvidenceKind.BRIGHT_MOMENT:
            # A tap on "Bright moment" has no words, and still counts.
            pattern.bright_moments += 1
            bright.append(entry)
        if entry.kind in QUOTED_KINDS and entry.text.strip():
            (quotes[entry.look_for_id] if entry.look_for_id else others).append(entry)
    # A retired look-for keeps its row where something was captured for it.
    tagged = set(quotes) | {lf for c in by_room.values() for lf in c.look_fors}
    look_fors = [
        lf
        for lf in LookFor.objects.filter(cycle_id=visit.cycle_id)
        if not lf.retired or lf.pk in tagged
    ]
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
        bright_moments=bright,
        entry_count=len(entries),
        most=most,
    )
