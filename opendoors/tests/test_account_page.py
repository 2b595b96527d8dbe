"""The account page: a teacher corrects their name and email, finds their password and calendar,
and chooses which emails OpenDoors sends them."""

import html
import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.test import Client

from schools.models import Person
from schools.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def profile(**fields) -> dict:
    data = {"section": "profile", "profile-first_name": "Ana", "profile-last_name": "Ortiz"}
    data.update({f"profile-{name}": value for name, value in fields.items()})
    data.setdefault("profile-email", "teacher@example.org")
    return data


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def errors(page: str) -> list[str]:
    return re.findall(r'<ul class="errorlist".*?</ul>', page, re.DOTALL)


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


REFUSED = "This address cannot be used for your account."


def test_a_colleagues_address_is_refused(client, personas):
    EmailAddress.objects.create(user=personas.coach, email="coach.sso@example.org")
    client.force_login(personas.teacher)
    for taken in ("Colleague@Example.org", "coach.sso@example.org"):
        response = client.post("/account/", profile(email=taken, current_password=PASSWORD))
        assert response.status_code == 400
        assert REFUSED in page_text(response)
    personas.teacher.refresh_from_db()
    assert personas.teacher.email == "teacher@example.org"


def test_without_the_password_nobody_learns_whether_an_address_has_an_account(client, personas):
    client.force_login(personas.teacher)
    for password in ("", "a-guess"):
        taken = page_text(
            client.post(
                "/account/", profile(email="colleague@example.org", current_password=password)
            )
        )
        free = page_text(
            client.post("/account/", profile(email="nobody@example.org", current_password=password))
        )
        assert REFUSED not in taken
        assert errors(taken) == errors(free) != []


def test_after_ten_attempts_in_an_hour_the_address_cannot_be_changed(client, personas):
    client.force_login(personas.teacher)
    for n in range(10):
        response = client.post("/account/", profile(email=f"probe{n}@example.org"))
        assert "Type your current password" in page_text(response)
    response = client.post(
        "/account/", profile(email="ana.ortiz@example.org", current_password=PASSWORD)
    )
    assert response.status_code == 400
    assert "too many times. Try again in an hour." in page_text(response)
    personas.teacher.refresh_from_db()
    assert personas.teacher.email == "teacher@example.org"
    # Each person counts alone; the name can still be corrected meanwhile.
    assert client.post("/account/", profile(first_name="Anna")).status_code == 302
    client.force_login(personas.colleague)
    response = client.post(
        "/account/",
        profile(first_name="Ben", email="ben.lee@example.org", current_password=PASSWORD),
    )
    assert response.status_code == 302


def test_a_new_address_is_recorded_as_not_verified(client, personas):
    client.force_login(personas.teacher)
    client.post("/account/", profile(email="ana.ortiz@example.org", current_password=PASSWORD))
    [address] = EmailAddress.objects.filter(user=personas.teacher)
    assert (address.email, address.primary, address.verified) == (
        "ana.ortiz@example.org",
        True,
        False,
    )


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


# Single sign-on, through allauth's OpenID Connect views: the school's sign-in server is
# played by SchoolSignIn, which answers the three requests OpenDoors makes to it.
SERVER = "https://sign-in.example.org/.well-known/openid-configuration"
CLASSLINK = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "classlink",
                "name": "ClassLink",
                "client_id": "id",
                "secret": "secret",
                "settings": {"server_url": SERVER},
            }
        ]
    }
}


class Answer:
    def __init__(self, data: dict) -> None:
        self.data, self.status_code = data, 200
        self.headers = {"content-type": "application/json"}
        self.text = self.content = json.dumps(data)

    def json(self) -> dict:
        return self.data

    def raise_for_status(self) -> None:
        pass


class SchoolSignIn:
    """Its configuration, an access token, then who signed in: a verified address."""

    def __init__(self, email: str) -> None:
        self.email = email

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def get(self, url: str, **kwargs) -> Answer:
        if url == SERVER:
            return Answer(
                {
                    "issuer": "https://sign-in.example.org",
                    "authorization_endpoint": "https://sign-in.example.org/authorize",
                    "token_endpoint": "https://sign-in.example.org/token",
                    "userinfo_endpoint": "https://sign-in.example.org/userinfo",
                }
            )
        return Answer({"sub": f"school-{self.email}", "email": self.email, "email_verified": True})

    def request(self, method: str, url: str, **kwargs) -> Answer:
        return Answer({"access_token": "token", "token_type": "Bearer"})


def signs_in_through_the_school(settings, monkeypatch, email: str):
    """Whom a fresh browser is signed in as after the school's sign-in says `email`."""
    from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

    settings.SOCIALACCOUNT_PROVIDERS = CLASSLINK
    monkeypatch.setattr(
        DefaultSocialAccountAdapter, "get_requests_session", lambda self: SchoolSignIn(email)
    )
    browser = Client()
    to_school = browser.post("/accounts/oidc/classlink/login/")
    assert to_school["Location"].startswith("https://sign-in.example.org/authorize")
    state = parse_qs(urlparse(to_school["Location"]).query)["state"][0]
    browser.get(f"/accounts/oidc/classlink/login/callback/?code=abc&state={state}")
    signed_in = browser.session.get("_auth_user_id")
    return Person.objects.get(pk=signed_in) if signed_in else None


def test_single_sign_on_does_not_land_in_an_account_that_only_typed_the_address(
    client, personas, settings, monkeypatch
):
    # Ana types a newcomer's address, not yet in OpenDoors, on her account page...
    client.force_login(personas.teacher)
    client.post("/account/", profile(email="newcomer@example.org", current_password=PASSWORD))
    # ...the newcomer's first single sign-on must not open Ana's account, nor connect to it.
    assert signs_in_through_the_school(settings, monkeypatch, "newcomer@example.org") is None
    assert not SocialAccount.objects.exists()
    assert personas.teacher.socialaccount_set.count() == 0


def test_single_sign_on_connects_an_imported_person_by_their_address(
    personas, settings, monkeypatch
):
    # Imports write Person.email and no allauth record: those addresses stay trusted.
    assert not EmailAddress.objects.filter(user=personas.teacher).exists()
    signed_in = signs_in_through_the_school(settings, monkeypatch, "teacher@example.org")
    assert signed_in == personas.teacher
    assert SocialAccount.objects.get().user == personas.teacher


def test_single_sign_on_connects_by_a_verified_address(personas, settings, monkeypatch):
    EmailAddress.objects.create(user=personas.teacher, email="ana.ortiz@example.org", verified=True)
    signed_in = signs_in_through_the_school(settings, monkeypatch, "Ana.Ortiz@example.org")
    assert signed_in == personas.teacher
