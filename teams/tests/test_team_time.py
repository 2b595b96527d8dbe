"""The team's page finds its time in the master schedule: the periods in which every member
is free, those in which all but one are (naming the one), and when there is none, one
sentence a principal can act on."""

import pytest

from schools.models import Unavailability
from teams.tests.factories import make_team

from .helpers import slot

pytestmark = pytest.mark.django_db


def test_the_periods_in_which_every_member_is_free_are_offered_for_meetings(client, personas):
    # Ana teaches Mon 1-2 and Tue 1-2; Bo teaches nothing.
    team = make_team(
        personas.school, "Grade 7", members=[personas.bystander], facilitators=[personas.teacher]
    )
    client.force_login(personas.teacher)
    page = client.get(f"/teams/{team.pk}/")
    week = page.context["week"]
    assert [(s.day.label, s.period.label) for s in week.all_free] == [("Mon", "3"), ("Tue", "3")]
    assert [(s.day.label, s.period.label, p.username) for s, p in week.all_but_one] == [
        ("Mon", "1", "teacher"),
        ("Mon", "2", "teacher"),
        ("Tue", "1", "teacher"),
        ("Tue", "2", "teacher"),
    ]
    text = page.content.decode()
    free = slot(personas, "Mon", "3")
    assert f"/teams/{team.pk}/meetings/new/?slot={free.pk}" in text
    assert "all but Ana Ortiz" in text


def test_no_common_period_names_the_fewest_lessons_that_would_have_to_move(client, personas):
    # Ana and Ben: in every period one of them teaches; in Mon 2 both do.
    team = make_team(
        personas.school,
        "Grade 7",
        members=[personas.colleague],
        facilitators=[personas.teacher],
    )
    client.force_login(personas.principal)
    page = client.get(f"/teams/{team.pk}/")
    week = page.context["week"]
    assert week.all_free == []
    sentence = week.sentence
    assert sentence.startswith("No period is free for both members.")
    assert "Ana Ortiz's MATH7-1 (Math 7)" in sentence
    assert sentence in page.content.decode().replace("&#x27;", "'")
    assert "Meet then" not in page.content.decode()


def test_a_duty_makes_a_member_busy_and_is_not_a_lesson_to_move(client, personas):
    team = make_team(
        personas.school, "Pair", members=[personas.bystander], facilitators=[personas.teacher]
    )
    Unavailability.objects.create(
        person=personas.bystander, slot=slot(personas, "Mon", "3"), reason="Lunch duty"
    )
    client.force_login(personas.teacher)
    week = client.get(f"/teams/{team.pk}/").context["week"]
    assert [(s.day.label, s.period.label) for s in week.all_free] == [("Tue", "3")]


def test_a_school_without_a_schedule_says_so(client, personas):
    personas.school.terms.all().delete()
    team = make_team(personas.school, "Early", members=[], facilitators=[personas.teacher])
    client.force_login(personas.teacher)
    page = client.get(f"/teams/{team.pk}/")
    assert page.status_code == 200 and "No master schedule yet" in page.content.decode()
    assert client.get(f"/teams/{team.pk}/meetings/new/").status_code == 302
