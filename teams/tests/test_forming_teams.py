"""A principal, coach or teacher leader forms a team from the school's active people, names
its facilitators, and sees each member with what they teach."""

import pytest
from django.contrib.auth.models import AnonymousUser

from opendoors import access
from teams.forms import NO_MEMBERS
from teams.models import Team, TeamKind

from .helpers import teacher_leader

pytestmark = pytest.mark.django_db


def test_a_teacher_leader_forms_a_grade_level_team_and_leads_it(client, personas):
    leader = teacher_leader(personas)
    client.force_login(leader)
    page = client.post(
        "/schools/lincoln/teams/new/",
        {
            "name": "  Grade 7   team ",
            "kind": TeamKind.GRADE_LEVEL,
            "members": [personas.teacher.pk, personas.colleague.pk],
        },
    )
    team = Team.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/teams/{team.pk}/"
    assert team.name == "Grade 7 team" and team.kind == TeamKind.GRADE_LEVEL
    # The teacher leader keeps the authority to lead the team they formed.
    roster = {m.person.username: m.is_facilitator for m in team.members.select_related("person")}
    assert roster == {"teacher": False, "colleague": False, "leader": True}
    page = client.get(f"/teams/{team.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "math · grade 7" in text and "science · grade 8" in text
    assert "Change the team" in text
    # On the school's list, for everyone at the school.
    client.force_login(personas.bystander)
    listing = client.get("/schools/lincoln/teams/").content.decode()
    assert "Grade 7 team" in listing and "3 members" in listing


def test_a_principal_names_facilitators_who_then_change_the_team(client, personas):
    client.force_login(personas.principal)
    client.post(
        "/schools/lincoln/teams/new/",
        {
            "name": "Science",
            "kind": TeamKind.DEPARTMENT,
            "members": [personas.colleague.pk],
            "facilitators": [personas.teacher.pk],
        },
    )
    team = Team.objects.get()
    # The principal is not put on a team they form; the facilitator is a member too.
    assert set(team.members.values_list("person__username", "is_facilitator")) == {
        ("colleague", False),
        ("teacher", True),
    }
    client.force_login(personas.teacher)
    page = client.post(
        f"/teams/{team.pk}/edit/",
        {
            "name": "Science",
            "kind": TeamKind.DEPARTMENT,
            "members": [personas.colleague.pk, personas.bystander.pk],
            "facilitators": [personas.teacher.pk],
        },
    )
    assert page.status_code == 302
    assert team.members.count() == 3
    # A member who does not facilitate cannot change it.
    client.force_login(personas.colleague)
    assert client.get(f"/teams/{team.pk}/edit/").status_code == 403


def test_a_team_with_no_members_is_refused_with_a_clear_message(client, personas):
    client.force_login(personas.principal)
    page = client.post("/schools/lincoln/teams/new/", {"name": "Nobody", "kind": TeamKind.OTHER})
    assert page.status_code == 400
    assert NO_MEMBERS in page.content.decode()
    assert not Team.objects.exists()


def test_deactivated_people_never_appear_in_the_pickers(client, personas):
    personas.bystander.is_active = False
    personas.bystander.save()
    client.force_login(personas.principal)
    page = client.get("/schools/lincoln/teams/new/").content.decode()
    assert "Bo Stander" not in page and "Ana Ortiz" in page
    page = client.post(
        "/schools/lincoln/teams/new/",
        {"name": "Ghosts", "kind": TeamKind.OTHER, "members": [personas.bystander.pk]},
    )
    assert page.status_code == 400 and not Team.objects.exists()


def test_junk_ids_and_a_second_team_of_the_same_name_are_messages(client, personas):
    client.force_login(personas.coach)
    data = {"name": "Grade 7", "kind": TeamKind.OTHER, "members": [personas.teacher.pk]}
    assert client.post("/schools/lincoln/teams/new/", data).status_code == 302
    again = client.post("/schools/lincoln/teams/new/", {**data, "name": "grade 7"})
    assert again.status_code == 400
    assert "already has a team called" in again.content.decode()
    junk = client.post("/schools/lincoln/teams/new/", {**data, "members": ["9" * 30, "x"]})
    assert junk.status_code == 400


def test_nobody_signed_out_sees_a_team(personas):
    assert not access.teams_visible_to(AnonymousUser()).exists()


def test_people_outside_the_team_see_its_name_but_not_its_page(client, personas):
    client.force_login(personas.coach)
    client.post(
        "/schools/lincoln/teams/new/",
        {"name": "Grade 7", "kind": TeamKind.OTHER, "members": [personas.teacher.pk]},
    )
    team = Team.objects.get()
    client.force_login(personas.bystander)
    listing = client.get("/schools/lincoln/teams/").content.decode()
    assert "Grade 7" in listing and f"/teams/{team.pk}/" not in listing
    assert client.get(f"/teams/{team.pk}/").status_code == 404
