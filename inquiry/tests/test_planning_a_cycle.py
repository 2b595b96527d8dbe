"""A coach plans a cycle: structure presets, the focus, look-fors, the evidence tool, people."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inquiry.models import Cycle, LookFor, ParticipantRole, PreBrief
from inquiry.structures import PRESETS, Structure

pytestmark = pytest.mark.django_db


def start(client, personas, structure=Structure.ROUNDS, title="Discourse rounds") -> Cycle:
    client.force_login(personas.coach)
    response = client.post("/schools/lincoln/cycles/new/", {"structure": structure, "title": title})
    cycle = Cycle.objects.get(title=title)
    assert response["Location"] == f"/cycles/{cycle.pk}/focus/"
    return cycle


@pytest.mark.parametrize("structure", Structure.values)
def test_each_structure_presets_the_cycle_and_its_starter_facilitates(client, personas, structure):
    cycle = start(client, personas, structure)
    preset = PRESETS[structure]
    assert (cycle.grouping, cycle.visit_minutes, cycle.debrief_timing) == (
        preset.grouping,
        preset.visit_minutes,
        preset.debrief_timing,
    )
    assert cycle.needs_problem_of_practice == preset.needs_problem_of_practice
    assert [p["kind"] for p in cycle.evidence_tool] == [p["kind"] for p in preset.evidence_tool]
    assert cycle.participants.get().person == personas.coach
    assert cycle.participants.get().role == ParticipantRole.FACILITATOR


def test_every_preset_can_be_changed(client, personas):
    cycle = start(client, personas, Structure.LAB)
    response = client.post(
        f"/cycles/{cycle.pk}/settings/",
        {
            "title": "Lab: number talks",
            "stage": "planning",
            "grouping": "pair",
            "visit_minutes": 20,
            "debrief_timing": "within_24_hours",
            "needs_problem_of_practice": "",
            "needs_pre_brief": "on",
        },
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.grouping, cycle.visit_minutes, cycle.needs_problem_of_practice) == (
        "pair",
        20,
        False,
    )


def test_an_impossible_visit_length_is_refused(client, personas):
    cycle = start(client, personas)
    response = client.post(
        f"/cycles/{cycle.pk}/settings/",
        {
            "title": "x",
            "stage": "planning",
            "grouping": "group",
            "visit_minutes": 1000,
            "debrief_timing": "immediately",
        },
    )
    assert response.status_code == 400
    assert "between 5 and 240 minutes" in response.content.decode()


def test_the_focus_with_its_criteria_theory_of_action_and_data(client, personas):
    cycle = start(client, personas)
    page = client.get(f"/cycles/{cycle.pk}/focus/").content.decode()
    assert "Is directly observable" in page and "Is high-leverage" in page
    response = client.post(
        f"/cycles/{cycle.pk}/focus/",
        {
            "problem_of_practice": "What is the evidence that students are engaged with the "
            "writing learning target?",
            "is_directly_observable": "on",
            "is_actionable": "on",
            "theory_of_action": "If students are engaged with the writing learning target, then "
            "the opportunities increase for them to show proficiency in writing.",
            "informed_by": "Spring writing benchmark",
            "initiative": "Writing across the curriculum",
            "data_file": SimpleUploadedFile("benchmark.csv", b"student,score\nA,3\n"),
        },
    )
    assert response["Location"] == f"/cycles/{cycle.pk}/look-fors/"
    cycle.refresh_from_db()
    assert cycle.criteria_met == 2
    assert cycle.data_file.read() == b"student,score\nA,3\n"


@pytest.mark.parametrize(
    ("theory", "missing"),
    [
        ("If students talk more they will learn more.", "“then …”"),
        ("Students will learn more when they talk, then write.", "“If”"),
    ],
)
def test_a_theory_of_action_must_read_if_then(client, personas, theory, missing):
    cycle = start(client, personas)
    response = client.post(
        f"/cycles/{cycle.pk}/focus/",
        {"problem_of_practice": "Student talk", "theory_of_action": theory},
    )
    assert response.status_code == 400
    assert f"this one has no {missing}" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.problem_of_practice == ""  # nothing half-saved


def test_look_fors_are_added_reordered_retired_and_merged(client, personas):
    cycle = start(client, personas)
    for text, kind in [
        ("Students ask each other questions", "oral"),
        ("Students refer to the anchor chart", "visual"),
        ("Students question their partners", "oral"),
        ("The room has anchor charts", "visual"),
    ]:
        client.post(f"/cycles/{cycle.pk}/look-fors/", {"text": text, "kind": kind})
    first, second, third, fourth = cycle.look_fors.all()
    client.post(f"/cycles/{cycle.pk}/look-fors/{second.pk}/", {"action": "up"})
    assert [lf.pk for lf in cycle.look_fors.all()][:2] == [second.pk, first.pk]
    client.post(f"/cycles/{cycle.pk}/look-fors/{fourth.pk}/", {"action": "retire"})
    client.post(
        f"/cycles/{cycle.pk}/look-fors/merge/",
        {"keep": first.pk, "others": [third.pk], "text": "Students ask peers questions"},
    )
    first.refresh_from_db()
    third.refresh_from_db()
    assert first.text == "Students ask peers questions"
    assert third.retired and third.merged_into == first
    assert list(cycle.look_fors.filter(retired=False)) == [second, first]


def test_a_look_for_not_about_students_gets_a_gentle_warning(client, personas):
    cycle = start(client, personas)
    response = client.post(
        f"/cycles/{cycle.pk}/look-fors/",
        {"text": "Teacher uses wait time", "kind": "oral"},
        follow=True,
    )
    assert "phrased about students" in response.content.decode()
    assert LookFor.objects.filter(cycle=cycle).count() == 1


def test_an_empty_look_for_is_refused(client, personas):
    cycle = start(client, personas)
    response = client.post(f"/cycles/{cycle.pk}/look-fors/", {"text": "  ", "kind": "oral"})
    assert response.status_code == 400
    assert not cycle.look_fors.exists()


def test_the_evidence_tool_is_built_from_parts_and_previewed(client, personas):
    cycle = start(client, personas)  # rounds: checklist, talk time, notes
    client.post(f"/cycles/{cycle.pk}/look-fors/", {"text": "Students justify", "kind": "oral"})
    parts = f"/cycles/{cycle.pk}/evidence-tool/parts/"
    response = client.post(
        parts,
        {
            "action": "add",
            "kind": "tally",
            "title": "Question types",
            "labels": "Recall\nOpen-ended\n\nStudent to student",
        },
    )
    assert response.status_code == 302
    client.post(parts, {"action": "up", "index": 3})  # the tally above the notes
    client.post(parts, {"action": "remove", "index": 3})  # the notes go
    cycle.refresh_from_db()
    assert cycle.evidence_tool == [
        {"kind": "checklist"},
        {"kind": "talk_time"},
        {
            "kind": "tally",
            "title": "Question types",
            "labels": ["Recall", "Open-ended", "Student to student"],
        },
    ]
    preview = client.get(f"/cycles/{cycle.pk}/evidence-tool/preview/").content.decode()
    assert "Students justify" in preview and "Open-ended" in preview and "Teacher talk" in preview


def test_tally_counters_without_labels_are_refused(client, personas):
    cycle = start(client, personas)
    response = client.post(
        f"/cycles/{cycle.pk}/evidence-tool/parts/",
        {"action": "add", "kind": "tally", "labels": "  \n"},
        follow=True,
    )
    assert "at least one label" in response.content.decode()
    cycle.refresh_from_db()
    assert "tally" not in [part["kind"] for part in cycle.evidence_tool]


def test_the_tool_starts_again_from_its_template(client, personas):
    cycle = start(client, personas, Structure.WALK)
    cycle.evidence_tool = [{"kind": "notes"}]
    cycle.save()
    client.post(f"/cycles/{cycle.pk}/evidence-tool/", {"action": "template"})
    cycle.refresh_from_db()
    assert cycle.evidence_tool[0]["kind"] == "student_prompts"


def test_people_and_the_hosts_pre_brief(client, personas):
    cycle = start(client, personas, Structure.LAB)
    client.post(
        f"/cycles/{cycle.pk}/people/",
        {
            "observers": [personas.colleague.pk, personas.principal.pk],
            "hosts": [personas.teacher.pk],
            "facilitators": [personas.coach.pk],
        },
    )
    assert set(cycle.participants.values_list("person__username", "role")) == {
        ("colleague", "observer"),
        ("principal", "observer"),
        ("teacher", "host"),
        ("coach", "facilitator"),
    }
    client.force_login(personas.teacher)
    client.post(
        f"/cycles/{cycle.pk}/pre-briefs/{personas.teacher.pk}/",
        {
            "instructional_goal": "Students compare two strategies",
            "expectations": "Sit with a group",
            "focus": "Who explains, who listens",
        },
    )
    assert PreBrief.objects.get(cycle=cycle).host == personas.teacher
    client.force_login(personas.principal)
    overview = client.get(f"/cycles/{cycle.pk}/").content.decode()
    assert "Students compare two strategies" in overview


def test_a_cycle_keeps_a_facilitator(client, personas):
    cycle = start(client, personas)
    response = client.post(f"/cycles/{cycle.pk}/people/", {"observers": [personas.teacher.pk]})
    assert response.status_code == 400
    assert cycle.participants.filter(role="facilitator").exists()


def test_someone_from_another_school_cannot_be_invited(client, personas):
    cycle = start(client, personas)
    response = client.post(
        f"/cycles/{cycle.pk}/people/",
        {"observers": [personas.outsider.pk], "facilitators": [personas.coach.pk]},
    )
    assert response.status_code == 400
    assert not cycle.participants.filter(person=personas.outsider).exists()
