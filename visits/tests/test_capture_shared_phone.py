"""A phone shared by several observers: what one person captured is theirs, whoever is signed
in when it is sent. Another person's waiting entries are answered one by one ("not_yours"),
stored nowhere, kept on the phone, and stored as their author's once the author signs in."""

import pytest

from inquiry.tests.factories import make_round
from visits.models import Evidence
from visits.tests.helpers import entry, sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(personas):
    cycle, visit = make_round(personas)  # the colleague and the vice principal observe
    return visit, visit.classrooms.get(), cycle.look_fors.first()


def test_entries_left_by_the_previous_observer_are_not_stored_as_the_next_ones(
    client, personas, round_
):
    visit, room, look_for = round_
    theirs = entry(room, look_for=look_for.pk, author=personas.colleague.pk)
    client.force_login(personas.vice)
    [result] = sync(client, visit, [theirs]).json()["results"]
    assert result["status"] == "not_yours"
    assert "waits for them to sign in again" in result["message"]
    assert not Evidence.objects.exists()

    # Their author signs in again on the phone: the same entry is stored as theirs.
    client.force_login(personas.colleague)
    [result] = sync(client, visit, [theirs]).json()["results"]
    assert result["status"] == "stored"
    assert Evidence.objects.get().author == personas.colleague


def test_a_next_person_who_does_not_observe_gets_an_answer_per_entry_not_a_refusal(
    client, personas, round_
):
    visit, room, look_for = round_
    client.force_login(personas.coach)  # the facilitator may not capture in this visit
    waiting = [entry(room, look_for=look_for.pk, author=personas.colleague.pk) for _ in range(3)]
    response = sync(client, visit, waiting)
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["not_yours"] * 3
    assert not Evidence.objects.exists()


def test_an_outsider_learns_nothing_about_a_visit_from_someone_elses_entries(
    client, personas, round_
):
    visit, room, look_for = round_
    client.force_login(personas.outsider)
    waiting = entry(room, look_for=look_for.pk, author=personas.colleague.pk)
    [result] = sync(client, visit, [waiting]).json()["results"]
    assert result == {
        "id": waiting["id"],
        "status": "not_yours",
        "message": "captured by someone else on this phone: it waits for them to sign in again",
        "server": None,
    }
    # Their own entry in a visit they cannot see is still refused as before.
    assert sync(client, visit, [entry(room, look_for=look_for.pk)]).status_code == 404


def test_a_batch_from_two_people_stores_only_the_signed_in_persons_in_order(
    client, personas, round_
):
    visit, room, look_for = round_
    client.force_login(personas.vice)
    results = sync(
        client,
        visit,
        [
            entry(room, look_for=look_for.pk, author=personas.colleague.pk),
            entry(room, kind="note", text="Mine"),
            entry(room, kind="note", text="   "),
            entry(room, kind="note", text="Also theirs", author=personas.colleague.pk),
        ],
    ).json()["results"]
    assert [r["status"] for r in results] == ["not_yours", "stored", "refused", "not_yours"]
    assert [(e.author, e.text) for e in Evidence.objects.all()] == [(personas.vice, "Mine")]


def test_an_entry_that_does_not_name_its_author_is_a_client_error(client, personas, round_):
    visit, room, look_for = round_
    client.force_login(personas.colleague)
    response = client.post(
        f"/api/visits/{visit.pk}/evidence",
        {"entries": [entry(room, look_for=look_for.pk)]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "author" in str(response.json()["detail"])


def test_the_evidence_list_names_each_entrys_author(client, personas, round_):
    visit, room, look_for = round_
    client.force_login(personas.colleague)
    sync(client, visit, [entry(room, look_for=look_for.pk)])
    [listed] = client.get(f"/api/visits/{visit.pk}/evidence").json()
    assert listed["author"] == personas.colleague.pk
    assert listed["author_name"] == str(personas.colleague)


def test_signing_out_drops_the_browsers_cache_but_not_the_entries_waiting_on_the_phone(
    client, personas
):
    client.force_login(personas.colleague)
    page = client.get("/accounts/logout/").content.decode()
    assert 'id="waiting-on-phone"' in page  # filled in on the phone: how many entries wait
    assert f'data-person="{personas.colleague.pk}"' in page
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    # "storage" would also delete the entries that wait in IndexedDB for their author.
    assert response["Clear-Site-Data"] == '"cache"'
    assert client.get("/").status_code == 302
