"""The hours ledger fills itself from what happened: observing and hosting visits that took
place, pre-briefs, debriefs and meetings attended, follow-ups answered, protocols facilitated.
Cancelled, unattended or covered events add nothing; accruing again changes nothing; credits
follow the district's rules until an entry is posted, then never change."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from growth.ledger import FOLLOW_UP_MINUTES, PRE_BRIEF_MINUTES
from growth.models import EntryStatus, LedgerEntry
from growth.services import (
    follow_up_answer,
    goal_set,
    ledger_post,
    ledger_refresh,
    ledger_refresh_for_person,
)
from inquiry.models import PreBrief
from inquiry.tests.factories import make_round
from schools.services import designation_add, district_credits_change
from teams.models import AgendaItem
from teams.runner import run_end
from teams.tests.factories import make_protocol_run, make_team, make_team_meeting
from visits.models import VisitObserver
from visits.selectors import debrief_group
from visits.services import debrief_attendance_save, visit_cancel

pytestmark = pytest.mark.django_db


def ledger_of(person) -> dict[str, int]:
    return dict(LedgerEntry.objects.filter(person=person).values_list("activity", "minutes"))


def refresh(personas):
    return ledger_refresh(district=personas.school.district)


def test_observers_and_the_host_of_a_visit_that_happened_earn_its_minutes(personas):
    cycle, visit = make_round(personas, held=True)
    refresh(personas)
    assert ledger_of(personas.colleague) == {"observed": cycle.visit_minutes}
    assert ledger_of(personas.vice) == {"observed": cycle.visit_minutes}
    assert ledger_of(personas.teacher) == {"hosted": cycle.visit_minutes}
    entry = LedgerEntry.objects.get(person=personas.colleague)
    assert (entry.status, entry.date, entry.title, entry.cycle) == (
        EntryStatus.VERIFIED,
        visit.date,
        cycle.title,
        cycle,
    )
    assert entry.source == f"visit:{visit.pk}:observed"


def test_covering_a_colleague_s_class_is_not_learning(personas):
    _, visit = make_round(personas, held=True)
    VisitObserver.objects.filter(visit=visit, person=personas.colleague).update(
        covered_by=personas.bystander
    )
    refresh(personas)
    assert ledger_of(personas.bystander) == {}


def test_a_visit_still_ahead_earns_nothing_until_its_date_has_passed(personas):
    _, visit = make_round(personas)
    refresh(personas)
    assert ledger_of(personas.colleague) == {}
    later = timezone.now() + timedelta(weeks=2)
    ledger_refresh_for_person(person=personas.colleague, now=later)
    assert ledger_of(personas.colleague) == {"observed": visit.cycle.visit_minutes}


def test_cancelling_a_visit_takes_its_entries_away_but_a_posted_one_stays_reported(personas):
    _, visit = make_round(personas, held=True)
    refresh(personas)
    ledger_post(
        district=personas.school.district,
        entries=LedgerEntry.objects.filter(person=personas.teacher),
    )
    visit_cancel(visit=visit)
    assert ledger_of(personas.colleague) == {}
    assert ledger_of(personas.teacher) == {"hosted": visit.cycle.visit_minutes}
    again = refresh(personas)
    assert again.added == again.removed == 0
    assert len(again.posted_kept) == 1 and "no longer counts" in again.posted_kept[0]


def test_the_host_s_pre_brief_counts_once_they_hosted(personas):
    cycle, visit = make_round(personas, held=True)
    PreBrief.objects.create(cycle=cycle, host=personas.teacher, instructional_goal="Fractions")
    PreBrief.objects.create(cycle=cycle, host=personas.bystander, focus="Not hosting")
    refresh(personas)
    assert ledger_of(personas.teacher) == {
        "hosted": cycle.visit_minutes,
        "pre_brief": PRE_BRIEF_MINUTES,
    }
    assert ledger_of(personas.bystander) == {}
    assert LedgerEntry.objects.get(activity="pre_brief").date == visit.date


def test_a_debrief_counts_for_those_marked_attending_by_its_protocol_or_recorded_length(
    personas,
):
    cycle, visit = make_round(personas, held=True)
    group = debrief_group(visit)
    assert {p.username for p in group} == {"teacher", "colleague", "vice", "coach"}
    refresh(personas)
    assert "debrief" not in ledger_of(personas.colleague)  # not marked yet: nobody counted
    everyone_but_vice = {p.pk for p in group if p != personas.vice}
    debrief_attendance_save(visit=visit, group=group, attended=everyone_but_vice, minutes=None)
    protocol = sum(step.minutes for step in cycle.preset.debrief_protocol)
    assert ledger_of(personas.colleague)["debrief"] == protocol
    assert ledger_of(personas.coach) == {"debrief": protocol}
    assert "debrief" not in ledger_of(personas.vice)
    debrief_attendance_save(visit=visit, group=group, attended={personas.colleague.pk}, minutes=25)
    assert ledger_of(personas.colleague)["debrief"] == 25
    assert "debrief" not in ledger_of(personas.coach)  # unticked: its entry is taken away


def test_answering_a_follow_up_earns_a_few_minutes(personas):
    cycle, visit = make_round(personas, held=True)
    goal = goal_set(
        person=personas.colleague, cycle=cycle, visit=visit, text="Partner talk", try_by=visit.date
    )
    follow_up_answer(follow_up=goal.follow_up, tried=True, results="yes", why="They talked")
    assert ledger_of(personas.colleague)["follow_up"] == FOLLOW_UP_MINUTES


def test_a_team_meeting_counts_for_members_who_attended_and_its_facilitator_s_protocol(
    personas,
):
    team = make_team(
        personas.school,
        "Grade 7",
        members=[personas.colleague, personas.bystander],
        facilitators=[personas.teacher],
    )
    meeting = make_team_meeting(team, timezone.localdate() - timedelta(days=3))
    AgendaItem.objects.create(meeting=meeting, kind="protocol", minutes=40, title="Tuning")
    run = make_protocol_run(meeting, by=personas.teacher)
    run_end(
        run=run,
        takeaways="",
        next_step="",
        attended={personas.teacher.pk, personas.colleague.pk},
    )
    protocol = sum(step["minutes"] for step in run.steps)
    assert ledger_of(personas.colleague) == {"plc_meeting": 40}
    assert ledger_of(personas.teacher) == {"plc_meeting": 40, "protocol_facilitated": protocol}
    assert ledger_of(personas.bystander) == {}


def test_refreshing_again_changes_nothing(personas):
    make_round(personas, held=True)
    first = refresh(personas)
    ids = set(LedgerEntry.objects.values_list("entry_id", flat=True))
    again = refresh(personas)
    assert first.added == 3
    assert (again.added, again.corrected, again.removed) == (0, 0, 0)
    assert set(LedgerEntry.objects.values_list("entry_id", flat=True)) == ids


def test_credits_follow_the_district_s_rules_until_posted(personas):
    district = personas.school.district
    make_round(personas, held=True)  # 15 minutes each
    refresh(personas)
    entry = LedgerEntry.objects.get(person=personas.colleague)
    assert (entry.credits, entry.credit_unit) == (Decimal("0.25"), "clock_hours")
    ledger_post(district=district, entries=LedgerEntry.objects.filter(pk=entry.pk))
    district_credits_change(
        district=district,
        actor=personas.district_leader,
        values={
            "minutes_per_clock_hour": 60,
            "credit_unit": "ceu",
            "clock_hours_per_credit": Decimal(10),
            "credit_rounding": "none",
        },
    )
    designation_add(
        district=district,
        actor=personas.district_leader,
        name="Equity",
        description="",
        activities=["hosted"],
    )
    hosted = LedgerEntry.objects.get(person=personas.teacher)
    assert (hosted.credits, hosted.credit_unit, hosted.designations) == (
        Decimal("0.03"),
        "ceu",
        ["Equity"],
    )
    entry.refresh_from_db()
    assert (entry.credits, entry.credit_unit, entry.designations) == (
        Decimal("0.25"),
        "clock_hours",
        [],
    )


# For any visits (held, cancelled, still ahead), debriefs with attendance and meetings with
# attendance, each person's ledger minutes are the sum of what they attended.
PEOPLE = ("teacher", "colleague", "vice", "bystander", "coach")
visit_worlds = st.lists(
    st.fixed_dictionaries(
        {
            "state": st.sampled_from(["held", "cancelled", "ahead"]),
            "host": st.sampled_from(PEOPLE),
            "observers": st.sets(st.sampled_from(PEOPLE), max_size=3),
            "covers": st.sets(st.sampled_from(PEOPLE), max_size=2),
            # None: attendance never marked; else who attended and the recorded minutes.
            "debrief": st.none()
            | st.tuples(st.sets(st.sampled_from(PEOPLE)), st.none() | st.integers(1, 90)),
        }
    ),
    max_size=4,
)
meeting_worlds = st.lists(
    st.fixed_dictionaries(
        {
            "held": st.booleans(),
            "minutes": st.integers(1, 60),
            "attended": st.sets(st.sampled_from(PEOPLE)),
        }
    ),
    max_size=3,
)


def _visit(cycle, slot, section, day, spec, people):
    from visits.models import Debrief, DebriefAttendance, Visit, VisitClassroom

    visit = Visit.objects.create(
        cycle=cycle,
        date=day,
        slot=slot,
        status="cancelled" if spec["state"] == "cancelled" else "scheduled",
    )
    host = people[spec["host"]]
    VisitClassroom.objects.create(visit=visit, host=host, section=section)
    observers = spec["observers"] - {spec["host"]}
    free = [p for p in spec["covers"] if p not in observers and p != spec["host"]]
    for name in sorted(observers):
        cover = people[free.pop()] if free else None
        VisitObserver.objects.create(visit=visit, person=people[name], covered_by=cover)
    if spec["debrief"] is not None:
        attended, minutes = spec["debrief"]
        debrief = Debrief.objects.create(
            visit=visit, minutes=minutes, attendance_marked_at=timezone.now()
        )
        for name in PEOPLE:
            DebriefAttendance.objects.create(
                debrief=debrief, person=people[name], attended=name in attended
            )
    return visit


@pytest.mark.django_db(transaction=False)
def test_ledger_minutes_are_the_sum_of_what_each_person_attended(personas):
    from teams.models import Attendance, TeamMeeting

    cycle, held = make_round(personas, held=True)
    slot, section = held.slot, held.classrooms.get().section
    held.delete()
    people = {name: getattr(personas, name) for name in PEOPLE}
    team = make_team(personas.school, "Grade 7", members=list(people.values()))
    protocol = sum(step.minutes for step in cycle.preset.debrief_protocol)
    today = timezone.localdate()

    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(visits=visit_worlds, meetings=meeting_worlds)
    def check(visits, meetings):
        point = transaction.savepoint()
        try:
            expected = dict.fromkeys(PEOPLE, 0)
            for i, spec in enumerate(visits):
                ahead = spec["state"] == "ahead"
                day = (
                    today + timedelta(days=7 * (i + 1)) if ahead else today - timedelta(days=i + 1)
                )
                _visit(cycle, slot, section, day, spec, people)
                if spec["state"] != "held":
                    continue
                expected[spec["host"]] += cycle.visit_minutes
                for name in spec["observers"] - {spec["host"]}:
                    expected[name] += cycle.visit_minutes
                if spec["debrief"] is not None:
                    attended, minutes = spec["debrief"]
                    for name in attended:
                        expected[name] += minutes or protocol
            for i, spec in enumerate(meetings):
                meeting = TeamMeeting.objects.create(
                    team=team,
                    date=today - timedelta(days=i + 1),
                    slot=slot,
                    status="held" if spec["held"] else "cancelled",
                )
                AgendaItem.objects.create(meeting=meeting, kind="protocol", minutes=spec["minutes"])
                for name in PEOPLE:
                    Attendance.objects.create(
                        meeting=meeting, person=people[name], attended=name in spec["attended"]
                    )
                if spec["held"]:
                    for name in spec["attended"]:
                        expected[name] += spec["minutes"]
            refresh(personas)
            assert refresh(personas).added == 0  # idempotent
            for name, person in people.items():
                minutes = sum(
                    LedgerEntry.objects.filter(person=person).values_list("minutes", flat=True)
                )
                assert minutes == expected[name], name
        finally:
            transaction.savepoint_rollback(point)

    check()


def test_the_nightly_run_counts_visits_that_simply_passed_their_date(personas):
    from growth.services import ledger_next_run, ledger_refresh_everywhere

    cycle, _ = make_round(personas)
    night = timezone.now() + timedelta(weeks=2)
    done = ledger_refresh_everywhere(now=night)
    assert done.added == 3
    assert ledger_of(personas.colleague) == {"observed": cycle.visit_minutes}
    assert ledger_next_run(now=night) > night
