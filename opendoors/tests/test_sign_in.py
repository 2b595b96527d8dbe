"""Signing in and out, resetting a password, and single sign-on when a district sets it up."""

import pytest
from django.core import mail

from schools.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_with_username_then_sign_out(client, personas):
    response = client.post("/accounts/login/", {"login": "coach", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/").content.decode()
    assert "Lincoln School" in home and "Import a schedule" in home
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_sign_in_with_email(client, personas):
    response = client.post(
        "/accounts/login/", {"login": "teacher@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_a_wrong_password_says_so_and_signs_nobody_in(client, personas):
    response = client.post("/accounts/login/", {"login": "coach", "password": "nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert client.get("/").status_code == 302


def test_a_teacher_sees_the_schedule_but_not_the_import_link(client, personas):
    client.force_login(personas.teacher)
    home = client.get("/").content.decode()
    assert "Master schedule" in home and "Import a schedule" not in home


def test_password_reset_sends_a_link_by_email(client, personas):
    client.post("/accounts/password/reset/", {"email": "teacher@example.org"})
    [message] = mail.outbox
    assert "/accounts/password/reset/key/" in message.body
    link = next(w for w in message.body.split() if "/accounts/password/reset/key/" in w)
    path = link[link.index("/accounts/") :]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"},
    )
    assert response.status_code == 302
    assert client.login(username="teacher", password="a-brand-new-passphrase")


def test_nobody_can_sign_themselves_up(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "me",
            "email": "me@x.org",
            "password1": "xyzzy-1234-abc",
            "password2": "xyzzy-1234-abc",
        },
    )
    assert "closed" in response.content.decode().lower()
    from schools.models import Person

    assert not Person.objects.filter(username="me").exists()


def test_single_sign_on_buttons_appear_when_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "classlink",
                    "name": "ClassLink",
                    "client_id": "id",
                    "secret": "secret",
                    "settings": {"server_url": "https://launchpad.classlink.com"},
                }
            ]
        }
    }
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with ClassLink" in page
    assert 'action="/accounts/oidc/classlink/login/' in page


def test_without_single_sign_on_there_is_no_button(client):
    assert "Sign in with" not in client.get("/accounts/login/").content.decode()
