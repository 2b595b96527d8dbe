"""Who may see and change what: every view fetches what it shows through these functions.

Something a person may not see answers 404, so its existence is not revealed;
something they may see but not change answers 403. This is where the
non-evaluative promise lives: a role gives no access to a cycle or its visits;
taking part in the cycle does.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from growth.models import FollowUp
from inquiry.models import Cycle, Participant, ParticipantRole
from schools.models import Membership, Person, Role, ScheduleImport, School
from visits.models import CalendarFeed, Proposal, Visit, VisitClassroom, VisitObserver

SCHEDULE_MANAGERS = {Role.PRINCIPAL, Role.COACH}
CYCLE_STARTERS = {Role.PRINCIPAL, Role.COACH, Role.FACILITATOR}


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


def can_start_cycle(person: Person, school: School) -> bool:
    return bool(roles_at(person, school) & CYCLE_STARTERS)


def school_for_cycle_starter(person: Person, slug: str) -> School:
    school = school_for_viewer(person, slug)
    if not can_start_cycle(person, school):
        raise PermissionDenied("Coaches, facilitators and principals start cycles.")
    return school


def cycles_visible_to(person: Person) -> QuerySet[Cycle]:
    """Cycles a person takes part in, in any part."""
    if not person.is_authenticated:
        return Cycle.objects.none()
    return Cycle.objects.filter(participants__person=person).distinct()


def is_facilitator(person: Person, cycle: Cycle) -> bool:
    return cycle.participants.filter(person=person, role=ParticipantRole.FACILITATOR).exists()


def cycle_for_participant(person: Person, cycle_id: int) -> Cycle:
    return get_object_or_404(cycles_visible_to(person).select_related("school"), pk=cycle_id)


def cycle_for_facilitator(person: Person, cycle_id: int) -> Cycle:
    cycle = cycle_for_participant(person, cycle_id)
    if not is_facilitator(person, cycle):
        raise PermissionDenied("Only the cycle's facilitators plan it.")
    return cycle


def pre_brief_host_for_editor(person: Person, cycle: Cycle, host_id: int) -> Person:
    """The host writes their own pre-brief; a facilitator may write it with them."""
    host = get_object_or_404(
        Person.objects.filter(
            participations__cycle=cycle, participations__role=ParticipantRole.HOST
        ).distinct(),
        pk=host_id,
    )
    if person != host and not is_facilitator(person, cycle):
        raise PermissionDenied("A pre-brief is written by its host or the cycle's facilitators.")
    return host


def visits_visible_to(person: Person) -> QuerySet[Visit]:
    """Visits a person hosts, observes or covers, and the visits of cycles they facilitate.
    (Each test is its own EXISTS: joining all four multiplies rows on big walks.)"""
    if not person.is_authenticated:
        return Visit.objects.none()
    return Visit.objects.filter(
        Exists(VisitClassroom.objects.filter(visit=OuterRef("pk"), host=person))
        | Exists(VisitObserver.objects.filter(visit=OuterRef("pk"), person=person))
        | Exists(VisitObserver.objects.filter(visit=OuterRef("pk"), covered_by=person))
        | Exists(
            Participant.objects.filter(
                cycle=OuterRef("cycle"), person=person, role=ParticipantRole.FACILITATOR
            )
        )
    )


def visit_for_participant(person: Person, visit_id: int) -> Visit:
    return get_object_or_404(
        visits_visible_to(person).select_related("cycle__school", "slot__day", "slot__period"),
        pk=visit_id,
    )


def visit_for_facilitator(person: Person, visit_id: int) -> Visit:
    visit = visit_for_participant(person, visit_id)
    if not is_facilitator(person, visit.cycle):
        raise PermissionDenied("Only the cycle's facilitators move or cancel its visits.")
    return visit


def feed_for_token(token: str) -> CalendarFeed:
    """The calendar feed a secret URL names; a wrong or reset token is 404."""
    return get_object_or_404(CalendarFeed.objects.select_related("person"), token=token)


def is_in_visit_group(person: Person, visit: Visit) -> bool:
    """The visit's group: its observers and the cycle's facilitators (who lead the debrief).
    A principal is in it only by observing; their role adds nothing."""
    return visit.observers.filter(person=person).exists() or is_facilitator(person, visit.cycle)


def visit_for_observer(person: Person, visit_id: int) -> Visit:
    """Capturing evidence is for the visit's observers."""
    visit = visit_for_participant(person, visit_id)
    if not visit.observers.filter(person=person).exists():
        raise PermissionDenied("Only the visit's observers capture evidence.")
    return visit


def visit_for_group(person: Person, visit_id: int) -> Visit:
    """The debrief, with every classroom's evidence, is for the visit's group."""
    visit = visit_for_participant(person, visit_id)
    if not is_in_visit_group(person, visit):
        raise PermissionDenied("The debrief is for the visit's observers and facilitators.")
    return visit


def classrooms_with_evidence_for(person: Person, visit: Visit) -> QuerySet[VisitClassroom]:
    """Whose evidence a person may read in full: the group reads every classroom of the visit,
    a host reads their own classroom, nobody else reads any."""
    rooms = VisitClassroom.objects.filter(visit=visit)
    if is_in_visit_group(person, visit):
        return rooms
    return rooms.filter(host=person)


def classroom_for_host(person: Person, visit_id: int) -> VisitClassroom:
    """A host's own classroom in a visit: everything captured there, and who read it."""
    return get_object_or_404(
        VisitClassroom.objects.select_related("visit__cycle", "visit__slot__period", "section"),
        visit_id=visit_id,
        host=person,
    )


def visit_of_cycle_or_none(person: Person, cycle: Cycle, visit_id: str | None) -> Visit | None:
    """The visit a goal comes from, when the person took part in it; otherwise none."""
    if not visit_id or not str(visit_id).isdigit():
        return None
    return visits_visible_to(person).filter(cycle=cycle, pk=int(visit_id)).first()


def follow_up_for_owner(person: Person, follow_up_id: int) -> FollowUp:
    """A follow-up is its owner's alone."""
    return get_object_or_404(
        FollowUp.objects.select_related("goal__cycle"), pk=follow_up_id, goal__person=person
    )


def proposal_for_facilitator(person: Person, proposal_id: int) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("cycle"), pk=proposal_id)
    cycle_for_facilitator(person, proposal.cycle_id)
    return proposal
