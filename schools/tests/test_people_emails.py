"""A principal fixes the email address of someone who has not signed in yet, from the People
page: a typo made when adding them, or an address for someone who came without one. The
invitation goes to the new address, and one sent to the old address stops working. Whoever
has signed in changes their own address (on their account page, with their password); a
district leader's address is changed by a district leader, and the address of someone who
also works at another school by whoever manages that school too."""

import re

import pytest
from django.core import mail

from schools.models import AuditEntry, Person
from schools.services import person_invite
from schools.tests.factories import make_person

from .test_invitations import NEW_PASSWORD, PEOPLE, link_in, newcomer

pytestmark = pytest.mark.django_db


def set_email(client, person, email, invite=True):
    data = {f"e{person.pk}-email": email}
    if invite:
        data[f"e{person.pk}-invite"] = "on"
    return client.post(f"{PEOPLE}{person.pk}/email/", data, follow=True)


@pytest.mark.django_db(transaction=True)
def test_a_mistyped_address_is_fixed_and_the_invitation_goes_to_the_new_one(
    client, personas, run_tasks
):
    cy = newcomer(personas.school, email="cy@exmaple.org")
    person_invite(school=personas.school, person=cy, actor=personas.principal)
    run_tasks()
    [mistyped] = mail.outbox
    old_link = link_in(mistyped)
    client.force_login(personas.principal)
    page = client.get(PEOPLE).content.decode()
    assert f'action="{PEOPLE}{cy.pk}/email/"' in page

    response = set_email(client, cy, " Cy@Example.org ")

    assert "Cy Coach’s address is now cy@example.org, and the invitation was sent there." in (
        response.content.decode().replace("&#x27;", "’").replace("'", "’")
    )
    cy.refresh_from_db()
    assert cy.email == "cy@example.org" and cy.invited_at is not None
    changed = AuditEntry.objects.get(action="email_changed")
    assert (changed.actor, changed.subject) == (personas.principal, cy)
    assert "from cy@exmaple.org to cy@example.org" in changed.summary
    run_tasks()
    assert [m.to for m in mail.outbox] == [["cy@exmaple.org"], ["cy@example.org"]]

    client.logout()
    assert "This invitation has expired" in client.get(old_link).content.decode()
    new_link = link_in(mail.outbox[1])
    client.post(new_link, NEW_PASSWORD)
    cy.refresh_from_db()
    assert cy.check_password(NEW_PASSWORD["new_password1"])


def test_someone_without_an_address_gets_one_without_an_invitation_if_unticked(client, personas):
    Person.objects.filter(pk=personas.bystander.pk).update(email="")
    client.force_login(personas.principal)
    page = client.get(PEOPLE).content.decode()
    assert "No email address yet: add one with “Email” to invite them." in page

    response = set_email(client, personas.bystander, "bo@example.org", invite=False)

    assert "no invitation was sent" in response.content.decode()
    personas.bystander.refresh_from_db()
    assert personas.bystander.email == "bo@example.org"
    assert personas.bystander.invited_at is None
    assert re.search(rf'name="e{personas.bystander.pk}-invite"[^>]*checked', page)


def refused(client, person, email, says):
    before = Person.objects.get(pk=person.pk).email
    page = set_email(client, person, email).content.decode().replace("&#x27;", "'")
    assert f"Email of {person} not saved: " in page and says in page
    assert Person.objects.get(pk=person.pk).email == before


def test_what_a_principal_may_not_change_is_refused_with_the_reason_and_left_alone(
    client, personas
):
    client.force_login(personas.principal)
    # Who signed in changes their own address, with their password.
    Person.objects.filter(pk=personas.colleague.pk).update(last_login="2026-11-30T08:00Z")
    refused(client, personas.colleague, "ben@example.org", "Ben Lee has signed in")
    refused(client, personas.principal, "me@example.org", "principal has signed in")
    # A district leader's address is a district leader's to change.
    refused(client, personas.district_leader, "d@example.org", "Only a district leader")
    # Someone who also works at Roosevelt: its principal is not this one.
    personas.bystander.memberships.create(school=personas.other_school, role="teacher")
    refused(client, personas.bystander, "bo@example.org", "Bo Stander also works at a school")
    # An address someone else has, or one that is not an address.
    refused(client, personas.teacher, "outsider@example.org", "is already someone's address")
    refused(client, personas.teacher, "not an address", "Enter a valid email address.")
    assert not AuditEntry.objects.filter(action="email_changed").exists()
    assert len(mail.outbox) == 0


def test_a_district_leader_changes_a_district_leader_s_address_and_anyone_s_across_schools(
    client, personas
):
    other_leader = make_person("lea", personas.school, "district_leader")
    personas.bystander.memberships.create(school=personas.other_school, role="teacher")
    client.force_login(personas.district_leader)
    set_email(client, other_leader, "lea@example.net", invite=False)
    set_email(client, personas.bystander, "bo@example.net", invite=False)
    assert Person.objects.get(pk=other_leader.pk).email == "lea@example.net"
    assert Person.objects.get(pk=personas.bystander.pk).email == "bo@example.net"
    assert AuditEntry.objects.filter(action="email_changed").count() == 2


def test_the_same_address_again_changes_nothing(client, personas):
    client.force_login(personas.principal)
    response = set_email(client, personas.teacher, "TEACHER@example.org")
    assert "address is teacher@example.org already" in response.content.decode()
    assert not AuditEntry.objects.filter(action="email_changed").exists()
