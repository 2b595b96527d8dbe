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
