"""The demo has two teams at Lincoln, each with weekly PLC meetings in a period every member
has free; loading it again adds nothing."""

from itertools import pairwise

import pytest
from django.core.management import call_command

from teams.models import Team, TeamMeeting
from teams.services import meeting_problems


@pytest.mark.django_db
def test_two_teams_at_lincoln_meet_weekly_in_their_common_period(capsys):
    call_command("load_demo")
    teams = Team.objects.filter(school__slug="lincoln").order_by("name")
    assert [t.name for t in teams] == ["Grade 7 team", "Grade 8 team"]
    for team in teams:
        meetings = list(team.meetings.filter(status="scheduled").order_by("date"))
        assert len(meetings) >= 3
        assert len({m.series for m in meetings}) == 1 and len({m.slot_id for m in meetings}) == 1
        assert team.members.filter(is_facilitator=True).exists()
        # Placed through the rules: nobody teaches, has a duty or another commitment then
        # (the meetings themselves aside).
        slot = meetings[0].slot
        dates = [m.date for m in meetings]
        assert [
            p
            for p in meeting_problems(team=team, slot=slot, dates=dates)
            if not p.startswith("The team already meets")
        ] == []
    count = TeamMeeting.objects.count()
    call_command("load_demo")
    assert TeamMeeting.objects.count() == count


@pytest.mark.django_db
def test_the_grade_7_team_held_a_tuning_protocol_last_week(capsys):
    from teams.models import Attendance, ProtocolRun

    call_command("load_demo")
    held = TeamMeeting.objects.filter(team__name="Grade 7 team", status="held").latest("date")
    run = ProtocolRun.objects.get(meeting=held)
    assert run.protocol.library_key == "tuning" and run.ended_at is not None
    assert run.notes.count() == 3 and held.next_step
    attended = Attendance.objects.filter(meeting=held)
    assert attended.filter(attended=True).count() == attended.count() - 1


@pytest.mark.django_db
def test_the_grade_7_team_met_every_other_week_since_the_semester_began(capsys):
    from teams.models import ProtocolRun

    call_command("load_demo")
    held = list(
        TeamMeeting.objects.filter(team__name="Grade 7 team", status="held").order_by("date")
    )
    assert len(held) == 8
    assert {(b.date - a.date).days for a, b in pairwise(held)} == {14}
    runs = ProtocolRun.objects.filter(meeting__in=held, ended_at__isnull=False)
    assert runs.values("protocol").distinct().count() == 8
