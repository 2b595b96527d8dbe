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
