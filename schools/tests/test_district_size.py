"""A district of 30 schools and 3,000 people: a school's People page and the district's
Schools page take exactly as many queries as in the two-school district of the personas."""

import pytest

from schools.models import Membership, Person, Role, School
from schools.tests.factories import _HASH
from tests.test_page_queries import DISTRICT_SCHOOLS_QUERIES, MENU_QUERIES, PEOPLE_QUERIES

pytestmark = pytest.mark.django_db

SCHOOLS = 30
PEOPLE = 3000
ROLES = [Role.TEACHER, Role.TEACHER, Role.TEACHER, Role.COACH, Role.FACILITATOR]


def district_of_3000(personas) -> None:
    """Grow the personas' district to 30 schools and 3,000 people, about 100 a school (Lincoln
    too), in a few bulk inserts."""
    district = personas.school.district
    School.objects.bulk_create(
        School(district=district, slug=f"school-{n}", name=f"School {n}")
        for n in range(SCHOOLS - School.objects.filter(district=district).count())
    )
    schools = list(School.objects.filter(district=district).order_by("pk"))
    already = Person.objects.count()
    people = Person.objects.bulk_create(
        Person(
            username=f"person{n}",
            password=_HASH,
            email=f"person{n}@example.org",
            first_name=f"Given{n}",
            last_name=f"Family{n}",
            last_login=None,
        )
        for n in range(PEOPLE - already)
    )
    Membership.objects.bulk_create(
        Membership(person=person, school=schools[n % SCHOOLS], role=ROLES[n % len(ROLES)])
        for n, person in enumerate(people)
    )
    assert Person.objects.count() == PEOPLE and len(schools) == SCHOOLS


def test_the_people_page_keeps_its_queries_in_a_district_of_3000_people(
    client, personas, django_assert_num_queries
):
    client.force_login(personas.principal)
    with django_assert_num_queries(PEOPLE_QUERIES + MENU_QUERIES):
        small = client.get("/schools/lincoln/people/")
    district_of_3000(personas)
    with django_assert_num_queries(PEOPLE_QUERIES + MENU_QUERIES):
        large = client.get("/schools/lincoln/people/")
    assert len(small.context["rows"]) == 7
    # Lincoln's seven, and every 30th of the 2,992 others (Lincoln is the district's first).
    assert len(large.context["rows"]) == 7 + len(range(0, PEOPLE - 8, SCHOOLS)) == 107
    assert "Invite everyone not invited yet" in large.content.decode()


def test_the_district_s_schools_page_keeps_its_queries_with_30_schools_and_3000_people(
    client, personas, django_assert_num_queries
):
    client.force_login(personas.district_leader)
    with django_assert_num_queries(DISTRICT_SCHOOLS_QUERIES + MENU_QUERIES):
        assert client.get("/district/riverbend/schools/").status_code == 200
    district_of_3000(personas)
    with django_assert_num_queries(DISTRICT_SCHOOLS_QUERIES + MENU_QUERIES):
        page = client.get("/district/riverbend/schools/")
    schools = list(page.context["schools"])
    assert len(schools) == SCHOOLS
    assert sum(school.people for school in schools) == PEOPLE  # each at one school
