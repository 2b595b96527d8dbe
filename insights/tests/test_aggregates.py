"""Outside a visit's group only aggregates over at least k different teachers' classrooms are
shown, and no two numbers ever shown (on one page, or on two reads of it over time) can be
subtracted to single out fewer than k teachers.

The property tests keep their own record of what was captured at each read and judge the
numbers shown against it, not against the module's bookkeeping.
"""

from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from insights.aggregates import Aggregate, ClassroomCounts, contributions, publish, shown

LOOK_FORS = ["explain", "question", "anchor chart"]


@dataclass
class Room:
    host: int
    taps: dict[str, int]
    talk: list[int]

    @property
    def talk_time(self) -> tuple[int, int, int]:
        teacher, students, silence = self.talk
        return teacher, students, silence


@dataclass
class Read:
    """What was true when a read happened, and what the page showed."""

    taps: dict[str, dict[int, int]]  # look-for -> room -> taps
    hosts: dict[int, int]  # room -> host
    talk: dict[int, tuple[int, int, int]]
    page: Aggregate
    truth: dict = field(default_factory=dict)


taps = st.dictionaries(st.sampled_from(LOOK_FORS), st.integers(1, 5), max_size=3)
talk = st.tuples(st.integers(0, 300), st.integers(0, 300), st.integers(0, 300))
# Few teachers, many visits: a visit to one of at most five teachers, a late sync that adds
# to a classroom already visited, or someone reading the patterns page.
events = st.lists(
    st.one_of(
        st.tuples(st.just("visit"), st.integers(1, 5), taps, talk),
        st.tuples(st.just("more"), st.integers(0, 40), taps, talk),
        st.tuples(st.just("read"), st.none(), st.none(), st.none()),
    ),
    max_size=40,
)


def simulate(steps, k: int) -> list[Read]:
    rooms: list[Room] = []
    published: dict = {}
    reads = []
    for kind, who, new_taps, seconds in steps:
        if kind == "visit":
            rooms.append(Room(who, dict(new_taps), list(seconds)))
        elif kind == "more" and rooms:
            room = rooms[who % len(rooms)]
            for text, n in new_taps.items():
                room.taps[text] = room.taps.get(text, 0) + n
            room.talk = [a + b for a, b in zip(room.talk, seconds, strict=True)]
        elif kind == "read":
            rows = [
                ClassroomCounts(i, r.host, dict(r.taps), r.talk_time) for i, r in enumerate(rooms)
            ]
            current = contributions(rows)
            published = publish(published, current, k=k)
            reads.append(
                Read(
                    taps={
                        t: {i: r.taps[t] for i, r in enumerate(rooms) if r.taps.get(t)}
                        for t in LOOK_FORS
                    },
                    hosts={i: r.host for i, r in enumerate(rooms)},
                    talk={i: r.talk_time for i, r in enumerate(rooms)},
                    page=shown(published, current, k=k),
                )
            )
    return reads


def _teachers_with(read: Read, text: str) -> set[int]:
    return {read.hosts[i] for i in read.taps[text]}


def _changed_teachers(a: dict[int, object], b: dict[int, object], hosts: dict[int, int]) -> int:
    return len({hosts[i] for i in a.keys() | b.keys() if a.get(i) != b.get(i)})


def _origins(reads: list[Read], upto: int, text: str, total: int) -> list[Read]:
    """The reads at or before `upto` whose true total for a look-for is the one shown."""
    return [r for r in reads[: upto + 1] if sum(r.taps[text].values()) == total]


@settings(max_examples=300, deadline=None)
@given(steps=events, k=st.integers(2, 4))
def test_nothing_shown_draws_on_fewer_than_k_teachers(steps, k):
    reads = simulate(steps, k)
    for j, read in enumerate(reads):
        page = read.page
        if page.suppressed:
            assert not page.look_fors and page.talk_share is None
            continue
        # The teacher count is a true count of distinct teachers, at least k.
        assert page.teachers >= k
        assert any(len(set(r.hosts.values())) == page.teachers for r in reads[: j + 1])
        for text, total in page.look_fors.items():
            origins = _origins(reads, j, text, total)
            assert origins, "a total shown was never true"
            assert all(len(_teachers_with(r, text)) >= k for r in origins)
        if page.talk_share is not None:
            assert any(
                len({r.hosts[i] for i, t in r.talk.items() if sum(t)}) >= k for r in reads[: j + 1]
            )
            assert sum(page.talk_share) == 100


@settings(max_examples=300, deadline=None)
@given(steps=events, k=st.integers(2, 4))
def test_no_two_reads_subtract_to_fewer_than_k_teachers(steps, k):
    reads = simulate(steps, k)
    for i, earlier in enumerate(reads):
        for j in range(i + 1, len(reads)):
            later = reads[j].page
            if earlier.page.suppressed or later.suppressed:
                continue
            # Teachers only join: a changed count is at least k new teachers.
            moved = later.teachers - earlier.page.teachers
            assert moved == 0 or moved >= k
            for text, total in later.look_fors.items():
                before = earlier.page.look_fors.get(text)
                if before is None or before == total:
                    continue
                [old] = _origins(reads, i, text, before)[-1:]
                [new] = _origins(reads, j, text, total)[-1:]
                assert _changed_teachers(old.taps[text], new.taps[text], new.hosts) >= k


@settings(max_examples=200, deadline=None)
@given(steps=events, k=st.integers(2, 4))
def test_one_page_shows_one_count_of_teachers_per_cycle(steps, k):
    """Breakdowns on one page: the only count of teachers is the cycle's; look-fors show
    totals of taps, each its own quantity, so no two numbers nest teacher groups."""
    for read in simulate(steps, k):
        shown_fields = {"teachers", "look_fors", "talk_share", "talk_seconds", "updates_after"}
        assert set(vars(read.page)) == shown_fields
        assert 1 <= read.page.updates_after <= k


def test_a_teacher_visited_three_times_is_one_classroom_not_three():
    rows = [ClassroomCounts(room, 7, {"explain": 2}) for room in (1, 2, 3)]
    current = contributions(rows)
    page = shown(publish({}, current, k=3), current, k=3)
    assert page.suppressed and page.updates_after == 2


def test_one_new_visit_after_publication_changes_nothing_shown():
    rows = [ClassroomCounts(room, room, {"explain": 1}, (10, 10, 0)) for room in (1, 2, 3)]
    first = contributions(rows)
    published = publish({}, first, k=3)
    before = shown(published, first, k=3)
    rows.append(ClassroomCounts(4, 4, {"explain": 5}, (100, 0, 0)))
    later = contributions(rows)
    after = shown(publish(published, later, k=3), later, k=3)
    assert (before.teachers, before.look_fors, before.talk_share) == (
        after.teachers,
        after.look_fors,
        after.talk_share,
    )
    assert after.updates_after == 2
