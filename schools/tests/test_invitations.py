"""Invitations: someone added on the People page, or new in an applied import, gets an email
with a link to set their password. The link signs them in once, expires like a password
reset, and answers a clear page (never an error) when it no longer works. The People page
shows who was invited and sends again, not more than once in ten minutes. Nobody signs
themselves up."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from opendoors import access
from rosters.tests.test_oneroster_reader import write_folder, zip_folder
from schools.models import AuditEntry, Person, ScheduleImport
from schools.services import invitation_link, invitation_send, people_to_invite, person_invite

PEOPLE = "/schools/lincoln/people/"
EXPIRED = "This invitation has expired or was already used"
NEW_PASSWORD = {"new_password1": "a-door-left-open-7", "new_password2": "a-door-left-open-7"}
SSO = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "classlink",
                "name": "ClassLink",
                "client_id": "id",
                "secret": "secret",
                "settings": {"server_url": "https://launchpad.classlink.com"},
            }
        ]
    }
}


def link_in(message) -> str:
    """The path of the invitation link in an email."""
    found = re.search(r"https?://\S+(/accounts/invitation/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


def path_of(url: str) -> str:
    return url[url.index("/accounts/") :]


def newcomer(school, **fields) -> Person:
    """Someone added with no password yet, as the People page and imports make them."""
    person = Person(username="cy", first_name="Cy", last_name="Coach", email="cy@example.org")
    for name, value in fields.items():
        setattr(person, name, value)
    person.set_unusable_password()
    person.save()
    person.memberships.create(school=school, role="coach")
    return person


class FourDaysAgo(PasswordResetTokenGenerator):
    """Django's own token, as it was made four days ago (past PASSWORD_RESET_TIMEOUT)."""

    def _now(self):
        return datetime.now() - timedelta(days=4)


@pytest.mark.django_db(transaction=True)
def test_a_principal_adds_a_coach_who_sets_a_password_from_the_email_and_is_signed_in(
    client, personas, run_tasks
):
    client.force_login(personas.principal)
    response = client.post(
        PEOPLE,
        {
            "first_name": "Cy",
            "last_name": "Coach",
            "email": "cy@example.org",
            "roles": ["coach"],
            "invite": "on",
        },
        follow=True,
    )
    assert "Cy Coach added and invited" in response.content.decode()
    cy = Person.objects.get(email="cy@example.org")
    assert cy.invited_at is not None and not cy.has_usable_password()
    entry = AuditEntry.objects.get(action="invitation_sent")
    assert (entry.actor, entry.subject) == (personas.principal, cy)
    assert mail.outbox == []  # the task worker sends it, not the page

    run_tasks()
    [message] = mail.outbox
    assert message.to == ["cy@example.org"]
    assert message.subject == "Your OpenDoors account at Lincoln School"
    assert "Sign in with" not in message.body  # no single sign-on here
    link = link_in(message)

    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Welcome, Cy Coach" in html and "Lincoln School" in html
    response = client.post(link, NEW_PASSWORD, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert client.session["_auth_user_id"] == str(cy.pk)
    assert "Welcome to OpenDoors, Cy" in response.content.decode()
    cy.refresh_from_db()
    assert cy.check_password(NEW_PASSWORD["new_password1"])

    # The link is used: it opens nothing a second time, even signed out.
    client.logout()
    again = client.get(link)
    assert again.status_code == 200 and EXPIRED in again.content.decode()
    client.post(link, {"new_password1": "x-y-z-other-9", "new_password2": "x-y-z-other-9"})
    cy.refresh_from_db()
    assert cy.check_password(NEW_PASSWORD["new_password1"])


def test_adding_without_an_invitation_sends_none_and_says_how_to_send_it(client, personas):
    client.force_login(personas.principal)
    response = client.post(
        PEOPLE,
        {"first_name": "Di", "last_name": "Lee", "email": "di@example.org", "roles": ["teacher"]},
        follow=True,
    )
    assert "once you send them an invitation" in response.content.decode()
    assert Person.objects.get(email="di@example.org").invited_at is None
    assert not AuditEntry.objects.filter(action="invitation_sent").exists()
    # The form offers the invitation ticked.
    page = client.get(PEOPLE).content.decode()
    assert re.search(r'name="invite"[^>]*checked', page)


def test_a_mismatched_or_weak_password_is_refused_on_the_page(client, personas):
    cy = newcomer(personas.school)
    link = path_of(invitation_link(cy))
    response = client.post(link, {"new_password1": "abc", "new_password2": "abd"})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    # Nothing was used up: the link still works.
    assert "Welcome, Cy Coach" in client.get(link).content.decode()


def test_an_expired_link_says_so_and_changes_nothing(client, personas):
    cy = newcomer(personas.school)
    uidb64 = urlsafe_base64_encode(force_bytes(cy.pk))
    link = f"/accounts/invitation/{uidb64}/{FourDaysAgo().make_token(cy)}/"
    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert EXPIRED in html and "Ask your principal to send a new one" in html
    assert "Forgot your password?" in html
    client.post(link, NEW_PASSWORD)
    cy.refresh_from_db()
    assert not cy.has_usable_password() and "_auth_user_id" not in client.session


def test_signing_in_another_way_ends_the_invitation(client, personas):
    link = path_of(invitation_link(personas.teacher))  # she has a password, never signed in
    assert "Welcome, Ana Ortiz" in client.get(link).content.decode()
    client.post("/accounts/login/", {"login": "teacher", "password": "a-long-test-password"})
    client.logout()
    assert EXPIRED in client.get(link).content.decode()


def test_someone_deactivated_or_erased_cannot_use_their_invitation(client, personas):
    cy = newcomer(personas.school)
    link = path_of(invitation_link(cy))
    Person.objects.filter(pk=cy.pk).update(is_active=False)
    assert EXPIRED in client.get(link).content.decode()
    Person.objects.filter(pk=cy.pk).update(is_active=True, erased_at=timezone.now())
    assert EXPIRED in client.get(link).content.decode()
    client.post(link, NEW_PASSWORD)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("uidb64", "token"),
    [
        ("a", "x"),  # not base64
        ("_w", "x"),  # base64, but not text
        ("YWJj", "x"),  # "abc": not an id
        (urlsafe_base64_encode(b"99999999999999999999999"), "x"),  # larger than any id
        (urlsafe_base64_encode(b"424242"), "x"),  # nobody
    ],
)
def test_a_link_that_is_not_one_answers_the_same_page(client, personas, uidb64, token):
    page = client.get(f"/accounts/invitation/{uidb64}/{token}/")
    assert page.status_code == 200 and EXPIRED in page.content.decode()


def test_a_wrong_token_for_a_real_person_opens_nothing(personas):
    uidb64 = urlsafe_base64_encode(force_bytes(personas.teacher.pk))
    assert access.person_for_invitation(uidb64, "1-wrong") is None
    token = PasswordResetTokenGenerator().make_token(personas.teacher)
    assert access.person_for_invitation(uidb64, token) == personas.teacher


def test_with_single_sign_on_the_email_and_the_page_offer_it(client, personas, settings):
    settings.SOCIALACCOUNT_PROVIDERS = SSO
    cy = newcomer(personas.school)
    assert invitation_send(person_id=cy.pk, school_id=personas.school.pk)
    [message] = mail.outbox
    assert "Or sign in with ClassLink" in message.body
    page = client.get(link_in(message)).content.decode()
    assert "Sign in with ClassLink" in page and 'action="/accounts/oidc/classlink/login/' in page


def test_the_email_is_not_sent_to_someone_who_signed_in_or_left_meanwhile(personas):
    cy = newcomer(personas.school)
    Person.objects.filter(pk=cy.pk).update(last_login=timezone.now())
    assert not invitation_send(person_id=cy.pk, school_id=personas.school.pk)
    Person.objects.filter(pk=cy.pk).update(last_login=None, is_active=False)
    assert not invitation_send(person_id=cy.pk, school_id=personas.school.pk)
    assert not invitation_send(person_id=cy.pk + 1000, school_id=personas.school.pk)
    assert mail.outbox == []


def test_the_people_page_shows_who_was_invited_and_sends_again_at_most_every_ten_minutes(
    client, personas
):
    client.force_login(personas.principal)
    ana = personas.teacher
    url = f"{PEOPLE}{ana.pk}/invitation/"
    page = client.get(PEOPLE).content.decode()
    assert "Not invited yet" in page and f'action="{url}"' in page

    response = client.post(url, follow=True)
    assert "Invitation sent to teacher@example.org." in response.content.decode()
    ana.refresh_from_db()
    first = ana.invited_at
    assert first is not None
    assert "Invited " in response.content.decode() and "Send again" in response.content.decode()

    # At once again: refused, saying from when it can be sent.
    response = client.post(url, follow=True)
    assert "you can send it again from" in response.content.decode()
    ana.refresh_from_db()
    assert ana.invited_at == first
    assert AuditEntry.objects.filter(action="invitation_sent").count() == 1

    # Eleven minutes later it goes, and the date moves on.
    Person.objects.filter(pk=ana.pk).update(invited_at=first - timedelta(minutes=11))
    response = client.post(url, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert fragment.lstrip().startswith("<div")  # htmx gets the cell, not the page
    assert f'id="invitation-{ana.pk}"' in fragment and "Invitation sent to" in fragment
    ana.refresh_from_db()
    assert ana.invited_at > first - timedelta(minutes=11)
    assert AuditEntry.objects.filter(action="invitation_sent", subject=ana).count() == 2
    # The refusal comes back in place too.
    fragment = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert "you can send it again from" in fragment


def test_no_email_address_or_already_signed_in_means_no_invitation(client, personas):
    Person.objects.filter(pk=personas.bystander.pk).update(email="")
    client.force_login(personas.principal)
    page = client.get(PEOPLE).content.decode()
    assert "No email address, so no invitation: they add one on their account page." in page
    response = client.post(f"{PEOPLE}{personas.bystander.pk}/invitation/", follow=True)
    assert "has no email address" in response.content.decode()
    # The principal herself has signed in: no button, and a post is refused with the way in.
    assert f"{PEOPLE}{personas.principal.pk}/invitation/" not in page
    response = client.post(f"{PEOPLE}{personas.principal.pk}/invitation/", follow=True)
    assert "Forgot your password?" in response.content.decode()
    Person.objects.filter(pk=personas.colleague.pk).update(is_active=False)
    response = client.post(f"{PEOPLE}{personas.colleague.pk}/invitation/", follow=True)
    assert "reactivate them before inviting them" in response.content.decode()
    assert not AuditEntry.objects.filter(action="invitation_sent").exists()


def test_invite_everyone_not_invited_yet(client, personas):
    client.force_login(personas.principal)
    person_invite(school=personas.school, person=personas.coach, actor=personas.principal)
    waiting = set(people_to_invite(school=personas.school).values_list("username", flat=True))
    # Everyone but the principal (signed in) and the coach (invited already).
    assert waiting == {"teacher", "colleague", "district", "vice", "bystander"}
    page = client.get(PEOPLE).content.decode()
    assert "Invite everyone not invited yet (5)" in page

    response = client.post(f"{PEOPLE}invitations/", follow=True)
    assert "Invitations sent to 5 people" in response.content.decode()
    assert AuditEntry.objects.filter(action="invitation_sent").count() == 6
    assert "Invite everyone not invited yet" not in client.get(PEOPLE).content.decode()
    response = client.post(f"{PEOPLE}invitations/", follow=True)
    assert "Everyone who can be invited already was." in response.content.decode()


def test_nobody_can_sign_themselves_up(client, personas):
    before = Person.objects.count()
    response = client.post(
        "/accounts/signup/",
        {
            "username": "walk-in",
            "email": "walk-in@example.org",
            "password1": "a-door-left-open-7",
            "password2": "a-door-left-open-7",
        },
    )
    assert response.status_code == 200 and "closed" in response.content.decode().lower()
    assert Person.objects.count() == before


# Imports: the teachers an applied import creates, with an email address, are invited.


def oneroster_upload(client, personas, tmp_path):
    """The coach uploads a OneRoster export (rosters' sample school: Allison Hoover has an
    email address, Edna Krabappel none) and it is read into a preview."""
    export = zip_folder(write_folder(tmp_path / "export"), tmp_path / "export.zip")
    client.force_login(personas.coach)
    client.post(
        "/schools/lincoln/imports/new/",
        {"kind": "oneroster", "file": SimpleUploadedFile("export.zip", export.read_bytes())},
    )
    return ScheduleImport.objects.get()


@pytest.mark.django_db(transaction=True)
def test_an_applied_import_invites_the_new_teachers_who_have_an_email(
    client, personas, run_tasks, tmp_path
):
    job = oneroster_upload(client, personas, tmp_path)
    run_tasks()
    url = f"/schools/lincoln/imports/{job.pk}/"
    page = client.get(url).content.decode()
    assert "1 new person will get an invitation email" in page
    assert 'name="send_invitations" value="on" checked' in page

    client.post(f"{url}apply/", {"confirm_removals": "on", "send_invitations": "on"})
    run_tasks()
    run_tasks()  # the invitations the apply queued
    allison = Person.objects.get(email="ahoover@example.org")
    assert allison.invited_at is not None
    assert [m.to for m in mail.outbox] == [["ahoover@example.org"]]
    assert "/accounts/invitation/" in mail.outbox[0].body
    assert Person.objects.get(last_name="Krabappel").invited_at is None  # no address
    entry = AuditEntry.objects.get(action="invitation_sent")
    assert entry.actor is None and "export.zip" in entry.summary
    assert "1 new person got an invitation email" in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_import_applied_without_invitations_sends_none(client, personas, run_tasks, tmp_path):
    job = oneroster_upload(client, personas, tmp_path)
    run_tasks()
    client.post(f"/schools/lincoln/imports/{job.pk}/apply/", {"confirm_removals": "on"})
    run_tasks()
    run_tasks()
    assert Person.objects.get(email="ahoover@example.org").invited_at is None
    assert mail.outbox == []
    # The People page still invites her later.
    client.force_login(personas.principal)
    assert "Invite everyone not invited yet" in client.get(PEOPLE).content.decode()
