"""Two facilitators place the same meeting at the same moment: the team meets once, because
the database holds it (`team_meets_once_per_period`). Threads with their own connections,
against PostgreSQL; in-memory SQLite cannot share a test database between threads."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from teams.models import TeamMeeting
from teams.services import meetings_schedule
from teams.tests.factories import make_team
from tests.concurrency import at_once, postgresql_only

from .helpers import next_monday, slot

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 20


@pytest.fixture(autouse=True)
def _postgresql_only():
    postgresql_only()


def test_two_facilitators_placing_the_same_meeting_at_once_get_one(personas):
    team = make_team(
        personas.school,
        "Grade 7",
        members=[personas.bystander],
        facilitators=[personas.teacher, personas.coach],
    )
    free = slot(personas, "Mon", "3")
    for week in range(ROUNDS):
        on = next_monday() + timedelta(weeks=week)
        results = at_once(
            lambda on=on: meetings_schedule(team=team, slot=free, dates=[on], by=personas.teacher),
            lambda on=on: meetings_schedule(team=team, slot=free, dates=[on], by=personas.coach),
        )
        refused = [r for r in results if isinstance(r, ValidationError)]
        placed = [r for r in results if isinstance(r, list)]
        assert len(placed) == 1 and len(refused) == 1, results
        assert TeamMeeting.objects.filter(team=team, date=on).count() == 1
