"""A visit's classroom has one name wherever an observer meets it: the capture page and its
API, the debrief and their calendar. Rounds and walks keep classrooms anonymous (letters); the other
structures name the section. The host's name is never the label."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from icalendar import Calendar

from inquiry.structures import Structure
from inquiry.tests.factories import make_round
from visits.services import calendar_feed_for
from visits.tests.helpers import entry, sync

pytestmark = pytest.mark.django_db

EXPECTED = {
    Structure.ROUNDS: "Classroom A",
    Structure.WALK: "Classroom A",
    # Before one label, the API said "Ana Ortiz · MATH7-1 (Math 7)" and the debrief "MATH7-1".
    Structure.LAB: "MATH7-1 (Math 7)",
    Structure.SWAP: "MATH7-1 (Math 7)",
    Structure.MICRO: "MATH7-1 (Math 7)",
}


@pytest.mark.parametrize("structure", Structure.values)
def test_the_classroom_has_the_same_label_on_the_debrief_the_api_and_the_calendar(
    client, personas, structure
):
    cycle, visit = make_round(personas, structure=structure, held=True)
    room = visit.classrooms.get()
    client.force_login(personas.colleague)
    look_for = cycle.look_fors.first().pk
    sync(
        client,
        visit,
        [
            entry(room, look_for=look_for),
            entry(room, look_for=look_for, kind="note", text="“3/4 is bigger”"),
        ],
    )

    setup = client.get(reverse("api:capture_setup", args=[visit.pk])).json()
    [api_label] = [c["label"] for c in setup["classrooms"]]

    capture = client.get(reverse("visits:capture", args=[visit.pk])).content.decode()
    debrief = client.get(reverse("visits:debrief", args=[visit.pk])).content.decode()

    feed = client.get(reverse("visits:feed", args=[calendar_feed_for(personas.colleague).token]))
    [event] = Calendar.from_ical(feed.content).walk("VEVENT")
    description = str(event["description"])

    label = EXPECTED[structure]
    assert api_label == label
    assert escape(label) in capture
    assert f'<span class="muted">{escape(label)}</span>' in debrief  # beside the quote
    assert f"{label}, room 101" in description.splitlines()
    assert "Ortiz" not in api_label + description


@pytest.mark.parametrize(
    ("structure", "where"),
    [
        (Structure.ROUNDS, "Look-fors across classrooms"),
        (Structure.LAB, "Look-fors in this classroom"),
        (Structure.MICRO, "Look-fors in this classroom"),
    ],
)
def test_the_debrief_speaks_of_one_classroom_or_of_several_as_the_structure_visits(
    client, personas, structure, where
):
    _, visit = make_round(personas, structure=structure, held=True)
    client.force_login(personas.colleague)
    assert where in client.get(reverse("visits:debrief", args=[visit.pk])).content.decode()
