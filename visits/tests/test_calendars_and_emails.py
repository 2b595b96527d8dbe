"""Visits reach people's calendars (a private feed, or one .ics) and their inboxes."""

import pytest
from django.core import mail
from icalendar import Calendar

from inquiry.tests.factories import make_round
from schools.models import Slot
from visits.services import calendar_feed_for, visit_cancel


def with_bell(personas) -> None:
    Slot.objects.filter(day__label="Mon", period__label="1").update(
        starts_at="08:00", ends_at="08:50"
    )


@pytest.mark.django_db
def test_the_private_feed_is_valid_icalendar_with_the_schools_time_zone(client, personas):
    with_bell(personas)
    _, visit = make_round(personas)
    feed = calendar_feed_for(personas.colleague)
    response = client.get(f"/calendar/{feed.token}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Observing: Student discourse"
    start = event.decoded("dtstart")
    assert (start.hour, start.minute, str(start.tzinfo)) == (8, 0, "America/New_York")
    assert start.date() == visit.date
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    # A round's classroom is its letter and room: the feed names no host (see
    # test_covers_and_calendar_privacy.py for what a feed leaves out).
    assert "Classroom A, room 101" in str(event["description"])


@pytest.mark.django_db
def test_a_school_without_a_bell_schedule_gets_all_day_events_named_with_the_period(
    client, personas
):
    _, visit = make_round(personas)
    client.force_login(personas.teacher)
    calendar = Calendar.from_ical(client.get(f"/visits/{visit.pk}/visit.ics").content)
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Hosting: Student discourse (period 1)"
    assert event.decoded("dtstart") == visit.date


@pytest.mark.django_db
def test_a_wrong_or_reset_feed_address_is_404(client, personas):
    make_round(personas)
    old = calendar_feed_for(personas.colleague).token
    assert client.get("/calendar/not-the-token.ics").status_code == 404
    client.force_login(personas.colleague)
    client.post("/calendar/reset/")
    client.logout()
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    new = calendar_feed_for(personas.colleague).token
    assert new != old and client.get(f"/calendar/{new}.ics").status_code == 200


@pytest.mark.django_db
def test_the_calendar_page_shows_the_private_address(client, personas):
    client.force_login(personas.teacher)
    page = client.get("/calendar/").content.decode()
    assert f"/calendar/{calendar_feed_for(personas.teacher).token}.ics" in page


@pytest.mark.django_db
def test_a_cancelled_visit_stays_in_the_feed_as_cancelled(client, personas):
    _, visit = make_round(personas)
    visit_cancel(visit=visit)
    feed = calendar_feed_for(personas.colleague)
    [event] = Calendar.from_ical(client.get(f"/calendar/{feed.token}.ics").content).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 1


@pytest.mark.django_db(transaction=True)
def test_everyone_in_a_visit_is_emailed_by_the_task_worker(personas, run_tasks):
    _, visit = make_round(personas)
    assert mail.outbox == []  # nothing is sent while the page waits
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "colleague@example.org",
        "teacher@example.org",
        "vice@example.org",
    ]
    message = next(m for m in mail.outbox if m.to == ["colleague@example.org"])
    assert message.subject.startswith("Visit scheduled: Student discourse")
    assert f"/visits/{visit.pk}/" in message.body
    [(_, body, kind)] = message.attachments
    assert kind == "text/calendar" and Calendar.from_ical(body).walk("VEVENT")

    mail.outbox.clear()
    visit_cancel(visit=visit)
    run_tasks()
    assert {m.subject.split(":")[0] for m in mail.outbox} == {"Visit cancelled"}
