"""Covering is not taking part, and a calendar feed says no more than gets its reader to the
right room at the right time: feed addresses end up with third-party calendar services."""

import pytest
from django.core import mail
from icalendar import Calendar

from inquiry.models import Cycle
from inquiry.services import cycle_start, look_for_add, participants_set, pre_brief_save
from inquiry.tests.factories import make_round, next_weekday
from schools.models import Meeting, Slot
from visits.rules import ObserverPlan, VisitPlan
from visits.services import calendar_feed_for, visit_schedule

SECRETS = ["Partner talk about fractions", "Sit at the back", "Students explain their reasoning"]


def covered_round(personas):
    """The coach's round in Monday period 2: the colleague observes the teacher's MATH7-2 while
    the bystander covers the colleague's SCI8-1 in room 202."""
    Slot.objects.filter(day__label="Mon", period__label="2").update(
        starts_at="09:00", ends_at="09:50"
    )
    cycle = cycle_start(
        school=personas.school, structure="rounds", title="Student discourse", by=personas.coach
    )
    look_for_add(cycle=cycle, text="Students explain their reasoning", kind="oral")
    participants_set(
        cycle=cycle,
        observers=[personas.colleague],
        hosts=[personas.teacher],
        facilitators=[personas.coach],
    )
    pre_brief_save(
        cycle=cycle,
        host=personas.teacher,
        instructional_goal="Partner talk about fractions",
        expectations="Sit at the back",
        focus="Who explains",
    )
    lesson = Meeting.objects.select_related("slot", "section").get(
        teacher=personas.teacher, slot__day__label="Mon", slot__period__label="2"
    )
    return visit_schedule(
        cycle=cycle,
        plan=VisitPlan(
            date=next_weekday(0),
            slot=lesson.slot,
            classrooms=[(personas.teacher, lesson.section)],
            observers=[ObserverPlan(personas.colleague, covered_by=personas.bystander)],
        ),
    )


def feed_event(client, person):
    feed = calendar_feed_for(person)
    [event] = Calendar.from_ical(client.get(f"/calendar/{feed.token}.ics").content).walk("VEVENT")
    return event


def event_text(event) -> str:
    return " ".join(str(event.get(name, "")) for name in ("summary", "description", "location"))


@pytest.mark.django_db
def test_a_cover_sees_the_class_they_cover_and_nothing_of_the_visit(client, personas):
    visit = covered_round(personas)
    client.force_login(personas.bystander)
    response = client.get(f"/visits/{visit.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cover SCI8-1 (Science 8) in room 202" in page and "09:00" in page
    for hidden in [*SECRETS, "Ana Ortiz", "Ben Lee", "Student discourse", "Debrief"]:
        assert hidden not in page, hidden


@pytest.mark.django_db
def test_a_cover_reads_no_evidence_and_joins_no_debrief(client, personas):
    visit = covered_round(personas)
    client.force_login(personas.bystander)
    assert client.get(f"/api/visits/{visit.pk}/evidence").json() == []
    assert client.get(f"/visits/{visit.pk}/debrief/").status_code == 403


@pytest.mark.django_db
def test_a_covers_calendar_event_says_only_which_class_in_which_room(client, personas):
    visit = covered_round(personas)
    event = feed_event(client, personas.bystander)
    assert str(event["summary"]) == "Cover SCI8-1 (Science 8) in room 202"
    assert "Room 202" in str(event["location"])
    for hidden in [*SECRETS, "Ana Ortiz", "Ben Lee", "Student discourse", "Observ"]:
        assert hidden not in event_text(event), hidden
    client.force_login(personas.bystander)
    visit_ics = client.get(f"/visits/{visit.pk}/visit.ics").content
    assert b"Student discourse" not in visit_ics and b"Cover SCI8-1" in visit_ics


@pytest.mark.django_db
def test_observers_and_hosts_events_carry_the_room_not_pre_briefs_or_names(client, personas):
    covered_round(personas)
    observing = feed_event(client, personas.colleague)
    assert str(observing["summary"]) == "Observing: Student discourse"
    assert "Classroom A, room 101" in str(observing["description"])
    assert "Room 101" in str(observing["location"])
    hosting = feed_event(client, personas.teacher)
    assert str(hosting["summary"]) == "Hosting: Student discourse"
    assert "MATH7-2 (Math 7), room 101" in str(hosting["description"])
    for event in (observing, hosting):
        for hidden in [*SECRETS, "Ana Ortiz", "Ben Lee", "Bo Stander"]:
            assert hidden not in event_text(event), hidden


@pytest.mark.django_db
def test_a_title_with_a_newline_keeps_visit_ics_one_event_on_one_line(client, personas):
    _, visit = make_round(personas)
    Cycle.objects.filter(pk=visit.cycle_id).update(title="Student\ndiscourse\r\nBcc: x@x.org")
    client.force_login(personas.teacher)
    response = client.get(f"/visits/{visit.pk}/visit.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Hosting: Student discourse Bcc: x@x.org (period 1)"
    assert str(calendar["x-wr-calname"]) == "Student discourse Bcc: x@x.org"


@pytest.mark.django_db(transaction=True)
def test_a_title_with_a_newline_does_not_stop_the_visit_emails(personas, run_tasks):
    _, visit = make_round(personas)
    Cycle.objects.filter(pk=visit.cycle_id).update(title="Student\ndiscourse\r\nBcc: x@x.org")
    run_tasks()
    assert len(mail.outbox) == 4  # the visit's three people, and its facilitator
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        assert "Student discourse Bcc: x@x.org" in message.subject
        assert message.bcc == []


@pytest.mark.django_db(transaction=True)
def test_the_email_and_home_page_of_a_cover_name_the_class_not_the_visit(
    client, personas, run_tasks
):
    covered_round(personas)
    mail.outbox.clear()
    run_tasks()
    [email] = [m for m in mail.outbox if m.to == [personas.bystander.email]]
    text = email.subject + email.body
    assert "Please cover: SCI8-1 (Science 8) in room 202" in email.subject
    assert "Student discourse" not in text and "pre-brief" not in text
    client.force_login(personas.bystander)
    card = client.get("/").content.decode()
    assert "SCI8-1 (Science 8), room 202" in card and "Student discourse" not in card


@pytest.mark.django_db(transaction=True)
def test_a_cover_who_is_no_longer_needed_hears_only_that_with_the_event_cancelled(
    personas, run_tasks
):
    from visits.services import visit_change

    visit = covered_round(personas)
    run_tasks()
    mail.outbox.clear()
    seat = visit.observers.get()
    lesson = Meeting.objects.select_related("section").get(
        teacher=personas.teacher, slot=visit.slot
    )
    visit_change(
        visit=visit,
        plan=VisitPlan(
            date=visit.date,
            slot=visit.slot,
            classrooms=[(personas.teacher, lesson.section)],
            observers=[ObserverPlan(seat.person, substitute=True)],
        ),
    )
    run_tasks()
    [email] = [m for m in mail.outbox if m.to == [personas.bystander.email]]
    assert email.subject.startswith("Cover no longer needed")
    ics = email.attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    text = email.subject + email.body + ics
    assert "Student discourse" not in text and "Observing" not in text
