"""The school's patterns page, as a principal who is in no round reads it: k counts different
teachers, and reading it again after one new visit singles out nobody."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from inquiry.models import Cycle
from inquiry.tests.factories import make_round
from schools.models import Section, Slot
from schools.tests.factories import make_person
from visits.models import Evidence, Visit, VisitClassroom

PAGE = "/schools/lincoln/patterns/"


def visited(cycle: Cycle, host, *, look_for, taps: int, day: int) -> None:
    """A visit to one host's classroom in which observers tapped a look-for `taps` times."""
    slot, section, author = Slot.objects.first(), Section.objects.first(), cycle.created_by
    assert slot and section and author, "the personas' school has a schedule; a coach made it"
    visit = Visit.objects.create(
        cycle=cycle, date=date(2030, 1, 1) + timedelta(days=day), slot=slot
    )
    room = VisitClassroom.objects.create(visit=visit, host=host, section=section)
    for _ in range(taps):
        Evidence.objects.create(
            id=uuid.uuid4(),
            classroom=room,
            author=author,
            kind="look_for",
            look_for=look_for,
            recorded_at=datetime.now(UTC),
            fingerprint="-",
        )


def teachers(personas, count: int) -> list:
    return [make_person(f"host{i}", personas.school, "teacher") for i in range(count)]


@pytest.mark.django_db
def test_the_patterns_page_shows_only_aggregates_over_k_classrooms(client, personas):
    from visits.tests.helpers import entry, sync

    cycle, visit = make_round(personas)
    client.force_login(personas.colleague)
    sync(client, visit, [entry(visit.classrooms.get(), look_for=cycle.look_fors.first().pk)])
    client.force_login(personas.principal)  # not in the round
    page = client.get(PAGE).content.decode()
    assert "Fewer than 3 teachers' classrooms so far: not shown." in page
    assert cycle.look_fors.first().text not in page


@pytest.mark.django_db
def test_one_teacher_visited_three_times_is_one_classroom_not_three(client, personas):
    cycle, _ = make_round(personas)
    look_for = cycle.look_fors.first()
    for day in range(3):
        visited(cycle, personas.teacher, look_for=look_for, taps=2, day=day)
    client.force_login(personas.principal)
    page = client.get(PAGE).content.decode()
    assert "Fewer than 3 teachers' classrooms so far: not shown." in page
    assert look_for.text not in page
    assert "Updates after 2 more teachers' classrooms." in page


@pytest.mark.django_db
def test_reading_again_after_one_new_visit_shows_the_same_numbers(client, personas):
    cycle, _ = make_round(personas)
    look_for = cycle.look_fors.first()
    first, second, third, fourth, fifth, sixth = teachers(personas, 6)
    for day, host in enumerate([first, second, third]):
        visited(cycle, host, look_for=look_for, taps=1, day=day)
    client.force_login(personas.principal)
    before = client.get(PAGE).content.decode()
    assert "3 teachers' classrooms." in before
    assert f'<th scope="row">{look_for.text}</th><td>3</td>' in before

    visited(cycle, fourth, look_for=look_for, taps=5, day=10)
    visited(cycle, first, look_for=look_for, taps=4, day=11)  # a teacher visited again
    after = client.get(PAGE).content.decode()
    assert "3 teachers' classrooms." in after
    assert f'<th scope="row">{look_for.text}</th><td>3</td>' in after
    assert "Updates after 2 more teachers' classrooms." in after

    visited(cycle, fifth, look_for=look_for, taps=1, day=12)
    visited(cycle, sixth, look_for=look_for, taps=1, day=13)
    later = client.get(PAGE).content.decode()
    assert "6 teachers' classrooms." in later
    assert f'<th scope="row">{look_for.text}</th><td>14</td>' in later
