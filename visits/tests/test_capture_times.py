"""A phone whose clock is wrong cannot break a visit: an entry recorded at an impossible time
(year 9999, year 1, no time zone) is refused with a reason the observer can act on, the rest of
its batch is stored, and every page that reads the visit's evidence keeps working."""

from datetime import UTC, datetime, timedelta

import pytest

from inquiry.tests.factories import make_round
from visits.models import Evidence
from visits.tests.helpers import entry, sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(personas):
    cycle, visit = make_round(personas)
    return visit, visit.classrooms.get(), cycle.look_fors.first()


@pytest.mark.parametrize(
    "recorded_at",
    [
        "9999-12-31T23:00-05:00",
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00+05:00",
        "0001-01-01T00:00:00Z",
        "2000-01-01T09:00:00Z",
        "three days from now",
    ],
)
def test_an_entry_at_an_impossible_time_is_refused_and_the_visit_still_reads(
    client, personas, round_, recorded_at
):
    visit, room, look_for = round_
    if recorded_at == "three days from now":
        recorded_at = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    client.force_login(personas.colleague)
    response = sync(
        client,
        visit,
        [
            entry(room, look_for=look_for.pk),
            entry(room, kind="note", text="Students argued", recorded_at=recorded_at),
            entry(room, kind="note", text="A student drew a model"),
        ],
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["stored", "refused", "stored"]
    assert results[1]["message"].endswith("check this phone's date and time")
    assert "recorded at " in results[1]["message"]
    assert Evidence.objects.count() == 2

    # Every read of the visit's evidence still answers: the API, the debrief, the host's page.
    assert len(client.get(f"/api/visits/{visit.pk}/evidence").json()) == 2
    client.force_login(personas.coach)
    assert client.get(f"/visits/{visit.pk}/debrief/").status_code == 200
    client.force_login(personas.teacher)
    assert client.get(f"/visits/{visit.pk}/my-classroom/").status_code == 200


def test_a_time_without_a_time_zone_is_refused_with_how_to_send_it(client, personas, round_):
    visit, room, look_for = round_
    client.force_login(personas.colleague)
    [result] = sync(
        client, visit, [entry(room, look_for=look_for.pk, recorded_at="2025-03-03T09:05")]
    ).json()["results"]
    assert result["status"] == "refused"
    assert "no time zone" in result["message"]
    assert not Evidence.objects.exists()


def test_a_phone_clock_a_few_minutes_fast_is_fine(client, personas, round_):
    visit, room, look_for = round_
    client.force_login(personas.colleague)
    soon = (datetime.now(UTC) + timedelta(minutes=20)).isoformat()
    [result] = sync(client, visit, [entry(room, look_for=look_for.pk, recorded_at=soon)]).json()[
        "results"
    ]
    assert result["status"] == "stored"


def test_entries_captured_on_the_day_of_a_visit_in_the_past_are_stored(client, personas, round_):
    visit, room, look_for = round_
    visit.date = datetime.now(UTC).date() - timedelta(days=30)
    visit.save(update_fields=["date"])
    client.force_login(personas.colleague)
    during = datetime.combine(visit.date, datetime.min.time(), tzinfo=UTC) + timedelta(hours=14)
    day_before = during - timedelta(days=2)
    results = sync(
        client,
        visit,
        [
            entry(room, look_for=look_for.pk, recorded_at=during.isoformat()),
            entry(room, look_for=look_for.pk, recorded_at=day_before.isoformat()),
        ],
    ).json()["results"]
    assert [r["status"] for r in results] == ["stored", "refused"]
    assert "before this visit" in results[1]["message"]


HUGE = 10**30


@pytest.mark.parametrize(
    "change",
    [
        {"classroom": HUGE},
        {"look_for": HUGE},
        {"author": HUGE},
        {"author": -1},
        {"teacher_talk_seconds": HUGE},
        {"classroom": "A"},
        {"recorded_at": "yesterday"},
        {"recorded_at": "+275760-09-13T00:00:00Z"},
        {"recorded_at": 10**20},
        {"kind": ["note"]},
        {"text": None},
        {"id": HUGE},
    ],
)
def test_wrong_types_and_huge_numbers_are_client_errors_never_server_errors(
    client, personas, round_, change
):
    visit, room, look_for = round_
    client.force_login(personas.colleague)
    response = sync(client, visit, [{**entry(room, look_for=look_for.pk), **change}])
    assert 200 <= response.status_code < 500
    if response.status_code == 200:
        [result] = response.json()["results"]
        assert result["status"] in {"refused", "not_yours"} and result["message"]
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "path", ["/api/visits/{huge}/evidence", "/api/visits/{huge}/capture", "/api/visits/-5/capture"]
)
def test_a_huge_visit_id_is_not_found(client, personas, method, path):
    client.force_login(personas.colleague)
    url = path.format(huge=HUGE)
    if method == "post":
        mine = {**entry(personas.colleague, kind="note", text="x"), "classroom": 1}
        mine["author"] = personas.colleague.pk
        response = client.post(url, {"entries": [mine]}, content_type="application/json")
    else:
        response = client.get(url)
    assert 400 <= response.status_code < 500
