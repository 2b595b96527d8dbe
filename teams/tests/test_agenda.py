"""A meeting's agenda protects the important: the protocol block comes first and keeps its
minutes, observation cycles are pre-briefed or debriefed in the team's time, the minutes fit
the period, and what does not fit goes to the parking lot."""

from datetime import time

import pytest

from inquiry.tests.factories import make_round
from teams.models import AgendaItem, ParkingLotItem, Protocol, ProtocolStep
from teams.services import meetings_schedule
from teams.tests.factories import make_team

from .helpers import next_monday, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(personas):
    team = make_team(
        personas.school, "Grade 7", members=[personas.bystander], facilitators=[personas.teacher]
    )
    period = slot(personas, "Mon", "3")
    period.starts_at, period.ends_at = time(10, 0), time(10, 50)  # 50 minutes
    period.save()
    [meeting] = meetings_schedule(
        team=team, slot=period, dates=[next_monday()], by=personas.teacher
    )
    return meeting


@pytest.fixture
def tuning(personas):
    protocol = Protocol.objects.create(school=personas.school, title="Tuning (ours)")
    for position, minutes in enumerate([5, 10, 15]):
        ProtocolStep.objects.create(
            protocol=protocol,
            position=position,
            title=f"Step {position}",
            minutes=minutes,
            prompt="…",
        )
    return protocol


def blocks(meeting):
    return list(meeting.agenda.order_by("position").values_list("kind", "minutes"))


def test_the_protocol_block_comes_first_and_keeps_its_minutes(client, personas, meeting, tuning):
    cycle, _ = make_round(personas)
    client.force_login(personas.teacher)
    url = f"/meetings/{meeting.pk}/agenda/"
    client.post(url, {"kind": "debrief", "cycle": cycle.pk, "minutes": 10})
    client.post(url, {"kind": "protocol", "protocol": tuning.pk, "minutes": 3})
    assert blocks(meeting) == [("protocol", 30), ("debrief", 10)]
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f"/cycles/{cycle.pk}/" in page and "Tuning (ours)" in page
    debrief = meeting.agenda.get(kind="debrief")
    protocol = meeting.agenda.get(kind="protocol")
    up = client.post(f"/meetings/{meeting.pk}/agenda/{debrief.pk}/", {"action": "up"})
    assert up.status_code == 302
    down = client.post(f"/meetings/{meeting.pk}/agenda/{protocol.pk}/", {"action": "down"})
    assert down.status_code == 302
    assert blocks(meeting) == [("protocol", 30), ("debrief", 10)]
    followed = client.get(up["Location"]).content.decode()
    assert "The protocol block comes first" in followed


def test_the_agenda_must_fit_the_period(client, personas, meeting, tuning):
    cycle, _ = make_round(personas)
    client.force_login(personas.teacher)
    url = f"/meetings/{meeting.pk}/agenda/"
    client.post(url, {"kind": "protocol", "protocol": tuning.pk})
    page = client.post(url, {"kind": "pre_brief", "cycle": cycle.pk, "minutes": 25}, follow=True)
    assert "The agenda would take 55 minutes and the period lasts 50" in page.content.decode()
    assert blocks(meeting) == [("protocol", 30)]
    # The end slot counts too, and is at most 15 minutes.
    page = client.post(
        f"/meetings/{meeting.pk}/announcements/",
        {"digest": "", "end_slot_minutes": 16},
        follow=True,
    )
    assert "less than or equal to 15" in page.content.decode()
    client.post(url, {"kind": "pre_brief", "cycle": cycle.pk, "minutes": 15})
    page = client.post(
        f"/meetings/{meeting.pk}/announcements/",
        {"digest": "", "end_slot_minutes": 10},
        follow=True,
    )
    assert "would take 55 minutes" in page.content.decode()
    meeting.refresh_from_db()
    assert meeting.end_slot_minutes == 0


def test_a_block_without_time_goes_to_the_parking_lot_for_a_later_meeting(
    client, personas, meeting
):
    cycle, _ = make_round(personas)
    client.force_login(personas.teacher)
    client.post(
        f"/meetings/{meeting.pk}/agenda/", {"kind": "debrief", "cycle": cycle.pk, "minutes": 10}
    )
    item = AgendaItem.objects.get()
    client.post(f"/meetings/{meeting.pk}/agenda/{item.pk}/", {"action": "park"})
    assert not AgendaItem.objects.exists()
    parked = ParkingLotItem.objects.get()
    assert parked.raised_at == meeting and "Student discourse" in parked.text
    team_page = client.get(f"/teams/{meeting.team_id}/").content.decode()
    assert "Student discourse" in team_page
    # Any member keeps something there too; a facilitator marks it done.
    client.force_login(personas.bystander)
    client.post(f"/teams/{meeting.team_id}/parking-lot/", {"text": "Homework policy"})
    client.post(f"/teams/{meeting.team_id}/parking-lot/", {"text": "   "})
    assert ParkingLotItem.objects.count() == 2
    client.force_login(personas.teacher)
    client.post(f"/teams/{meeting.team_id}/parking-lot/{parked.pk}/done/")
    assert ParkingLotItem.objects.filter(done_at__isnull=True).count() == 1


def test_bad_agenda_input_is_a_message(client, personas, meeting, tuning):
    client.force_login(personas.teacher)
    url = f"/meetings/{meeting.pk}/agenda/"
    for data in (
        {"kind": "protocol"},
        {"kind": "debrief", "minutes": 10},
        {"kind": "debrief", "cycle": "x"},
        {"kind": "end_slot", "minutes": 5},
        {"kind": "pre_brief", "cycle": "1", "minutes": 500},
    ):
        refused = client.post(url, data)
        page = refused.content.decode()
        assert refused.status_code == 400
        assert 'class="problems"' in page or 'aria-invalid="true"' in page, data
    assert not AgendaItem.objects.exists()
    client.post(url, {"kind": "protocol", "protocol": tuning.pk})
    again = client.post(url, {"kind": "protocol", "protocol": tuning.pk})
    assert again.status_code == 400 and "already has its protocol" in again.content.decode()
    item = AgendaItem.objects.get()
    junk = client.post(f"/meetings/{meeting.pk}/agenda/{item.pk}/", {"action": "explode"})
    assert junk.status_code == 302
    client.post(f"/meetings/{meeting.pk}/agenda/{item.pk}/", {"action": "remove"})
    assert not AgendaItem.objects.exists()


def test_a_refused_digest_comes_back_with_what_was_typed(client, personas, meeting):
    client.force_login(personas.teacher)
    digest = "Field trip forms are due Friday; the copier on floor 2 is fixed."
    refused = client.post(
        f"/meetings/{meeting.pk}/announcements/", {"digest": digest, "end_slot_minutes": "lots"}
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert digest.replace("'", "&#x27;") in page and "Enter a whole number" in page
    meeting.refresh_from_db()
    assert meeting.digest == ""


def test_a_meeting_page_links_to_the_protocol_runner_for_its_leaders(client, personas, meeting):
    client.force_login(personas.teacher)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f"/meetings/{meeting.pk}/run-protocol/" in page
    client.force_login(personas.bystander)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Add a block" not in page and "Cancel the meeting" not in page
