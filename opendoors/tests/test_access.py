"""The access rules, asked directly: someone not signed in sees nothing, and nobody reads a
school's patterns from outside it. (Pages reach these functions only after sign-in, so the
permission table in tests/test_permissions.py cannot ask them.)"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from inquiry.tests.factories import make_round
from opendoors import access

pytestmark = pytest.mark.django_db


def test_someone_not_signed_in_sees_no_school_cycle_visit_or_role(personas):
    _, visit = make_round(personas)
    nobody = AnonymousUser()
    assert not access.schools_visible_to(nobody).exists()
    assert access.roles_at(nobody, personas.school) == set()
    assert access.schools_with_rights(nobody) == []
    assert not access.cycles_visible_to(nobody).exists()
    assert not access.visits_visible_to(nobody).exists()
    with pytest.raises(Http404):
        access.visit_for_participant(nobody, visit.pk)


def test_a_visit_read_for_one_person_answers_for_them_and_asks_again_for_anyone_else(
    personas, django_assert_num_queries
):
    _, visit = make_round(personas)
    read = access.visit_for_participant(personas.coach, visit.pk)  # the cycle's facilitator
    with django_assert_num_queries(0):  # read with the visit
        assert access.facilitates_visit(personas.coach, read)
        assert not access.observes_visit(personas.coach, read)
        assert access.is_in_visit_group(personas.coach, read)
    with django_assert_num_queries(2):  # another person's parts are theirs to be asked
        assert access.observes_visit(personas.colleague, read)
        assert not access.facilitates_visit(personas.colleague, read)


def test_a_school_s_patterns_are_not_read_from_another_school(personas):
    with pytest.raises(Http404):
        access.school_patterns_for(personas.outsider, personas.school)
    assert access.school_patterns_for(personas.teacher, personas.school) == []


def test_a_calendar_address_with_odd_characters_is_simply_not_found(client, personas):
    for token in ("%00", "a%20b", "x" * 65):
        assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_goal_is_never_tied_to_a_visit_its_author_only_covered(personas):
    from visits.tests.test_covers_and_calendar_privacy import covered_round

    visit = covered_round(personas)
    cycle = visit.cycle
    assert access.visit_of_cycle_or_none(personas.bystander, cycle, str(visit.pk)) is None
    assert access.visit_of_cycle_or_none(personas.colleague, cycle, str(visit.pk)) == visit


def test_people_are_managed_by_the_school_s_principals_and_the_district_s_leaders(personas):
    from schools.tests.factories import make_school

    nobody = AnonymousUser()
    assert access.people_managed_by(nobody) == (set(), [])
    with pytest.raises(Http404):
        access.district_for_leader(nobody, "riverbend")
    with pytest.raises(Http404):
        access.district_for_leader(personas.principal, "riverbend")
    district = access.district_for_leader(personas.district_leader, "riverbend")
    assert district == personas.school.district
    # The district's leader manages every school of the district; a principal only theirs.
    other = make_school("carver")
    assert access.people_managed_by(personas.principal) == ({personas.school.pk}, [])
    assert access.people_managed_by(personas.district_leader) == (
        {personas.school.pk, personas.other_school.pk, other.pk},
        [district],
    )
    assert access.people_managed_by(personas.coach) == (set(), [])
    assert access.can_manage_people(personas.district_leader, other)
    assert not access.can_manage_people(personas.coach, personas.school)
    with pytest.raises(Http404):
        access.school_for_people_manager(personas.coach, "lincoln")
    with pytest.raises(Http404):
        access.school_for_people_manager(personas.principal, "roosevelt")


def test_a_school_s_dashboard_is_for_its_principals_and_the_district_s_leaders(personas):
    assert access.school_for_leader(personas.principal, "lincoln") == personas.school
    assert access.school_for_leader(personas.district_leader, "roosevelt").slug == "roosevelt"
    for person, slug in ((personas.coach, "lincoln"), (personas.principal, "roosevelt")):
        with pytest.raises(Http404):
            access.school_for_leader(person, slug)


def test_a_district_s_settings_and_schools_are_its_leaders_alone(personas):
    from schools.tests.factories import make_district, make_person, make_school

    far = make_school("faraway", district=make_district("far"))
    elsewhere = make_person("elsewhere", far, "district_leader")
    for person in (AnonymousUser(), personas.principal, elsewhere):
        with pytest.raises(Http404):
            access.district_for_leader(person, "riverbend")
    with pytest.raises(Http404):
        access.school_of_district_for_leader(elsewhere, "far", personas.school.pk)
    assert access.school_of_district_for_leader(elsewhere, "far", far.pk) == far
    # Setting up a district: superusers only.
    for person in (AnonymousUser(), personas.district_leader):
        with pytest.raises(Http404):
            access.superuser_or_404(person)
    access.superuser_or_404(make_person("root", is_superuser=True))


def test_a_school_s_cycles_and_goals_are_its_leaders_whether_or_not_they_take_part(personas):
    from schools.models import ImprovementGoal

    cycle, _ = make_round(personas)
    goal = ImprovementGoal.objects.create(school=personas.school, title="Reasoning")
    for leader in (personas.principal, personas.district_leader):
        assert access.cycle_for_leader(leader, "lincoln", cycle.pk) == cycle
        assert access.improvement_goal_for_leader(leader, "lincoln", goal.pk) == goal
    for person, slug in ((personas.coach, "lincoln"), (personas.principal, "roosevelt")):
        with pytest.raises(Http404):
            access.school_for_leader(person, slug)
    with pytest.raises(Http404):
        access.cycle_for_leader(personas.district_leader, "roosevelt", cycle.pk)
    # How many set a goal shows only when at least k did and k did not (k = 3 here): the
    # people are named, so "0 of 5", "5 of 5" or "1 of 10" would tell each one's step.
    assert access.goal_counts_shown_to_leaders(personas.school, 3, 6)
    for done, of in ((3, 5), (2, 6), (0, 5), (5, 5), (1, 10)):
        assert not access.goal_counts_shown_to_leaders(personas.school, done, of), (done, of)


def test_a_credential_is_its_holder_s_and_its_district_leaders_alone(personas):
    import uuid

    from django.utils import timezone

    from growth.models import Credential

    cycle, _ = make_round(personas)
    credential = Credential.objects.create(
        person=personas.colleague,
        district=personas.school.district,
        cycle=cycle,
        status_index=1,
        issued_at=timezone.now(),
        signed="e30.e30.signature",
    )
    held = credential.credential_id
    assert access.credential_for_holder(personas.colleague, held) == credential
    for person in (AnonymousUser(), personas.teacher, personas.district_leader):
        with pytest.raises(Http404):
            access.credential_for_holder(person, held)
    assert access.credential_for_revoker(personas.district_leader, "riverbend", held) == credential
    for person in (personas.principal, personas.colleague):
        with pytest.raises(Http404):
            access.credential_for_revoker(person, "riverbend", held)
    with pytest.raises(Http404):
        access.credential_for_revoker(personas.district_leader, "riverbend", uuid.uuid4())
    assert access.cycle_for_credential_claim(personas.colleague, cycle.pk) == cycle
    with pytest.raises(Http404):
        access.cycle_for_credential_claim(personas.bystander, cycle.pk)
    assert access.issuing_district("riverbend") == personas.school.district
    with pytest.raises(Http404):
        access.issuing_district("nowhere")
