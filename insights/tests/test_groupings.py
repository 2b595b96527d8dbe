"""Cycles added up by improvement goal, problem of practice, term or a range of dates: a group
is a sum of whole cycles' shown numbers, so that two groups (or a group and a cycle, or one
group read twice) subtract only to whole cycles' numbers, each over at least k teachers.

The cycles come from the same simulation as test_aggregates.py: few teachers, many visits."""

from hypothesis import given, settings
from hypothesis import strategies as st

from insights.aggregates import Aggregate, combine
from insights.tests.test_aggregates import events, simulate

cycles = st.lists(events, min_size=1, max_size=4)


def last_pages(steps_per_cycle, k: int) -> list[Aggregate]:
    """What the page shows for each cycle at its last read (cycles never read are left out)."""
    reads = [simulate(steps, k) for steps in steps_per_cycle]
    return [r[-1].page for r in reads if r]


@settings(max_examples=200, deadline=None)
@given(steps=cycles, k=st.integers(2, 4), data=st.data())
def test_a_narrower_choice_of_cycles_subtracts_only_to_whole_shown_cycles(steps, k, data):
    pages = last_pages(steps, k)
    chosen = data.draw(st.lists(st.booleans(), min_size=len(pages), max_size=len(pages)))
    wide = combine(pages)
    narrow = combine(p for p, keep in zip(pages, chosen, strict=True) if keep)
    left_out = [p for p, keep in zip(pages, chosen, strict=True) if not keep]
    for text, total in wide.look_fors.items():
        shown_in = [p for p in left_out if text in p.look_fors]
        assert total - narrow.look_fors.get(text, 0) == sum(p.look_fors[text] for p in shown_in)
        assert all(p.teachers >= k for p in shown_in)
    assert wide.cycles - narrow.cycles == sum(not p.suppressed for p in left_out)


@settings(max_examples=200, deadline=None)
@given(steps=cycles, k=st.integers(2, 4))
def test_a_cycle_not_shown_adds_nothing_to_its_group(steps, k):
    pages = last_pages(steps, k)
    group = combine(pages)
    shown = [p for p in pages if not p.suppressed]
    assert group == combine(shown) or (group.suppressed_cycles and group.cycles == len(shown))
    assert group.look_fors == combine(shown).look_fors
    assert group.talk_share == combine(shown).talk_share
    assert group.suppressed == (not shown)
    if group.talk_share:
        assert sum(group.talk_share) == 100
        assert any(p.talk_seconds for p in shown)


@settings(max_examples=200, deadline=None)
@given(steps=cycles, k=st.integers(2, 4))
def test_a_group_read_twice_moves_only_by_whole_cycles_moves(steps, k):
    """Each cycle's shown numbers move only when k teachers changed (test_aggregates); a
    group's move is the sum of its cycles' moves, so it never isolates fewer."""
    reads = [simulate(s, k) for s in steps]
    reads = [r for r in reads if len(r) >= 2]
    before = combine(r[-2].page for r in reads)
    after = combine(r[-1].page for r in reads)
    for text in before.look_fors.keys() | after.look_fors.keys():
        moved = after.look_fors.get(text, 0) - before.look_fors.get(text, 0)
        by_cycle = sum(
            r[-1].page.look_fors.get(text, 0) - r[-2].page.look_fors.get(text, 0) for r in reads
        )
        assert moved == by_cycle
