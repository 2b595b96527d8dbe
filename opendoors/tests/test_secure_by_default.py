"""Every answer carries the site's security headers; evidence and calendars are never cached;
pages hold no inline script or style the Content-Security-Policy would block; a body that is
too big is answered 413 with what to do (a page, or JSON for the API), not Django's bare 400."""

import json
import re

import pytest
from django.urls import reverse

from inquiry.tests.factories import make_round
from visits.services import calendar_feed_for
from visits.tests.helpers import entry, sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(personas, client):
    """The personas' round, held, with talk time and a look-for tap captured by the colleague."""
    cycle, visit = make_round(personas, held=True)
    room, look_for = visit.classrooms.get(), cycle.look_fors.first()
    client.force_login(personas.colleague)
    talk = {"teacher_talk_seconds": 300, "student_talk_seconds": 420, "silence_seconds": 60}
    results = sync(
        client, visit, [entry(room, look_for=look_for.pk), entry(room, kind="talk_time", **talk)]
    ).json()["results"]
    assert [r["status"] for r in results] == ["stored", "stored"]
    client.logout()
    return cycle, visit


def page_of_each_app(personas, cycle, visit) -> list[tuple[str, object]]:
    return [
        ("/accounts/login/", None),
        ("/", personas.teacher),
        ("/schools/lincoln/schedule/", personas.teacher),  # schools
        (f"/cycles/{cycle.pk}/", personas.coach),  # inquiry
        (f"/cycles/{cycle.pk}/focus/", personas.coach),
        (f"/visits/{visit.pk}/", personas.colleague),  # visits
        (f"/visits/{visit.pk}/debrief/", personas.colleague),
        (f"/visits/{visit.pk}/capture/", personas.colleague),
        (f"/visits/{visit.pk}/my-classroom/", personas.teacher),
        (f"/cycles/{cycle.pk}/goal/", personas.colleague),  # growth
        ("/schools/lincoln/patterns/", personas.principal),  # insights
        (f"/api/visits/{visit.pk}/capture", personas.colleague),  # the API
        ("/api/docs", None),
    ]


def test_every_app_answers_with_the_security_headers(client, personas, round_):
    for url, person in page_of_each_app(personas, *round_):
        client.logout()
        if person:
            client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200, url
        csp = dict(
            (d.split()[0], d.split()[1:]) for d in response["Content-Security-Policy"].split("; ")
        )
        assert csp["default-src"] == ["'self'"], url
        assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"], url
        assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"], url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
        policy = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in policy, (url, feature)
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["X-Frame-Options"] == "DENY", url


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.I)


def test_no_page_needs_an_inline_script_or_style(client, personas, round_):
    """Checked on the rendered pages: the browser tests show nothing is blocked in Chromium."""
    for url, person in page_of_each_app(personas, *round_):
        if url.startswith("/api/"):
            continue
        client.logout()
        if person:
            client.force_login(person)
        html = client.get(url).content.decode()
        assert not INLINE_SCRIPT.findall(html), url
        assert not INLINE_STYLE.findall(html), url
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html


def test_the_debrief_draws_its_bars_without_style_attributes(client, personas, round_):
    _, visit = round_
    client.force_login(personas.colleague)
    html = client.get(f"/visits/{visit.pk}/debrief/").content.decode()
    # 300 s teacher, 420 s students, 60 s silence: 38%, 54%, 8% of the visit.
    assert '<rect class="students" x="38" width="54" height="10"/>' in html
    assert '<rect class="silence" x="92" width="8" height="10"/>' in html


def test_calendars_and_evidence_are_never_cached(client, personas, round_):
    _, visit = round_
    feed = calendar_feed_for(personas.teacher)
    private = [
        (f"/calendar/{feed.token}.ics", None),
        (f"/visits/{visit.pk}/visit.ics", personas.teacher),
        (f"/visits/{visit.pk}/debrief/", personas.colleague),
        (f"/visits/{visit.pk}/my-classroom/", personas.teacher),
        (f"/visits/{visit.pk}/capture/", personas.colleague),
        (f"/api/visits/{visit.pk}/capture", personas.colleague),
        (f"/api/visits/{visit.pk}/evidence", personas.colleague),
    ]
    for url, person in private:
        client.logout()
        if person:
            client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url
    client.force_login(personas.colleague)
    sent = sync(client, visit, [entry(visit.classrooms.get(), kind="note", text="Pairs talked")])
    assert "no-store" in sent["Cache-Control"]


@pytest.fixture
def small_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024


def test_an_api_body_over_the_limit_is_answered_413_in_json(client, personas, round_, small_limit):
    _, visit = round_
    client.force_login(personas.colleague)
    notes = [entry(visit.classrooms.get(), kind="note", text="x" * 4000) for _ in range(600)]
    response = client.post(
        f"/api/visits/{visit.pk}/evidence",
        json.dumps({"entries": notes}),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json() == {
        "detail": "What you sent is larger than 2 MB, the most OpenDoors accepts at once. "
        "Send it in smaller parts."
    }


def test_a_form_over_the_limit_is_answered_413_with_a_page_saying_what_to_do(
    client, personas, round_, small_limit
):
    _, visit = round_
    client.force_login(personas.colleague)
    response = client.post(f"/visits/{visit.pk}/debrief/", {"takeaways": "x" * 3 * 1024 * 1024})
    assert response.status_code == 413
    page = response.content.decode()
    assert "What you sent is larger than 2 MB, the most OpenDoors accepts at once." in page
    assert "Nothing of it was saved." in page
    assert "upload it as a file instead" in page


def test_a_credential_pasted_over_the_limit_is_answered_with_the_same_page(client, small_limit):
    response = client.post(reverse("growth:credential_verify"), {"text": "x" * 3 * 1024 * 1024})
    assert response.status_code == 413
    assert "upload it as a file instead" in response.content.decode()
