"""The evidence tool is drawn once, on the server (inquiry/templates/inquiry/_evidence_tool.html):
the observer's capture page and the facilitator's phone preview show the same parts, with the
look-fors grouped by kind, the time-out box and the bright-moment save, and what the page calls
each kind of entry is what the model calls it."""

import json
import re

import pytest

from inquiry.tests.factories import make_round
from visits.models import EvidenceKind

pytestmark = pytest.mark.django_db

EVERY_PART = [
    {"kind": "checklist"},
    {"kind": "tally", "title": "Question types", "labels": ["Recall", "Open-ended"]},
    {"kind": "talk_time"},
    {"kind": "what_so_what"},
    {"kind": "notes"},
    {"kind": "time_outs"},
    {"kind": "student_prompts", "prompts": ["What are students saying?"]},
]
TOOL_PART = re.compile(r'<section class="tool-part.*?</section>', re.S)
BAR = re.compile(r'<div class="capture-bar".*?</div>', re.S)


@pytest.fixture
def cycle_and_visit(personas):
    cycle, visit = make_round(personas)
    cycle.evidence_tool = EVERY_PART
    cycle.save(update_fields=["evidence_tool"])
    return cycle, visit


def test_the_capture_page_and_its_preview_draw_the_same_tool(client, personas, cycle_and_visit):
    cycle, visit = cycle_and_visit
    client.force_login(personas.colleague)
    capture = client.get(f"/visits/{visit.pk}/capture/").content.decode()
    preview = client.get(f"/cycles/{cycle.pk}/evidence-tool/preview/").content.decode()

    drawn = TOOL_PART.findall(capture)
    assert len(drawn) == len(EVERY_PART)
    assert TOOL_PART.findall(preview) == drawn
    assert BAR.findall(preview) == BAR.findall(capture)

    # What the preview used to leave out.
    for page in (capture, preview):
        assert '<h3 class="tap-group-title">Oral (what you would hear)</h3>' in page
        assert '<h3 class="tap-group-title">Visual (what you would see)</h3>' in page
        assert "What the time-out was about (optional)" in page
        assert 'data-save="bright_moment">Save as a bright moment</button>' in page
        assert 'data-record="bright_moment"' in page
        assert f">{EvidenceKind.SO_WHAT.label}</label>" in page


def test_the_capture_page_names_each_kind_of_entry_as_the_model_does(
    client, personas, cycle_and_visit
):
    _, visit = cycle_and_visit
    client.force_login(personas.colleague)
    page = client.get(f"/visits/{visit.pk}/capture/").content.decode()
    labels = re.search(r'<script id="kind-labels" type="application/json">(.*?)</script>', page)
    assert labels is not None
    assert json.loads(labels.group(1)) == dict(EvidenceKind.choices)
    assert json.loads(labels.group(1))["look_for"] == "Look-for seen or heard"


def test_the_capture_page_names_classrooms_by_letter_in_a_round(client, personas, cycle_and_visit):
    _, visit = cycle_and_visit
    client.force_login(personas.colleague)
    page = client.get(f"/visits/{visit.pk}/capture/").content.decode()
    room = visit.classrooms.get()
    assert f'data-room="{room.pk}" data-label="Classroom A"' in page
    assert personas.teacher.last_name not in page
