"""The account page: a teacher corrects their name and email, finds their password and calendar,
and chooses which emails OpenDoors sends them."""

import html

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from schools.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def profile(**fields) -> dict:
    data = {"section": "profile", "profile-first_name": "Ana", "profile-last_name": "Ortiz"}
    data.update({f"profile-{name}": value for name, value in fields.items()})
    data.setdefault("profile-email", "teacher@example.org")
    return data


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_page_shows_name_email_password_calendar_and_email_choices(client, personas):
    client.force_login(personas.teacher)
    page = page_text(client.get("/account/"))
    assert 'value="Ana"' in page and 'value="teacher@example.org"' in page
    assert "/accounts/password/change/" in page
    assert "/calendar/" in page
    # The choices and their help texts, as the lead wrote them on the model.
    assert "Visits I am in are scheduled, changed or cancelled." in page
    assert "Reminders: pre-briefs to write, follow-ups to answer." in page


def test_a_teacher_corrects_their_name(client, personas):
    client.force_login(personas.teacher)
    response = client.post("/account/", profile(first_name=" Anna ", last_name="Ortiz-Ruiz"))
    assert response.status_code == 302 and response["Location"] == "/account/"
    personas.teacher.refresh_from_db()
    assert personas.teacher.get_full_name() == "Anna Ortiz-Ruiz"
    assert "Your name and email address are saved." in page_text(client.get("/account/"))


def test_a_name_cannot_be_left_empty(client, personas):
    client.force_login(personas.teacher)
    response = client.post("/account/", profile(first_name="  "))
    assert response.status_code == 400
    assert "This field is required." in page_text(response)
    personas.teacher.refresh_from_db()
    assert personas.teacher.first_name == "Ana"


def test_a_new_email_needs_the_current_password(client, personas):
    client.force_login(personas.teacher)
    response = client.post("/account/", profile(email="ana.ortiz@example.org"))
    assert response.status_code == 400
    assert "Type your current password to change your email address." in page_text(response)
    response = client.post(
        "/account/", profile(email="ana.ortiz@example.org", current_password="a-guess")
    )
    assert "That is not your current password." in page_text(response)
    personas.teacher.refresh_from_db()
    assert personas.teacher.email == "teacher@example.org"


def test_with_the_password_the_new_email_signs_in_and_receives_password_resets(client, personas):
    client.force_login(personas.teacher)
    response = client.post(
        "/account/", profile(email="ana.ortiz@example.org", current_password=PASSWORD)
    )
    assert response.status_code == 302
    personas.teacher.refresh_from_db()
    assert personas.teacher.email == "ana.ortiz@example.org"

    fresh = Client()
    signed_in = fresh.post(
        "/accounts/login/", {"login": "ana.ortiz@example.org", "password": PASSWORD}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    Client().post("/accounts/password/reset/", {"email": "ana.ortiz@example.org"})
    assert [m.to for m in mail.outbox] == [["ana.ortiz@example.org"]]


def test_allauth_keeps_only_the_new_address_for_someone_who_has_addresses_there(client, personas):
    # Single sign-on leaves allauth records; the old one would still sign in and get resets.
    EmailAddress.objects.create(
        user=personas.teacher, email="teacher@example.org", primary=True, verified=True
    )
    client.force_login(personas.teacher)
    client.post("/account/", profile(email="Ana.Ortiz@Example.org", current_password=PASSWORD))
    addresses = EmailAddress.objects.filter(user=personas.teacher)
    assert [(a.email, a.primary) for a in addresses] == [("ana.ortiz@example.org", True)]
    personas.teacher.refresh_from_db()
    assert personas.teacher.email.lower() == "ana.ortiz@example.org"


def test_a_colleagues_address_is_refused(client, personas):
    EmailAddress.objects.create(user=personas.coach, email="coach.sso@example.org")
    client.force_login(personas.teacher)
    for taken in ("Colleague@Example.org", "coach.sso@example.org"):
        response = client.post("/account/", profile(email=taken, current_password=PASSWORD))
        assert response.status_code == 400
        assert "Someone else in OpenDoors already uses this address." in page_text(response)
    personas.teacher.refresh_from_db()
    assert personas.teacher.email == "teacher@example.org"


def test_an_address_that_is_not_one_says_so(client, personas):
    client.force_login(personas.teacher)
    response = client.post("/account/", profile(email="ana at school", current_password=PASSWORD))
    assert response.status_code == 400
    assert "Enter a valid email address." in page_text(response)


def test_someone_who_signs_in_only_through_their_school_cannot_change_the_address_here(
    client, personas
):
    personas.teacher.set_unusable_password()
    personas.teacher.save()
    client.force_login(personas.teacher)
    page = page_text(client.get("/account/"))
    assert "It comes from your school’s sign-in" in page
    assert "current_password" not in page
    response = client.post("/account/", profile(first_name="Anna", email="me@elsewhere.org"))
    assert response.status_code == 302
    personas.teacher.refresh_from_db()
    assert (personas.teacher.first_name, personas.teacher.email) == (
        "Anna",
        "teacher@example.org",
    )


def test_a_teacher_turns_off_visit_emails_and_keeps_reminders(client, personas):
    client.force_login(personas.teacher)
    response = client.post("/account/", {"section": "emails", "emails-email_reminders": "on"})
    assert response.status_code == 302
    personas.teacher.refresh_from_db()
    assert personas.teacher.email_visit_changes is False
    assert personas.teacher.email_reminders is True
    assert "Your email choices are saved." in page_text(client.get("/account/"))
    # Saving the email choices leaves the name and email alone.
    assert personas.teacher.get_full_name() == "Ana Ortiz"


def test_a_failed_name_change_does_not_show_in_the_page_header(client, personas):
    client.force_login(personas.teacher)
    response = client.post("/account/", profile(first_name="Zed", email="not-an-email"))
    assert response.status_code == 400
    personas.teacher.refresh_from_db()
    assert personas.teacher.first_name == "Ana"


@pytest.mark.parametrize("junk", ["", "abc", "\x00", "é" * 3000, "99999999999999999999"])
def test_junk_in_any_field_is_answered_not_a_server_error(personas, junk):
    client = Client(raise_request_exception=False)
    client.force_login(personas.teacher)
    names = ["first_name", "last_name", "email", "current_password"]
    for section in ("profile", "emails", junk):
        data = {"section": section, **{f"profile-{n}": junk for n in names}}
        data.update({f"emails-{n}": junk for n in ("email_visit_changes", "email_reminders")})
        assert client.post("/account/", data).status_code < 500
        assert client.post("/account/", {k: [junk, junk] for k in data}).status_code < 500
