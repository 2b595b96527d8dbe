"""The live runner: the countdown comes from the clock, the facilitator's moves name the
version they saw, the recorder's notes, and the end of a run with attendance."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from teams.models import Attendance, MeetingStatus, Protocol, ProtocolRun, StepNote
from teams.runner import (
    MOVED_ON,
    clock_text,
    note_save,
    run_back,
    run_end,
    run_extend,
    run_next,
    run_start,
    run_view,
    seconds_left,
    step_end,
)
from teams.tests.factories import make_protocol_run, make_team, make_team_meeting
from tests.concurrency import at_once, postgresql_only

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_the_countdown_is_the_step_s_end_minus_now_with_extensions():
    end = step_end(NOON, 10, 0)
    assert seconds_left(end, NOON + timedelta(minutes=3, seconds=0.5)) == 7 * 60  # rounded up
    assert clock_text(seconds_left(end, NOON + timedelta(minutes=3))) == "7:00"
    assert seconds_left(step_end(NOON, 10, 360), NOON + timedelta(minutes=3)) == 13 * 60
    assert seconds_left(end, NOON + timedelta(hours=1)) == 0


@pytest.fixture
def meeting(personas):
    team = make_team(
        personas.school,
        "Grade 6",
        members=[personas.teacher, personas.colleague],
        facilitators=[personas.coach],
    )
    return make_team_meeting(team)


@pytest.fixture
def run(meeting, personas):
    return make_protocol_run(meeting, by=personas.coach, recorder=personas.colleague)


def test_a_run_copies_the_protocol_s_steps_so_editing_it_later_changes_nothing(run):
    tuning = Protocol.objects.get(library_key="tuning")
    assert [s["title"] for s in run.steps] == [s.title for s in tuning.steps.all()]
    tuning.steps.filter(position=0).update(title="Changed later")
    run.refresh_from_db()
    assert run.steps[0]["title"] == "Introduction"
    assert (run.current_step, run.version) == (0, 1)


def test_next_starts_the_next_step_s_full_time(run):
    run_next(run=run, seen=1)
    view = run_view(run, run.step_started_at)
    assert (view.number, view.title, view.seconds_left) == (2, "Presentation", 10 * 60)
    assert run.version == 2


def test_extending_adds_to_the_end_and_going_back_restarts_the_step_before(run):
    run_next(run=run, seen=1)
    run_extend(run=run, seen=2, minutes=5)
    run_extend(run=run, seen=3, minutes=1)
    assert run_view(run, run.step_started_at).seconds_left == (10 + 6) * 60
    run_back(run=run, seen=4)
    view = run_view(run, run.step_started_at)
    assert (view.title, view.seconds_left, run.step_extra_seconds) == ("Introduction", 120, 0)


def test_a_press_on_a_screen_that_is_behind_is_told_the_run_moved_on(run):
    run_next(run=run, seen=1)
    with pytest.raises(ValidationError) as refused:
        run_next(run=run, seen=1)
    assert refused.value.messages == [MOVED_ON]
    assert run.current_step == 1


def test_an_extension_other_than_1_or_5_minutes_and_moves_past_either_end_are_refused(run):
    with pytest.raises(ValidationError, match="1 or 5 minutes"):
        run_extend(run=run, seen=1, minutes=500)
    with pytest.raises(ValidationError, match="first step"):
        run_back(run=run, seen=1)
    for seen in range(1, len(run.steps)):
        run_next(run=run, seen=seen)
    with pytest.raises(ValidationError, match="last step"):
        run_next(run=run, seen=run.version)


def test_a_meeting_runs_one_protocol_at_a_time_and_never_an_empty_one(meeting, run, personas):
    tuning = Protocol.objects.get(library_key="tuning")
    with pytest.raises(ValidationError, match="already running"):
        run_start(meeting=meeting, protocol=tuning, by=personas.coach, recorder=None)
    empty = Protocol.objects.create(school=personas.school, title="Draft")
    run_end(run=run, takeaways="", next_step="Try it", attended=set())
    with pytest.raises(ValidationError, match="no steps"):
        run_start(meeting=meeting, protocol=empty, by=personas.coach, recorder=None)
    meeting.status = MeetingStatus.CANCELLED
    with pytest.raises(ValidationError, match="cancelled"):
        run_start(meeting=meeting, protocol=tuning, by=personas.coach, recorder=None)


def test_notes_are_one_per_step_and_the_last_save_wins_with_its_author_named(run, personas):
    note_save(run=run, step=1, text="Context: 7th grade lab report", by=personas.colleague)
    note_save(run=run, step=1, text="Context: lab report, draft 2", by=personas.coach)
    note = StepNote.objects.get(run=run, step=1)
    assert (note.text, note.updated_by) == ("Context: lab report, draft 2", personas.coach)
    with pytest.raises(ValidationError):
        note_save(run=run, step=99, text="?", by=personas.coach)


def test_ending_records_the_next_step_and_who_attended_everyone_else_unticked(run, personas):
    run_end(
        run=run,
        takeaways="Students need a model of a claim",
        next_step="Each of us tries sentence frames for claims",
        attended={personas.coach.pk, personas.teacher.pk},
    )
    run.refresh_from_db()
    meeting = run.meeting
    assert run.ended_at is not None
    assert meeting.status == MeetingStatus.HELD
    assert meeting.next_step == "Each of us tries sentence frames for claims"
    assert dict(Attendance.objects.values_list("person__username", "attended")) == {
        "coach": True,
        "teacher": True,
        "colleague": False,
    }
    # Corrected later: the same rows change, no moves after the end.
    run_end(run=run, takeaways="", next_step="Same", attended={personas.colleague.pk})
    assert Attendance.objects.filter(attended=True).count() == 1
    with pytest.raises(ValidationError):
        run_next(run=run, seen=run.version)


def test_a_run_outside_a_meeting_just_ends(personas):
    tuning = Protocol.objects.get(library_key="tuning")
    run = ProtocolRun.objects.create(protocol=tuning, steps=[{"title": "a"}], version=1)
    run_end(run=run, takeaways="", next_step="", attended=set())
    run.refresh_from_db()
    assert run.ended_at is not None


@pytest.mark.django_db(transaction=True)
def test_two_facilitators_pressing_next_at_once_move_the_run_one_step(personas):
    postgresql_only()
    team = make_team(personas.school, "Grade 7", members=[], facilitators=[personas.coach])
    run = make_protocol_run(make_team_meeting(team), by=personas.coach)
    for seen in range(1, 6):

        def press(seen=seen):
            return run_next(run=ProtocolRun.objects.get(pk=run.pk), seen=seen)

        results = at_once(press, press)
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(refused) == 1, results
        assert refused[0].messages == [MOVED_ON]
        run.refresh_from_db()
        assert (run.current_step, run.version) == (seen, seen + 1)
