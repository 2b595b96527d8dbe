"""Aggregates of evidence that may be shown outside a visit's group.

Every number shown draws on at least k classrooms (k is a district setting,
3 by default): a look-for seen in fewer classrooms is suppressed, and so is a
whole aggregate over fewer classrooms. Hosts' identities never enter: the input
is already anonymous counts per classroom.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ClassroomCounts:
    """What was captured in one classroom: look-for text -> taps, and talk-time seconds."""

    classroom: int
    look_fors: Mapping[str, int]
    talk: tuple[int, int, int] = (0, 0, 0)  # teacher, students, silence


@dataclass
class Aggregate:
    classrooms: int
    look_fors: dict[str, int] = field(default_factory=dict)
    # Look-for -> how many classrooms it was seen in (each at least k).
    seen_in: dict[str, int] = field(default_factory=dict)
    talk_share: tuple[int, int, int] | None = None
    suppressed_look_fors: int = 0

    @property
    def suppressed(self) -> bool:
        return self.classrooms == 0


SUPPRESSED = Aggregate(classrooms=0)


def _share(talk: list[int]) -> tuple[int, int, int]:
    total = sum(talk)
    teacher, students = (round(100 * part / total) for part in talk[:2])
    return (teacher, students, 100 - teacher - students)


def aggregate(rows: Iterable[ClassroomCounts], *, k: int) -> Aggregate:
    """Totals over classrooms, or SUPPRESSED when fewer than k classrooms contributed."""
    by_room: dict[int, ClassroomCounts] = {}
    for row in rows:
        by_room.setdefault(row.classroom, row)  # one row per classroom
    if len(by_room) < max(k, 1):
        return SUPPRESSED
    totals: dict[str, int] = {}
    seen: dict[str, int] = {}
    for row in by_room.values():
        for text, count in row.look_fors.items():
            if count > 0:
                totals[text] = totals.get(text, 0) + count
                seen[text] = seen.get(text, 0) + 1
    shown = {text for text, rooms in seen.items() if rooms >= k}
    talkers = [row.talk for row in by_room.values() if sum(row.talk) > 0]
    talk = [sum(t[i] for t in talkers) for i in range(3)]
    return Aggregate(
        classrooms=len(by_room),
        look_fors={text: totals[text] for text in sorted(shown, key=lambda t: -totals[t])},
        seen_in={text: seen[text] for text in shown},
        talk_share=_share(talk) if len(talkers) >= k else None,
        suppressed_look_fors=len(seen) - len(shown),
    )
