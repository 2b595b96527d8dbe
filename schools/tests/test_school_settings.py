"""A school's settings name who books substitute teachers, besides its coverage limits; until
someone is named, the settings and the plan pages say that nobody is told."""

import pytest

from inquiry.tests.factories import make_round
from schools.models import School

pytestmark = pytest.mark.django_db

URL = "/schools/lincoln/settings/"
NOBODY = "Nobody is told to book substitutes"


def settings_form(**changes) -> dict:
    return {
        "office_contact_name": "",
        "office_contact_email": "",
        "time_zone": "America/New_York",
        "max_coverages_per_week": "2",
        "max_coverages_per_month": "4",
        "new_teacher_years": "3",
        **changes,
    }


def test_the_principal_names_the_office_contact_who_books_substitutes(client, personas):
    client.force_login(personas.principal)
    page = client.get(URL).content.decode()
    assert "Who books substitute teachers" in page and NOBODY in page
    response = client.post(
        URL,
        settings_form(
            office_contact_name="  Olga   Office ", office_contact_email="office@example.org"
        ),
    )
    assert response.status_code == 302
    school = School.objects.get(slug="lincoln")
    assert (school.office_contact_name, school.office_contact_email) == (
        "Olga Office",
        "office@example.org",
    )
    page = client.get(URL).content.decode()
    assert NOBODY not in page and "Olga Office gets an email" in page


def test_an_address_that_is_not_an_email_is_refused(client, personas):
    client.force_login(personas.principal)
    response = client.post(URL, settings_form(office_contact_email="the front office"))
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert School.objects.get(slug="lincoln").office_contact_email == ""


def test_a_name_without_an_email_is_refused_since_it_would_tell_nobody(client, personas):
    client.force_login(personas.principal)
    response = client.post(URL, settings_form(office_contact_name="Olga Office"))
    assert response.status_code == 400
    assert "Add their email: substitute requests are sent there." in response.content.decode()


def test_the_office_contact_may_be_removed(client, personas):
    School.objects.filter(slug="lincoln").update(
        office_contact_name="Olga Office", office_contact_email="office@example.org"
    )
    client.force_login(personas.principal)
    assert client.post(URL, settings_form()).status_code == 302
    assert School.objects.get(slug="lincoln").office_contact_email == ""


def test_a_teacher_cannot_change_the_school_settings(client, personas):
    client.force_login(personas.teacher)
    response = client.post(URL, settings_form(office_contact_email="me@example.org"))
    assert response.status_code == 403
    assert School.objects.get(slug="lincoln").office_contact_email == ""


def test_the_plan_page_says_nobody_books_substitutes_until_someone_is_named(client, personas):
    cycle, visit = make_round(personas)
    client.force_login(personas.coach)
    # Choosing who covers an observer is where a substitute may be asked for.
    form = {"date": visit.date.isoformat(), "hosts": [personas.teacher.pk], "action": "check"}
    form |= {"slot": visit.slot_id, "observers": [personas.colleague.pk]}
    page = client.post(f"/cycles/{cycle.pk}/visits/", form).content.decode()
    assert NOBODY in page and 'href="/schools/lincoln/settings/"' in page
    School.objects.filter(slug="lincoln").update(office_contact_email="office@example.org")
    page = client.post(f"/cycles/{cycle.pk}/visits/", form).content.decode()
    assert NOBODY not in page
