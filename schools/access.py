"""Who may see and change what in schools and their schedules: every view asks here.

A school that a person may not see answers 404, so its existence is not revealed;
a school they may see but not change answers 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Membership, Person, Role, ScheduleImport, School

SCHEDULE_MANAGERS = {Role.PRINCIPAL, Role.COACH}


def schools_visible_to(person: Person) -> QuerySet[School]:
    """Schools a person belongs to, and every school of a district they lead."""
    if not person.is_authenticated:
        return School.objects.none()
    led_districts = Membership.objects.filter(person=person, role=Role.DISTRICT_LEADER).values(
        "school__district"
    )
    return School.objects.filter(
        Q(memberships__person=person) | Q(district__in=led_districts)
    ).distinct()


def roles_at(person: Person, school: School) -> set[str]:
    if not person.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(person=person, school=school).values_list("role", flat=True)
    )


def can_manage_schedule(person: Person, school: School) -> bool:
    return bool(roles_at(person, school) & SCHEDULE_MANAGERS)


def school_for_viewer(person: Person, slug: str) -> School:
    return get_object_or_404(schools_visible_to(person), slug=slug)


def school_for_schedule_manager(person: Person, slug: str) -> School:
    school = school_for_viewer(person, slug)
    if not can_manage_schedule(person, school):
        raise PermissionDenied("Only the school's principal and coaches import its schedule.")
    return school


def import_for_manager(person: Person, slug: str, import_id: int) -> ScheduleImport:
    school = school_for_schedule_manager(person, slug)
    return get_object_or_404(ScheduleImport, school=school, pk=import_id)


def teacher_at_school(school: School, person_id: int) -> Person:
    """A member of the school's staff; anyone else is 404 here."""
    return get_object_or_404(
        Person.objects.filter(memberships__school=school).distinct(), pk=person_id
    )
