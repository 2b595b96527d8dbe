"""A team's PLC meetings: a recurring series placed in a free period, refused when a member
teaches, has a duty, or already has a visit or another team meeting then (every clash named),
kept within the term, cancelled one by one or for the rest of the series, and carried by
every member's calendar feed."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from inquiry.tests.factories import make_round
from teams.models import MeetingStatus, TeamMeeting
from teams.services import meeting_dates, meeting_problems, meetings_schedule, series_end
from teams.tasks import meeting_digest_send
from teams.tests.factories import make_team
from visits.services import calendar_feed_for

from .helpers import next_monday, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(personas):
    """Ana facilitates, Bo is on it: both are free in Mon 3 and Tue 3."""
    return make_team(
        personas.school, "Grade 7", members=[personas.bystander], facilitators=[personas.teacher]
    )


def place(client, team, the_slot, **data):
    return client.post(
        f"/teams/{team.pk}/meetings/new/",
        {"slot": the_slot.pk, "repeat": "weekly", **data},
    )


def test_four_weekly_meetings_in_the_common_period_reach_every_member_s_calendar(
    client, personas, team
):
    monday = next_monday()
    client.force_login(personas.teacher)
    free = slot(personas, "Mon", "3")
    page = place(client, team, free, starts_on=monday, ends_on=monday + timedelta(weeks=3, days=2))
    assert page.status_code == 302
    meetings = list(TeamMeeting.objects.order_by("date"))
    assert [m.date for m in meetings] == [monday + timedelta(weeks=w) for w in range(4)]
    assert {m.series for m in meetings} == {meetings[0].pk}
    assert {m.slot for m in meetings} == {free}
    team_page = client.get(f"/teams/{team.pk}/").content.decode()
    assert team_page.count(f"/meetings/{meetings[0].pk}/") == 1
    feed = client.get(f"/calendar/{calendar_feed_for(personas.bystander).token}.ics")
    ics = feed.content.decode()
    assert ics.count("SUMMARY:Team meeting: Grade 7 (period 3)") == 4
    # No bell schedule: all-day events, like visits.
    assert f"DTSTART;VALUE=DATE:{monday:%Y%m%d}" in ics
    # Someone not on the team has none of them.
    other = client.get(f"/calendar/{calendar_feed_for(personas.colleague).token}.ics")
    assert "Team meeting" not in other.content.decode()


def test_with_a_bell_schedule_the_calendar_has_the_period_s_clock_times(client, personas, team):
    free = slot(personas, "Tue", "3")
    free.starts_at, free.ends_at = time(10, 0), time(10, 50)
    free.save()
    tuesday = next_monday() + timedelta(days=1)
    meetings_schedule(team=team, slot=free, dates=[tuesday], by=personas.teacher)
    ics = client.get(f"/calendar/{calendar_feed_for(personas.teacher).token}.ics").content
    text = ics.decode()
    assert "SUMMARY:Team meeting: Grade 7\r\n" in text
    assert f"DTSTART;TZID=America/New_York:{tuesday:%Y%m%d}T100000" in text


def test_a_meeting_in_a_period_where_a_member_teaches_is_refused_naming_the_lesson(
    client, personas, team
):
    client.force_login(personas.principal)
    page = place(client, team, slot(personas, "Mon", "1"), starts_on=next_monday())
    assert page.status_code == 400
    assert "Ana Ortiz teaches MATH7-1 (Math 7) in Mon period 1" in page.content.decode()
    assert not TeamMeeting.objects.exists()


def test_a_member_s_visit_or_other_team_meeting_that_day_is_refused_in_one_pass(personas):
    _, visit = make_round(personas)  # Ben observes Ana's Mon period 1, next Monday
    pair = make_team(
        personas.school, "Pair", members=[personas.colleague], facilitators=[personas.bystander]
    )
    mon1 = visit.slot
    other = make_team(personas.school, "Other", members=[personas.bystander])
    later = visit.date + timedelta(weeks=1)
    meetings_schedule(team=other, slot=mon1, dates=[later], by=personas.coach)
    with pytest.raises(ValidationError) as refused:
        meetings_schedule(team=pair, slot=mon1, dates=[visit.date, later], by=personas.bystander)
    said = refused.value.messages
    assert any(m.startswith("Ben Lee is already observing in a visit on") for m in said), said
    assert any(m.startswith("Bo Stander is already in a meeting of “Other”") for m in said)
    assert TeamMeeting.objects.filter(team=pair).count() == 0
    # The same team twice in one period on one date: named too.
    with pytest.raises(ValidationError) as twice:
        meetings_schedule(team=other, slot=mon1, dates=[later], by=personas.coach)
    assert "The team already meets on" in " ".join(twice.value.messages)


def test_the_series_never_runs_past_the_term_s_end(client, personas, team):
    term = personas.school.terms.get()
    monday = next_monday()
    term.ends_on = monday + timedelta(weeks=1)
    term.save()
    client.force_login(personas.teacher)
    free = slot(personas, "Mon", "3")
    late = place(client, team, free, starts_on=monday, ends_on=monday + timedelta(weeks=5))
    assert late.status_code == 400
    assert f"The term ends on {term.ends_on:%b} {term.ends_on.day}" in late.content.decode()
    # Without an end date the series ends with the term.
    assert place(client, team, free, starts_on=monday).status_code == 302
    assert TeamMeeting.objects.count() == 2


def test_the_default_end_is_the_term_s_end_else_six_weeks(personas):
    term = personas.school.terms.get()
    start = date(2026, 1, 5)
    assert series_end(term, start) == start + timedelta(weeks=6)
    term.ends_on = date(2026, 3, 1)
    assert series_end(term, start) == date(2026, 3, 1)


def test_every_other_week_and_chosen_dates(personas):
    mon3 = slot(personas, "Mon", "3")
    # Starting on a Wednesday, the first meeting is the next Monday.
    dates = meeting_dates(
        slot=mon3,
        starts_on=date(2026, 1, 7),
        ends_on=date(2026, 2, 9),
        repeat="fortnightly",
    )
    assert dates == [date(2026, 1, 12), date(2026, 1, 26), date(2026, 2, 9)]
    chosen = [date(2026, 1, 19), date(2026, 1, 12), date(2026, 1, 19)]
    assert meeting_dates(
        slot=mon3,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 1, 1),
        repeat="dates",
        chosen=chosen,
    ) == [date(2026, 1, 12), date(2026, 1, 19)]


def test_chosen_dates_on_the_wrong_weekday_or_junk_are_messages(client, personas, team):
    client.force_login(personas.teacher)
    free = slot(personas, "Mon", "3")
    tuesday = next_monday() + timedelta(days=1)
    wrong = place(client, team, free, repeat="dates", starts_on=tuesday, dates=f"{tuesday}")
    assert wrong.status_code == 400 and "is not a Mon" in wrong.content.decode()
    junk = place(client, team, free, repeat="dates", starts_on=tuesday, dates="someday")
    assert junk.status_code == 400 and "is not a date" in junk.content.decode()
    backwards = place(client, team, free, starts_on=tuesday, ends_on=tuesday - timedelta(1))
    assert backwards.status_code == 400
    assert not TeamMeeting.objects.exists()


def test_cancelling_the_rest_of_a_series_tells_calendars(client, personas, team):
    monday = next_monday()
    free = slot(personas, "Mon", "3")
    meetings = meetings_schedule(
        team=team,
        slot=free,
        dates=[monday + timedelta(weeks=w) for w in range(4)],
        by=personas.teacher,
    )
    client.force_login(personas.teacher)
    one = client.post(f"/meetings/{meetings[0].pk}/cancel/", {"scope": "one"})
    assert one.status_code == 302
    rest = client.post(f"/meetings/{meetings[2].pk}/cancel/", {"scope": "series"})
    assert rest.status_code == 302
    statuses = list(TeamMeeting.objects.order_by("date").values_list("status", flat=True))
    assert statuses == ["cancelled", "scheduled", "cancelled", "cancelled"]
    ics = client.get(f"/calendar/{calendar_feed_for(personas.bystander).token}.ics").content
    assert ics.decode().count("STATUS:CANCELLED") == 3
    # The period is free again: the team can meet then once more.
    meetings_schedule(team=team, slot=free, dates=[monday], by=personas.teacher)


def test_the_digest_is_sent_the_afternoon_before_and_only_while_the_meeting_is_on(
    client, personas, team, mailoutbox, django_capture_on_commit_callbacks
):
    monday = next_monday() + timedelta(weeks=1)
    [meeting] = meetings_schedule(
        team=team, slot=slot(personas, "Mon", "3"), dates=[monday], by=personas.teacher
    )
    client.force_login(personas.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            f"/meetings/{meeting.pk}/announcements/",
            {"digest": "Report cards are due Friday.", "end_slot_minutes": 5},
        )
    assert page.status_code == 302
    [queued] = DBTaskResult.objects.filter(task_path="teams.tasks.meeting_digest_send")
    assert queued.run_after is not None
    assert queued.run_after.date() == monday - timedelta(days=1)
    assert meeting_digest_send.call(meeting.pk) == 2
    assert {m.to[0] for m in mailoutbox} == {"teacher@example.org", "bystander@example.org"}
    assert "Report cards are due Friday." in mailoutbox[0].body
    # Sent once; a cancelled meeting sends nothing.
    assert meeting_digest_send.call(meeting.pk) == 0
    meeting.refresh_from_db()
    meeting.digest_sent_at = None
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    assert meeting_digest_send.call(meeting.pk) == 0
    assert meeting_digest_send.call(10**9) == 0


def test_only_the_members_shared_with_another_team_are_named(personas, team):
    # "Other" has Bo (also on Grade 7) and Ben (not on it): only Bo's clash is Grade 7's.
    other = make_team(personas.school, "Other", members=[personas.colleague, personas.bystander])
    free = slot(personas, "Tue", "3")
    # Ben teaches Tue 3: the other team's meeting is placed directly, as an import might leave.
    on = next_monday() + timedelta(days=1)
    TeamMeeting.objects.create(team=other, slot=free, date=on)
    problems = meeting_problems(team=team, slot=free, dates=[on])
    assert problems == [
        f"Bo Stander is already in a meeting of “Other” on {on:%a %b} {on.day}, Tue period 3."
    ]


def test_a_held_meeting_shows_its_team_what_it_took_away_and_others_only_who_came(client, personas):
    from teams.models import Attendance, TeamMember
    from teams.runner import run_end
    from teams.tests.factories import make_protocol_run, make_team, make_team_meeting

    team = make_team(
        personas.school, "Grade 7", members=[personas.colleague], facilitators=[personas.teacher]
    )
    meeting = make_team_meeting(team)
    run = make_protocol_run(meeting, by=personas.teacher)
    run_end(
        run=run,
        takeaways="Exit tickets show thinking",
        next_step="Rewrite one question",
        attended={personas.teacher.pk},
    )
    client.force_login(personas.colleague)
    page = client.get(f"/meetings/{meeting.pk}/").text
    assert "1 of 2 members attended" in page and "Rewrite one question" in page
    assert f'href="/runs/{run.pk}/"' in page
    client.force_login(personas.colleague)
    assert "1 of 2 attended" in client.get(f"/teams/{team.pk}/").text
    # The principal: no notes; and no count for a team of fewer than k (3) members, where it
    # would point at the one colleague who was absent.
    client.force_login(personas.principal)
    page = client.get(f"/meetings/{meeting.pk}/").text
    assert "Rewrite one question" not in page and "Exit tickets" not in page
    assert f'href="/runs/{run.pk}/"' not in page
    assert "members attended" not in page
    assert " attended" not in client.get(f"/teams/{team.pk}/").text
    # A team of three: the count shows.
    TeamMember.objects.create(team=team, person=personas.bystander)
    Attendance.objects.create(meeting=meeting, person=personas.bystander, attended=True)
    assert "2 of 3 members attended" in client.get(f"/meetings/{meeting.pk}/").text
    assert "2 of 3 attended" in client.get(f"/teams/{team.pk}/").text
