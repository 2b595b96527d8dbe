"""Outside a visit's group only aggregates over at least k classrooms are shown: no smaller
group leaks a classroom."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insights.aggregates import ClassroomCounts, aggregate

LOOK_FORS = ["explain", "question", "anchor chart", "manipulatives"]

classrooms = st.lists(
    st.builds(
        ClassroomCounts,
        classroom=st.integers(1, 40),
        look_fors=st.dictionaries(st.sampled_from(LOOK_FORS), st.integers(0, 30)),
        talk=st.tuples(st.integers(0, 900), st.integers(0, 900), st.integers(0, 900)),
    ),
    max_size=12,
)


@settings(max_examples=400, deadline=None)
@given(rows=classrooms, k=st.integers(1, 6))
def test_no_number_shown_draws_on_fewer_than_k_classrooms(rows, k):
    result = aggregate(rows, k=k)
    rooms = {}
    for row in rows:
        rooms.setdefault(row.classroom, row)
    if len(rooms) < k:
        assert result.suppressed and not result.look_fors and result.talk_share is None
        return
    assert result.classrooms == len(rooms) >= k
    for text, total in result.look_fors.items():
        contributors = [r for r in rooms.values() if r.look_fors.get(text, 0) > 0]
        assert len(contributors) >= k
        assert result.seen_in[text] == len(contributors)
        assert total == sum(r.look_fors[text] for r in contributors)
    hidden = {t for r in rooms.values() for t, n in r.look_fors.items() if n > 0}
    assert result.suppressed_look_fors == len(hidden - result.look_fors.keys())
    if result.talk_share is not None:
        assert sum(1 for r in rooms.values() if sum(r.talk) > 0) >= k
        assert sum(result.talk_share) == 100


@settings(max_examples=200, deadline=None)
@given(rows=classrooms, k=st.integers(2, 6))
def test_removing_one_classroom_below_k_never_reveals_it(rows, k):
    """Whatever is shown for k classrooms, dropping one hides everything rather than showing
    what the remaining k-1 did (no classroom's numbers by difference)."""
    rooms = list({row.classroom: row for row in rows}.values())
    if len(rooms) != k:
        return
    assert aggregate(rooms[:-1], k=k).suppressed


@pytest.mark.django_db
def test_the_patterns_page_shows_only_aggregates_over_k_classrooms(client, personas):
    from inquiry.tests.factories import make_round
    from visits.tests.helpers import entry, sync

    cycle, visit = make_round(personas)
    client.force_login(personas.colleague)
    sync(client, visit, [entry(visit.classrooms.get(), look_for=cycle.look_fors.first().pk)])
    client.force_login(personas.principal)  # not in the round
    page = client.get("/schools/lincoln/patterns/").content.decode()
    assert "Fewer than 3 classrooms so far: not shown." in page
    assert cycle.look_fors.first().text not in page
