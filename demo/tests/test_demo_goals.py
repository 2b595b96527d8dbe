"""The demo district has a strategy, Lincoln and Roosevelt have goals serving it, and Lincoln's
cycles name the goal they serve; the principal sees them all on the school's cycles page."""

import pytest
from django.core.management import call_command

from demo.history import HISTORY
from inquiry.models import Cycle
from schools.models import District, ImprovementGoal, Person


@pytest.mark.django_db
def test_the_demo_has_a_strategy_goals_and_cycles_serving_them(client, capsys):
    call_command("load_demo")
    call_command("load_demo")  # nothing is duplicated
    assert District.objects.get(slug="riverbend").strategy
    assert ImprovementGoal.objects.filter(school__slug="lincoln").count() == 3
    assert ImprovementGoal.objects.filter(school__slug="roosevelt").count() == 2
    serving = Cycle.objects.filter(school__slug="lincoln", improvement_goal__isnull=False)
    # The current four, and the year of past cycles (demo/history.py) that name a goal.
    assert serving.count() == 4 + sum(past.goal is not None for past in HISTORY)
    client.force_login(Person.objects.get(username="principal"))
    page = client.get("/schools/lincoln/cycles/all/")
    assert len(page.context["rows"]) == 5 + len(HISTORY)
    client.force_login(Person.objects.get(username="district"))
    html = client.get("/district/riverbend/strategy/").content.decode()
    assert "Students explain their reasoning in math" in html
    assert "Writing to explain" in html
