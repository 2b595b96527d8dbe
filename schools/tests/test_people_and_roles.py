"""A school's People page: its principals and the district's leaders see everyone with their
roles, what they teach and whether they can sign in; they add people, change roles, deactivate
someone who left and reactivate them. Every change is written to the district's audit log."""

import pytest

from inquiry.selectors import staff_for_cycle
from inquiry.tests.factories import make_round
from schools.models import AuditEntry, Membership, Person, Role
from schools.tests.factories import PASSWORD, make_person
from visits.forms import VisitPlanForm
from visits.rules import cover_candidates

pytestmark = pytest.mark.django_db

PEOPLE = "/schools/lincoln/people/"


def people_url(person: Person, action: str) -> str:
    return f"{PEOPLE}{person.pk}/{action}/"


def test_the_principal_sees_everyone_with_roles_subjects_and_sign_in(client, personas):
    client.force_login(personas.principal)
    page = client.get(PEOPLE)
    assert page.status_code == 200
    rows = {row.person.username: row for row in page.context["rows"]}
    assert set(rows) == {
        "teacher", "colleague", "coach", "principal", "district", "vice", "bystander"
    }  # fmt: skip
    ana = rows["teacher"]
    assert ana.roles == ["teacher"] and ana.subjects == ["math"] and ana.grades == ["7"]
    assert rows["coach"].role_labels == ["Coach", "Facilitator / teacher leader"]
    assert ana.can_sign_in and not ana.person.last_login
    html = page.content.decode()
    assert "Not signed in yet" in html and "math · grade 7" in html


def test_filters_narrow_by_role_status_and_name_or_email(client, personas):
    personas.bystander.is_active = False
    personas.bystander.save()
    client.force_login(personas.district_leader)

    def names(query: str) -> set[str]:
        return {row.person.username for row in client.get(PEOPLE + query).context["rows"]}

    assert names("?role=coach") == {"coach"}
    assert names("?status=inactive") == {"bystander"}
    assert "bystander" not in names("?status=active")
    assert names("?q=ortiz") == {"teacher"}
    assert names("?q=colleague%40example") == {"colleague"}
    # Junk in the query string is ignored, never a server error.
    assert len(names("?role=king&status=asleep")) == 7
    assert "Nobody matches" in client.get(PEOPLE + "?q=nobody-here").content.decode()


def test_adding_a_person_gives_them_roles_no_password_yet_and_an_audit_entry(client, personas):
    client.force_login(personas.principal)
    response = client.post(
        PEOPLE,
        {"first_name": "Cy", "last_name": "Coach", "email": "Cy@Example.org", "roles": ["coach"]},
        follow=True,
    )
    assert "Cy Coach added" in response.content.decode()
    cy = Person.objects.get(email="cy@example.org")
    assert not cy.has_usable_password()
    assert set(cy.memberships.values_list("school__slug", "role")) == {("lincoln", "coach")}
    entry = AuditEntry.objects.get(action="person_added")
    assert (entry.actor, entry.subject, entry.school) == (personas.principal, cy, personas.school)
    assert "cy@example.org" in entry.summary


def test_someone_added_sets_their_password_through_forgot_your_password(
    client, personas, mailoutbox
):
    client.force_login(personas.principal)
    client.post(
        PEOPLE,
        {"first_name": "Cy", "last_name": "Coach", "email": "cy@example.org", "roles": ["coach"]},
    )
    client.logout()
    client.post("/accounts/password/reset/", {"email": "cy@example.org"})
    assert [message.to for message in mailoutbox] == [["cy@example.org"]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_an_email_already_used_or_no_role_is_refused_with_a_reason(client, personas):
    client.force_login(personas.principal)
    response = client.post(
        PEOPLE,
        {"first_name": "A", "last_name": "B", "email": "TEACHER@example.org", "roles": []},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "already someone&#x27;s address" in html and "Tick at least one role" in html
    assert not AuditEntry.objects.exists()


def test_only_a_district_leader_makes_someone_a_district_leader(client, personas):
    client.force_login(personas.principal)
    response = client.post(
        PEOPLE,
        {
            "first_name": "D",
            "last_name": "L",
            "email": "dl@example.org",
            "roles": ["district_leader"],
        },
    )
    assert response.status_code == 400
    client.post(
        people_url(personas.teacher, "roles"),
        {f"p{personas.teacher.pk}-roles": ["district_leader"]},
    )
    assert Role.DISTRICT_LEADER not in set(
        personas.teacher.memberships.values_list("role", flat=True)
    )
    client.force_login(personas.district_leader)
    client.post(
        people_url(personas.teacher, "roles"),
        {f"p{personas.teacher.pk}-roles": ["teacher", "district_leader"]},
    )
    assert set(personas.teacher.memberships.values_list("role", flat=True)) == {
        "teacher",
        "district_leader",
    }


def test_changing_roles_is_saved_with_a_message_and_written_to_the_log(client, personas):
    client.force_login(personas.principal)
    key = f"p{personas.colleague.pk}-roles"
    response = client.post(
        people_url(personas.colleague, "roles"), {key: ["teacher", "facilitator"]}, follow=True
    )
    assert "Roles of Ben Lee saved." in response.content.decode()
    assert set(personas.colleague.memberships.values_list("role", flat=True)) == {
        "teacher",
        "facilitator",
    }
    assert "added facilitator" in AuditEntry.objects.get().summary
    # The same roles again: nothing changes, nothing is logged.
    response = client.post(
        people_url(personas.colleague, "roles"), {key: ["facilitator", "teacher"]}, follow=True
    )
    assert "roles are unchanged" in response.content.decode()
    # No role at all is refused: someone who left is deactivated instead.
    response = client.post(people_url(personas.colleague, "roles"), {}, follow=True)
    assert "tick at least one role" in response.content.decode()
    response = client.post(people_url(personas.colleague, "roles"), {key: ["king"]}, follow=True)
    assert "choose roles from the list" in response.content.decode()
    assert AuditEntry.objects.count() == 1


def test_a_principal_cannot_remove_their_own_principal_role_or_deactivate_themselves(
    client, personas
):
    client.force_login(personas.principal)
    me = personas.principal
    response = client.post(people_url(me, "roles"), {f"p{me.pk}-roles": ["teacher"]}, follow=True)
    assert "cannot remove your own principal" in response.content.decode()
    assert set(me.memberships.values_list("role", flat=True)) == {"principal"}
    response = client.post(people_url(me, "deactivate"), follow=True)
    assert "cannot deactivate yourself" in response.content.decode()
    me.refresh_from_db()
    assert me.is_active and not AuditEntry.objects.exists()
    # Adding a role to oneself is fine.
    client.post(people_url(me, "roles"), {f"p{me.pk}-roles": ["principal", "teacher"]})
    assert Membership.objects.filter(person=me, role="teacher").exists()


def test_a_principal_cannot_deactivate_a_district_leader(client, personas):
    client.force_login(personas.principal)
    response = client.post(people_url(personas.district_leader, "deactivate"), follow=True)
    assert "Only a district leader" in response.content.decode()
    personas.district_leader.refresh_from_db()
    assert personas.district_leader.is_active


def test_someone_deactivated_cannot_sign_in_and_leaves_every_picker(client, personas):
    cycle, visit = make_round(personas)
    assert personas.teacher.pk in {m.person.pk for m in staff_for_cycle(cycle).members}
    client.force_login(personas.principal)
    response = client.post(people_url(personas.teacher, "deactivate"), follow=True)
    assert "Ana Ortiz is deactivated" in response.content.decode()
    teacher = Person.objects.get(pk=personas.teacher.pk)
    assert not teacher.is_active
    assert AuditEntry.objects.get().action == "person_deactivated"
    # She can no longer sign in.
    client.logout()
    client.post("/accounts/login/", {"login": "teacher", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    # What she took part in stays, in her name.
    assert visit.classrooms.get().host == teacher
    # She leaves the cover pool, the cycle's People cards and the visit form's choices.
    assert teacher not in cover_candidates(cycle)
    assert teacher.pk not in {m.person.pk for m in staff_for_cycle(cycle).members}
    form = VisitPlanForm(cycle=cycle, term=visit.slot.term, covers=cover_candidates(cycle))
    assert teacher not in form.fields["hosts"].queryset
    # Reactivated, she can sign in again.
    client.force_login(personas.principal)
    response = client.post(people_url(teacher, "reactivate"), follow=True)
    assert "Ana Ortiz can sign in again" in response.content.decode()
    assert AuditEntry.objects.filter(action="person_reactivated").exists()
    client.logout()
    client.post("/accounts/login/", {"login": "teacher", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(teacher.pk)


def test_deactivating_twice_changes_nothing_more(client, personas):
    client.force_login(personas.principal)
    client.post(people_url(personas.bystander, "deactivate"))
    client.post(people_url(personas.bystander, "deactivate"))
    assert AuditEntry.objects.count() == 1
    page = client.get(PEOPLE)
    assert "Deactivated" in page.content.decode()


def test_a_person_of_another_school_is_not_found_here(client, personas):
    client.force_login(personas.principal)
    assert client.post(people_url(personas.outsider, "deactivate")).status_code == 404


def test_the_audit_log_lists_changes_newest_first_and_by_school(client, personas):
    extra = make_person("newbie", personas.other_school, "teacher")
    client.force_login(personas.principal)
    client.post(people_url(personas.bystander, "deactivate"))
    client.post(people_url(personas.bystander, "reactivate"))
    client.force_login(personas.district_leader)
    client.post(f"/schools/roosevelt/people/{extra.pk}/deactivate/")
    page = client.get("/district/riverbend/audit/")
    entries = list(page.context["entries"])
    assert [e.action for e in entries] == [
        "person_deactivated",
        "person_reactivated",
        "person_deactivated",
    ]
    lincoln = client.get(f"/district/riverbend/audit/?school={personas.school.pk}")
    assert len(lincoln.context["entries"]) == 2
    # A school id that is not one is ignored: the whole log.
    junk = client.get("/district/riverbend/audit/?school=abc")
    assert junk.status_code == 200 and len(junk.context["entries"]) == 3


def test_the_people_link_is_in_the_school_bar_and_on_the_home_card_for_managers(client, personas):
    client.force_login(personas.principal)
    assert PEOPLE in client.get("/schools/lincoln/schedule/").content.decode()
    assert PEOPLE in client.get("/").content.decode()
    client.force_login(personas.district_leader)
    home = client.get("/").content.decode()
    assert PEOPLE in home and "/schools/roosevelt/people/" in home
    assert "/district/riverbend/audit/" in home
    client.force_login(personas.coach)
    assert PEOPLE not in client.get("/schools/lincoln/schedule/").content.decode()
    assert PEOPLE not in client.get("/").content.decode()
