"""The home page: a person's schools, upcoming visits and follow-ups, in a fixed number of
queries however many schools and visits they have."""

from datetime import timedelta

import pytest

from inquiry.structures import Structure
from inquiry.tests.factories import make_round
from schools.tests.factories import make_school
from visits.models import Commitment

pytestmark = pytest.mark.django_db

# Session, user, roles, schools, upcoming visits, the cycles they facilitate (inquiry.board),
# classrooms left after capture, follow-ups, the menu's memberships (opendoors/navigation.py),
# the schools whose people they manage (access.people_managed_by); with visits, 8 more that
# fetch their classrooms, observers, covers and rooms for all at once.
HOME_QUERIES = 10
WITH_VISITS = HOME_QUERIES + 8
# A facilitator's board: its visits' stage facts, which visits hold evidence, shared goals.
WITH_BOARD = WITH_VISITS + 3
# A school's leaders see its cycles by stage: the cycles, and their stage facts when any.
LEADER = HOME_QUERIES + 1


def test_a_district_leader_sees_every_school_in_the_same_queries(
    client, personas, django_assert_num_queries
):
    client.force_login(personas.district_leader)
    with django_assert_num_queries(LEADER):
        page = client.get("/")
    assert page.content.decode().count('class="card"') == 2
    for slug in ("adams", "baker", "carver"):
        make_school(slug)
    make_round(personas)
    with django_assert_num_queries(LEADER + 1):
        page = client.get("/")
    assert page.content.decode().count('class="card"') == 5


def test_an_observer_sees_their_visit_in_the_same_queries(
    client, personas, django_assert_num_queries
):
    make_round(personas)
    client.force_login(personas.colleague)
    with django_assert_num_queries(WITH_VISITS):
        page = client.get("/")
    assert "Observing" in page.content.decode()


def test_a_coach_sees_the_visits_she_facilitates_and_her_board_in_the_same_queries(
    client, personas, django_assert_num_queries
):
    """However many cycles she facilitates: a second cycle adds no query."""
    round_, _ = make_round(personas)
    client.force_login(personas.coach)
    with django_assert_num_queries(WITH_BOARD):
        page = client.get("/")
    html = page.content.decode()
    assert "Facilitating" in html and round_.title in html
    assert len(page.context["board"].open) == 1
    # The round a week later: the same people cannot be in two visits at once.
    later = round_.visits.get().date + timedelta(weeks=1)
    round_.visits.update(date=later)
    Commitment.objects.update(date=later)
    lab, _ = make_round(personas, structure=Structure.LAB)
    lab.title = "Number talks lab"
    lab.save()
    with django_assert_num_queries(WITH_BOARD):
        page = client.get("/")
    assert len(page.context["board"].open) == 2
    assert "Number talks lab" in page.content.decode()
