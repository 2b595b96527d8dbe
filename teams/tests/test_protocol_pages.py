"""The protocol library's pages and the runner's, as coaches, facilitators, members and a
principal use them."""

import pytest
from django.core.exceptions import ValidationError

from schools.tests.factories import make_district, make_person, make_school
from teams.models import AgendaItem, Attendance, MeetingStatus, Protocol, ProtocolRun, StepNote
from teams.protocol_services import protocol_copy, protocol_share, step_add
from teams.tests.factories import make_protocol_run, make_team, make_team_meeting

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def tuning() -> Protocol:
    return Protocol.objects.get(library_key="tuning")


def test_everyone_at_the_school_browses_the_shipped_library_and_reads_a_protocol(client, personas):
    client.force_login(personas.bystander)
    page = text(client.get("/schools/lincoln/protocols/"))
    for title in ("Tuning protocol", "Consultancy", "ATLAS: looking at data", "Lab co-planning"):
        assert title in page
    assert "Write a protocol" not in page  # a teacher browses, and runs as a member
    detail = text(client.get(f"/schools/lincoln/protocols/{tuning().pk}/"))
    assert "Presenter speaks; participants listen silently" in detail
    assert "50 minutes in all" in detail
    assert "National School Reform Faculty" in detail
    assert "Copy to" not in detail


def test_a_coach_copies_a_protocol_and_edits_its_steps(client, personas):
    client.force_login(personas.coach)
    response = client.post(f"/schools/lincoln/protocols/{tuning().pk}/copy/")
    copy = Protocol.objects.get(school=personas.school)
    assert response["Location"] == f"/protocols/{copy.pk}/edit/"
    assert copy.copied_from == tuning() and copy.steps.count() == 7
    edit = f"/protocols/{copy.pk}/"
    client.post(f"{edit}edit/", {"title": "Tuning, 40 minutes", "purpose": "Shorter"})
    first, second = copy.steps.all()[:2]
    client.post(
        f"{edit}steps/{first.pk}/",
        {
            f"step-{first.pk}-title": "Norms",
            f"step-{first.pk}-minutes": "3",
            f"step-{first.pk}-roles": "Facilitator",
            f"step-{first.pk}-prompt": "Our norms.",
        },
    )
    client.post(f"{edit}steps/{second.pk}/", {"move": "-1"})
    client.post(
        f"{edit}steps/",
        {"new-title": "Closing", "new-minutes": "2", "new-roles": "", "new-prompt": "A word."},
    )
    last = copy.steps.order_by("position").last()
    client.post(f"{edit}steps/{second.pk}/", {"move": "sideways"})  # not a move: nothing
    client.post(f"{edit}steps/{last.pk}/", {"remove": "1"})
    client.post(f"{edit}steps/{last.pk}/", {"move": "1"})  # gone: 404, nothing changes
    copy.refresh_from_db()
    assert copy.title == "Tuning, 40 minutes"
    assert [s.title for s in copy.steps.all()][:3] == [
        "Presentation",
        "Norms",
        "Clarifying questions",
    ]
    assert list(copy.steps.values_list("position", flat=True)) == list(range(7))
    assert tuning().steps.first().title == "Introduction"  # the library's own is untouched


@pytest.mark.parametrize("minutes", ["0", "500", "ten"])
def test_a_step_of_0_or_500_minutes_is_a_clear_message(client, personas, minutes):
    copy = protocol_copy(protocol=tuning(), school=personas.school, by=personas.coach)
    client.force_login(personas.coach)
    response = client.post(
        f"/protocols/{copy.pk}/steps/",
        {"new-title": "Long", "new-minutes": minutes, "new-prompt": "…"},
    )
    assert response.status_code == 400
    assert "A step lasts 1 to 120 minutes." in text(response)
    step = copy.steps.first()
    response = client.post(
        f"/protocols/{copy.pk}/steps/{step.pk}/",
        {
            f"step-{step.pk}-title": "X",
            f"step-{step.pk}-minutes": minutes,
            f"step-{step.pk}-prompt": "…",
        },
    )
    assert response.status_code == 400
    assert "A step lasts 1 to 120 minutes." in text(response)
    assert copy.steps.count() == 7 and step.minutes == copy.steps.first().minutes
    with pytest.raises(ValidationError, match="1 to 120 minutes"):  # from any caller
        step_add(protocol=copy, title="Long", minutes=500, roles="", prompt="…")


def test_a_principal_writes_a_protocol_of_their_own(client, personas):
    client.force_login(personas.principal)
    response = client.post("/schools/lincoln/protocols/new/", {"title": "Data chat"})
    own = Protocol.objects.get(title="Data chat")
    assert response["Location"] == f"/protocols/{own.pk}/edit/"
    assert own.source.startswith("Written by") and own.source.endswith("Lincoln School")
    assert client.get(f"/protocols/{own.pk}/edit/").status_code == 200


def test_a_shared_protocol_is_offered_to_the_district_s_other_schools_by_name(client, personas):
    copy = protocol_copy(protocol=tuning(), school=personas.school, by=personas.coach)
    copy.title = "Lincoln's tuning"
    copy.save()
    client.force_login(personas.coach)
    client.post(f"/protocols/{copy.pk}/share/", {"share": "on"})
    copy.refresh_from_db()
    assert copy.shared_with == personas.school.district
    roosevelt_coach = make_person("rcoach", personas.other_school, "coach", first_name="Rae")
    client.force_login(roosevelt_coach)
    page = text(client.get("/schools/roosevelt/protocols/"))
    assert "Lincoln&#x27;s tuning" in page and "Lincoln School" in page
    client.post(f"/schools/roosevelt/protocols/{copy.pk}/copy/")
    theirs = Protocol.objects.get(school=personas.other_school)
    assert theirs.copied_from == copy and "Shared by Lincoln School" in theirs.source
    # Another district's school never sees it.
    far = make_school("far", district=make_district("elsewhere"))
    client.force_login(make_person("stranger", far, "coach"))
    assert client.get("/schools/far/protocols/").context["district"] == []
    # The author takes it back.
    client.force_login(personas.coach)
    client.post(f"/protocols/{copy.pk}/share/")
    copy.refresh_from_db()
    assert copy.shared_with is None


def test_an_empty_protocol_cannot_be_shared_nor_a_shipped_one(client, personas):
    client.force_login(personas.coach)
    client.post("/schools/lincoln/protocols/new/", {"title": "Draft"})
    draft = Protocol.objects.get(title="Draft")
    response = client.post(f"/protocols/{draft.pk}/share/", {"share": "on"}, follow=True)
    assert "Add at least one step" in text(response)
    with pytest.raises(Exception, match="every school's library"):
        protocol_share(protocol=tuning(), share=True)


@pytest.fixture
def team(personas):
    return make_team(
        personas.school,
        "Grade 6",
        members=[personas.colleague, personas.bystander],
        facilitators=[personas.teacher],
    )


def test_a_facilitator_starts_a_protocol_and_members_follow_it(client, personas, team):
    meeting = make_team_meeting(team)
    client.force_login(personas.teacher)
    consultancy = Protocol.objects.get(library_key="consultancy")
    AgendaItem.objects.create(meeting=meeting, kind="protocol", minutes=50, protocol=consultancy)
    start = client.get(f"/meetings/{meeting.pk}/run-protocol/")
    assert "Lab co-planning" in text(start)
    assert start.context["form"]["protocol"].value() == consultancy.pk  # the agenda's
    response = client.post(
        f"/meetings/{meeting.pk}/run-protocol/",
        {"protocol": tuning().pk, "recorder": personas.colleague.pk},
    )
    run = ProtocolRun.objects.get(meeting=meeting)
    assert response["Location"] == f"/runs/{run.pk}/"
    # Starting again opens the run under way.
    assert client.get(f"/meetings/{meeting.pk}/run-protocol/")["Location"] == f"/runs/{run.pk}/"

    client.force_login(personas.bystander)  # a member, on a phone
    page = text(client.get(f"/runs/{run.pk}/"))
    assert "Step 1 of 7" in page and "2:00" in page and "Next step" not in page
    assert client.get(f"/runs/{run.pk}/state/?v=1").status_code == 204  # nothing new

    client.force_login(personas.teacher)
    client.post(f"/runs/{run.pk}/move/", {"move": "next", "version": "1"})
    client.post(f"/runs/{run.pk}/move/", {"move": "extend5", "version": "2"})
    stale = client.post(f"/runs/{run.pk}/move/", {"move": "next", "version": "2"}, follow=True)
    assert "already moved on" in text(stale)

    client.force_login(personas.bystander)
    fragment = client.get(f"/runs/{run.pk}/state/?v=1")
    assert "Step 2 of 7" in text(fragment) and "15:00" in text(fragment)
    assert "+ 5 min" in text(fragment)
    assert "Presentation" in text(client.get(f"/runs/{run.pk}/projector/"))


def test_the_recorder_takes_notes_and_a_member_who_is_not_cannot(client, personas, team):
    run = make_protocol_run(
        make_team_meeting(team), by=personas.teacher, recorder=personas.colleague
    )
    client.force_login(personas.colleague)
    page = client.post(
        f"/runs/{run.pk}/notes/", {"step": "1", "text": "Lab report, draft 2"}, follow=True
    )
    assert "Saved by Ben Lee" in text(page)
    assert client.get(f"/runs/{run.pk}/?step=1").context["note_step"] == 1
    assert client.get(f"/runs/{run.pk}/?step=99").context["note_step"] == 0
    refused = client.post(f"/runs/{run.pk}/notes/", {"step": "99", "text": "?"}, follow=True)
    assert "not in this protocol" in text(refused)
    client.force_login(personas.bystander)
    assert client.post(f"/runs/{run.pk}/notes/", {"step": "1", "text": "x"}).status_code == 403
    assert StepNote.objects.get(run=run).text == "Lab report, draft 2"
    # The facilitator may take notes too.
    client.force_login(personas.teacher)
    client.post(f"/runs/{run.pk}/notes/", {"step": "0", "text": "Norms read"})
    assert StepNote.objects.filter(run=run).count() == 2


def test_the_end_records_the_next_step_and_attendance_and_links_to_goals(client, personas, team):
    meeting = make_team_meeting(team)
    run = make_protocol_run(meeting, by=personas.teacher)
    client.force_login(personas.teacher)
    end = client.get(f"/runs/{run.pk}/end/")
    assert set(end.context["form"].initial["attended"]) == {
        personas.teacher.pk,
        personas.colleague.pk,
        personas.bystander.pk,
    }
    assert client.post(f"/runs/{run.pk}/end/", {"takeaways": "x"}).status_code == 400
    client.post(
        f"/runs/{run.pk}/end/",
        {
            "takeaways": "Claims need evidence",
            "next_step": "Sentence frames for claims",
            "attended": [personas.teacher.pk, personas.colleague.pk],
        },
    )
    meeting.refresh_from_db()
    assert (
        meeting.status == MeetingStatus.HELD and meeting.next_step == "Sentence frames for claims"
    )
    assert (
        Attendance.objects.filter(meeting=meeting, attended=False).get().person
        == personas.bystander
    )
    client.force_login(personas.colleague)
    page = text(client.get(f"/runs/{run.pk}/"))
    assert "Sentence frames for claims" in page and "2 attended" in page
    assert f"/meetings/{meeting.pk}/goal/" in page  # each member sets their own goal here


def test_a_principal_sees_that_a_meeting_was_held_and_how_many_attended_never_its_notes(
    client, personas, team
):
    run = make_protocol_run(make_team_meeting(team), by=personas.teacher)
    client.force_login(personas.teacher)
    client.post(f"/runs/{run.pk}/notes/", {"step": "0", "text": "Private words of the team"})
    client.post(
        f"/runs/{run.pk}/end/",
        {"next_step": "Try it", "attended": [personas.teacher.pk, personas.colleague.pk]},
    )
    client.force_login(personas.principal)
    page = text(client.get(f"/runs/{run.pk}/"))
    assert "held" in page and "2 of 3 members attended" in page
    assert "Private words" not in page and "Try it" not in page and "Introduction" not in page
    assert client.get(f"/runs/{run.pk}/state/").status_code == 404


def test_a_protocol_with_no_steps_cannot_be_started(client, personas, team):
    meeting = make_team_meeting(team)
    empty = Protocol.objects.create(school=personas.school, title="Empty")
    client.force_login(personas.teacher)
    response = client.post(
        f"/meetings/{meeting.pk}/run-protocol/",
        {"protocol": empty.pk, "recorder": personas.teacher.pk},
    )
    assert response.status_code == 400 and "no steps yet" in text(response)
    step_add(protocol=empty, title="Go", minutes=5, roles="", prompt="Go")
    assert (
        client.post(
            f"/meetings/{meeting.pk}/run-protocol/",
            {"protocol": empty.pk, "recorder": personas.teacher.pk},
        ).status_code
        == 302
    )


def test_a_bad_press_is_a_message_not_an_error(client, personas, team):
    run = make_protocol_run(make_team_meeting(team), by=personas.teacher)
    client.force_login(personas.teacher)
    page = client.post(f"/runs/{run.pk}/move/", {"move": "sideways"}, follow=True)
    assert "Press Next, Back or an extension" in text(page)
    page = client.post(f"/runs/{run.pk}/move/", {"move": "back", "version": "1"}, follow=True)
    assert "This is the first step." in text(page)
    client.post(f"/runs/{run.pk}/move/", {"move": "next", "version": "1"})
    client.post(f"/runs/{run.pk}/move/", {"move": "back", "version": "2"})
    run.refresh_from_db()
    assert (run.current_step, run.version) == (0, 3)
