"""Erasure: a district leader erases the personal data of someone who left. Their row names
nobody and cannot sign in, what was theirs alone is gone, what they captured stays (naming
nobody), the audit log says so without their name, and it all happens or none of it does."""

import uuid
from datetime import UTC, date, datetime

import pytest
from allauth.account.forms import default_token_generator as allauth_tokens
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.socialaccount.models import SocialAccount
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from growth.models import FollowUp, Goal
from growth.services import follow_up_answer, goal_set
from inquiry.tests.factories import make_round
from schools.models import AuditEntry, Membership, Person, SourceId, Unavailability
from schools.retention import ERASURE, person_erase, person_relations
from schools.services import PeopleChangeRefused, person_active_set
from schools.tests.factories import PASSWORD, make_person
from visits.models import CalendarFeed, Evidence, VisitObserver
from visits.services import calendar_feed_for

pytestmark = pytest.mark.django_db

PEOPLE = "/schools/lincoln/people/"


def erase_url(person: Person) -> str:
    return f"{PEOPLE}{person.pk}/erase/"


@pytest.fixture
def ben(personas):
    """The colleague, Ben Lee, who left: he observed the coach's round and captured an entry,
    set a private goal and a goal he shared (with a shared follow-up), subscribed to his
    calendar, signed in with single sign-on, has a duty, covers classes, and the principal
    deactivated him."""
    cycle, visit = make_round(personas, held=True)
    ben = personas.colleague
    Evidence.objects.create(
        id=uuid.uuid4(),
        classroom=visit.classrooms.get(),
        author=ben,
        kind="note",
        text="Students explained their reasoning to a partner.",
        recorded_at=datetime.now(UTC),
        fingerprint="-",
    )
    goal_set(person=ben, cycle=cycle, text="Private: wait time", try_by=date(2026, 1, 5))
    shared = goal_set(
        person=ben,
        cycle=cycle,
        visit=visit,
        text="Partner talk first",
        try_by=date(2026, 1, 5),
        shared_with_facilitators=True,
    )
    follow_up_answer(
        follow_up=shared.follow_up, tried=True, results="yes", why="Ben: it worked", share=True
    )
    calendar_feed_for(ben)
    EmailAddress.objects.create(user=ben, email=ben.email, verified=True, primary=True)
    SocialAccount.objects.create(user=ben, provider="google", uid="ben-at-google")
    Unavailability.objects.create(person=ben, slot=visit.slot, reason="Bus duty")
    personas.school.cover_staff.add(ben)
    person_active_set(
        school=personas.school,
        actor=personas.principal,
        person=ben,
        active=False,
        may_grant_district_leader=False,
    )
    ben.refresh_from_db()
    return ben


def erase(client, personas, person: Person, name: str = "Ben Lee"):
    client.force_login(personas.district_leader)
    return client.post(erase_url(person), {"name": name}, follow=True)


def test_erasing_removes_every_personal_field_and_row(client, personas, ben):
    page = erase(client, personas, ben)

    assert "Erased: the personal data of person #" in page.content.decode()
    ben.refresh_from_db()
    assert str(ben) == f"Erased person #{ben.pk}" and ben.username == f"erased-{ben.pk}"
    assert ben.email == "" and not ben.has_usable_password() and not ben.is_active
    assert ben.erased_at and ben.last_login is None and ben.years_of_experience is None
    assert not ben.email_visit_changes and not ben.email_reminders
    for rows in (
        Membership.objects.filter(person=ben),
        SourceId.objects.filter(person=ben),
        EmailAddress.objects.filter(user=ben),
        SocialAccount.objects.filter(user=ben),
        CalendarFeed.objects.filter(person=ben),
        Unavailability.objects.filter(person=ben),
        personas.school.cover_staff.filter(pk=ben.pk),
    ):
        assert not rows.exists(), rows.model.__name__
    # He leaves the People page: he has no role anywhere now.
    assert "Erased person" not in client.get(PEOPLE).content.decode()


def test_private_goals_go_and_shared_ones_keep_their_counts_without_words(client, personas, ben):
    erase(client, personas, ben)
    goals = Goal.objects.filter(person=ben)
    assert [(g.text, g.shared_with_facilitators) for g in goals] == [("", True)]
    follow_up = FollowUp.objects.get(goal__person=ben)
    assert (follow_up.tried, follow_up.results_as_anticipated, follow_up.why) == (True, "yes", "")


def test_what_he_captured_and_observed_stays_naming_nobody(client, personas, ben):
    entries = Evidence.objects.filter(author=ben).count()
    erase(client, personas, ben)
    assert Evidence.objects.filter(author=ben).count() == entries == 1
    assert VisitObserver.including_removed.filter(person=ben).exists()
    # The host still reads what was captured in her classroom, by an erased person.
    client.force_login(personas.teacher)
    visit = VisitObserver.including_removed.get(person=ben).visit
    page = client.get(f"/visits/{visit.pk}/my-classroom/?entries=all")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Students explained their reasoning to a partner." in html and "Ben Lee" not in html


def test_the_audit_log_records_the_erasure_and_forgets_his_name(client, personas, ben):
    assert AuditEntry.objects.filter(summary__contains="Ben Lee").exists()
    admin_change = LogEntry.objects.create(
        user=personas.district_leader,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(ben.pk),
        object_repr="Ben Lee",
        action_flag=CHANGE,
        change_message="Changed email to ben.lee@home.example.",
    )

    erase(client, personas, ben)

    admin_change.refresh_from_db()
    assert (admin_change.object_repr, admin_change.change_message) == (f"person #{ben.pk}", "")

    latest = AuditEntry.objects.first()
    assert latest is not None and latest.action == "person_erased"
    assert (
        latest.summary
        == f"{personas.district_leader} erased the personal data of person #{ben.pk}."
    )
    assert latest.actor == personas.district_leader and latest.subject == ben
    assert not AuditEntry.objects.filter(summary__contains="Ben Lee").exists()
    assert not AuditEntry.objects.filter(summary__contains="colleague@example.org").exists()
    deactivated = AuditEntry.objects.get(action="person_deactivated")
    assert deactivated.summary == f"principal deactivated person #{ben.pk} at Lincoln School."


def test_he_cannot_sign_in_nor_use_an_invitation_or_a_reset_link(client, personas, ben):
    ben.is_active = True  # links made while he could still use them
    uid = urlsafe_base64_encode(force_bytes(ben.pk))
    invitation_token = default_token_generator.make_token(ben)
    reset = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(ben), "key": allauth_tokens.make_token(ben)},
    )
    ben.is_active = False
    his_phone = Client()
    his_phone.force_login(ben)  # signed in before he was deactivated, never signed out
    assert Session.objects.filter(session_key=his_phone.session.session_key).exists()

    erase(client, personas, ben)

    assert not Session.objects.filter(session_key=his_phone.session.session_key).exists()
    assert his_phone.get("/").status_code == 302  # sent to sign in
    client.logout()
    for login in ("colleague", "colleague@example.org"):
        client.post("/accounts/login/", {"login": login, "password": PASSWORD})
        assert "_auth_user_id" not in client.session
    ben.refresh_from_db()
    assert not default_token_generator.check_token(ben, invitation_token)
    page = client.get(reverse("invitation", args=[uid, invitation_token]))
    assert (
        "set-password" not in page.get("Location", "") and "password1" not in page.content.decode()
    )
    page = client.get(reset)
    assert page.status_code == 200 and page.context["token_fail"]


def test_nothing_changes_when_a_later_step_fails(client, personas, ben):
    """Someone already has the username erasure gives: the last write fails, and everything
    erased before it is back as it was."""
    make_person(f"erased-{ben.pk}")
    before = {
        "memberships": Membership.objects.filter(person=ben).count(),
        "goals": Goal.objects.filter(person=ben).count(),
        "emails": EmailAddress.objects.filter(user=ben).count(),
        "feed": CalendarFeed.objects.filter(person=ben).count(),
        "audit": AuditEntry.objects.filter(summary__contains="Ben Lee").count(),
    }

    page = erase(client, personas, ben)

    assert "Ben Lee was not erased" in page.content.decode()
    after = {
        "memberships": Membership.objects.filter(person=ben).count(),
        "goals": Goal.objects.filter(person=ben).count(),
        "emails": EmailAddress.objects.filter(user=ben).count(),
        "feed": CalendarFeed.objects.filter(person=ben).count(),
        "audit": AuditEntry.objects.filter(summary__contains="Ben Lee").count(),
    }
    assert after == before and all(before.values())
    ben.refresh_from_db()
    assert str(ben) == "Ben Lee" and ben.erased_at is None
    assert Goal.objects.filter(person=ben, text="Private: wait time").exists()


def test_someone_still_active_is_not_erased(client, personas):
    page = erase(client, personas, personas.teacher, name="Ana Ortiz")
    assert "Deactivate them first" in page.content.decode()
    personas.teacher.refresh_from_db()
    assert personas.teacher.erased_at is None and personas.teacher.email


def test_the_name_must_be_typed_as_shown(client, personas, ben):
    page = erase(client, personas, ben, name="Ben")
    assert "Type their name as it is shown: Ben Lee." in page.content.decode()
    ben.refresh_from_db()
    assert ben.erased_at is None


def test_only_a_district_leader_erases_and_never_themselves(client, personas, ben):
    with pytest.raises(PeopleChangeRefused, match="Only a leader of the district"):
        person_erase(school=personas.school, person=ben, actor=personas.principal)
    with pytest.raises(PeopleChangeRefused, match="cannot erase yourself"):
        person_erase(
            school=personas.school, person=personas.district_leader, actor=personas.district_leader
        )
    client.force_login(personas.principal)
    assert client.post(erase_url(ben), {"name": "Ben Lee"}).status_code == 403
    ben.refresh_from_db()
    assert ben.erased_at is None


def test_someone_who_also_works_in_another_district_is_left_to_its_leaders(personas, ben):
    from schools.tests.factories import make_district, make_school

    elsewhere = make_school("hill", district=make_district("hillside"))
    Membership.objects.create(person=ben, school=elsewhere, role="teacher")
    with pytest.raises(PeopleChangeRefused, match="another district"):
        person_erase(school=personas.school, person=ben, actor=personas.district_leader)


def test_only_district_leaders_see_the_erase_button_and_only_for_someone_deactivated(
    client, personas, ben
):
    client.force_login(personas.district_leader)
    page = client.get(PEOPLE).content.decode()
    assert page.count("Erase personal data") == 1 and erase_url(ben) in page
    client.force_login(personas.principal)
    assert "Erase personal data" not in client.get(PEOPLE).content.decode()


def test_every_table_that_points_to_a_person_says_what_erasure_does_to_it():
    unsaid = sorted(set(person_relations()) - set(ERASURE))
    assert unsaid == [], "say in schools.retention.ERASURE what erasing a person does to these"
