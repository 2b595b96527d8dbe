"""Every list and dashboard page takes an exact number of queries, the same for one row as
for many: a new N+1 fails here, and so does any new query (update the number knowingly)."""

from datetime import timedelta

import pytest

from inquiry.tests.factories import make_round, next_weekday
from schools.models import Meeting
from visits.rules import ObserverPlan, VisitPlan
from visits.services import visit_schedule

pytestmark = pytest.mark.django_db

# Page -> queries of the page itself, as the coach who facilitates the round; every full page
# also draws the menu (opendoors/navigation.py), one more query: MENU_QUERIES.
MENU_QUERIES = 1
PAGES = {
    # 18, and the stage's facts (inquiry.stages) and the debriefs' takeaways.
    "/cycles/{cycle}/": 20,
    "/cycles/{cycle}/visits/": 18,
    # 6 of its own, and 7 for the master-schedule grid (schools.selectors.schedule_grid: term,
    # days, slots, lessons, duties, sections, teachers) giving each person's subjects, grades
    # and free periods.
    "/cycles/{cycle}/people/": 13,
    "/cycles/{cycle}/look-fors/": 7,
    # The visit is read with the viewer's part in it (opendoors.access.visit_for_participant).
    "/visits/{visit}/": 11,
    # 5, the facilitator's board (inquiry.board): cycles, stage facts, evidence, goals, and
    # whether the person leads the school (their roles there, whether they lead the district).
    "/schools/lincoln/cycles/": 11,
    # 7, the school's terms (the date filter and "over time"), the classrooms whose counts are
    # behind, the look-fors' words and the kept counts (insights.ClassroomRollup); here one
    # classroom is behind: its recount and its upsert. With evidence, 3 more: cycles,
    # snapshots and their upsert (insights/tests/test_patterns_over_time.py).
    "/schools/lincoln/patterns/": 13,
    "/schools/lincoln/schedule/": 11,
}


def more_visits(personas, cycle, weeks: int) -> None:
    lesson = Meeting.objects.get(
        teacher=personas.teacher, slot__day__label="Tue", slot__period__label="1"
    )
    for week in range(1, weeks + 1):
        visit_schedule(
            cycle=cycle,
            plan=VisitPlan(
                date=next_weekday(1) + timedelta(weeks=week),
                slot=lesson.slot,
                classrooms=[(personas.teacher, lesson.section)],
                observers=[ObserverPlan(personas.colleague)],
            ),
        )


@pytest.mark.parametrize("page", PAGES)
def test_a_page_takes_the_same_exact_queries_for_one_visit_or_many(
    client, personas, django_assert_num_queries, page
):
    cycle, visit = make_round(personas)
    client.force_login(personas.coach)
    url = page.format(cycle=cycle.pk, visit=visit.pk)
    with django_assert_num_queries(PAGES[page] + MENU_QUERIES):
        assert client.get(url).status_code == 200
    more_visits(personas, cycle, weeks=4)
    with django_assert_num_queries(PAGES[page] + MENU_QUERIES):
        assert client.get(url).status_code == 200


# Pages for the school's principals and the district's leaders, as the principal / leader.
# People: 5 of its own (session, user, the school, the viewer's roles there, whether they lead
# the district), the people, their roles, 7 for the master-schedule grid
# (schools.selectors.schedule_grid) giving each person's subjects and grades, and how many
# are not invited yet. schools/tests/test_district_size.py holds it for 3,000 people.
# Audit log: session, user, the district, its schools, the count and one page of entries.
PEOPLE_QUERIES = 15
AUDIT_QUERIES = 6


def test_the_people_page_takes_the_same_queries_for_3_or_30_people(
    client, personas, django_assert_num_queries
):
    from schools.tests.factories import make_person

    client.force_login(personas.principal)
    with django_assert_num_queries(PEOPLE_QUERIES + MENU_QUERIES):
        assert client.get("/schools/lincoln/people/").status_code == 200
    for n in range(30):
        make_person(f"extra{n}", personas.school, "teacher", "coach")
    with django_assert_num_queries(PEOPLE_QUERIES + MENU_QUERIES):
        page = client.get("/schools/lincoln/people/?status=active")
    assert len(page.context["rows"]) == 37


def test_the_audit_log_takes_the_same_queries_for_one_entry_or_many(
    client, personas, django_assert_num_queries
):
    from schools.services import audit_record

    def record(n: int) -> None:
        for i in range(n):
            audit_record(
                district=personas.school.district,
                school=personas.school if i % 2 else None,
                actor=personas.principal,
                subject=personas.teacher,
                action="roles_changed",
                summary=f"Change {i}",
            )

    client.force_login(personas.district_leader)
    record(1)
    with django_assert_num_queries(AUDIT_QUERIES + MENU_QUERIES):
        assert client.get("/district/riverbend/audit/").status_code == 200
    record(60)
    with django_assert_num_queries(AUDIT_QUERIES + MENU_QUERIES):
        page = client.get(f"/district/riverbend/audit/?page=2&school={personas.school.pk}")
    assert page.status_code == 200


# The district's Schools page, as its leader: session, user, the district, the schools with
# how many people each (schools.selectors.district_schools).
DISTRICT_SCHOOLS_QUERIES = 4


def test_the_district_s_schools_page_takes_the_same_queries_for_2_or_12_schools(
    client, personas, django_assert_num_queries
):
    from schools.tests.factories import make_person, make_school

    client.force_login(personas.district_leader)
    with django_assert_num_queries(DISTRICT_SCHOOLS_QUERIES + MENU_QUERIES):
        assert client.get("/district/riverbend/schools/").status_code == 200
    for n in range(10):
        school = make_school(f"school-{n}")
        make_person(f"head{n}", school, "principal")
    with django_assert_num_queries(DISTRICT_SCHOOLS_QUERIES + MENU_QUERIES):
        page = client.get("/district/riverbend/schools/")
    assert len(page.context["schools"]) == 12


# The district's settings page, as its leader: session, user, the district, the forms' copy of
# it, and its credit designations.
DISTRICT_SETTINGS_QUERIES = 5


def test_the_district_s_settings_page_takes_the_same_queries_for_1_or_10_designations(
    client, personas, django_assert_num_queries
):
    from schools.models import CreditDesignation

    district = personas.school.district
    CreditDesignation.objects.create(district=district, name="Equity", activities=["debrief"])
    client.force_login(personas.district_leader)
    with django_assert_num_queries(DISTRICT_SETTINGS_QUERIES + MENU_QUERIES):
        assert client.get("/district/riverbend/settings/").status_code == 200
    for n in range(9):
        CreditDesignation.objects.create(district=district, name=f"Area {n}", activities=["other"])
    with django_assert_num_queries(DISTRICT_SETTINGS_QUERIES + MENU_QUERIES):
        page = client.get("/district/riverbend/settings/")
    assert page.content.decode().count("Carried by:") == 10


# Celebrations. Mine: session, user, shout-outs to me, those shared from bright moments, my
# classrooms' bright moments, those I gave, my schools (my roles, then the schools), and my
# teams and goals once per school.
# The school's: session, user, the school, the shared ones, and the form's colleagues and teams.
MY_CELEBRATIONS_QUERIES = 10
SCHOOL_CELEBRATIONS_QUERIES = 6


def test_the_celebrations_pages_take_the_same_queries_for_one_shout_out_or_many(
    client, personas, django_assert_num_queries
):
    from growth.models import Audience, ShoutOut

    def shout_outs(count: int) -> None:
        ShoutOut.objects.bulk_create(
            ShoutOut(
                school=personas.school,
                author=personas.colleague,
                celebrated=personas.teacher,
                text=f"Shout-out {n}",
                audience=Audience.SCHOOL,
            )
            for n in range(count)
        )

    client.force_login(personas.teacher)
    pages = {
        "/celebrations/": MY_CELEBRATIONS_QUERIES,
        "/schools/lincoln/celebrations/": SCHOOL_CELEBRATIONS_QUERIES,
    }
    for count in (1, 12):
        shout_outs(count)
        for url, queries in pages.items():
            with django_assert_num_queries(queries + MENU_QUERIES):
                assert client.get(url).status_code == 200


# Teams, as the team's facilitator. The list: session, user, the school, its teams with their
# member counts, the teams the person may open, and whether they may form one. A team's page:
# session, user, the team, its members, and for the common time the term, its slots, the
# members' lessons and duties (teams.selectors.team_week); its meetings ahead and held, whether
# the person is on the team (how many attended shows), its parking lot and whether they lead it.
TEAMS_QUERIES = 6
TEAM_QUERIES = 13


def test_the_teams_pages_take_the_same_queries_for_one_team_or_many(
    client, personas, django_assert_num_queries
):
    from schools.models import Slot
    from schools.tests.factories import make_person
    from teams.models import ParkingLotItem, TeamMeeting
    from teams.tests.factories import make_team

    team = make_team(
        personas.school, "Grade 7", members=[personas.bystander], facilitators=[personas.teacher]
    )
    client.force_login(personas.teacher)
    pages = {"/schools/lincoln/teams/": TEAMS_QUERIES, f"/teams/{team.pk}/": TEAM_QUERIES}
    for url, queries in pages.items():
        with django_assert_num_queries(queries + MENU_QUERIES):
            assert client.get(url).status_code == 200
    for n in range(8):
        make_team(personas.school, f"Team {n}", members=[personas.teacher])
        person = make_person(f"member{n}", personas.school, "teacher")
        team.members.create(person=person)
    for week, slot in enumerate(Slot.objects.filter(term__school=personas.school)):
        TeamMeeting.objects.create(
            team=team, slot=slot, date=next_weekday(0) + timedelta(weeks=week)
        )
        ParkingLotItem.objects.create(team=team, text=f"Later {week}", created_by=personas.teacher)
    for url, queries in pages.items():
        with django_assert_num_queries(queries + MENU_QUERIES):
            assert client.get(url).status_code == 200


# The district's library: session, user, the school (with its district), the plans (with
# school and author), whether the viewer leads the district; and with `?for=` the cycle and
# whether they facilitate it.
LIBRARY_QUERIES = 5


def test_the_district_library_takes_the_same_queries_for_one_plan_or_many(
    client, personas, django_assert_num_queries
):
    from inquiry.services import plan_share

    cycle, _ = make_round(personas)
    client.force_login(personas.coach)
    for count in (1, 10):
        for n in range(count):
            cycle.title = f"Round {count}-{n}"  # a plan shared again unchanged is kept once
            plan_share(cycle=cycle, kind="look_fors", author=personas.coach)
            plan_share(cycle=cycle, kind="evidence_tool", author=personas.coach)
        with django_assert_num_queries(LIBRARY_QUERIES + MENU_QUERIES):
            assert client.get("/schools/lincoln/library/").status_code == 200
        with django_assert_num_queries(LIBRARY_QUERIES + 2 + MENU_QUERIES):
            assert client.get(f"/schools/lincoln/library/?for={cycle.pk}").status_code == 200


# The protocol library, as a coach: session, user, the school, its protocols with their steps'
# count and minutes (shipped, the school's own and the district's, in one query), the runs under
# way in the coach's teams, and whether the coach writes protocols.
PROTOCOL_LIBRARY_QUERIES = 6


def test_the_protocol_library_takes_the_same_queries_for_few_or_many_protocols(
    client, personas, django_assert_num_queries
):
    from teams.models import Protocol
    from teams.protocol_services import protocol_copy, protocol_share

    client.force_login(personas.coach)
    with django_assert_num_queries(PROTOCOL_LIBRARY_QUERIES + MENU_QUERIES):
        assert client.get("/schools/lincoln/protocols/").status_code == 200
    for shipped in Protocol.objects.filter(library_key__isnull=False):
        protocol_copy(protocol=shipped, school=personas.school, by=personas.coach)
        shared = protocol_copy(protocol=shipped, school=personas.other_school, by=personas.outsider)
        protocol_share(protocol=shared, share=True)
    with django_assert_num_queries(PROTOCOL_LIBRARY_QUERIES + MENU_QUERIES):
        page = client.get("/schools/lincoln/protocols/")
    shipped = Protocol.objects.filter(library_key__isnull=False).count()  # 12
    assert (len(page.context["own"]), len(page.context["district"])) == (shipped, shipped)


# My hours, as an observer: session, user, their schools and roles (the form's choices), the
# refresh before the page (growth.ledger.earned_in: seven reads of events; then the person's
# entries inside a savepoint, nothing written once everything is counted), the entries, the
# schools whose reported learning they review.
MY_HOURS_QUERIES = 16
# Reported learning to review, as the coach: session, user, the school, the coach's roles
# there, the waiting entries with their authors.
APPROVALS_QUERIES = 5


def test_the_hours_pages_take_the_same_queries_for_one_entry_or_many(
    client, personas, django_assert_num_queries
):
    from datetime import date

    from django.db.models import F

    from growth.models import LedgerEntry
    from growth.services import Learning, learning_report, ledger_refresh
    from visits.models import Visit

    cycle, _ = make_round(personas, held=True)

    def report(count: int) -> None:
        for _ in range(count):
            learning = Learning(
                date=date(2026, 1, 5), activity="reading", minutes=30, title="A", reflection=""
            )
            learning_report(person=personas.colleague, school=personas.school, learning=learning)

    for count in (1, 10):
        report(count)
        ledger_refresh(district=personas.school.district)
        client.force_login(personas.colleague)
        with django_assert_num_queries(MY_HOURS_QUERIES + MENU_QUERIES):
            assert client.get("/hours/").status_code == 200
        assert LedgerEntry.objects.filter(person=personas.colleague).count() == (
            count + 1 if count == 1 else 1 + 3 + 1 + 10
        )
        client.force_login(personas.coach)
        with django_assert_num_queries(APPROVALS_QUERIES + MENU_QUERIES):
            assert client.get("/schools/lincoln/hours/approvals/").status_code == 200
        if count == 1:  # more visits, all of them past: more entries for the observer
            more_visits(personas, cycle, weeks=3)
            Visit.objects.filter(cycle=cycle).update(date=F("date") - timedelta(weeks=8))


# My portfolio, as its owner: session, user, then one query per section (cycles, goals with
# their follow-ups, reflections, artifacts, celebrations, hours), the shares I made, those
# made with me, the share form's colleagues, and my credentials and the cycles I may claim
# one for.
PORTFOLIO_QUERIES = 13


def test_my_portfolio_takes_the_same_queries_for_one_of_everything_or_many(
    client, personas, django_assert_num_queries
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from growth.artifacts import Attachment, artifact_upload
    from growth.models import EntryStatus, LedgerEntry, ShoutOut
    from growth.portfolio import portfolio_share_create
    from growth.services import goal_set

    cycle, visit = make_round(personas)

    def record(count: int) -> None:
        for n in range(count):
            goal = goal_set(
                person=personas.teacher,
                cycle=cycle,
                visit=visit,
                text=f"Goal {n}",
                try_by=visit.date,
            )
            LedgerEntry.objects.create(
                person=personas.teacher,
                district=personas.school.district,
                date=visit.date,
                activity="reading",
                title=f"Reading {n}",
                minutes=30,
                status=EntryStatus.SELF_REPORTED,
                reflection="What I took from it",
                credit_unit="clock hours",
            )
            artifact_upload(
                owner=personas.teacher,
                upload=SimpleUploadedFile(f"a{n}.txt", b"text"),
                title=f"Artifact {n}",
                attachment=None if n % 2 else Attachment(goal=goal),
            )
            ShoutOut.objects.create(
                school=personas.school,
                author=personas.colleague,
                celebrated=personas.teacher,
                text="!",
            )
            portfolio_share_create(owner=personas.teacher, sections=["goals"], days=3)
            portfolio_share_create(
                owner=personas.colleague, sections=["goals"], colleague=personas.teacher
            )

    client.force_login(personas.teacher)
    for count in (1, 6):
        record(count)
        with django_assert_num_queries(PORTFOLIO_QUERIES + MENU_QUERIES):
            assert client.get("/portfolio/").status_code == 200


# The school's cycles for its leaders (inquiry.leaders), as the principal: session, user, the
# school, her roles there, the school's goals (for the filter), the cycles with their counts,
# their look-fors, their stage facts, and whether she leads the district. The district's
# strategy, as its leader: session, user, the district, its schools, their goals, their
# cycles and the cycles' stage facts.
LEADER_CYCLES_QUERIES = 9
STRATEGY_QUERIES = 7


def test_the_leaders_pages_take_the_same_queries_for_one_cycle_or_many(
    client, personas, django_assert_num_queries
):
    from growth.services import goal_set
    from inquiry.services import cycle_start, look_for_add, participants_set
    from schools.models import ImprovementGoal

    make_round(personas)

    def more_cycles(n: int) -> None:
        for school in (personas.school, personas.other_school):
            goal = ImprovementGoal.objects.create(school=school, title=f"Goal {n}")
            cycle = cycle_start(school=school, structure="lab", title=f"Lab {n}", by=personas.coach)
            cycle.improvement_goal = goal
            cycle.save()
        look_for_add(cycle=cycle, text=f"Students ask question {n}", kind="oral")
        participants_set(
            cycle=cycle,
            observers=[personas.colleague],
            hosts=[personas.teacher],
            facilitators=[personas.coach],
        )
        goal_set(person=personas.colleague, cycle=cycle, text="Try", try_by=next_weekday(0))

    pages = (
        ("principal", "/schools/lincoln/cycles/all/", LEADER_CYCLES_QUERIES),
        ("district_leader", "/district/riverbend/strategy/", STRATEGY_QUERIES),
    )
    for who, url, queries in pages:
        client.force_login(getattr(personas, who))
        with django_assert_num_queries(queries + MENU_QUERIES):
            assert client.get(url).status_code == 200
    for n in range(4):
        more_cycles(n)
    for who, url, queries in pages:
        client.force_login(getattr(personas, who))
        with django_assert_num_queries(queries + MENU_QUERIES):
            assert client.get(url).status_code == 200


# The dashboards (insights/dashboard.py), as the principal and the district's leader: session,
# user, the school (or district, then its schools with their teachers), the viewer's roles
# there, then one query per source, grouped by school and month (ledger, visits, debriefs,
# follow-ups, goals, artifacts, coverage, cycles); the school's adds its teams' common free
# periods (the term's week, members, their lessons and duties); the district's adds hours by
# designation and the schools' goals. The ledger is read as kept by month: one more query
# finds no month behind (insights.services.ledger_months_fresh; the district's schools' months
# and its own at once; a recount's own queries, the same for one month or many:
# insights/tests/test_hours_rollups.py).
# The school's offers its filters: its teachers (which also counts them) with the grades and
# subjects they teach this term, its cycles (insights.dashboard_filters).
SCHOOL_DASHBOARD_QUERIES = 18
DISTRICT_DASHBOARD_QUERIES = 15
# Under a filter, the school's own numbers and then eight sources by teacher and cycle.
FILTERED_DASHBOARD_QUERIES = SCHOOL_DASHBOARD_QUERIES + 8


def test_the_dashboards_take_the_same_queries_for_one_visit_or_many(
    client, personas, django_assert_num_queries
):
    from datetime import date

    from growth.models import LedgerEntry
    from insights.services import ledger_months_mark
    from insights.tests.dashboard_data import a_cycle, ledger, visit_on
    from schools.tests.factories import make_school

    def pages() -> None:
        school, district = "/schools/lincoln/dashboard/", "/district/riverbend/dashboard/"
        for who, url, queries in (
            (personas.principal, school, SCHOOL_DASHBOARD_QUERIES),
            (personas.district_leader, district, DISTRICT_DASHBOARD_QUERIES),
        ):
            client.force_login(who)
            # The months written since are counted first (as the task worker does soon after
            # a write, or a read that finds them behind).
            client.get(f"{url}?start=2025-01-01")
            with django_assert_num_queries(queries + MENU_QUERIES):
                assert client.get(f"{url}?start=2025-01-01").status_code == 200

    pages()
    cycle = a_cycle(personas.school, personas.coach)
    for month in range(1, 7):
        on = date(2025, month, 10)
        visit_on(cycle, on, [personas.teacher, personas.bystander], [personas.colleague])
        ledger(personas.teacher, personas.school, on, "hosted")
    ledger_months_mark(query=LedgerEntry.objects.all())  # as the services do when they write
    for n in range(3):
        make_school(f"more-{n}", district=personas.school.district)
    from teams.tests.factories import make_team

    members = [personas.teacher, personas.colleague, personas.bystander]
    make_team(personas.school, "Grade 7", members=members)
    make_team(personas.school, "Pair", members=members[:2])
    pages()


def test_a_filtered_dashboard_takes_the_same_queries_for_one_visit_or_many(
    client, personas, django_assert_num_queries
):
    from datetime import date

    from insights.tests.dashboard_data import a_cycle, ledger, visit_on

    cycle = a_cycle(personas.school, personas.coach)
    url = f"/schools/lincoln/dashboard/?start=2025-01-01&cycle={cycle.pk}"
    client.force_login(personas.principal)
    for months in (0, 6):
        for month in range(1, months + 1):
            on = date(2025, month, 10)
            visit_on(cycle, on, [personas.teacher, personas.bystander], [personas.colleague])
            ledger(personas.teacher, personas.school, on, "hosted")
        client.get(url)  # the months written since are counted first
        with django_assert_num_queries(FILTERED_DASHBOARD_QUERIES + MENU_QUERIES):
            assert client.get(url).context["filter"] is not None


# The district's credentials, as a leader: session, user, the district, how many credentials
# (for the pages, 50 a page), the page's credentials with their holders and cycles.
DISTRICT_CREDENTIALS_QUERIES = 5


def test_the_district_s_credentials_take_the_same_queries_for_one_or_many(
    client, personas, django_assert_num_queries
):
    from django.utils import timezone

    from growth.models import Credential
    from visits.models import Visit

    def issue(count: int) -> None:
        for _ in range(count):
            cycle, _visit = make_round(personas)
            Visit.objects.filter(cycle=cycle).delete()  # the next round takes the same slot
            Credential.objects.create(
                person=personas.colleague,
                district=personas.school.district,
                cycle=cycle,
                status_index=Credential.objects.count() + 1,
                issued_at=timezone.now(),
                signed="e30.e30.signature",
            )

    client.force_login(personas.district_leader)
    for count in (1, 5):
        issue(count)
        with django_assert_num_queries(DISTRICT_CREDENTIALS_QUERIES + MENU_QUERIES):
            assert client.get("/district/riverbend/credentials/").status_code == 200
