"""Visits reach people's calendars (a private feed, or one .ics) and their inboxes."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from growth.services import goal_set
from growth.tasks import follow_up_remind
from inquiry.services import cycle_start, look_for_add, participants_set, pre_brief_save
from inquiry.tests.factories import make_round, next_weekday
from schools.models import Meeting, Person, Slot
from visits.models import Visit
from visits.rules import ObserverPlan, VisitPlan
from visits.services import (
    calendar_feed_for,
    facilitators_notify,
    visit_cancel,
    visit_change,
    visit_schedule,
)
from visits.tasks import pre_brief_remind


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
        "coach@example.org",  # the facilitator's summary (see below)
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
    people = [m for m in mail.outbox if m.to != ["coach@example.org"]]
    assert {m.subject.split(":")[0] for m in people} == {"Visit cancelled"}


# Who else hears of a visit: the cover, the office contact, the facilitators, the host asked
# for a pre-brief. Ana (teacher) teaches MATH7-2 in room 101 on Monday period 2 (09:00–09:50);
# Ben (colleague) observes her, and his SCI8-1 class in room 202 needs a cover then.

PURPOSE = [
    "Student discourse",  # the cycle's title
    "How do students justify their answers",  # its problem of practice
    "Students explain their reasoning",  # a look-for
    "Partner talk about fractions",  # Ana's pre-brief
    "Ana Ortiz",  # the host
    "MATH7-2",  # the host's class
]


def monday_period_2(personas):
    Slot.objects.filter(day__label="Mon", period__label="2").update(
        starts_at="09:00", ends_at="09:50"
    )
    return Meeting.objects.select_related("slot", "section").get(
        teacher=personas.teacher, slot__day__label="Mon", slot__period__label="2"
    )


def a_cycle(personas, structure: str = "rounds"):
    cycle = cycle_start(
        school=personas.school,
        structure=structure,
        title="Student discourse",
        by=personas.coach,
        problem_of_practice="How do students justify their answers?",
    )
    look_for_add(cycle=cycle, text="Students explain their reasoning", kind="oral")
    participants_set(
        cycle=cycle,
        observers=[personas.colleague],
        hosts=[personas.teacher],
        facilitators=[personas.coach],
    )
    return cycle


def ben_observes_ana(personas, cycle=None, *, weeks_ahead: int = 0, **cover) -> Visit:
    """Ben observes Ana's Monday period 2; `cover` says who takes his class (covered_by=…,
    or substitute=True; Bo by default)."""
    cycle = cycle or a_cycle(personas)
    cover = cover or {"covered_by": personas.bystander}
    lesson = monday_period_2(personas)
    return visit_schedule(
        cycle=cycle,
        plan=VisitPlan(
            date=next_weekday(0) + timedelta(weeks=weeks_ahead),
            slot=lesson.slot,
            classrooms=[(personas.teacher, lesson.section)],
            observers=[ObserverPlan(personas.colleague, **cover)],
        ),
    )


def the_same_visit_on(visit: Visit, personas, on, **cover) -> VisitPlan:
    cover = cover or {"covered_by": personas.bystander}
    lesson = monday_period_2(personas)
    return VisitPlan(
        date=on,
        slot=lesson.slot,
        classrooms=[(personas.teacher, lesson.section)],
        observers=[ObserverPlan(personas.colleague, **cover)],
    )


def office_contact(personas) -> None:
    school = personas.school
    school.office_contact_name, school.office_contact_email = "Olga Office", "office@example.org"
    school.save()


def to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def date_words(day) -> str:
    return f"{day:%A %B} {day.day}"


@pytest.mark.django_db(transaction=True)
def test_a_cover_is_asked_with_the_class_room_and_time_and_nothing_of_the_visit(
    personas, run_tasks
):
    visit = ben_observes_ana(personas, covered_by=personas.bystander)
    run_tasks()
    [message] = to("bystander@example.org")
    assert (
        message.subject
        == f"Please cover: SCI8-1 (Science 8) in room 202 · {visit.date:%a %b} {visit.date.day}"
    )
    assert "SCI8-1 (Science 8) in room 202" in message.body
    assert f"{date_words(visit.date)}, period 2 (09:00–09:50)" in message.body
    for private in [*PURPOSE, "Ben Lee"]:
        assert private not in message.subject + message.body, private


@pytest.mark.django_db(transaction=True)
def test_a_cover_request_is_a_duty_sent_even_to_who_turned_visit_emails_off(personas, run_tasks):
    Person.objects.filter(pk__in=[personas.bystander.pk, personas.colleague.pk]).update(
        email_visit_changes=False
    )
    visit = ben_observes_ana(personas, covered_by=personas.bystander)
    run_tasks()
    assert to("colleague@example.org") == []  # Ben chose not to hear of visits
    [request] = to("bystander@example.org")
    assert "whatever you chose about visit emails" in request.body

    mail.outbox.clear()
    # Ben's class no longer needs Bo: Bo hears so, whatever he chose.
    visit_change(visit=visit, plan=the_same_visit_on(visit, personas, visit.date, substitute=True))
    run_tasks()
    [released] = to("bystander@example.org")
    assert released.subject.startswith("Cover no longer needed")
    assert to("colleague@example.org") == []


@pytest.mark.django_db(transaction=True)
def test_a_cover_released_from_a_moved_visit_hears_the_time_they_no_longer_cover(
    personas, run_tasks
):
    visit = ben_observes_ana(personas, covered_by=personas.bystander)
    run_tasks()
    mail.outbox.clear()
    first, later = visit.date, visit.date + timedelta(weeks=1)
    visit_change(visit=visit, plan=the_same_visit_on(visit, personas, later, substitute=True))
    run_tasks()
    [released] = to("bystander@example.org")
    assert (
        released.subject == f"Cover no longer needed: {date_words(first)}, period 2 (09:00–09:50)"
    )
    assert date_words(later) not in released.body
    for private in PURPOSE:
        assert private not in released.subject + released.body, private


@pytest.mark.django_db(transaction=True)
def test_people_who_turned_visit_emails_off_hear_nothing_of_visits(personas, run_tasks):
    Person.objects.filter(pk__in=[personas.teacher.pk, personas.coach.pk]).update(
        email_visit_changes=False
    )
    visit = ben_observes_ana(personas)
    visit_cancel(visit=visit)
    run_tasks()
    assert to("teacher@example.org") == [] and to("coach@example.org") == []
    assert {m.subject.split(":")[0] for m in to("colleague@example.org")} == {
        "Visit scheduled",
        "Visit cancelled",
    }


@pytest.mark.django_db(transaction=True)
def test_the_office_contact_is_asked_to_book_a_substitute_with_nothing_of_the_visit(
    personas, run_tasks
):
    office_contact(personas)
    pre_brief_save(
        cycle=(cycle := a_cycle(personas)),
        host=personas.teacher,
        instructional_goal="Partner talk about fractions",
        expectations="",
        focus="",
    )
    visit = ben_observes_ana(personas, cycle, substitute=True)
    run_tasks()
    [message] = to("office@example.org")
    assert message.subject == (
        f"Substitute needed: SCI8-1 (Science 8) in room 202 · {date_words(visit.date)}"
    )
    assert "Hello Olga Office," in message.body
    assert (
        f"- Ben Lee's class SCI8-1 (Science 8), room 202, {date_words(visit.date)}, "
        "period 2 (09:00–09:50)"
    ) in message.body
    for private in PURPOSE:
        assert private not in message.subject + message.body, private


@pytest.mark.django_db(transaction=True)
def test_a_moved_visit_tells_the_office_what_to_book_and_what_to_cancel(personas, run_tasks):
    office_contact(personas)
    visit = ben_observes_ana(personas, substitute=True)
    run_tasks()
    mail.outbox.clear()
    first, later = visit.date, visit.date + timedelta(weeks=1)
    visit_change(visit=visit, plan=the_same_visit_on(visit, personas, later, substitute=True))
    run_tasks()
    [message] = to("office@example.org")
    assert message.subject.startswith("Substitutes changed")
    book, cancel = message.body.split("No longer needed")
    assert date_words(later) in book and date_words(first) in cancel

    mail.outbox.clear()
    visit.refresh_from_db()
    visit_cancel(visit=visit)
    run_tasks()
    [message] = to("office@example.org")
    assert message.subject.startswith("Substitute no longer needed")
    assert f"Ben Lee's class SCI8-1 (Science 8), room 202, {date_words(later)}" in message.body


@pytest.mark.django_db(transaction=True)
def test_changing_only_the_observers_cover_sends_the_office_nothing_new(personas, run_tasks):
    office_contact(personas)
    visit = ben_observes_ana(personas, covered_by=personas.bystander)
    run_tasks()
    assert to("office@example.org") == []  # a colleague covers: no substitute to book
    visit_change(
        visit=visit,
        plan=the_same_visit_on(visit, personas, visit.date, covered_by=personas.bystander),
    )
    run_tasks()
    assert to("office@example.org") == []


@pytest.mark.django_db(transaction=True)
def test_without_an_office_contact_nobody_is_emailed_and_the_facilitator_is_told(
    personas, run_tasks
):
    ben_observes_ana(personas, substitute=True)
    run_tasks()
    assert {address for m in mail.outbox for address in m.to} == {
        "teacher@example.org",
        "colleague@example.org",
        "coach@example.org",
    }
    [summary] = to("coach@example.org")
    assert (
        "Nobody is told to book substitutes: add the office contact in school settings."
        in summary.body
    )


@pytest.mark.django_db(transaction=True)
def test_facilitators_get_one_email_summing_up_the_visits_placed_at_once(personas, run_tasks):
    office_contact(personas)
    cycle = a_cycle(personas)
    lesson = monday_period_2(personas)
    visits = [
        visit_schedule(
            cycle=cycle,
            plan=VisitPlan(
                date=next_weekday(0) + timedelta(weeks=week),
                slot=lesson.slot,
                classrooms=[(personas.teacher, lesson.section)],
                observers=[ObserverPlan(personas.colleague, **cover)],
            ),
            tell_facilitators=False,
        )
        for week, cover in [(0, {"covered_by": personas.bystander}), (1, {"substitute": True})]
    ]
    facilitators_notify(cycle=cycle, change="scheduled", visits=visits)  # as publishing does
    run_tasks()
    [message] = to("coach@example.org")
    assert message.subject == "2 visits placed: Student discourse"
    for visit in visits:
        assert f"{date_words(visit.date)}, period 2 (09:00–09:50)" in message.body
    assert "Hosts: Ana Ortiz (MATH7-2 (Math 7), room 101)" in message.body
    assert "Observers: Ben Lee, covered by Bo Stander" in message.body
    assert "Observers: Ben Lee, covered by a substitute" in message.body
    assert "Olga Office, who books substitute teachers, is emailed" in message.body
    assert f"/cycles/{cycle.pk}/visits/" in message.body


@pytest.mark.django_db(transaction=True)
def test_facilitators_hear_when_a_visit_is_moved_or_cancelled(personas, run_tasks):
    visit = ben_observes_ana(personas)
    run_tasks()
    mail.outbox.clear()
    later = visit.date + timedelta(weeks=1)
    visit_change(visit=visit, plan=the_same_visit_on(visit, personas, later))
    visit.refresh_from_db()
    visit_cancel(visit=visit)
    run_tasks()
    moved, cancelled = sorted(to("coach@example.org"), key=lambda m: "cancelled" in m.subject)
    assert moved.subject == f"Visit changed: Student discourse · {later:%a %b} {later.day}"
    assert f"It is now:\n\n{date_words(later)}, period 2" in moved.body
    assert cancelled.subject.startswith("Visit cancelled: Student discourse")


# Pre-briefs: a lab asks its host for one; a round does not.


def lab_visit(personas, *, weeks_ahead: int = 1) -> Visit:
    return ben_observes_ana(personas, a_cycle(personas, "lab"), weeks_ahead=weeks_ahead)


def queued(task: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=f"visits.tasks.{task}", status="READY"))


@pytest.mark.django_db(transaction=True)
def test_a_labs_host_is_asked_to_write_their_pre_brief_with_a_link(personas, run_tasks):
    visit = lab_visit(personas)
    run_tasks()
    [request] = [m for m in to("teacher@example.org") if "pre-brief" in m.subject]
    assert request.subject == "Please write your pre-brief: Student discourse"
    assert f"/cycles/{visit.cycle_id}/pre-briefs/{personas.teacher.pk}/" in request.body
    assert f"MATH7-2 (Math 7), room 101, on {date_words(visit.date)}, period 2" in request.body


@pytest.mark.django_db(transaction=True)
def test_a_round_asks_for_no_pre_brief(personas, run_tasks):
    ben_observes_ana(personas, weeks_ahead=1)
    run_tasks()
    assert not any("pre-brief" in m.subject for m in mail.outbox)
    assert queued("pre_brief_remind") == []


@pytest.mark.django_db(transaction=True)
def test_a_host_who_turned_reminders_off_is_not_asked(personas, run_tasks):
    Person.objects.filter(pk=personas.teacher.pk).update(email_reminders=False)
    visit = lab_visit(personas)
    run_tasks()
    [message] = to("teacher@example.org")  # the visit itself, not the pre-brief
    assert message.subject.startswith("Visit scheduled")
    assert pre_brief_remind.call(visit.pk, personas.teacher.pk, 0) is False


@pytest.mark.django_db(transaction=True)
def test_the_reminder_waits_until_two_days_before_and_is_sent_if_still_unwritten(
    personas, run_tasks
):
    visit = lab_visit(personas)
    run_tasks()
    [reminder] = queued("pre_brief_remind")  # not run: it is not due yet
    due = datetime.combine(
        visit.date - timedelta(days=2), time(7, 30), ZoneInfo("America/New_York")
    )
    assert reminder.run_after == due
    assert reminder.args_kwargs["args"] == [visit.pk, personas.teacher.pk, 0]
    mail.outbox.clear()
    # Two days before, the worker runs it:
    assert pre_brief_remind.call(visit.pk, personas.teacher.pk, 0) is True
    [message] = mail.outbox
    assert message.to == ["teacher@example.org"]
    assert message.subject == "Reminder: your pre-brief for Student discourse"
    assert "in two days" in message.body and "not written yet" in message.body
    assert f"/cycles/{visit.cycle_id}/pre-briefs/{personas.teacher.pk}/" in message.body


@pytest.mark.django_db(transaction=True)
def test_no_reminder_once_the_pre_brief_is_written(personas, run_tasks):
    visit = lab_visit(personas)
    # Saved blank is not written yet.
    pre_brief_save(
        cycle=visit.cycle, host=personas.teacher, instructional_goal="", expectations="", focus=""
    )
    assert pre_brief_remind.call(visit.pk, personas.teacher.pk, 0) is True
    mail.outbox.clear()
    pre_brief_save(
        cycle=visit.cycle,
        host=personas.teacher,
        instructional_goal="Partner talk about fractions",
        expectations="",
        focus="",
    )
    assert pre_brief_remind.call(visit.pk, personas.teacher.pk, 0) is False
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_no_reminder_for_a_cancelled_visit(personas, run_tasks):
    visit = lab_visit(personas)
    visit_cancel(visit=visit)
    assert pre_brief_remind.call(visit.pk, personas.teacher.pk, 0) is False


@pytest.mark.django_db(transaction=True)
def test_a_moved_visit_sends_only_its_new_reminder(personas, run_tasks):
    visit = lab_visit(personas)
    later = visit.date + timedelta(weeks=1)
    visit_change(visit=visit, plan=the_same_visit_on(visit, personas, later))
    run_tasks()
    reminders = sorted(queued("pre_brief_remind"), key=lambda r: r.run_after)
    assert [r.args_kwargs["args"][2] for r in reminders] == [0, 1]
    assert reminders[1].run_after.date() == later - timedelta(days=2)
    mail.outbox.clear()
    assert pre_brief_remind.call(visit.pk, personas.teacher.pk, 0) is False  # stale
    assert pre_brief_remind.call(visit.pk, personas.teacher.pk, 1) is True
    [message] = mail.outbox
    assert date_words(later) in message.body


@pytest.mark.django_db(transaction=True)
def test_no_reminder_for_a_host_no_longer_in_the_visit(personas, run_tasks):
    visit = lab_visit(personas)
    # The lab moves to Ben's Tuesday period 3 class, Ana observing (each keeps their part in
    # the cycle until the visit has changed: inquiry.services.participant_part_set).
    participants_set(
        cycle=visit.cycle,
        observers=[personas.teacher, personas.colleague],
        hosts=[personas.colleague, personas.teacher],
        facilitators=[personas.coach],
    )
    bens = Meeting.objects.select_related("slot", "section").get(
        teacher=personas.colleague, slot__day__label="Tue", slot__period__label="3"
    )
    visit_change(
        visit=visit,
        plan=VisitPlan(
            date=visit.date + timedelta(days=1),
            slot=bens.slot,
            classrooms=[(personas.colleague, bens.section)],
            observers=[ObserverPlan(personas.teacher)],
        ),
    )
    visit.refresh_from_db()
    assert pre_brief_remind.call(visit.pk, personas.teacher.pk, visit.sequence) is False
    assert pre_brief_remind.call(visit.pk, personas.colleague.pk, visit.sequence) is True


@pytest.mark.django_db(transaction=True)
def test_a_follow_up_reminder_respects_the_choice_of_no_reminders(personas, run_tasks):
    cycle, visit = make_round(personas, structure="micro")
    Person.objects.filter(pk=personas.colleague.pk).update(email_reminders=False)
    past = visit.date - timedelta(days=30)
    Visit.objects.filter(pk=visit.pk).update(date=past)
    visit.refresh_from_db()
    goal = goal_set(person=personas.colleague, cycle=cycle, visit=visit, text="x", try_by=past)
    mail.outbox.clear()
    assert follow_up_remind.call(goal.follow_up.pk) is False
    assert mail.outbox == []
