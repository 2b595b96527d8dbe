"""Two people write to the hours ledger at the same moment, for the same months: each month
keeps one marker, both writes are counted, and neither waits on the other for ever (the
markers are created without conflicts and locked in one order). Threads with their own
connections, against PostgreSQL; in-memory SQLite cannot share a test database between
threads."""

from datetime import date

import pytest

from growth.services import learning_report
from insights.models import HoursMonth
from insights.services import ledger_months_fresh
from tests.concurrency import at_once, postgresql_only

from .test_hours_rollups import assert_dashboards_match_the_entries, learning

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 10
NOVEMBER, DECEMBER = date(2025, 11, 1), date(2025, 12, 1)


@pytest.fixture(autouse=True)
def _postgresql_only():
    postgresql_only()


def test_two_teachers_reporting_learning_in_the_same_months_at_once_are_both_counted(
    personas,
):
    school = personas.school

    def reports(person, first: date, then: date):
        # Two entries in one call would be one transaction; two calls in opposite month
        # orders make the two writers want the same markers in opposite orders.
        def write():
            for month in (first, then):
                learning_report(person=person, school=school, learning=learning(month))

        return write

    for _ in range(ROUNDS):
        results = at_once(
            reports(personas.teacher, NOVEMBER, DECEMBER),
            reports(personas.colleague, DECEMBER, NOVEMBER),
        )
        assert results == [None, None]

    for month in (NOVEMBER, DECEMBER):
        markers = HoursMonth.objects.filter(month=month)
        assert markers.filter(school=school).count() == 1
        assert markers.filter(school=None, district=school.district).count() == 1
        # One bump per entry written in that month: none was lost to the other writer.
        assert markers.get(school=school).version == 2 * ROUNDS
    ledger_months_fresh(months=[NOVEMBER, DECEMBER], schools=[school], district=school.district)
    assert_dashboards_match_the_entries(personas)
