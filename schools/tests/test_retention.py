"""Retention: once every visit of a cycle is older than the district's identifiable years, the
nightly task replaces everyone its visits name by placeholders, keeps the patterns the same,
and leaves recent evidence alone; it runs once a night, queued by `opendoors retention`."""

import uuid
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from growth.services import goal_set
from inquiry.models import Cycle, Participant, PreBrief
from inquiry.selectors import staff_for_cycle
from inquiry.services import cycle_start, look_for_add, pre_brief_save
from inquiry.tests.factories import make_round
from insights.models import PatternSnapshot
from opendoors import access
from schools.models import AuditEntry, Person, Section, Slot
from schools.retention import (
    RETENTION_TASK,
    evidence_retention_apply,
    evidence_retention_everywhere,
)
from schools.tests.factories import make_district, make_person, make_schedule, make_school
from visits.models import (
    Commitment,
    Evidence,
    EvidenceRead,
    Proposal,
    Visit,
    VisitClassroom,
    VisitObserver,
)

TODAY = date(2026, 12, 2)
FOUR_YEARS_AGO = date(2022, 11, 7)


def visit_of(cycle: Cycle, when: date, *, hosts, observer, taps: int = 1) -> Visit:
    """A visit in which `observer` tapped the cycle's first look-for in each host's class."""
    slot, section = Slot.objects.first(), Section.objects.first()
    assert slot and section, "the personas' school has a schedule"
    visit = Visit.objects.create(cycle=cycle, date=when, slot=slot)
    VisitObserver.objects.create(visit=visit, person=observer)
    for position, host in enumerate(hosts):
        room = VisitClassroom.objects.create(
            visit=visit, host=host, section=section, position=position
        )
        for _ in range(taps):
            Evidence.objects.create(
                id=uuid.uuid4(),
                classroom=room,
                author=observer,
                kind="look_for",
                look_for=cycle.look_fors.first(),
                recorded_at=datetime.now(UTC),
                fingerprint="-",
            )
    return visit


def moved_back(visit: Visit, when: date = FOUR_YEARS_AGO) -> Visit:
    Visit.objects.filter(pk=visit.pk).update(date=when)
    Commitment.objects.filter(visit=visit).update(date=when)
    visit.refresh_from_db()
    return visit


def names_in(visit: Visit) -> set[int]:
    """Every person the visit's rows, and its cycle's, point to."""
    rooms = VisitClassroom.including_removed.filter(visit=visit)
    seats = VisitObserver.including_removed.filter(visit=visit)
    return (
        set(rooms.values_list("host_id", flat=True))
        | set(seats.values_list("person_id", flat=True))
        | {p for p in seats.values_list("covered_by_id", flat=True) if p}
        | set(Evidence.objects.filter(classroom__visit=visit).values_list("author_id", flat=True))
        | set(Commitment.objects.filter(visit=visit).values_list("person_id", flat=True))
        | set(
            EvidenceRead.objects.filter(classroom__visit=visit).values_list("reader_id", flat=True)
        )
        | set(Participant.objects.filter(cycle=visit.cycle).values_list("person_id", flat=True))
        | set(PreBrief.objects.filter(cycle=visit.cycle).values_list("host_id", flat=True))
        | {p for p in [visit.cycle.created_by_id] if p}
    )


@pytest.fixture
def old_round(personas):
    """The coach's round four years ago: the teacher hosted, the colleague and the assistant
    principal observed (the colleague covered by the bystander); entries, a read, a pre-brief,
    a goal, a proposal, and its patterns read once."""
    cycle, visit = make_round(personas)
    VisitObserver.objects.filter(visit=visit, person=personas.colleague).update(
        covered_by=personas.bystander
    )
    room = visit.classrooms.get()
    for author in (personas.colleague, personas.vice):
        Evidence.objects.create(
            id=uuid.uuid4(),
            classroom=room,
            author=author,
            kind="note",
            text="Students explained their reasoning to a partner.",
            recorded_at=datetime.now(UTC),
            fingerprint="-",
        )
    EvidenceRead.objects.create(classroom=room, reader=personas.coach, where="debrief")
    pre_brief_save(
        cycle=cycle, host=personas.teacher, instructional_goal="Partner talk", expectations="",
        focus="",
    )  # fmt: skip
    goal = goal_set(person=personas.colleague, cycle=cycle, visit=visit, text="Try", try_by=TODAY)
    Proposal.objects.create(cycle=cycle, monday=visit.date, problem={"teachers": ["Ana Ortiz"]})
    return cycle, moved_back(visit), goal


pytestmark = pytest.mark.django_db


def test_old_evidence_no_longer_names_its_author_or_host_or_anyone_else(personas, old_round):
    cycle, visit, goal = old_round
    real = {p.pk for p in (personas.teacher, personas.colleague, personas.vice, personas.coach)}
    real.add(personas.bystander.pk)
    assert names_in(visit) == real

    done = evidence_retention_apply(district=personas.school.district, today=TODAY)

    assert (done.cycles, done.visits, done.people) == (1, 1, 5)
    visit.refresh_from_db()
    cycle.refresh_from_db()
    now_named = names_in(visit)
    assert len(now_named) == 5 and not now_named & real
    for placeholder in Person.objects.filter(pk__in=now_named):
        assert str(placeholder) == "Former colleague"
        assert not placeholder.is_active and placeholder.erased_at
        assert not placeholder.has_usable_password() and not placeholder.email
        assert not placeholder.memberships.exists()
    # What was captured is kept, word for word; only who is gone.
    assert Evidence.objects.filter(classroom__visit=visit).count() == 2
    assert visit.anonymized_at is not None
    # The solver's documents named teachers: gone. A goal stays its author's, visit unnamed.
    assert not Proposal.objects.filter(cycle=cycle).exists()
    goal.refresh_from_db()
    assert goal.person == personas.colleague and goal.visit is None
    # Nobody can open the old round's evidence any more: its group is placeholders.
    assert not access.is_in_visit_group(personas.colleague, visit)


def test_the_same_teacher_is_one_placeholder_so_patterns_count_the_same_teachers(personas):
    """Three teachers' classrooms, one of them visited twice: three teachers before and after,
    and the published numbers name only placeholders."""
    cycle, visit = make_round(personas)
    Visit.objects.filter(pk=visit.pk).delete()
    hosts = [personas.teacher, personas.colleague, personas.bystander]
    visit_of(cycle, FOUR_YEARS_AGO, hosts=hosts, observer=personas.vice, taps=2)
    visit_of(cycle, FOUR_YEARS_AGO + timedelta(days=7), hosts=hosts[:1], observer=personas.vice)
    before = access.school_patterns_for(personas.principal, personas.school)
    assert before[0].aggregate.teachers == 3

    evidence_retention_apply(district=personas.school.district, today=TODAY)

    after = access.school_patterns_for(personas.principal, personas.school)
    assert after[0].aggregate == before[0].aggregate
    hosts_now = set(
        VisitClassroom.including_removed.filter(visit__cycle=cycle).values_list("host", flat=True)
    )
    assert len(hosts_now) == 3 and not hosts_now & {h.pk for h in hosts}
    snapshot_hosts = {
        host for rows in PatternSnapshot.objects.get(cycle=cycle).numbers.values()
        for _, host, _ in rows
    }  # fmt: skip
    assert snapshot_hosts == hosts_now


def test_recent_evidence_and_cycles_still_visiting_are_left_as_they_are(personas, old_round):
    """A cycle with one visit four years ago and one last month is not made anonymous: its
    patterns would count the teacher visited in both twice."""
    recent_cycle, recent_visit = make_round(personas, held=True)
    visit_of(recent_cycle, FOUR_YEARS_AGO, hosts=[personas.colleague], observer=personas.vice)
    recent_before = names_in(recent_visit)

    done = evidence_retention_apply(district=personas.school.district, today=date.today())

    assert done.cycles == 1 and done.visits == 1
    assert names_in(recent_visit) == recent_before
    assert not Visit.objects.filter(cycle=recent_cycle, anonymized_at__isnull=False).exists()


def test_a_second_run_changes_nothing(personas, old_round):
    district = personas.school.district
    evidence_retention_apply(district=district, today=TODAY)
    people, entries = Person.objects.count(), AuditEntry.objects.count()
    named = names_in(old_round[1])

    again = evidence_retention_apply(district=district, today=TODAY)

    assert (again.cycles, again.visits, again.people) == (0, 0, 0)
    assert Person.objects.count() == people and AuditEntry.objects.count() == entries
    assert names_in(old_round[1]) == named


def hillside_visit(years: int) -> tuple[Visit, Person]:
    """Hillside, a second district keeping evidence `years` years: a visit two years ago."""
    hillside = make_district("hillside")
    hillside.evidence_identifiable_years = years
    hillside.save()
    school = make_school("hill", district=hillside)
    make_schedule(school)
    coach = make_person("hillcoach", school, "coach")
    host = make_person("hillhost", school, "teacher")
    cycle = cycle_start(school=school, structure="rounds", title="Questions", by=coach)
    look_for_add(cycle=cycle, text="Students ask why", kind="oral")
    return visit_of(cycle, date(2024, 11, 4), hosts=[host], observer=coach), host


def test_each_district_keeps_evidence_identifiable_for_its_own_years(personas, old_round):
    """Riverbend keeps five years, so its four-year-old round stays; Hillside keeps one."""
    district = personas.school.district
    district.evidence_identifiable_years = 5
    district.save()
    two_years_ago, host = hillside_visit(years=1)

    assert evidence_retention_apply(district=district, today=TODAY).visits == 0
    assert (
        evidence_retention_apply(district=two_years_ago.cycle.school.district, today=TODAY).visits
        == 1
    )
    assert host.pk not in names_in(two_years_ago)
    assert personas.teacher.pk in names_in(old_round[1])


def test_the_audit_log_counts_what_was_made_anonymous_and_names_nobody(personas, old_round):
    evidence_retention_apply(district=personas.school.district, today=TODAY)
    entry = AuditEntry.objects.get(action="evidence_anonymized")
    assert entry.actor is None and entry.subject is None
    assert entry.summary == (
        "Evidence of visits before Dec 2, 2023 made anonymous (3 years): 1 visit in 1 cycle, "
        "5 people replaced by placeholders."
    )


def test_placeholders_are_in_no_list_of_people(client, personas, old_round):
    evidence_retention_apply(district=personas.school.district, today=TODAY)
    client.force_login(personas.district_leader)
    page = client.get("/schools/lincoln/people/")
    assert "Former colleague" not in page.content.decode()
    cycle, _ = make_round(personas)
    assert not [m for m in staff_for_cycle(cycle).members if str(m.person) == "Former colleague"]


def test_the_command_makes_old_evidence_anonymous_and_says_how_much(personas, old_round):
    out = StringIO()
    call_command("retention", stdout=out)
    assert out.getvalue() == "Made anonymous: 1 visit in 1 cycle of 1 district.\n"
    assert personas.teacher.pk not in names_in(old_round[1])


@pytest.mark.django_db(transaction=True)
def test_the_daily_task_runs_and_queues_itself_once_for_tomorrow_night(personas, run_tasks):
    _, visit = make_round(personas)
    moved_back(visit)
    out = StringIO()
    call_command("recurring", stdout=out)
    assert "Queued retention daily: now, then every night at 02:00." in out.getvalue()

    run_tasks()

    assert personas.teacher.pk not in names_in(visit)
    waiting = DBTaskResult.objects.filter(task_path=RETENTION_TASK, status="READY")
    assert waiting.count() == 1
    zone = ZoneInfo(settings.TIME_ZONE)
    tomorrow = timezone.localdate(timezone=zone) + timedelta(days=1)
    assert waiting.get().run_after == datetime(
        tomorrow.year, tomorrow.month, tomorrow.day, 2, tzinfo=zone
    )
    assert DBTaskResult.objects.filter(task_path=RETENTION_TASK, status="SUCCESSFUL").count() == 1
    # Started again by hand (or by `make demo` again): still one run waiting.
    out = StringIO()
    call_command("recurring", stdout=out)
    assert "retention daily: already queued." in out.getvalue()
    assert waiting.count() == 1


def test_a_district_that_fails_keeps_no_other_districts_evidence_identifiable(
    personas, old_round, caplog
):
    """Riverbend's time zone was mistyped (in the admin, say): it fails and is logged, and the
    run still makes Hillside's old visit anonymous before it reports the failure."""
    riverbend = personas.school.district
    riverbend.time_zone = "Atlantis/Nowhere"
    riverbend.save()
    two_years_ago, host = hillside_visit(years=1)

    with pytest.raises(Exception, match="Atlantis/Nowhere"):
        evidence_retention_everywhere(now=timezone.now())

    assert host.pk not in names_in(two_years_ago)
    assert personas.teacher.pk in names_in(old_round[1])
    assert "Retention failed in district riverbend" in caplog.text


def test_hours_earned_in_an_old_visit_stay_their_earner_s_without_naming_the_visit(personas):
    from growth.models import LedgerEntry
    from growth.services import ledger_refresh_for_person
    from teams.models import StepNote
    from visits.models import Debrief, DebriefAttendance
    from visits.services import debrief_run_start

    _, visit = make_round(personas)
    moved_back(visit)
    debrief = Debrief.objects.create(visit=visit, attendance_marked_at=timezone.now())
    DebriefAttendance.objects.create(debrief=debrief, person=personas.colleague)
    run = debrief_run_start(visit=visit, by=personas.coach)
    StepNote.objects.create(run=run, step=0, text="Students explained", updated_by=personas.coach)
    ledger_refresh_for_person(person=personas.colleague)
    mine = LedgerEntry.objects.filter(person=personas.colleague)
    earned = sorted(mine.values_list("activity", "minutes"))
    assert [activity for activity, _ in earned] == ["debrief", "observed"]

    evidence_retention_apply(district=personas.school.district, today=timezone.localdate())

    assert sorted(mine.values_list("activity", "minutes")) == earned
    assert set(mine.values_list("source", "cycle")) == {("", None)}
    ledger_refresh_for_person(person=personas.colleague)  # nothing taken away, nothing added
    assert sorted(mine.values_list("activity", "minutes")) == earned
    assert not LedgerEntry.objects.exclude(person__in=[personas.colleague, personas.teacher])
    run.refresh_from_db()
    named = {run.started_by_id, run.recorder_id}
    named |= set(StepNote.objects.values_list("updated_by", flat=True))
    named |= set(DebriefAttendance.objects.values_list("person_id", flat=True))
    assert not named & {personas.coach.pk, personas.colleague.pk}
