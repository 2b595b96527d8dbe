"""Every list and dashboard page takes an exact number of queries, the same for one row as
for many: a new N+1 fails here, and so does any new query (update the number knowingly)."""

from datetime import timedelta

import pytest

from inquiry.tests.factories import make_round, next_weekday
from schools.models import Meeting
from visits.rules import ObserverPlan, VisitPlan
from visits.services import visit_schedule

pytestmark = pytest.mark.django_db

# Page -> queries of the page itself, as the coach who facilitates the round; every full page
# also draws the menu (opendoors/navigation.py), one more query: MENU_QUERIES.
MENU_QUERIES = 1
PAGES = {
    # 18, and the stage's facts (inquiry.stages) and the debriefs' takeaways.
    "/cycles/{cycle}/": 20,
    "/cycles/{cycle}/visits/": 18,
    # 6 of its own, and 7 for the master-schedule grid (schools.selectors.schedule_grid: term,
    # days, slots, lessons, duties, sections, teachers) giving each person's subjects, grades
    # and free periods.
    "/cycles/{cycle}/people/": 13,
    "/cycles/{cycle}/look-fors/": 7,
    "/visits/{visit}/": 12,
    # 5, and the facilitator's board (inquiry.board): cycles, stage facts, evidence, goals.
    "/schools/lincoln/cycles/": 9,
    "/schools/lincoln/patterns/": 8,
    "/schools/lincoln/schedule/": 11,
}


def more_visits(personas, cycle, weeks: int) -> None:
    lesson = Meeting.objects.get(
        teacher=personas.teacher, slot__day__label="Tue", slot__period__label="1"
    )
    for week in range(1, weeks + 1):
        visit_schedule(
            cycle=cycle,
            plan=VisitPlan(
                date=next_weekday(1) + timedelta(weeks=week),
                slot=lesson.slot,
                classrooms=[(personas.teacher, lesson.section)],
                observers=[ObserverPlan(personas.colleague)],
            ),
        )


@pytest.mark.parametrize("page", PAGES)
def test_a_page_takes_the_same_exact_queries_for_one_visit_or_many(
    client, personas, django_assert_num_queries, page
):
    cycle, visit = make_round(personas)
    client.force_login(personas.coach)
    url = page.format(cycle=cycle.pk, visit=visit.pk)
    with django_assert_num_queries(PAGES[page] + MENU_QUERIES):
        assert client.get(url).status_code == 200
    more_visits(personas, cycle, weeks=4)
    with django_assert_num_queries(PAGES[page] + MENU_QUERIES):
        assert client.get(url).status_code == 200


# Pages for the school's principals and the district's leaders, as the principal / leader.
# People: 5 of its own (session, user, the school, the viewer's roles there, whether they lead
# the district), the people, their roles, and 7 for the master-schedule grid
# (schools.selectors.schedule_grid) giving each person's subjects and grades.
# Audit log: session, user, the district, its schools, the count and one page of entries.
PEOPLE_QUERIES = 14
AUDIT_QUERIES = 6


def test_the_people_page_takes_the_same_queries_for_3_or_30_people(
    client, personas, django_assert_num_queries
):
    from schools.tests.factories import make_person

    client.force_login(personas.principal)
    with django_assert_num_queries(PEOPLE_QUERIES + MENU_QUERIES):
        assert client.get("/schools/lincoln/people/").status_code == 200
    for n in range(30):
        make_person(f"extra{n}", personas.school, "teacher", "coach")
    with django_assert_num_queries(PEOPLE_QUERIES + MENU_QUERIES):
        page = client.get("/schools/lincoln/people/?status=active")
    assert len(page.context["rows"]) == 37


def test_the_audit_log_takes_the_same_queries_for_one_entry_or_many(
    client, personas, django_assert_num_queries
):
    from schools.services import audit_record

    def record(n: int) -> None:
        for i in range(n):
            audit_record(
                district=personas.school.district,
                school=personas.school if i % 2 else None,
                actor=personas.principal,
                subject=personas.teacher,
                action="roles_changed",
                summary=f"Change {i}",
            )

    client.force_login(personas.district_leader)
    record(1)
    with django_assert_num_queries(AUDIT_QUERIES + MENU_QUERIES):
        assert client.get("/district/riverbend/audit/").status_code == 200
    record(60)
    with django_assert_num_queries(AUDIT_QUERIES + MENU_QUERIES):
        page = client.get(f"/district/riverbend/audit/?page=2&school={personas.school.pk}")
    assert page.status_code == 200


# The district's Schools page, as its leader: session, user, the district, the schools with
# how many people each (schools.selectors.district_schools).
DISTRICT_SCHOOLS_QUERIES = 4


def test_the_district_s_schools_page_takes_the_same_queries_for_2_or_12_schools(
    client, personas, django_assert_num_queries
):
    from schools.tests.factories import make_person, make_school

    client.force_login(personas.district_leader)
    with django_assert_num_queries(DISTRICT_SCHOOLS_QUERIES + MENU_QUERIES):
        assert client.get("/district/riverbend/schools/").status_code == 200
    for n in range(10):
        school = make_school(f"school-{n}")
        make_person(f"head{n}", school, "principal")
    with django_assert_num_queries(DISTRICT_SCHOOLS_QUERIES + MENU_QUERIES):
        page = client.get("/district/riverbend/schools/")
    assert len(page.context["schools"]) == 12
