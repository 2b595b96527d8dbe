"""A host's page of what was captured in their classroom: counts and the debrief's charts for
their classroom only, every entry on demand, and who else read it, one line per reader however
often they read; it answers whatever the entries and the address hold."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inquiry.tests.factories import make_round
from schools.tests.factories import make_person
from visits.models import EvidenceRead
from visits.tests.helpers import entry, sync
from visits.tests.test_debrief import big_round

pytestmark = pytest.mark.django_db


def test_the_host_sees_each_reader_once_with_how_often_and_when_last(client, personas):
    _, visit = make_round(personas)
    room = visit.classrooms.get()
    for _ in range(5):
        EvidenceRead.objects.create(classroom=room, reader=personas.vice, where="debrief")
    EvidenceRead.objects.create(classroom=room, reader=personas.coach, where="api")
    last = datetime(2026, 12, 1, 14, 2, tzinfo=UTC)
    EvidenceRead.objects.filter(reader=personas.vice).update(at=last - timedelta(days=1))
    newest = EvidenceRead.objects.filter(reader=personas.vice).order_by("pk").last()
    EvidenceRead.objects.filter(pk=newest.pk).update(at=last)
    EvidenceRead.objects.filter(reader=personas.coach).update(at=last - timedelta(days=2))
    client.force_login(personas.teacher)
    with timezone.override("UTC"):
        html = client.get(f"/visits/{visit.pk}/my-classroom/").content.decode()
    assert "Who else has read it (2 people)" in html
    assert "Vi Assistant read it 5 times, last on Tue Dec 1 14:02 (on the debrief)" in html
    assert "coach read it once, last on Sun Nov 29 14:02 (through the app)" in html
    assert html.count("Vi Assistant read it") == 1
    assert html.index("Vi Assistant read it") < html.index("coach read it")  # latest first


def test_the_host_pages_through_every_reader(client, personas):
    _, visit = make_round(personas)
    room = visit.classrooms.get()
    readers = [make_person(f"reader{i:02}", personas.school, "teacher") for i in range(60)]
    EvidenceRead.objects.bulk_create(
        EvidenceRead(classroom=room, reader=reader, where="debrief") for reader in readers
    )
    client.force_login(personas.teacher)
    first = client.get(f"/visits/{visit.pk}/my-classroom/").content.decode()
    assert "Who else has read it (60 people)" in first and "Page 1 of 2" in first
    second = client.get(f"/visits/{visit.pk}/my-classroom/?page=2").content.decode()
    shown = {f"reader{i:02}" for i in range(60) if f"reader{i:02} read it" in first + second}
    assert len(shown) == 60


def test_the_host_sees_counts_and_charts_for_their_own_classroom_only(client, personas):
    cycle, visit, watchers = big_round(personas, classrooms=2, observers=1)
    mine, theirs = visit.classrooms.order_by("position", "id")
    look_for = cycle.look_fors.first()
    client.force_login(watchers[0])
    talk = {"teacher_talk_seconds": 60, "student_talk_seconds": 180, "silence_seconds": 60}
    sync(
        client,
        visit,
        [entry(mine, look_for=look_for.pk) for _ in range(3)]
        + [entry(theirs, look_for=look_for.pk) for _ in range(7)]
        + [entry(mine, kind="talk_time", **talk), entry(mine, kind="bright_moment")]
        + [entry(mine, kind="note", look_for=look_for.pk, text="Pairs compared answers")]
        + [entry(theirs, kind="note", text="Words from the other classroom")],
    )
    client.force_login(mine.host)
    html = client.get(f"/visits/{visit.pk}/my-classroom/").content.decode()
    assert "Look-fors in my classroom" in html
    row = html[html.index(f'<th scope="row">{look_for.text}</th>') :][:400]
    assert '<span class="num">3</span>' in row  # 3 taps here; the 7 elsewhere are not theirs
    assert html.count(f'<th scope="row">{look_for.text}</th>') == 1  # one line, not three
    assert "Student talk: <strong>60%</strong>" in html
    assert "1 bright moment, tapped without words" in html
    assert "Pairs compared answers" in html
    assert "Words from the other classroom" not in html and "Classroom B" not in html


def test_the_host_page_takes_the_same_queries_for_few_or_many_entries_and_readers(client, personas):
    cycle, visit = make_round(personas)
    room = visit.classrooms.get()
    look_for = cycle.look_fors.first()

    def queries() -> int:
        client.force_login(personas.teacher)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/visits/{visit.pk}/my-classroom/").status_code == 200
        return len(captured)

    client.force_login(personas.colleague)
    sync(client, visit, [entry(room, look_for=look_for.pk), entry(room, kind="note", text="A")])
    EvidenceRead.objects.create(classroom=room, reader=personas.coach, where="debrief")
    few = queries()
    client.force_login(personas.colleague)
    sync(client, visit, [entry(room, kind="note", text=f"note {i}") for i in range(40)])
    EvidenceRead.objects.bulk_create(
        EvidenceRead(classroom=room, reader=reader, where=where)
        for reader in (personas.coach, personas.vice, personas.principal)
        for where in ("debrief", "api")
    )
    assert queries() == few


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
