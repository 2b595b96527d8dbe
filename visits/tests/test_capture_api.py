"""Observers' phones send evidence through the API: stored once, conflicts kept, bad entries
refused one by one with a reason."""

import pytest

from inquiry.services import cycle_start, look_for_add, look_for_merge, look_for_retire
from inquiry.tests.factories import make_round
from visits.models import Evidence
from visits.tests.helpers import entry, sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(personas):
    cycle, visit = make_round(personas)
    return cycle, visit, visit.classrooms.get(), cycle.look_fors.first()


def test_the_capture_setup_names_classrooms_by_letter_in_a_round(client, personas, round_):
    _, visit, room, look_for = round_
    client.force_login(personas.colleague)
    setup = client.get(f"/api/visits/{visit.pk}/capture").json()
    assert setup["classrooms"] == [{"id": room.pk, "label": "Classroom A"}]
    assert look_for.text in [lf["text"] for lf in setup["look_fors"]]
    assert setup["minutes"] == 15 and setup["tool"][0]["kind"] == "checklist"
    assert "Ortiz" not in str(setup)


def test_an_entry_sent_twice_is_stored_once(client, personas, round_):
    _, visit, room, look_for = round_
    client.force_login(personas.colleague)
    tap = entry(room, look_for=look_for.pk)
    first = sync(client, visit, [tap]).json()["results"][0]
    again = sync(client, visit, [tap]).json()["results"][0]
    assert (first["status"], again["status"]) == ("stored", "duplicate")
    assert Evidence.objects.count() == 1


def test_the_same_id_with_other_content_is_a_conflict_answered_with_the_stored_version(
    client, personas, round_
):
    _, visit, room, _ = round_
    client.force_login(personas.colleague)
    note = entry(room, kind="note", text="Students compared strategies")
    sync(client, visit, [note])
    changed = {**note, "text": "Students compared two strategies"}
    [result] = sync(client, visit, [changed]).json()["results"]
    assert result["status"] == "conflict"
    assert result["server"]["text"] == "Students compared strategies"
    assert Evidence.objects.get().text == "Students compared strategies"


def test_another_observers_id_is_refused_without_showing_their_entry(client, personas, round_):
    _, visit, room, _ = round_
    client.force_login(personas.colleague)
    note = entry(room, kind="note", text="private to the group")
    sync(client, visit, [note])
    client.force_login(personas.vice)
    [result] = sync(client, visit, [{**note, "text": "other"}]).json()["results"]
    assert result["status"] == "refused" and result["server"] is None


def test_each_bad_entry_is_refused_with_a_reason_and_the_rest_are_stored(client, personas, round_):
    _, visit, room, look_for = round_
    client.force_login(personas.colleague)
    results = sync(
        client,
        visit,
        [
            entry(room, look_for=look_for.pk),
            entry(room, kind="tally", label=""),
            entry(room, kind="note", text="   "),
            entry(room, kind="talk_time", teacher_talk_seconds=5),
            entry(room, look_for=999_999),
            {**entry(room, look_for=look_for.pk), "classroom": 999_999},
            entry(room, kind="note", text="nul \x00 inside"),
        ],
    ).json()["results"]
    assert [r["status"] for r in results] == ["stored"] + ["refused"] * 6
    assert [r["message"] for r in results[1:]] == [
        "a tally needs the label that was tapped",
        "this entry has no text",
        "talk time needs teacher, student and silence seconds",
        "a look-for tap needs one of this cycle's look-fors",
        "classroom 999999 is not part of this visit",
        "text contains a NUL character, which cannot be stored",
    ]
    assert Evidence.objects.count() == 1


def test_a_note_about_a_look_for_is_stored_with_it(client, personas, round_):
    _, visit, room, look_for = round_
    client.force_login(personas.colleague)
    note = entry(room, kind="note", look_for=look_for.pk, text="Three pairs used sentence stems")
    [result] = sync(client, visit, [note]).json()["results"]
    assert result["status"] == "stored"
    assert Evidence.objects.get().look_for == look_for


def test_a_note_about_another_cycles_or_a_retired_look_for_is_refused_with_what_to_do(
    client, personas, round_
):
    cycle, visit, room, look_for = round_
    other_cycle = cycle_start(
        school=personas.school, structure="rounds", title="Another", by=personas.coach
    )
    elsewhere = look_for_add(cycle=other_cycle, text="Students annotate", kind="visual")
    retired = look_for_add(cycle=cycle, text="Students ask each other why", kind="oral")
    look_for_retire(look_for=retired)
    merged = look_for_add(cycle=cycle, text="Students cite the chart", kind="visual")
    look_for_merge(keep=look_for, others=[merged])
    client.force_login(personas.colleague)
    results = sync(
        client,
        visit,
        [
            entry(room, kind="note", look_for=elsewhere.pk, text="About another cycle"),
            entry(room, kind="note", look_for=retired.pk, text="About a retired one"),
            entry(room, kind="bright_moment", look_for=merged.pk, text="About a merged one"),
            entry(room, kind="note", look_for=2**40, text="About nothing that exists"),
        ],
    ).json()["results"]
    assert [r["status"] for r in results] == ["refused"] * 4
    assert [r["message"] for r in results] == [
        "the look-for this is about is not one of this cycle's: send it without the look-for",
        "the look-for “Students ask each other why” was retired from this cycle: send it "
        "without the look-for",
        f"the look-for “Students cite the chart” was merged into “{look_for.text}”: send it "
        "without the look-for, or write it again about the merged one",
        "the look-for this is about is not one of this cycle's: send it without the look-for",
    ]
    assert not Evidence.objects.exists()


def test_a_look_for_tapped_before_it_was_retired_is_still_kept(client, personas, round_):
    """A tap waiting on a phone while the coach retired its look-for: the debrief keeps the
    retired look-for's row, so the tap is stored."""
    _, visit, room, look_for = round_
    look_for_retire(look_for=look_for)
    client.force_login(personas.colleague)
    [result] = sync(client, visit, [entry(room, look_for=look_for.pk)]).json()["results"]
    assert result["status"] == "stored"


@pytest.mark.parametrize(
    "body",
    [
        {"entries": "nope"},
        {"entries": [{"id": "not-a-uuid", "classroom": 1, "kind": "note"}]},
        {"entries": [{"id": "6f1c1bb2-6a5b-4d6f-9a39-0a4b6f1d2c3e", "kind": "rating"}]},
        {},
    ],
)
def test_malformed_requests_get_422_with_details(client, personas, round_, body):
    _, visit, _, _ = round_
    client.force_login(personas.colleague)
    response = client.post(
        f"/api/visits/{visit.pk}/evidence", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"]


def test_a_batch_over_200_entries_is_refused(client, personas, round_):
    _, visit, room, look_for = round_
    client.force_login(personas.colleague)
    response = sync(client, visit, [entry(room, look_for=look_for.pk) for _ in range(201)])
    assert response.status_code == 422
    assert not Evidence.objects.exists()


def test_not_json_at_all_is_a_client_error(client, personas, round_):
    _, visit, _, _ = round_
    client.force_login(personas.colleague)
    response = client.post(
        f"/api/visits/{visit.pk}/evidence", "{not json", content_type="application/json"
    )
    assert 400 <= response.status_code < 500


def test_the_api_is_described_by_an_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/visits/{visit_id}/evidence" in schema["paths"]
    assert set(schema["paths"]["/api/visits/{visit_id}/evidence"]) == {"get", "post"}
    assert client.get("/api/docs").status_code == 200
