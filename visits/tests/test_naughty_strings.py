"""Every string of the Big List of Naughty Strings goes through every capture field and API
endpoint: it is stored and shown back exactly, or refused with a reason; never a server error,
never run as HTML."""

import json

import pytest
from django.utils.html import escape

from inquiry.tests.factories import make_round
from schools.tests.factories import SHARED_DATA
from visits.tests.helpers import entry, sync

pytestmark = pytest.mark.django_db
NAUGHTY = json.loads((SHARED_DATA / "naughty" / "blns.json").read_text())


@pytest.fixture
def captured(client, personas):
    """Each naughty string sent as a note's text, a tally's label and a so-what."""
    _, visit = make_round(personas, held=True)  # its debrief is open
    room = visit.classrooms.get()
    client.force_login(personas.colleague)
    sent = []
    for text in NAUGHTY:
        sent += [
            entry(room, kind="note", text=text),
            entry(room, kind="tally", label=text),
            entry(room, kind="so_what", text=text),
        ]
    results = []
    for start in range(0, len(sent), 200):
        response = sync(client, visit, sent[start : start + 200])
        assert response.status_code == 200
        results += response.json()["results"]
    return visit, sent, results


def test_each_string_is_stored_exactly_or_refused_with_a_reason(client, captured):
    visit, sent, results = captured
    stored = {row["id"]: row for row in client.get(f"/api/visits/{visit.pk}/evidence").json()}
    for item, result in zip(sent, results, strict=True):
        if result["status"] == "refused":
            assert result["message"], item
            continue
        assert result["status"] == "stored"
        back = stored[item["id"]]
        assert (back["text"], back["label"]) == (item.get("text", ""), item.get("label", ""))
    refused = [r for r in results if r["status"] == "refused"]
    # Only blank notes, blank tally labels and labels over 200 characters are refused.
    assert all(
        "has no text" in r["message"]
        or "needs the label" in r["message"]
        or "the limit is 200" in r["message"]
        for r in refused
    )


def test_pages_show_the_strings_as_text_never_as_markup(client, personas, captured):
    visit, _, _ = captured
    html = client.get(f"/visits/{visit.pk}/debrief/").content.decode()
    for text in NAUGHTY:
        if "<" in text and text.strip():
            assert text not in html or text == escape(text)
    assert "<script>alert(123)</script>" not in html
    assert escape("<script>alert(123)</script>") in html
    client.force_login(personas.teacher)
    host_page = client.get(f"/visits/{visit.pk}/my-classroom/").content.decode()
    assert "<script>alert(123)</script>" not in host_page
