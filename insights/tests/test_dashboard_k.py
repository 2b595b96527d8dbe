"""The dashboards' two rules, for any school, any visits and any range (hypothesis):

1. every number shown draws on no teacher or on at least k different teachers (a share of
   the school's teachers: at least k on each side), counted here the slow way from the rows
   generated, not from the dashboard's queries;
2. no two numbers subtract to fewer than k: a cell counts the same whatever range is asked
   for, and every total (a range, the district) is the sum of shown cells only, so the
   difference of any two numbers is a sum of cells that each drew on at least k teachers.
"""

from collections import defaultdict
from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insights.dashboard import TIME_KINDS, Span, district_rows, numbers_for
from schools.models import LearningActivity
from schools.tests.factories import make_district, make_person, make_school

from .dashboard_data import a_cycle, ledger, visit_on

pytestmark = pytest.mark.django_db

MONTHS = [date(2025, m, 1) for m in (9, 10, 11, 12)]
TODAY = date(2026, 6, 1)
ACTIVITIES = [
    LearningActivity.HOSTED,
    LearningActivity.OBSERVED,
    LearningActivity.PLC_MEETING,
    LearningActivity.DEBRIEF,
    LearningActivity.FOLLOW_UP,
]
SHARE_OF = {
    "hosted": LearningActivity.HOSTED,
    "observed": LearningActivity.OBSERVED,
    "team": LearningActivity.PLC_MEETING,
}

teacher_index = st.integers(min_value=0, max_value=6)
ledger_rows = st.tuples(
    st.integers(0, 1), teacher_index, st.integers(0, 3), st.sampled_from(ACTIVITIES)
)
visit_rows = st.tuples(
    st.integers(0, 1),  # school
    st.integers(0, 3),  # month
    st.frozensets(teacher_index, min_size=1, max_size=3),  # hosts
    st.frozensets(teacher_index, max_size=2),  # observers
    st.sampled_from(["none", "colleague", "substitute"]),
    teacher_index,  # the colleague who covers
)
span_of = st.tuples(st.integers(0, 3), st.integers(0, 3)).map(sorted)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    k=st.integers(2, 4),
    sizes=st.tuples(st.integers(1, 7), st.integers(1, 7)),
    ledgers=st.lists(ledger_rows, max_size=25),
    visits=st.lists(visit_rows, max_size=10),
    spans=st.tuples(span_of, span_of),
)
def test_every_number_draws_on_k_teachers_and_none_subtract_below_k(
    db, k, sizes, ledgers, visits, spans
):
    with transaction.atomic():
        check(k, sizes, ledgers, visits, spans)
        transaction.set_rollback(True)


def check(k, sizes, ledgers, visits, spans) -> None:
    district = make_district("gen")
    schools = [make_school(f"gen-{i}", district=district) for i in range(2)]
    staff = [
        [make_person(f"g{i}-{n}", school, "teacher") for n in range(size)]
        for i, (school, size) in enumerate(zip(schools, sizes, strict=True))
    ]
    leader = make_person(f"lead-{k}", schools[0], "coach")
    cycles = [a_cycle(school, leader) for school in schools]
    drawn: dict[tuple[int, date, str], set[int]] = defaultdict(set)
    for s, t, m, activity in ledgers:
        person = staff[s][t % sizes[s]]
        ledger(person, schools[s], MONTHS[m].replace(day=5), activity)
        for key, share in SHARE_OF.items():
            if activity == share:
                drawn[(schools[s].pk, MONTHS[m], key)].add(person.pk)
        for kind, activities in TIME_KINDS.items():
            if activity in activities:
                drawn[(schools[s].pk, MONTHS[m], f"minutes_{kind}")].add(person.pk)
    for s, m, hosts, observers, cover, coverer in visits:
        people = staff[s]
        host_people = sorted({people[h % sizes[s]] for h in hosts}, key=lambda p: p.pk)
        observer_people = sorted({people[o % sizes[s]] for o in observers}, key=lambda p: p.pk)
        covered_by = people[coverer % sizes[s]] if cover == "colleague" else None
        visit_on(
            cycles[s],
            MONTHS[m].replace(day=12),
            host_people,
            observer_people,
            covered_by=covered_by,
            substitute=cover == "substitute",
        )
        school_id, month = schools[s].pk, MONTHS[m]
        drawn[(school_id, month, "visits")] |= {p.pk for p in host_people}
        if covered_by and observer_people:
            drawn[(school_id, month, "colleague_periods")].add(covered_by.pk)
        if cover == "substitute":
            drawn[(school_id, month, "substitute_periods")] |= {p.pk for p in observer_people}

    seen: dict[tuple[int, date, str], tuple[object, bool]] = {}
    for first, last in spans:
        span = Span(MONTHS[first], Span.widened(MONTHS[last], MONTHS[last]).end)
        numbers = numbers_for(schools, span, k=k, today=TODAY)
        for school in numbers:
            for row in school.rows.values():
                for cell in row.cells:
                    teachers = drawn.get((cell.school_id, cell.month, cell.measure), set())
                    assert cell.teachers == len(teachers)
                    # A count with nobody behind it could never be suppressed.
                    assert cell.teachers > 0 or cell.value == 0
                    if cell.shown:
                        # Rule 1: no teacher, or at least k; a share: k on each side too.
                        assert not teachers or len(teachers) >= k
                        if row.measure.share:
                            assert school.teachers - len(teachers) >= k
                    # Rule 2: a cell is the same whatever the range.
                    where = (cell.school_id, cell.month, cell.measure)
                    assert seen.setdefault(where, (cell.value, cell.shown)) == (
                        cell.value,
                        cell.shown,
                    )
                if row.total is not None:
                    assert row.total == sum(c.value for c in row.cells if c.shown)
        # The district: each month adds the schools' shown cells and nothing else.
        for district_row in district_rows(numbers, span.months):
            measure = district_row.measure.key
            for i, value in enumerate(district_row.values):
                cells = [s.rows[measure].cells[i] for s in numbers]
                shown_cells = [c for c in cells if c.shown]
                if not shown_cells:
                    assert value is None
                elif not (district_row.measure.share or district_row.measure.per_teacher):
                    assert value == sum(c.value for c in shown_cells)


# Under filters (insights/dashboard_filters.py): one school, a few cycles, teachers of a few
# grades and subjects, and every value the school offers, against every other number of the
# same month: the school's, and each cycle's, grade's and subject's. The test keeps its own
# account of who is behind each number: a count is a set of (teacher, cycle) contributions, a
# share a set of teachers. Any sum or difference of up to three shown numbers that comes out
# as a set (every contribution counted once or not at all: "the school − grade 6 − grade 7")
# must draw on no teacher or on at least k (a share: k who did, or none, and k who did not).

GRADES = ["6", "7", ""]
SUBJECTS = ["math", "ela", ""]
filtered_ledger = st.tuples(
    teacher_index, st.integers(0, 1), st.sampled_from(ACTIVITIES), st.integers(0, 2)
)
filtered_visits = st.tuples(
    st.integers(0, 1),  # month
    st.integers(0, 1),  # cycle
    st.frozensets(teacher_index, min_size=1, max_size=3),  # hosts
    teacher_index,  # the observer, covered by a substitute
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    k=st.integers(2, 3),
    teachers=st.lists(
        st.tuples(st.sampled_from(GRADES), st.sampled_from(SUBJECTS)), min_size=3, max_size=9
    ),
    ledgers=st.lists(filtered_ledger, max_size=25),
    visits=st.lists(filtered_visits, max_size=8),
)
def test_under_any_filter_no_sum_or_difference_of_numbers_isolates_fewer_than_k(
    db, k, teachers, ledgers, visits
):
    with transaction.atomic():
        check_filtered(k, teachers, ledgers, visits)
        transaction.set_rollback(True)


def _schedule(school, staff, teachers) -> None:
    from schools.models import Meeting, Section

    from .dashboard_data import any_slot_and_section

    slot, _ = any_slot_and_section(school)
    for n, (person, (grade, subject)) in enumerate(zip(staff, teachers, strict=True)):
        section = Section.objects.create(term=slot.term, code=f"S{n}", subject=subject, grade=grade)
        Meeting.objects.create(section=section, teacher=person, slot=slot)


def check_filtered(k, teachers, ledgers, visits) -> None:
    from growth.models import EntryStatus, LedgerEntry
    from insights.dashboard import BY_KEY, MEASURES
    from insights.dashboard_filters import (
        CYCLE,
        GRADE,
        SUBJECT,
        Filter,
        filter_choices,
        filtered_numbers,
        teacher_groups,
    )

    district = make_district("filt")
    school = make_school("filt-school", district=district)
    staff = [make_person(f"f-{n}", school, "teacher") for n in range(len(teachers))]
    _schedule(school, staff, teachers)
    leader = make_person(f"flead-{k}", school, "coach")
    cycles = [a_cycle(school, leader) for _ in range(2)]
    size = len(staff)
    # (month, measure) -> {(person, cycle or None): amount}
    amounts: dict[tuple[date, str], dict[tuple[int, int | None], int]] = defaultdict(
        lambda: defaultdict(int)
    )
    for t, m, activity, c in ledgers:
        person = staff[t % size]
        cycle = cycles[c] if c < 2 else None
        LedgerEntry.objects.create(
            person=person,
            district=district,
            school=school,
            cycle=cycle,
            date=MONTHS[m].replace(day=5),
            activity=activity,
            title=activity,
            minutes=30,
            status=EntryStatus.VERIFIED,
        )
        who = (person.pk, cycle.pk if cycle else None)
        for key, share in SHARE_OF.items():
            if activity == share:
                amounts[(MONTHS[m], key)][(person.pk, None)] = 1
        for kind, activities in TIME_KINDS.items():
            if activity in activities:
                amounts[(MONTHS[m], f"minutes_{kind}")][who] += 30
    for m, c, hosts, observer in visits:
        host_people = sorted({staff[h % size] for h in hosts}, key=lambda p: p.pk)
        visit_on(
            cycles[c],
            MONTHS[m].replace(day=12),
            host_people,
            [staff[observer % size]],
            substitute=True,
        )
        for host in host_people:
            amounts[(MONTHS[m], "visits")][(host.pk, cycles[c].pk)] += 1
        amounts[(MONTHS[m], "substitute_periods")][(staff[observer % size].pk, cycles[c].pk)] += 1

    groups = teacher_groups(school)
    assert groups == {p.pk: g for p, g in zip(staff, teachers, strict=True)}
    choices = filter_choices(school, groups, k=k)
    span = Span(MONTHS[0], Span.widened(MONTHS[1], MONTHS[1]).end)
    (whole,) = numbers_for([school], span, k=k, today=TODAY)
    filters = [
        *(Filter(CYCLE, pk, title) for pk, title in choices.cycles),
        *(Filter(GRADE, g, g) for g, _ in choices.grades),
        *(Filter(SUBJECT, s, s) for s, _ in choices.subjects),
    ]
    assert {f.value for f in filters if f.dimension == GRADE} == {
        g for g in GRADES if g and sum(1 for t in teachers if t[0] == g) >= k
    }

    def members(chosen: Filter | None, atoms) -> frozenset:
        """The contributions (a share: the teachers) a number adds up."""
        if chosen is None:
            return frozenset(atoms)
        if chosen.dimension == CYCLE:
            return frozenset(a for a in atoms if str(a[1]) == chosen.value)
        index = 0 if chosen.dimension == GRADE else 1
        return frozenset(a for a in atoms if groups[a[0]][index] == chosen.value)

    filtered = {
        f: filtered_numbers(school, span, f, k=k, groups=groups, choices=choices, today=TODAY)
        for f in filters
    }
    for measure in MEASURES:
        is_share = BY_KEY[measure.key].share
        for i, month in enumerate(span.months):
            given_ = amounts.get((month, measure.key), {})
            # A share's atoms are the school's teachers (a "did not" counts); a count's, the
            # contributions behind it.
            atoms: list[tuple[int, int | None]] = (
                [(p.pk, None) for p in staff] if is_share else [a for a, v in given_.items() if v]
            )
            numbers = []
            if whole.rows[measure.key].cells[i].shown:
                numbers.append(members(None, atoms))
            for chosen, result in filtered.items():
                cell = result.rows[measure.key].cells[i]
                inside = members(chosen, atoms)
                did = {a[0] for a in inside if given_.get(a)}
                if is_share and chosen.dimension == CYCLE:
                    assert not cell.shown  # a share is not counted by cycle
                    continue
                assert cell.teachers == len(did)
                if cell.shown:
                    numbers.append(inside)
                    _assert_safe(inside, given_, is_share, k)
            # Every sum and difference of up to three shown numbers that is a set.
            for combination in _combinations(numbers):
                _assert_safe(combination, given_, is_share, k)


def _combinations(numbers):
    from itertools import combinations, product

    for n in (2, 3):
        for chosen in combinations(numbers, n):
            for signs in product((1, -1), repeat=n):
                if signs[0] != 1:
                    continue  # the same set, negated
                counts: dict = defaultdict(int)
                for sign, number in zip(signs, chosen, strict=True):
                    for atom in number:
                        counts[atom] += sign
                isolated = frozenset(a for a, c in counts.items() if c == 1)
                if isolated and all(c in (0, 1) for c in counts.values()):
                    yield isolated


def _assert_safe(atoms, given_, share, k) -> None:
    did = {a[0] for a in atoms if given_.get(a)}
    assert not did or len(did) >= k, (atoms, did)
    if share:
        assert len({a[0] for a in atoms}) - len(did) >= k
