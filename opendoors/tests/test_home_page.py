"""The home page: a person's schools, upcoming visits and follow-ups, in a fixed number of
queries however many schools and visits they have."""

import pytest

from inquiry.tests.factories import make_round
from schools.tests.factories import make_school

pytestmark = pytest.mark.django_db

# Session, user, roles, schools, upcoming visits, classrooms left after capture, follow-ups;
# with visits, 8 more that fetch their classrooms, observers, covers and rooms for all at once.
HOME_QUERIES = 7
WITH_VISITS = HOME_QUERIES + 8


def test_a_district_leader_sees_every_school_in_the_same_queries(
    client, personas, django_assert_num_queries
):
    client.force_login(personas.district_leader)
    with django_assert_num_queries(HOME_QUERIES):
        page = client.get("/")
    assert page.content.decode().count('class="card"') == 2
    for slug in ("adams", "baker", "carver"):
        make_school(slug)
    with django_assert_num_queries(HOME_QUERIES):
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
