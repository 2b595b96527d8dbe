"""Celebrations: a colleague gives a shout-out, the person celebrated decides who sees it; a
bright moment from a host's classroom reaches them first and goes further only if they share
it. Nothing is counted or ranked."""

import uuid
from datetime import UTC, datetime

import pytest

from growth.models import Audience, ShoutOut
from inquiry.tests.factories import make_round
from teams.tests.factories import make_team
from visits.models import Evidence

pytestmark = pytest.mark.django_db


def give(client, personas, *, to, text="Her exit tickets showed every student's thinking"):
    client.force_login(personas.colleague)
    return client.post(
        f"/schools/{personas.school.slug}/celebrations/", {"celebrated": to.pk, "text": text}
    )


def test_a_shout_out_is_private_to_the_celebrated_until_they_share_it(client, personas):
    response = give(client, personas, to=personas.teacher)
    assert response.status_code == 302
    shout_out = ShoutOut.objects.get()
    assert shout_out.audience == Audience.PRIVATE and shout_out.author == personas.colleague

    client.force_login(personas.bystander)
    school_page = client.get(f"/schools/{personas.school.slug}/celebrations/").content.decode()
    assert "exit tickets" not in school_page

    client.force_login(personas.teacher)
    mine = client.get("/celebrations/").content.decode()
    assert "exit tickets" in mine and "From" in mine
    response = client.post(
        f"/celebrations/{shout_out.pk}/audience/", {f"s{shout_out.pk}-audience": "school"}
    )
    assert response.status_code == 302

    client.force_login(personas.bystander)
    school_page = client.get(f"/schools/{personas.school.slug}/celebrations/").content.decode()
    assert "exit tickets" in school_page


def test_a_team_shout_out_is_seen_by_the_team_and_not_the_rest_of_the_school(client, personas):
    team = make_team(personas.school, "Grade 3", members=[personas.teacher, personas.colleague])
    give(client, personas, to=personas.teacher)
    shout_out = ShoutOut.objects.get()
    client.force_login(personas.teacher)
    client.post(
        f"/celebrations/{shout_out.pk}/audience/",
        {f"s{shout_out.pk}-audience": "team", f"s{shout_out.pk}-team": team.pk},
    )
    shout_out.refresh_from_db()
    assert (shout_out.audience, shout_out.team) == (Audience.TEAM, team)

    client.force_login(personas.colleague)
    assert "exit tickets" in client.get(f"/schools/{personas.school.slug}/celebrations/").text
    client.force_login(personas.principal)
    assert "exit tickets" not in client.get(f"/schools/{personas.school.slug}/celebrations/").text


def test_only_the_celebrated_person_chooses_who_sees_it(client, personas):
    give(client, personas, to=personas.teacher)
    shout_out = ShoutOut.objects.get()
    for someone in (personas.colleague, personas.principal):
        client.force_login(someone)
        response = client.post(
            f"/celebrations/{shout_out.pk}/audience/", {f"s{shout_out.pk}-audience": "school"}
        )
        assert response.status_code == 404
    shout_out.refresh_from_db()
    assert shout_out.audience == Audience.PRIVATE


def test_choosing_the_team_without_naming_one_is_refused_with_a_message(client, personas):
    give(client, personas, to=personas.teacher)
    shout_out = ShoutOut.objects.get()
    client.force_login(personas.teacher)
    response = client.post(
        f"/celebrations/{shout_out.pk}/audience/",
        {f"s{shout_out.pk}-audience": "team"},
        follow=True,
    )
    assert "Choose the team that may see it." in response.content.decode()
    shout_out.refresh_from_db()
    assert shout_out.audience == Audience.PRIVATE


def test_nobody_celebrates_themselves_or_someone_from_another_school(client, personas):
    client.force_login(personas.colleague)
    url = f"/schools/{personas.school.slug}/celebrations/"
    itself = client.post(url, {"celebrated": personas.colleague.pk, "text": "Me"})
    outsider = client.post(url, {"celebrated": personas.outsider.pk, "text": "Them"})
    empty = client.post(url, {"celebrated": personas.teacher.pk, "text": ""})
    assert (itself.status_code, outsider.status_code, empty.status_code) == (400, 400, 400)
    assert not ShoutOut.objects.exists()


def test_a_team_named_by_the_author_must_be_shared_with_the_celebrated(client, personas):
    team = make_team(personas.school, "Grade 5", members=[personas.colleague])
    client.force_login(personas.colleague)
    response = client.post(
        f"/schools/{personas.school.slug}/celebrations/",
        {"celebrated": personas.teacher.pk, "text": "Great", "team": team.pk},
    )
    assert response.status_code == 400
    assert "is not on Grade 5" in response.content.decode()


def bright_moment(visit, author, text="Maya explained her strategy to the class") -> Evidence:
    return Evidence.objects.create(
        id=uuid.uuid4(),
        classroom=visit.classrooms.get(),
        author=author,
        kind="bright_moment",
        text=text,
        recorded_at=datetime.now(UTC),
        fingerprint="x",
    )


def test_a_bright_moment_reaches_the_host_first_and_is_shared_only_by_them(client, personas):
    _, visit = make_round(personas)
    moment = bright_moment(visit, personas.colleague)
    client.force_login(personas.teacher)  # the host
    mine = client.get("/celebrations/").content.decode()
    assert "Maya explained her strategy" in mine

    client.force_login(personas.colleague)  # the observer who wrote it cannot share it
    prefix = f"m{moment.pk.hex[:8]}"
    url = f"/celebrations/bright-moments/{moment.pk}/share/"
    assert client.post(url, {f"{prefix}-audience": "school"}).status_code == 404
    client.force_login(personas.bystander)
    assert "Maya" not in client.get(f"/schools/{personas.school.slug}/celebrations/").text

    client.force_login(personas.teacher)
    client.post(url, {f"{prefix}-audience": "school"})
    client.post(url, {f"{prefix}-audience": "school"})  # twice: still one
    shout_out = ShoutOut.objects.get()
    assert (shout_out.celebrated, shout_out.author) == (personas.teacher, None)
    client.force_login(personas.bystander)
    page = client.get(f"/schools/{personas.school.slug}/celebrations/").content.decode()
    shared = page.split('id="recent-h"')[1]
    assert "Maya explained her strategy" in shared
    assert personas.colleague.get_full_name() not in shared  # the observer is not named


def test_the_weekly_digest_tells_the_team_and_the_school_what_was_shared(personas, mailoutbox):
    from datetime import timedelta

    from django.utils import timezone

    from growth.services import celebrations_digest_send, next_digest_at

    team = make_team(personas.school, "Grade 3", members=[personas.teacher, personas.colleague])
    to_team = ShoutOut.objects.create(
        school=personas.school,
        author=personas.colleague,
        celebrated=personas.teacher,
        text="Turn-and-talk worked",
        team=team,
        audience=Audience.TEAM,
        audience_chosen_at=timezone.now(),
    )
    ShoutOut.objects.create(
        school=personas.school,
        author=personas.teacher,
        celebrated=personas.coach,
        text="Still private",
    )
    personas.bystander.email_reminders = False
    personas.bystander.save()
    now = timezone.now()
    sent = celebrations_digest_send(since=now - timedelta(days=7), until=now + timedelta(1))
    recipients = {message.to[0] for message in mailoutbox}
    assert sent == len(mailoutbox) == 1
    assert recipients == {personas.colleague.email}  # the teacher saw her own first
    assert (
        "Turn-and-talk worked" in mailoutbox[0].body and "Still private" not in mailoutbox[0].body
    )

    to_team.audience = Audience.SCHOOL
    to_team.save()
    mailoutbox.clear()
    celebrations_digest_send(since=now - timedelta(days=7), until=now + timedelta(1))
    recipients = {message.to[0] for message in mailoutbox}
    assert personas.principal.email in recipients and personas.outsider.email not in recipients
    assert personas.bystander.email not in recipients  # optional emails off
    monday = next_digest_at(now)
    assert monday.weekday() == 0 and monday > now


def test_nobody_signed_out_sees_a_shout_out(personas):
    from django.contrib.auth.models import AnonymousUser

    from opendoors import access

    ShoutOut.objects.create(
        school=personas.school,
        author=personas.colleague,
        celebrated=personas.teacher,
        text="Public",
        audience=Audience.SCHOOL,
    )
    assert not access.shout_outs_visible_to(AnonymousUser(), personas.school).exists()


def test_the_digest_queues_next_weeks_once(personas, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from growth.services import DIGEST_TASK
    from growth.tasks import celebrations_digest_weekly

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            celebrations_digest_weekly.call()
    waiting = DBTaskResult.objects.filter(task_path=DIGEST_TASK, status="READY")
    assert waiting.count() == 1
