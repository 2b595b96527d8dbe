"""What observers captured survives every change to the visit: its time, its observers, its
hosts, and its cancellation. Entries still waiting on a phone are still accepted after."""

from datetime import timedelta
from html import unescape

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from inquiry.services import cycle_start, look_for_add, participants_set
from inquiry.tests.factories import next_weekday
from schools.models import Meeting, Slot
from visits.models import Commitment, Evidence, EvidenceRead, VisitClassroom, VisitStatus
from visits.rules import ObserverPlan, VisitPlan
from visits.services import visit_schedule
from visits.tests.helpers import entry, sync

pytestmark = pytest.mark.django_db
MONDAY, TUESDAY = next_weekday(0), next_weekday(1)


def lesson(person, day: str, period: str) -> Meeting:
    return Meeting.objects.select_related("slot", "section").get(
        teacher=person, slot__day__label=day, slot__period__label=period
    )


@pytest.fixture
def visit(personas):
    """A round in Monday period 2: Ana and Ben host; the assistant principal and the principal
    observe (both free then)."""
    cycle = cycle_start(
        school=personas.school, structure="rounds", title="Discourse", by=personas.coach
    )
    look_for_add(cycle=cycle, text="Students explain their reasoning", kind="oral")
    participants_set(
        cycle=cycle,
        observers=[personas.vice, personas.principal, personas.bystander],
        hosts=[personas.teacher, personas.colleague],
        facilitators=[personas.coach],
    )
    ana, ben = lesson(personas.teacher, "Mon", "2"), lesson(personas.colleague, "Mon", "2")
    return visit_schedule(
        cycle=cycle,
        plan=VisitPlan(
            date=MONDAY,
            slot=ana.slot,
            classrooms=[(personas.teacher, ana.section), (personas.colleague, ben.section)],
            observers=[ObserverPlan(personas.vice), ObserverPlan(personas.principal)],
        ),
    )


def change(client, visit, **data):
    fields = {"action": "place", "date": MONDAY.isoformat(), "slot": visit.slot_id, **data}
    return client.post(f"/visits/{visit.pk}/change/", fields)


def test_every_change_to_a_visit_keeps_what_was_captured_and_entries_still_sync(
    client, personas, visit
):
    ana_room = visit.classrooms.get(host=personas.teacher)
    ben_room = visit.classrooms.get(host=personas.colleague)
    client.force_login(personas.vice)
    sent = [entry(ana_room, kind="note", text="Pairs argue"), entry(ben_room, kind="bright_moment")]
    sync(client, visit, sent)
    waiting = [
        entry(ana_room, kind="note", text="typed offline"),
        entry(ben_room, kind="note", text="still on the phone"),
    ]
    client.force_login(personas.principal)  # captures offline, then is taken off the visit
    principals = [entry(ben_room, kind="note", text="waiting on the principal's phone")]
    client.force_login(personas.colleague)
    client.get(f"/visits/{visit.pk}/my-classroom/")  # Ben reads his own classroom
    client.force_login(personas.coach)
    client.get(f"/api/visits/{visit.pk}/evidence")  # the coach's read goes to both hosts' logs
    reads = EvidenceRead.objects.count()
    assert reads == 2

    both = [personas.teacher.pk, personas.colleague.pk]
    observers = [personas.vice.pk, personas.principal.pk]
    assert change(client, visit, hosts=both, observers=observers).status_code == 302
    assert set(visit.classrooms.values_list("pk", flat=True)) == {ana_room.pk, ben_room.pk}

    # Removing a host whose classroom has evidence is asked first, and nothing changes.
    refused = change(client, visit, hosts=[personas.teacher.pk], observers=observers)
    assert refused.status_code == 400
    assert "Ben Lee's classroom already has 1 captured entry" in unescape(refused.content.decode())
    assert visit.classrooms.count() == 2

    confirmed = change(
        client, visit, hosts=[personas.teacher.pk], observers=observers, confirm_removal="on"
    )
    assert confirmed.status_code == 302
    assert list(visit.classrooms.all()) == [ana_room]
    assert VisitClassroom.including_removed.get(pk=ben_room.pk).removed_at is not None

    # Move it to Tuesday period 1 and swap an observer.
    tuesday = lesson(personas.teacher, "Tue", "1")
    moved = change(
        client,
        visit,
        date=TUESDAY.isoformat(),
        slot=tuesday.slot.pk,
        hosts=[personas.teacher.pk],
        observers=[personas.vice.pk, personas.bystander.pk],
    )
    assert moved.status_code == 302
    visit.refresh_from_db()
    assert visit.slot == tuesday.slot and visit.classrooms.get().pk == ana_room.pk

    assert Evidence.objects.count() == 2 and EvidenceRead.objects.count() == reads
    client.force_login(personas.vice)
    results = sync(client, visit, sent + waiting).json()["results"]
    assert [r["status"] for r in results] == ["duplicate", "duplicate", "stored", "stored"]
    assert Evidence.objects.filter(classroom=ben_room).count() == 2
    client.force_login(personas.principal)
    assert sync(client, visit, principals).json()["results"][0]["status"] == "stored"
    later = (timezone.now() + timedelta(minutes=10)).isoformat()
    [result] = sync(
        client, visit, [entry(ben_room, kind="note", text="x", recorded_at=later)]
    ).json()["results"]
    assert result["status"] == "refused" and "taken off this visit" in result["message"]
    assert Evidence.objects.filter(classroom=ben_room).count() == 3

    # Ben, removed, still reads what was captured in his classroom; so does the group.
    client.force_login(personas.colleague)
    assert f"/visits/{visit.pk}/my-classroom/" in client.get("/").content.decode()
    page = client.get(f"/visits/{visit.pk}/my-classroom/")
    assert page.status_code == 200 and "still on the phone" in page.content.decode()
    client.force_login(personas.vice)
    group = client.get(f"/api/visits/{visit.pk}/evidence").json()
    assert {e["text"] for e in group} >= {"Pairs argue", "still on the phone"}


def test_cancelling_a_visit_keeps_its_evidence_and_frees_its_people(client, personas, visit):
    room = visit.classrooms.first()
    client.force_login(personas.vice)
    sync(client, visit, [entry(room, kind="bright_moment")])
    assert Commitment.objects.filter(visit=visit).count() == 4
    client.force_login(personas.coach)
    client.post(f"/visits/{visit.pk}/cancel/")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED
    assert Evidence.objects.filter(classroom=room).count() == 1
    assert not Commitment.objects.filter(visit=visit).exists()


def test_the_database_refuses_to_delete_a_classroom_with_evidence_or_reads(client, personas, visit):
    room = visit.classrooms.first()
    client.force_login(personas.vice)
    sync(client, visit, [entry(room, kind="bright_moment")])
    with pytest.raises(ProtectedError):
        room.delete()
    with pytest.raises(ProtectedError):
        visit.delete()
    Evidence.objects.all().delete()
    EvidenceRead.objects.create(classroom=room, reader=personas.coach, where="debrief")
    with pytest.raises(ProtectedError):
        room.delete()


def test_a_classroom_with_nothing_captured_is_simply_removed(client, personas, visit):
    client.force_login(personas.coach)
    response = change(
        client,
        visit,
        hosts=[personas.teacher.pk],
        observers=[personas.vice.pk, personas.principal.pk],
    )
    assert response.status_code == 302
    assert VisitClassroom.including_removed.filter(visit=visit).count() == 1
    assert Slot.objects.exists()
