"""After `make demo` the leaders' pages have a year to show: past cycles at Lincoln and
Roosevelt with evidence, debriefs and follow-ups, patterns over time and by improvement goal,
and one cycle over fewer than k teachers shown as suppressed. Loading again adds nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.history import HISTORY
from growth.models import FollowUp
from inquiry.models import Cycle
from schools.models import Person
from visits.models import Debrief, Visit

pytestmark = pytest.mark.django_db


def test_a_year_of_history_at_both_schools_shows_on_the_patterns_page(client):
    call_command("load_demo", stdout=None)
    call_command("load_demo", stdout=None)  # nothing is duplicated
    titles = [past.title for past in HISTORY]
    year_ago = timezone.localdate().replace(year=timezone.localdate().year - 1)
    for slug in ("lincoln", "roosevelt"):
        past = Cycle.objects.filter(school__slug=slug, title__in=titles)
        assert past.count() == len(HISTORY)
        visits = Visit.objects.filter(cycle__in=past)
        assert all(year_ago <= v.date < timezone.localdate() for v in visits)
        assert Debrief.objects.filter(visit__in=visits).count() == visits.count()
        assert FollowUp.objects.filter(goal__cycle__in=past, tried=True).count() == len(HISTORY)
    client.force_login(Person.objects.get(username="roosevelt-principal"))
    html = client.get("/schools/roosevelt/patterns/").content.decode()
    assert "Over time" in html and "By improvement goal" in html
    assert "Writing to explain" in html  # Roosevelt's first goal, served by its rounds
    pilot = html[html.index("Pilot: two classrooms try talk moves") :]
    assert "Fewer than 3 teachers' classrooms so far: not shown." in pilot[:600]
    assert "not shown and not added" in html
