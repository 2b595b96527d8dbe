"""A host's page of what was captured in their classroom lists every read of it by others, a
page at a time, and answers whatever the entries and the address hold."""

import pytest

from inquiry.tests.factories import make_round
from visits.models import EvidenceRead
from visits.tests.helpers import entry, sync

pytestmark = pytest.mark.django_db


def test_the_host_pages_through_every_read_not_only_the_latest_200(client, personas):
    _, visit = make_round(personas)
    room = visit.classrooms.get()
    EvidenceRead.objects.bulk_create(
        EvidenceRead(classroom=room, reader=personas.coach, where=f"read-{i:03}")
        for i in range(230)
    )
    client.force_login(personas.teacher)
    first = client.get(f"/visits/{visit.pk}/my-classroom/").content.decode()
    assert "Who else has read it (230)" in first and "Page 1 of 5" in first
    assert "read-229" in first and "read-000" not in first
    last = client.get(f"/visits/{visit.pk}/my-classroom/?page=5").content.decode()
    assert "read-000" in last and "read-229" not in last


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999999999999999999", "1e3", "", "%00"])
def test_the_host_page_never_answers_a_server_error(client, personas, page):
    cycle, visit = make_round(personas)
    room = visit.classrooms.get()
    client.force_login(personas.colleague)
    odd = ["<script>alert(1)</script>", "‮ right-to-left", "{{ user }}", "%s %d", "😀" * 50]
    sync(
        client,
        visit,
        [entry(room, kind="note", text=text) for text in odd]
        + [entry(room, kind="tally", label=text) for text in odd]
        + [entry(room, look_for=cycle.look_fors.first().pk, text="")]
        + [
            entry(
                room,
                kind="talk_time",
                teacher_talk_seconds=0,
                student_talk_seconds=0,
                silence_seconds=0,
            )
        ],
    )
    client.get(f"/visits/{visit.pk}/debrief/")  # a read by the colleague
    client.force_login(personas.teacher)
    response = client.get(f"/visits/{visit.pk}/my-classroom/?page={page}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html and "Ben Lee" in html
