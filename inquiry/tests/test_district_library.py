"""A facilitator shares a cycle's evidence tool and look-fors to the district's library; a
facilitator at another school of the district copies them into their own cycle. Only the plan
travels: the school and author are named, and no evidence ever goes with it."""

import pytest

from inquiry.models import SharedPlan, SharedPlanKind
from inquiry.services import cycle_start, look_for_add, participants_set
from inquiry.tests.factories import make_round
from schools.tests.factories import make_person, make_school

pytestmark = pytest.mark.django_db


def roosevelt_cycle(personas):
    coach = make_person("rcoach", personas.other_school, "coach", first_name="Rae")
    cycle = cycle_start(
        school=personas.other_school, structure="rounds", title="Talk moves", by=coach
    )
    look_for_add(cycle=cycle, text="Students use the anchor chart", kind="visual")
    participants_set(cycle=cycle, observers=[], hosts=[], facilitators=[coach])
    return coach, cycle


def test_look_fors_shared_at_lincoln_are_copied_into_a_roosevelt_cycle(client, personas):
    lincoln, _ = make_round(personas)
    client.force_login(personas.coach)
    response = client.post(f"/cycles/{lincoln.pk}/share/", {"kind": "look_fors"}, follow=True)
    assert "Shared with the district" in response.content.decode()
    plan = SharedPlan.objects.get()
    assert (plan.school, plan.author, plan.kind) == (personas.school, personas.coach, "look_fors")
    assert [item["text"] for item in plan.content] == [
        "Students explain their reasoning to a partner",
        "Students use the anchor chart",
    ]

    coach, roosevelt = roosevelt_cycle(personas)
    client.force_login(coach)
    library = client.get(f"/schools/roosevelt/library/?for={roosevelt.pk}").content.decode()
    assert "Student discourse" in library and "lincoln" in library.lower()
    assert f"Copy into {roosevelt.title}" in library
    response = client.post(f"/cycles/{roosevelt.pk}/library/{plan.pk}/copy/", follow=True)
    assert "Copied 1 look-for from" in response.content.decode()  # the anchor chart was there
    texts = list(roosevelt.look_fors.values_list("text", flat=True))
    assert texts == [
        "Students use the anchor chart",
        "Students explain their reasoning to a partner",
    ]
    again = client.post(f"/cycles/{roosevelt.pk}/library/{plan.pk}/copy/", follow=True)
    assert "already has all the look-fors" in again.content.decode()


def test_an_evidence_tool_is_copied_part_by_part_without_doubles(client, personas):
    lincoln, _ = make_round(personas)
    client.force_login(personas.coach)
    client.post(f"/cycles/{lincoln.pk}/share/", {"kind": "evidence_tool"})
    plan = SharedPlan.objects.get(kind=SharedPlanKind.EVIDENCE_TOOL)
    coach, roosevelt = roosevelt_cycle(personas)
    roosevelt.evidence_tool = [{"kind": "checklist"}]
    roosevelt.save()
    client.force_login(coach)
    client.post(f"/cycles/{roosevelt.pk}/library/{plan.pk}/copy/")
    roosevelt.refresh_from_db()
    kinds = [part["kind"] for part in roosevelt.evidence_tool]
    assert kinds[0] == "checklist" and len(kinds) == len(set(kinds))
    assert set(kinds) == {"checklist"} | {part["kind"] for part in plan.content}


def test_no_evidence_goes_into_the_library(client, personas):
    lincoln, visit = make_round(personas)
    from visits.models import Evidence

    Evidence.objects.create(
        id="00000000-0000-4000-8000-000000000001",
        classroom=visit.classrooms.get(),
        author=personas.colleague,
        kind="note",
        text="A secret observation",
        recorded_at=visit.date.isoformat() + "T09:00:00Z",
        fingerprint="x",
    )
    client.force_login(personas.coach)
    for kind in ("look_fors", "evidence_tool"):
        client.post(f"/cycles/{lincoln.pk}/share/", {"kind": kind})
    client.force_login(personas.outsider)
    library = client.get("/schools/roosevelt/library/").content.decode()
    assert "A secret observation" not in library
    assert "secret" not in str(list(SharedPlan.objects.values_list("content", flat=True)))


def test_only_the_cycle_s_facilitators_share_and_copy(client, personas):
    lincoln, _ = make_round(personas)
    client.force_login(personas.colleague)  # an observer of the round
    assert client.post(f"/cycles/{lincoln.pk}/share/", {"kind": "look_fors"}).status_code == 403
    client.force_login(personas.coach)
    client.post(f"/cycles/{lincoln.pk}/share/", {"kind": "look_fors"})
    plan = SharedPlan.objects.get()
    client.force_login(personas.colleague)
    assert client.post(f"/cycles/{lincoln.pk}/library/{plan.pk}/copy/").status_code == 403


def test_a_plan_from_another_district_is_not_offered_or_copied(client, personas):
    lincoln, _ = make_round(personas)
    elsewhere = make_school("elsewhere", district=None)
    from schools.tests.factories import make_district

    elsewhere.district = make_district("northfield")
    elsewhere.save()
    coach = make_person("ncoach", elsewhere, "coach")
    theirs = cycle_start(school=elsewhere, structure="rounds", title="Far away", by=coach)
    look_for_add(cycle=theirs, text="Students question each other", kind="oral")
    client.force_login(coach)
    client.post(f"/cycles/{theirs.pk}/share/", {"kind": "look_fors"}, follow=True)
    plan = SharedPlan.objects.get()
    client.force_login(personas.coach)
    assert "Far away" not in client.get("/schools/lincoln/library/").content.decode()
    assert client.post(f"/cycles/{lincoln.pk}/library/{plan.pk}/copy/").status_code == 404


def test_sharing_a_cycle_without_look_fors_says_what_to_do(client, personas):
    cycle = cycle_start(
        school=personas.school, structure="rounds", title="Empty", by=personas.coach
    )
    client.force_login(personas.coach)
    response = client.post(f"/cycles/{cycle.pk}/share/", {"kind": "look_fors"}, follow=True)
    assert "Add look-fors before sharing them." in response.content.decode()
    bad = client.post(f"/cycles/{cycle.pk}/share/", {"kind": "evidence"}, follow=True)
    assert "Choose what to share" in bad.content.decode()
    assert not SharedPlan.objects.exists()


def test_its_author_or_a_district_leader_takes_a_plan_out(client, personas):
    lincoln, _ = make_round(personas)
    client.force_login(personas.coach)
    client.post(f"/cycles/{lincoln.pk}/share/", {"kind": "look_fors"})
    plan = SharedPlan.objects.get()
    client.force_login(personas.principal)
    assert client.post(f"/library/{plan.pk}/remove/").status_code == 403
    client.force_login(personas.district_leader)
    assert client.post(f"/library/{plan.pk}/remove/").status_code == 302
    assert not SharedPlan.objects.exists()


def test_sharing_the_same_look_fors_twice_keeps_one_in_the_library(client, personas):
    lincoln, _ = make_round(personas)
    client.force_login(personas.coach)
    for _ in range(2):
        client.post(f"/cycles/{lincoln.pk}/share/", {"kind": "look_fors"})
    assert SharedPlan.objects.count() == 1
    look_for_add(cycle=lincoln, text="Students ask each other why", kind="oral")
    client.post(f"/cycles/{lincoln.pk}/share/", {"kind": "look_fors"})  # changed: shared anew
    assert SharedPlan.objects.count() == 2
