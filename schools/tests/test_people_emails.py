"""A principal fixes the email address of someone nobody holds the account of yet, from the
People page: a typo made when adding them, or an address for someone who came without one.
The invitation goes to the new address, one sent to the old address stops working, and the
old address is told. Whoever has signed in, set a password or connected a single sign-on
changes their own address (on their account page, with their password); a district leader's
address is changed by a district leader, and the address of someone who also works at
another school by whoever manages that school too."""

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail

from schools.models import AuditEntry, Person
from schools.services import person_invite

from .test_invitations import NEW_PASSWORD, PEOPLE, link_in, newcomer

pytestmark = pytest.mark.django_db


def set_email(client, person, email, invite=True):
    data = {f"e{person.pk}-email": email}
    if invite:
        data[f"e{person.pk}-invite"] = "on"
    return client.post(f"{PEOPLE}{person.pk}/email/", data, follow=True)


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.mark.django_db(transaction=True)
def test_a_mistyped_address_is_fixed_the_invitation_goes_to_the_new_one_and_the_old_is_told(
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

    assert "Cy Coach's address is now cy@example.org, and the invitation was sent there." in (
        text(response)
    )
    cy.refresh_from_db()
    assert cy.email == "cy@example.org" and cy.invited_at is not None
    changed = AuditEntry.objects.get(action="email_changed")
    assert (changed.actor, changed.subject) == (personas.principal, cy)
    assert "from cy@exmaple.org to cy@example.org" in changed.summary
    sent = AuditEntry.objects.filter(action="invitation_sent").latest("pk")
    assert "(cy@example.org)" in sent.summary
    run_tasks()
    notice, invitation = mail.outbox[1:]
    assert notice.to == ["cy@exmaple.org"] and "was changed" in notice.subject
    assert "principal changed the email address" in notice.body
    assert invitation.to == ["cy@example.org"]

    client.logout()
    assert "This invitation has expired" in client.get(old_link).content.decode()
    client.post(link_in(invitation), NEW_PASSWORD)
    cy.refresh_from_db()
    assert cy.check_password(NEW_PASSWORD["new_password1"])


def test_someone_without_an_address_gets_one_without_an_invitation_if_unticked(client, personas):
    bo = newcomer(personas.school, username="bo", first_name="Bo", last_name="Stander", email="")
    client.force_login(personas.principal)
    page = client.get(PEOPLE).content.decode()
    assert "No email address yet: add one with “Email” to invite them." in page
    assert re.search(rf'name="e{bo.pk}-invite"[^>]*checked', page)

    response = set_email(client, bo, "bo@example.org", invite=False)

    assert "no invitation was sent" in response.content.decode()
    bo.refresh_from_db()
    assert bo.email == "bo@example.org" and bo.invited_at is None
    assert len(mail.outbox) == 0  # no old address to tell


def refused(client, person, email, says):
    before = Person.objects.get(pk=person.pk).email
    page = text(set_email(client, person, email))
    assert f"Email of {person} not saved: " in page and says in page
    assert Person.objects.get(pk=person.pk).email == before


def test_what_a_principal_may_not_change_is_refused_with_the_reason_and_left_alone(
    client, personas
):
    client.force_login(personas.principal)
    held = "has signed in or set a password"
    # Whoever holds the account changes their own address, with their password: they signed
    # in, set a password ("Forgot your password?"), or connected a single sign-on.
    Person.objects.filter(pk=personas.colleague.pk).update(last_login="2026-11-30T08:00Z")
    refused(client, personas.colleague, "ben@example.org", held)
    refused(client, personas.principal, "me@example.org", held)
    refused(client, personas.teacher, "ana@example.org", held)  # a password, never signed in
    sso = newcomer(personas.school, username="so", first_name="So", email="so@example.org")
    SocialAccount.objects.create(user=sso, provider="classlink", uid="so-1")
    refused(client, sso, "so@example.net", held)
    # A district leader's address is a district leader's to change.
    lea = newcomer(personas.school, username="lea", first_name="Lea", email="lea@example.org")
    lea.memberships.create(school=personas.school, role="district_leader")
    refused(client, lea, "lea@example.net", "Only a district leader")
    # Someone who also works at Roosevelt, whose principal this one is not.
    bo = newcomer(personas.school, username="bo", first_name="Bo", email="bo@example.org")
    bo.memberships.create(school=personas.other_school, role="teacher")
    refused(client, bo, "bo@example.net", "also works at a school whose people you do not")
    # Someone deactivated; an address someone else has; one that is not an address.
    gone = newcomer(personas.school, username="gone", first_name="Gus", email="gus@example.org")
    Person.objects.filter(pk=gone.pk).update(is_active=False)
    refused(client, gone, "gus@example.net", "is deactivated")
    cy = newcomer(personas.school)
    refused(client, cy, "outsider@example.org", "is already someone's address")
    refused(client, cy, "not an address", "Enter a valid email address.")
    assert not AuditEntry.objects.filter(action="email_changed").exists()
    assert len(mail.outbox) == 0


def test_a_district_leader_changes_a_district_leader_s_address_and_anyone_s_across_schools(
    client, personas
):
    lea = newcomer(personas.school, username="lea", first_name="Lea", email="lea@example.org")
    lea.memberships.create(school=personas.school, role="district_leader")
    bo = newcomer(personas.school, username="bo", first_name="Bo", email="bo@example.org")
    bo.memberships.create(school=personas.other_school, role="teacher")
    client.force_login(personas.district_leader)
    set_email(client, lea, "lea@example.net", invite=False)
    set_email(client, bo, "bo@example.net", invite=False)
    assert Person.objects.get(pk=lea.pk).email == "lea@example.net"
    assert Person.objects.get(pk=bo.pk).email == "bo@example.net"
    assert AuditEntry.objects.filter(action="email_changed").count() == 2


def test_the_same_address_again_changes_nothing(client, personas):
    cy = newcomer(personas.school)
    client.force_login(personas.principal)
    response = set_email(client, cy, "CY@example.org")
    assert "address is cy@example.org already" in response.content.decode()
    assert not AuditEntry.objects.filter(action="email_changed").exists()
