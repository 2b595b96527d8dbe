"""The debrief runs its structure's library protocol with the teams' runner: the cycle's
facilitator starts and leads it from the debrief's page, the visit's group follows it and
writes its notes (StepNote rows of the run), nobody else sees it; the work under discussion
is attached to the run; debriefs written before keep their notes as ended runs."""

import importlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from inquiry.services import cycle_start
from inquiry.tests.factories import make_round
from opendoors import access
from teams.library import ROUNDS_DEBRIEF
from teams.models import ProtocolRun, StepNote
from teams.runner import run_next
from visits.models import Debrief, Visit, VisitObserver

pytestmark = pytest.mark.django_db

CSV = b"student,claim,evidence\nA,yes,no\n"


def started(client, personas, structure: str = "rounds"):
    """A held visit whose debrief's protocol the coach (its facilitator) has started."""
    _, visit = make_round(personas, structure=structure, held=True)
    client.force_login(personas.coach)
    response = client.post(f"/visits/{visit.pk}/debrief/run/")
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{visit.pk}/debrief/#protocol"
    return visit, Debrief.objects.select_related("run").get(visit=visit).run


def test_the_rounds_debrief_runs_the_library_s_rounds_protocol_in_the_same_words(client, personas):
    _, run = started(client, personas)
    assert run.protocol.library_key == "rounds-debrief"
    assert run.meeting is None
    assert [(s["title"], s["minutes"], s["roles"], s["prompt"]) for s in run.steps] == [
        (s.title, s.minutes, s.roles, s.prompt) for s in ROUNDS_DEBRIEF.steps
    ]
    assert (run.started_by, run.recorder) == (personas.coach, personas.coach)


def test_pressing_start_again_keeps_the_run_under_way(client, personas):
    visit, run = started(client, personas)
    client.post(f"/visits/{visit.pk}/debrief/run/")
    assert ProtocolRun.objects.count() == 1
    assert Debrief.objects.get(visit=visit).run == run


def test_only_the_cycle_s_facilitators_start_it_and_only_once_the_visit_has_started(
    client, personas
):
    _, ahead = make_round(personas)  # next Monday
    client.force_login(personas.colleague)  # an observer
    assert client.post(f"/visits/{ahead.pk}/debrief/run/").status_code == 403
    client.force_login(personas.coach)
    response = client.post(f"/visits/{ahead.pk}/debrief/run/", follow=True)
    assert "The debrief opens when the visit starts." in response.content.decode()
    assert not ProtocolRun.objects.exists()


def test_the_group_s_pages_reload_once_the_facilitator_starts_the_protocol(client, personas):
    _, visit = make_round(personas, held=True)
    client.force_login(personas.colleague)
    page = client.get(f"/visits/{visit.pk}/debrief/").content.decode()
    assert f'hx-get="/visits/{visit.pk}/debrief/run/"' in page
    assert "Start the protocol" not in page
    poll = client.get(f"/visits/{visit.pk}/debrief/run/", headers={"HX-Request": "true"})
    assert poll.status_code == 204
    client.force_login(personas.coach)
    client.post(f"/visits/{visit.pk}/debrief/run/")
    client.force_login(personas.colleague)
    poll = client.get(f"/visits/{visit.pk}/debrief/run/", headers={"HX-Request": "true"})
    assert (poll.status_code, poll["HX-Refresh"]) == (200, "true")
    assert client.get(f"/visits/{visit.pk}/debrief/run/").status_code == 302  # a plain visit


def test_the_facilitator_leads_and_the_group_follows_on_the_debrief_page(client, personas):
    visit, run = started(client, personas)
    response = client.post(f"/runs/{run.pk}/move/", {"move": "next", "version": 1})
    assert response["Location"] == f"/visits/{visit.pk}/debrief/#protocol"
    client.force_login(personas.vice)  # an observer
    state = client.get(f"/runs/{run.pk}/state/?v=1")
    assert state.status_code == 200 and "Analyze" in state.content.decode()
    assert client.get(f"/runs/{run.pk}/state/?v=2").status_code == 204
    assert "Next step" not in state.content.decode()  # an observer follows, never leads
    assert client.post(f"/runs/{run.pk}/move/", {"move": "next", "version": 2}).status_code == 403
    assert client.get(f"/runs/{run.pk}/projector/").status_code == 200
    # The run's own page is the debrief's.
    assert client.get(f"/runs/{run.pk}/")["Location"] == f"/visits/{visit.pk}/debrief/#protocol"


def test_every_one_of_the_group_writes_the_notes_of_each_step(client, personas):
    visit, run = started(client, personas)
    client.force_login(personas.colleague)
    client.post(
        f"/visits/{visit.pk}/debrief/",
        {"step_0": "Pairs explained", "step_1": "", "takeaways": "", "team_next_step": ""},
    )
    client.force_login(personas.vice)
    response = client.post(f"/runs/{run.pk}/notes/", {"step": 1, "text": "Talk, then write"})
    assert response["Location"] == f"/visits/{visit.pk}/debrief/#notes"
    notes = {n.step: (n.text, n.updated_by) for n in StepNote.objects.filter(run=run)}
    assert notes == {
        0: ("Pairs explained", personas.colleague),
        1: ("Talk, then write", personas.vice),
    }
    # Saving the debrief again writes only what changed: each note keeps who wrote it.
    client.post(
        f"/visits/{visit.pk}/debrief/",
        {"step_0": "Pairs explained", "step_1": "Talk, then write", "takeaways": "Talk first"},
    )
    assert StepNote.objects.get(run=run, step=1).updated_by == personas.vice
    page = client.get(f"/visits/{visit.pk}/debrief/")
    assert page.context["form"]["step_0"].value() == "Pairs explained"


def test_ending_the_protocol_leaves_the_takeaways_to_the_debrief(client, personas):
    visit, run = started(client, personas)
    for seen in range(1, len(run.steps)):
        run_next(run=run, seen=seen)
    html = client.get(f"/visits/{visit.pk}/debrief/").content.decode()
    assert f'formaction="/runs/{run.pk}/end/"' in html  # the last step: end, in one press
    assert (
        client.get(f"/runs/{run.pk}/end/")["Location"] == f"/visits/{visit.pk}/debrief/#takeaways"
    )
    response = client.post(f"/runs/{run.pk}/end/", follow=True)
    assert "write the takeaways and next step" in response.content.decode()
    run.refresh_from_db()
    assert run.ended_at is not None
    assert "The protocol has ended." in client.get(f"/visits/{visit.pk}/debrief/").content.decode()


def test_only_the_visit_s_group_sees_the_debrief_s_run(client, personas):
    visit, run = started(client, personas)
    for person in (personas.coach, personas.colleague, personas.vice):
        assert access.run_for_viewer(person, run.pk) == (run, True)
    # The host, the principal (not in the round), a bystander and an outsider learn nothing.
    for name in ("teacher", "principal", "bystander", "outsider", "district_leader"):
        client.force_login(personas.by_name(name))
        assert client.get(f"/runs/{run.pk}/").status_code == 404, name
        assert client.get(f"/runs/{run.pk}/state/").status_code == 404, name
    # An observer removed from the visit leaves its group.
    VisitObserver.objects.filter(visit=visit, person=personas.vice).update(
        removed_at=timezone.now()
    )
    client.force_login(personas.vice)
    assert client.get(f"/runs/{run.pk}/state/").status_code == 404
    assert access.leads_run(personas.coach, run)
    assert not access.leads_run(personas.colleague, run)
    assert access.takes_run_notes(personas.colleague, run)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_the_work_under_discussion_is_attached_once_and_downloaded_by_the_group(
    client, personas, settings
):
    visit, run = started(client, personas)
    response = client.post(f"/runs/{run.pk}/attachment/", {"file": upload("drafts.csv", CSV)})
    assert response["Location"] == f"/visits/{visit.pk}/debrief/#attachment"
    run.refresh_from_db()
    first = run.attachment.name
    client.post(f"/runs/{run.pk}/attachment/", {"file": upload("drafts-2.csv", CSV)})
    run.refresh_from_db()
    assert run.attachment_name == "drafts-2.csv"
    assert not run.attachment.storage.exists(first)  # replaced: one file kept
    assert len(list((settings.MEDIA_ROOT / "runs").rglob("*.csv"))) == 1

    client.force_login(personas.colleague)  # the group downloads it, never sees it inline
    download = client.get(f"/runs/{run.pk}/attachment/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="drafts-2.csv"')
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == CSV
    assert (
        "download>Download “drafts-2.csv”"
        in client.get(f"/visits/{visit.pk}/debrief/").content.decode()
    )
    # An observer who neither leads nor records does not attach.
    refused = client.post(f"/runs/{run.pk}/attachment/", {"file": upload("x.csv", CSV)})
    assert refused.status_code == 403
    client.force_login(personas.teacher)  # the host
    assert client.get(f"/runs/{run.pk}/attachment/").status_code == 404


def test_a_file_that_is_not_what_it_says_is_refused_with_a_message(client, personas):
    _, run = started(client, personas)
    page = client.post(
        f"/runs/{run.pk}/attachment/",
        {"file": upload("work.png", b"<html><script>alert(1)</script>")},
        follow=True,
    ).content.decode()
    assert "work.png is named .png, but what it holds is not PNG" in page
    missing = client.post(f"/runs/{run.pk}/attachment/", {}, follow=True).content.decode()
    assert "Choose a file to attach." in missing
    run.refresh_from_db()
    assert not run.attachment
    assert client.get(f"/runs/{run.pk}/attachment/").status_code == 404  # nothing attached


MIGRATION = importlib.import_module("visits.migrations.0010_debrief_step_notes_to_runs")


def another_visit(personas, like: Visit, structure: str) -> Visit:
    cycle = cycle_start(school=personas.school, structure=structure, title="T", by=personas.coach)
    return Visit.objects.create(cycle=cycle, date=like.date, slot=like.slot)


def test_notes_written_before_become_an_ended_run_of_the_structure_s_protocol(personas):
    _, rounds = make_round(personas, held=True)
    Debrief.objects.create(
        visit=rounds,
        step_notes={"Describe": "Pairs talked", "Analyze": " ", "An old step": "Kept words"},
        takeaways="Talk first",
    )
    walk = another_visit(personas, rounds, "walk")
    Debrief.objects.create(visit=walk, step_notes={"Did": "Most worked in pairs"})
    empty = another_visit(personas, rounds, "lab")
    Debrief.objects.create(visit=empty, step_notes={"What": ""}, takeaways="Only takeaways")

    MIGRATION.step_notes_to_runs(apps, None)

    run = Debrief.objects.get(visit=rounds).run
    assert run.protocol.library_key == "rounds-debrief" and run.ended_at is not None
    titles = [s["title"] for s in run.steps]
    assert titles == ["Describe", "Analyze", "Predict", "Next level of work", "An old step"]
    assert dict(run.notes.values_list("step", "text")) == {0: "Pairs talked", 4: "Kept words"}
    walk_run = Debrief.objects.get(visit=walk).run
    assert walk_run.protocol.library_key == "student-experience-debrief"
    assert list(walk_run.notes.values_list("step", "text")) == [(0, "Most worked in pairs")]
    assert Debrief.objects.get(visit=empty).run is None  # nothing written: nothing to keep
    MIGRATION.step_notes_to_runs(apps, None)  # run again, it changes nothing
    assert ProtocolRun.objects.count() == 2

    Debrief.objects.update(step_notes={})
    MIGRATION.runs_to_step_notes(apps, None)  # and back
    assert Debrief.objects.get(visit=rounds).step_notes == {
        "Describe": "Pairs talked",
        "An old step": "Kept words",
    }
