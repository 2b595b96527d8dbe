"""The dashboards read the hours ledger as kept by month (insights.HoursRollup and
DesignationRollup), and what they show is exactly what the entries say, after every way the
ledger is written: a visit held, moved and cancelled, learning reported, returned, corrected,
approved and posted, the district's approval and credit rules changed, a person erased. Each
write is checked to mark what it wrote (in its own statements), and the numbers are checked
against a count made here, the slow way, from the entries themselves."""

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from growth.ledger import counted
from growth.models import EntryStatus, LedgerEntry
from growth.services import (
    Learning,
    learning_report,
    learning_resubmit,
    learning_review,
    ledger_post,
    ledger_refresh,
    ledger_refresh_for_visit,
)
from insights.dashboard import TIME_KINDS, Span, hours_by_designation, numbers_for
from insights.models import HoursMonth
from insights.services import ledger_months_count, ledger_months_fresh, ledger_months_mark
from schools.models import LearningActivity, Membership, Role
from schools.retention import person_erase
from schools.services import designation_add, district_credits_change
from visits.models import VisitStatus

from .dashboard_data import a_cycle, visit_on

pytestmark = pytest.mark.django_db

SPAN = Span.widened(date(2025, 9, 1), date(2026, 6, 30))
LATER = datetime(2026, 8, 1, tzinfo=UTC)
SHARES = {
    "hosted": LearningActivity.HOSTED,
    "observed": LearningActivity.OBSERVED,
    "team": LearningActivity.PLC_MEETING,
}
WRITES = re.compile(r'\s*(INSERT INTO|UPDATE|DELETE FROM) "growth_ledgerentry"')


def from_entries(schools) -> dict:
    """The ledger's cells counted the slow way: every entry that counts, of a teacher of the
    school, read one by one."""
    teachers = set(
        Membership.objects.filter(role=Role.TEACHER).values_list("school_id", "person_id")
    )
    people: dict = defaultdict(set)
    minutes: dict = defaultdict(int)
    for entry in LedgerEntry.objects.filter(
        counted(), school__in=schools, date__range=(SPAN.start, SPAN.end)
    ):
        if (entry.school_id, entry.person_id) not in teachers:
            continue
        where = (entry.school_id, entry.date.replace(day=1))
        for key, activity in SHARES.items():
            if entry.activity == activity:
                people[(*where, key)].add(entry.person_id)
        for kind, activities in TIME_KINDS.items():
            if entry.activity in activities:
                people[(*where, f"minutes_{kind}")].add(entry.person_id)
                minutes[(*where, f"minutes_{kind}")] += entry.minutes
    return {"people": people, "minutes": minutes}


def designations_from_entries(district) -> dict[str, tuple[int, Decimal]]:
    totals: dict[str, tuple[int, Decimal]] = {}
    for entry in LedgerEntry.objects.filter(
        counted(), district=district, date__range=(SPAN.start, SPAN.end)
    ):
        for name in ["All learning", *entry.designations]:
            before = totals.get(name, (0, Decimal(0)))
            totals[name] = (before[0] + entry.minutes, before[1] + entry.credits)
    return totals


def assert_dashboards_match_the_entries(personas) -> None:
    schools = [personas.school, personas.other_school]
    expected = from_entries(schools)
    for numbers in numbers_for(schools, SPAN, k=1):
        for key in [*SHARES, *(f"minutes_{kind}" for kind in TIME_KINDS)]:
            for cell in numbers.rows[key].cells:
                where = (cell.school_id, cell.month, key)
                assert cell.teachers == len(expected["people"].get(where, ())), where
                if key.startswith("minutes_") and numbers.teachers:
                    raw = expected["minutes"].get(where, 0)
                    assert cell.value == round(raw / numbers.teachers), where
    shown = {
        row.name: (row.minutes, row.credits)
        for row in hours_by_designation(personas.school.district, SPAN)
    }
    assert shown == designations_from_entries(personas.school.district)


@pytest.fixture
def checked(personas) -> Callable:
    """Run one write, check that it marked the months it wrote in its own statements, then
    that both dashboards say what the entries say."""

    def run(write: Callable[[], object]) -> None:
        with CaptureQueriesContext(connection) as done:
            write()
        statements = [q["sql"] for q in done.captured_queries]
        if any(WRITES.match(sql) for sql in statements):
            assert any('UPDATE "insights_hoursmonth"' in sql for sql in statements)
        assert_dashboards_match_the_entries(personas)

    return run


def learning(on: date, minutes: int = 60) -> Learning:
    return Learning(on, "reading", minutes, "Read a chapter", "Try it on Monday.")


def test_every_write_of_the_ledger_shows_on_the_dashboards_at_once(personas, checked):
    district = personas.school.district
    # Read first, so that every month is counted (and kept) before the writes.
    assert_dashboards_match_the_entries(personas)
    cycle = a_cycle(personas.school, personas.coach)
    visit = visit_on(cycle, date(2025, 10, 7), [personas.teacher], [personas.colleague])

    # A visit held: its host and its observer earn its minutes.
    checked(lambda: ledger_refresh_for_visit(visit=visit, now=LATER))
    assert LedgerEntry.objects.filter(source__startswith=f"visit:{visit.pk}:").count() == 2

    # Moved to another month: the entries leave October for November.
    visit.date = date(2025, 11, 4)
    visit.save()
    checked(lambda: ledger_refresh_for_visit(visit=visit, now=LATER))

    # Learning reported where the district does not ask for approval: it counts at once.
    reading = learning_report(
        person=personas.teacher, school=personas.school, learning=learning(date(2025, 12, 2))
    )
    checked(lambda: None)

    # The district starts to ask for approval: what was reported stops counting.
    checked(
        lambda: district_credits_change(
            district=district,
            actor=personas.district_leader,
            values={"self_reported_needs_approval": True},
        )
    )
    reported: dict[str, LedgerEntry] = {}

    def report() -> None:
        reported["entry"] = learning_report(
            person=personas.colleague,
            school=personas.school,
            learning=learning(date(2026, 1, 13), 45),
        )

    checked(report)
    entry = reported["entry"]
    checked(
        lambda: learning_review(
            entry=entry, reviewer=personas.coach, approve=False, comment="Which chapter?"
        )
    )
    # Corrected and moved to February, then approved: it counts in February only.
    checked(lambda: learning_resubmit(entry=entry, learning=learning(date(2026, 2, 3), 50)))
    checked(lambda: learning_review(entry=entry, reviewer=personas.coach, approve=True, comment=""))

    # Posted to HR, the first report counts again whatever the setting says.
    checked(
        lambda: ledger_post(district=district, entries=LedgerEntry.objects.filter(pk=reading.pk))
    )

    # A designation the state requires: credits and designations follow.
    checked(
        lambda: designation_add(
            district=district,
            actor=personas.district_leader,
            name="Equity hours",
            description="",
            activities=[LearningActivity.OBSERVED, LearningActivity.READING],
        )
    )
    checked(
        lambda: district_credits_change(
            district=district,
            actor=personas.district_leader,
            values={"clock_hours_per_credit": Decimal("2")},
        )
    )

    # Cancelled: its unposted entries go.
    visit.status = VisitStatus.CANCELLED
    visit.save()
    checked(lambda: ledger_refresh(district=district, now=LATER))
    assert not LedgerEntry.objects.filter(source__startswith=f"visit:{visit.pk}:").exists()

    # A person who left is erased: their hours go from the ledger and the dashboards.
    held = visit_on(cycle, date(2026, 3, 3), [personas.colleague], [personas.teacher])
    checked(lambda: ledger_refresh_for_visit(visit=held, now=LATER))
    personas.colleague.is_active = False
    personas.colleague.save()
    checked(
        lambda: person_erase(
            school=personas.school, person=personas.colleague, actor=personas.district_leader
        )
    )
    assert not LedgerEntry.objects.filter(person=personas.colleague).exists()


def test_a_teacher_who_becomes_a_coach_leaves_the_counts_without_a_recount(personas):
    cycle = a_cycle(personas.school, personas.coach)
    visit = visit_on(cycle, date(2025, 10, 7), [personas.teacher], [personas.colleague])
    ledger_refresh_for_visit(visit=visit, now=LATER)
    assert_dashboards_match_the_entries(personas)
    Membership.objects.filter(person=personas.colleague, role=Role.TEACHER).delete()
    assert_dashboards_match_the_entries(personas)
    # Roles are read with the counts, not kept in them: no month is behind.
    assert not HoursMonth.objects.filter(version__gt=F("counted_version")).exists()


@contextmanager
def queries() -> Iterator[CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as done:
        yield done


def test_a_recount_takes_the_same_queries_for_one_month_behind_or_ten(personas):
    school = personas.school
    months = SPAN.months
    ledger_months_fresh(months=months, schools=[school], district=school.district)
    with queries() as nothing_behind:
        ledger_months_fresh(months=months, schools=[school], district=school.district)
    assert len(nothing_behind) == 1

    def behind(how_many: int) -> int:
        for month in months[:how_many]:
            LedgerEntry.objects.create(
                person=personas.teacher,
                district=school.district,
                school=school,
                date=month.replace(day=9),
                activity=LearningActivity.HOSTED,
                title="Hosted",
                minutes=30,
                status=EntryStatus.VERIFIED,
            )
        ledger_months_mark(query=LedgerEntry.objects.all())
        with queries() as recount:
            ledger_months_fresh(months=months, schools=[school], district=school.district)
        return len(recount)

    assert behind(1) == behind(10)
    assert_dashboards_match_the_entries(personas)


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_counts_soon_after_a_write_so_reads_do_not_have_to(personas, run_tasks):
    school = personas.school
    learning_report(person=personas.teacher, school=school, learning=learning(date(2025, 12, 2)))
    assert HoursMonth.objects.filter(version__gt=0).exists()
    run_tasks()
    assert not HoursMonth.objects.filter(version__gt=F("counted_version")).exists()
    with queries() as read:
        ledger_months_fresh(months=[date(2025, 12, 1)], schools=[school], district=school.district)
    assert len(read) == 1  # nothing behind: no recount while the leader waits
    assert_dashboards_match_the_entries(personas)
    assert ledger_months_count() == 0


def test_every_module_that_writes_ledger_entries_marks_their_months():
    """A new write of entries (or of what `counted` reads) outside these modules must call
    insights.services.ledger_months_mark, or the dashboards would show old numbers."""
    root = Path(__file__).resolve().parents[2]
    writes = re.compile(
        r"LedgerEntry\(|LedgerEntry\.objects[^\n]*\.(create|bulk_create|bulk_update|update|delete)\("
        r"|(?<!_)self_reported_needs_approval\s*=(?!=)"
    )
    skipped = {".venv", "node_modules", "tests", "migrations", "bench"}
    unmarked = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if not skipped & set(path.relative_to(root).parts)
        and writes.search(text := path.read_text())
        and "ledger_months_mark" not in text
        and path.name != "models.py"
    ]
    assert unmarked == []
