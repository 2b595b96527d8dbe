"""Aggregates of evidence that may be shown outside a visit's group, and when they may change.

k counts different *teachers*: one teacher visited five times is one classroom,
not five (k is a district setting, 3 by default). Every number shown draws on at
least k teachers' classrooms: a look-for seen with fewer teachers is not shown,
and a whole aggregate over fewer teachers is suppressed. Hosts' identities never
reach the page.

Numbers are published, not computed on each read: two reads a day apart, around one
new visit, would otherwise subtract to that one classroom. Each number keeps what it
was drawn on (classroom -> host, value); it is replaced only when the classrooms whose
values changed since belong to at least k different teachers, so the difference of
any two values a number ever showed draws on at least k teachers. Each number is
judged on its own (a look-for tapped by one new teacher keeps its old total even when
the teacher count moves on), because a single row is a number someone can subtract.
The page shows one teacher count per cycle and no "seen in n classrooms" column,
so no two counts of teachers on a page nest with fewer than k between them.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# A number's contributions: classroom id -> (host id, value); a value is a count or
# talk seconds (teacher, students, silence). The teacher count is keyed by host instead,
# so it changes only when at least k teachers are new to it.
Value = int | tuple[int, ...]
Contributions = dict[int, tuple[int, Value]]
CLASSROOMS = "classrooms"
TALK = "talk"
LOOK_FOR = "look-for:"


@dataclass(frozen=True)
class ClassroomCounts:
    """What was captured in one visit's classroom: look-for text -> taps, and talk seconds."""

    classroom: int
    host: int
    look_fors: Mapping[str, int]
    talk: tuple[int, int, int] = (0, 0, 0)  # teacher, students, silence


@dataclass
class Aggregate:
    """What the page shows for one cycle; `teachers` is 0 when it is suppressed."""

    teachers: int
    look_fors: dict[str, int] = field(default_factory=dict)
    talk_share: tuple[int, int, int] | None = None
    # The seconds behind talk_share (None with it), so that groups of cycles weigh them.
    talk_seconds: tuple[int, int, int] | None = None
    # How many more teachers' classrooms must contribute before the teacher count changes.
    updates_after: int = 0

    @property
    def suppressed(self) -> bool:
        return self.teachers == 0


def contributions(rows: Iterable[ClassroomCounts]) -> dict[str, Contributions]:
    """Every number the page could show, with what each is drawn on."""
    numbers: dict[str, Contributions] = {CLASSROOMS: {}, TALK: {}}
    for row in rows:
        # Counted per teacher: a teacher visited again adds no one to the count.
        numbers[CLASSROOMS][row.host] = (row.host, 1)
        if sum(row.talk) > 0:
            numbers[TALK][row.classroom] = (row.host, tuple(row.talk))
        for text, count in row.look_fors.items():
            if count > 0:
                numbers.setdefault(LOOK_FOR + text, {})[row.classroom] = (row.host, count)
    return numbers


def teachers_in(drawn_on: Contributions) -> set[int]:
    return {host for host, _ in drawn_on.values()}


def changed_teachers(previous: Contributions, current: Contributions) -> set[int]:
    """Teachers whose classrooms were added, changed or removed since `previous`."""
    rooms = previous.keys() | current.keys()
    return {
        (current.get(room) or previous[room])[0]
        for room in rooms
        if current.get(room) != previous.get(room)
    }


def publish_one(previous: Contributions | None, current: Contributions, *, k: int) -> Contributions:
    """What a number is drawn on from now: `current` when it is shown for the first time
    over at least k teachers, or when at least k teachers' classrooms changed; else as before."""
    if previous is None or not previous:
        return current if len(teachers_in(current)) >= k else {}
    if len(changed_teachers(previous, current)) >= k:
        return current
    return previous


def publish(
    published: Mapping[str, Contributions], current: Mapping[str, Contributions], *, k: int
) -> dict[str, Contributions]:
    """Every number's publication after a read; numbers never shown stay unpublished."""
    k = max(k, 1)
    names = published.keys() | current.keys()
    result = {}
    for name in names:
        drawn_on = publish_one(published.get(name), current.get(name, {}), k=k)
        if drawn_on:
            result[name] = drawn_on
    return result


def _share(talk: list[int]) -> tuple[int, int, int]:
    total = sum(talk)
    teacher, students = (round(100 * part / total) for part in talk[:2])
    return (teacher, students, 100 - teacher - students)


def _count(value: Value) -> int:
    return value if isinstance(value, int) else sum(value)


def _seconds(value: Value) -> tuple[int, ...]:
    return value if isinstance(value, tuple) else (value, 0, 0)


def shown(
    published: Mapping[str, Contributions], current: Mapping[str, Contributions], *, k: int
) -> Aggregate:
    """The numbers a reader sees: only published ones drawn on at least k teachers."""
    k = max(k, 1)
    teachers = published.get(CLASSROOMS, {})
    now = current.get(CLASSROOMS, {})
    waiting = len(changed_teachers(teachers, now)) if teachers else len(teachers_in(now))
    updates_after = max(k - waiting, 1)
    if len(teachers_in(teachers)) < k:
        return Aggregate(teachers=0, updates_after=updates_after)
    look_fors = {
        name.removeprefix(LOOK_FOR): sum(_count(value) for _, value in drawn_on.values())
        for name, drawn_on in published.items()
        if name.startswith(LOOK_FOR) and len(teachers_in(drawn_on)) >= k
    }
    talk_rooms = published.get(TALK, {})
    talk_share = talk_seconds = None
    if len(teachers_in(talk_rooms)) >= k:
        seconds = [_seconds(value) for _, value in talk_rooms.values()]
        teacher, students, silence = (sum(part[i] for part in seconds) for i in range(3))
        talk_seconds = (teacher, students, silence)
        talk_share = _share(list(talk_seconds))
    return Aggregate(
        teachers=len(teachers_in(teachers)),
        look_fors=dict(sorted(look_fors.items(), key=lambda item: (-item[1], item[0]))),
        talk_share=talk_share,
        talk_seconds=talk_seconds,
        updates_after=updates_after,
    )


@dataclass
class Combined:
    """Several cycles' shown numbers added up (by improvement goal, problem of practice or
    term). Only numbers already shown go in, each over at least k teachers and published,
    so a sum (or the difference of two sums) is made of whole shown numbers: it never
    isolates fewer than k teachers. A group with no shown cycle is suppressed."""

    cycles: int = 0  # cycles whose numbers are shown and added here
    suppressed_cycles: int = 0
    look_fors: dict[str, int] = field(default_factory=dict)
    talk_share: tuple[int, int, int] | None = None

    @property
    def suppressed(self) -> bool:
        return self.cycles == 0


def combine(aggregates: Iterable[Aggregate]) -> Combined:
    """The sum of the shown numbers of several cycles; suppressed cycles add nothing."""
    combined = Combined()
    talk = [0, 0, 0]
    for aggregate in aggregates:
        if aggregate.suppressed:
            combined.suppressed_cycles += 1
            continue
        combined.cycles += 1
        for text, count in aggregate.look_fors.items():
            combined.look_fors[text] = combined.look_fors.get(text, 0) + count
        if aggregate.talk_seconds is not None:
            talk = [a + b for a, b in zip(talk, aggregate.talk_seconds, strict=True)]
    if sum(talk) > 0:
        combined.talk_share = _share(talk)
    combined.look_fors = dict(
        sorted(combined.look_fors.items(), key=lambda item: (-item[1], item[0]))
    )
    return combined


def to_json(published: Mapping[str, Contributions]) -> dict[str, list]:
    """JSON keeps no int keys or tuples: each number is a list of [room, host, value]."""
    return {
        name: [
            [room, host, list(value) if isinstance(value, tuple) else value]
            for room, (host, value) in drawn_on.items()
        ]
        for name, drawn_on in published.items()
    }


def from_json(data: Mapping[str, list]) -> dict[str, Contributions]:
    return {
        name: {
            int(room): (int(host), tuple(v) if isinstance(v, list) else int(v))
            for room, host, v in rows
        }
        for name, rows in data.items()
    }
