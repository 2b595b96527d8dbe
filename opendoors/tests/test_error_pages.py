"""Friendly 403, 404 and 500 pages, in production and in development (the demo runs with
DEBUG on): each says what happened and what the person can do, in the site's layout, and a
404 never tells whether what was asked for exists."""

import html

import pytest
from django.http import HttpRequest
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path

from inquiry.tests.factories import make_round
from opendoors import errors

# Both modes: pytest-django runs the tests with DEBUG off unless told otherwise.
MODES = [pytest.param(False, id="production"), pytest.param(True, id="debug")]


def boom(request: HttpRequest):
    raise RuntimeError("a bug in a view")


# This module is also a URLconf (below, ROOT_URLCONF=__name__): the site plus a view that fails.
urlpatterns = [
    path("boom/", boom),
    path("api/boom", boom),
    path("", include("opendoors.urls")),
]
handler403 = "opendoors.errors.permission_denied"
handler404 = "opendoors.errors.page_not_found"
handler500 = "opendoors.errors.server_error"


def text(response) -> str:
    return html.unescape(response.content.decode())


def main(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


@pytest.fixture
def debrief(personas):
    _cycle, visit = make_round(personas)
    return f"/visits/{visit.pk}/debrief/"


@pytest.mark.django_db
@pytest.mark.parametrize("debug", MODES)
def test_a_host_opening_the_groups_debrief_is_told_why_and_what_to_do(
    client, personas, debrief, settings, debug
):
    settings.DEBUG = debug
    client.force_login(personas.teacher)  # hosts the round; the debrief is the group's
    response = client.get(debrief)
    assert response.status_code == 403
    page = text(response)
    assert "This is not yours to open or change" in page
    assert "The debrief is for the visit's observers and facilitators." in page
    assert "ask the cycle’s facilitator" in page
    assert "You are signed in as <strong>Ana Ortiz</strong>" in page and "/accounts/logout/" in page
    assert 'class="site-header"' in page  # the site's layout


@pytest.mark.django_db
@pytest.mark.parametrize("debug", MODES)
def test_a_debrief_one_may_not_see_reads_exactly_like_one_that_does_not_exist(
    client, personas, debrief, settings, debug
):
    settings.DEBUG = debug
    client.force_login(personas.bystander)
    hidden = client.get(debrief)
    missing = client.get("/visits/999999/debrief/")
    assert hidden.status_code == missing.status_code == 404
    assert main(hidden) == main(missing)  # (the rest differs only by its CSRF token)
    page = text(hidden)
    assert "We can’t show you this page" in page
    assert "ask the cycle’s facilitator to add you" in page
    assert "You are signed in as <strong>Bo Stander</strong>" in page
    assert "debrief" not in page.lower() and "Traceback" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("debug", MODES)
def test_an_unknown_address_is_the_friendly_page_not_djangos_url_list(
    client, personas, settings, debug
):
    settings.DEBUG = debug
    client.force_login(personas.coach)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = text(response)
    assert "We can’t show you this page" in page and "URLconf" not in page
    assert "Content-Security-Policy" in response.headers  # still behind the site's headers
    assert "Permissions-Policy" in response.headers


@pytest.mark.django_db
@pytest.mark.parametrize("debug", MODES)
def test_someone_signed_out_is_offered_to_sign_in_and_come_back(client, settings, debug):
    settings.DEBUG = debug
    response = client.get("/no-such-page/?x=1")
    assert response.status_code == 404
    assert "/accounts/login/?next=/no-such-page/%3Fx%3D1" in response.content.decode()


@pytest.mark.django_db
def test_an_address_that_only_lacks_its_slash_is_still_redirected(client, personas, settings):
    settings.DEBUG = True
    client.force_login(personas.coach)
    assert client.get("/calendar").status_code == 301


@pytest.mark.django_db
@pytest.mark.parametrize("debug", MODES)
def test_the_api_answers_its_errors_in_json(client, personas, debrief, settings, debug):
    settings.DEBUG = debug
    client.force_login(personas.coach)
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
@pytest.mark.parametrize("debug", MODES)
@override_settings(ROOT_URLCONF=__name__)
def test_a_bug_shows_the_friendly_500_page_and_no_traceback(personas, settings, debug):
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    client.force_login(personas.teacher)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = text(response)
    assert "Something went wrong on our side" in page
    assert "It is not something you did" in page
    assert "RuntimeError" not in page and "Traceback" not in page
    assert "Content-Security-Policy" in response.headers


@pytest.mark.django_db
@pytest.mark.parametrize("debug", MODES)
@override_settings(ROOT_URLCONF=__name__)
def test_a_bug_behind_the_api_answers_json(personas, settings, debug):
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    response = client.get("/api/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": "Something went wrong on the server."}


def test_the_500_page_needs_no_database():
    # No django_db mark: any query here fails the test (and would fall back to the bare page).
    response = errors.server_error(RequestFactory().get("/visits/1/debrief/"))
    assert response.status_code == 500
    page = text(response)
    assert "Something went wrong on our side" in page  # the full page, not the bare fallback
    assert 'class="site-header"' in page and "Sign in" in page


def test_the_500_page_falls_back_to_bare_html_when_its_template_fails(monkeypatch):
    def broken(name):
        raise RuntimeError("templates are broken")

    monkeypatch.setattr(errors.loader, "get_template", broken)
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.content.decode()
