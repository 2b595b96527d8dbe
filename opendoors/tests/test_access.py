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
    make_round(personas)
    nobody = AnonymousUser()
    assert not access.schools_visible_to(nobody).exists()
    assert access.roles_at(nobody, personas.school) == set()
    assert access.schools_with_rights(nobody) == []
    assert not access.cycles_visible_to(nobody).exists()
    assert not access.visits_visible_to(nobody).exists()


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
