"""Who may see and change what: every view fetches what it shows through these functions.

Something a person may not see answers 404, so its existence is not revealed;
something they may see but not change answers 403. This is where the
non-evaluative promise lives: a role gives no access to a cycle or its visits;
taking part in the cycle does.
"""

import re

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from growth.models import FollowUp, Goal
from inquiry.models import Cycle, LookFor, Participant, ParticipantRole
from insights.selectors import CyclePattern, school_patterns
from opendoors.fields import is_id
from schools.models import District, Membership, Person, Role, ScheduleImport, School
from visits.models import (
    CalendarFeed,
    Evidence,
    Proposal,
    Visit,
    VisitClassroom,
    VisitObserver,
)

FEED_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what secrets.token_urlsafe makes
SCHEDULE_MANAGERS = {Role.PRINCIPAL, Role.COACH}
CYCLE_STARTERS = {Role.PRINCIPAL, Role.COACH, Role.FACILITATOR}
# A district leader's role is held at one school of the district and counts for all of them.
PEOPLE_MANAGERS = {Role.PRINCIPAL, Role.DISTRICT_LEADER}


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


def schools_with_rights(person: Person) -> list[tuple[School, bool, bool]]:
    """The schools a person sees, each with whether they manage its schedule and whether they
    may start cycles there: two queries however many schools (the home page's cards)."""
    roles: dict[int, set[str]] = {}
    if person.is_authenticated:
        for school_id, role in Membership.objects.filter(person=person).values_list(
            "school_id", "role"
        ):
            roles.setdefault(school_id, set()).add(role)
    return [
        (
            school,
            bool(roles.get(school.pk, set()) & SCHEDULE_MANAGERS),
            bool(roles.get(school.pk, set()) & CYCLE_STARTERS),
        )
        for school in schools_visible_to(person)
        .filter(archived_at__isnull=True)  # an archived school leaves the lists of schools
        .select_related("district")
    ]


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


def leads_district(person: Person, district_id: int) -> bool:
    """A district leader holds that role at one of the district's schools and leads them all."""
    return Membership.objects.filter(
        person=person, role=Role.DISTRICT_LEADER, school__district_id=district_id
    ).exists()


def can_manage_people(person: Person, school: School) -> bool:
    """The school's principals and the district's leaders add people, change their roles and
    deactivate them; coaches manage the schedule but not who works at the school."""
    return Role.PRINCIPAL in roles_at(person, school) or leads_district(person, school.district_id)


def school_for_people_manager(person: Person, slug: str) -> School:
    """The school whose People page this is; anyone else gets 404, as for a page they may not
    know of (a teacher or coach learns nothing from a refusal either)."""
    school = get_object_or_404(schools_visible_to(person).select_related("district"), slug=slug)
    if not can_manage_people(person, school):
        raise Http404
    return school


def member_for_people_manager(person: Person, slug: str, person_id: int) -> tuple[School, Person]:
    """A person at a school whose people this manager manages (inactive ones too)."""
    school = school_for_people_manager(person, slug)
    return school, teacher_at_school(school, person_id)


def people_managed_by(person: Person) -> tuple[set[int], list[District]]:
    """For the home page: the ids of the schools whose people a person manages, and the
    districts they lead (whose audit logs they read). One query, however many schools."""
    if not person.is_authenticated:
        return set(), []
    leads = Membership.objects.filter(
        person=person, role=Role.DISTRICT_LEADER, school__district=OuterRef("district")
    )
    principal_of = Membership.objects.filter(
        person=person, role=Role.PRINCIPAL, school=OuterRef("pk")
    )
    schools = (
        School.objects.annotate(led=Exists(leads))
        .filter(Q(led=True) | Exists(principal_of))
        .select_related("district")
    )
    school_ids: set[int] = set()
    led: dict[int, District] = {}
    for school in schools:
        school_ids.add(school.pk)
        if school.led:
            led[school.district_id] = school.district
    return school_ids, sorted(led.values(), key=lambda d: d.name)


def district_for_leader(person: Person, slug: str) -> District:
    """A district's settings, schools and audit log are its leaders'; anyone else (a
    principal, a leader of another district) gets 404, as for a page they may not know of."""
    if not person.is_authenticated:
        raise Http404
    led = Membership.objects.filter(person=person, role=Role.DISTRICT_LEADER).values(
        "school__district"
    )
    return get_object_or_404(District.objects.filter(pk__in=led), slug=slug)


def school_of_district_for_leader(person: Person, slug: str, school_id: int) -> School:
    """One school (archived ones too) of a district the person leads; anything else is 404."""
    district = district_for_leader(person, slug)
    return get_object_or_404(
        School.objects.select_related("district"), district=district, pk=school_id
    )


def superuser_or_404(person: Person) -> None:
    """Setting up a district is for the site's superusers; to anyone else the page is not
    there."""
    if not (person.is_authenticated and person.is_superuser):
        raise Http404


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
    if not FEED_TOKEN.fullmatch(token):  # also keeps a NUL away from PostgreSQL
        raise Http404
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


def visit_for_author(person: Person, visit_id: int) -> Visit:
    """Sending entries is for the visit's observers, and for observers removed from it since:
    what they captured before is theirs and is never lost."""
    removed = VisitObserver.including_removed.filter(
        visit_id=visit_id, person=person, removed_at__isnull=False
    )
    if not is_id(visit_id) or not removed.exists():
        return visit_for_observer(person, visit_id)
    return Visit.objects.select_related("cycle__school", "slot__period").get(pk=visit_id)


def visit_for_group(person: Person, visit_id: int) -> Visit:
    """The debrief, with every classroom's evidence, is for the visit's group."""
    visit = visit_for_participant(person, visit_id)
    if not is_in_visit_group(person, visit):
        raise PermissionDenied("The debrief is for the visit's observers and facilitators.")
    return visit


def classrooms_with_evidence_for(person: Person, visit: Visit) -> QuerySet[VisitClassroom]:
    """Whose evidence a person may read in full: the group reads every classroom of the visit,
    a host reads their own classroom, nobody else reads any."""
    # A host removed after capture keeps their classroom's evidence with the group and the host.
    rooms = VisitClassroom.including_removed.filter(visit=visit)
    if is_in_visit_group(person, visit):
        return rooms
    return rooms.filter(host=person)


def classroom_for_host(person: Person, visit_id: int) -> VisitClassroom:
    """A host's own classroom in a visit: everything captured there, and who read it."""
    return get_object_or_404(
        VisitClassroom.including_removed.select_related(
            "visit__cycle", "visit__slot__period", "section"
        ),
        visit_id=visit_id,
        host=person,
    )


def evidence_visible_to(person: Person, visit: Visit) -> QuerySet[Evidence]:
    """The entries of a visit a person may read one by one: every classroom's for the visit's
    group, their own classroom's for a host, none for anyone else (a cover, a principal by
    role). The only way to read evidence; callers log reads by others (`evidence_reads_log`)."""
    return Evidence.objects.filter(classroom__in=classrooms_with_evidence_for(person, visit))


def evidence_entries_per_host(visit: Visit) -> dict[int, int]:
    """Host id -> how many entries their classroom holds now: a count for the facilitator
    changing the visit, never the entries themselves."""
    rows = (
        Evidence.objects.filter(classroom__visit=visit, classroom__removed_at__isnull=True)
        .values_list("classroom__host_id")
        .annotate(entries=Count("id"))
    )
    return dict(rows)


def classroom_has_evidence(room: VisitClassroom) -> bool:
    return Evidence.objects.filter(classroom=room).exists()


def visits_with_evidence_for_facilitator(person: Person, cycle_ids: list[int]) -> set[int]:
    """Which visits of these cycles hold at least one entry, for the facilitator's board: a
    yes or no per visit (never the entries), and only in cycles the person facilitates (a
    facilitator is in each of the cycle's visit groups). One query however many cycles."""
    facilitates = Participant.objects.filter(
        cycle=OuterRef("classroom__visit__cycle"), person=person, role=ParticipantRole.FACILITATOR
    )
    return set(
        Evidence.objects.filter(classroom__visit__cycle__in=cycle_ids)
        .filter(Exists(facilitates))
        .order_by()
        .values_list("classroom__visit_id", flat=True)
        .distinct()
    )


def look_for_has_evidence(look_for: LookFor) -> bool:
    """Whether any entry was recorded against a look-for (it is then retired, not deleted):
    a yes or no for the facilitator, never the entries themselves."""
    return Evidence.objects.filter(look_for=look_for).exists()


def school_patterns_for(person: Person, school: School) -> list[CyclePattern]:
    """School-wide evidence, for the school's people, only as published aggregates over at
    least k different teachers' classrooms (k from the district); see insights.aggregates."""
    if not schools_visible_to(person).filter(pk=school.pk).exists():
        raise Http404
    return school_patterns(
        school=school,
        evidence=Evidence.objects.filter(classroom__visit__cycle__school=school),
        k=school.district.min_classrooms_for_aggregates,
    )


def takes_part_in_visit(person: Person, visit: Visit) -> bool:
    """Hosting, observing or facilitating; covering a colleague's class is not taking part."""
    return (
        VisitClassroom.objects.filter(visit=visit, host=person).exists()
        or visit.observers.filter(person=person).exists()
        or is_facilitator(person, visit.cycle)
    )


def seats_covered_only_by(person: Person, visit: Visit) -> list[VisitObserver]:
    """The observers' classes a person covers in a visit, when covering is their only part in
    it (they then see the class they cover, nothing of the visit's learning); else [].
    Reads the visit's classrooms and observers as prefetched, when they were."""
    if visit.part_of(person.pk) != "covering" or is_facilitator(person, visit.cycle):
        return []
    return [seat for seat in visit.observers.all() if seat.covered_by_id == person.pk]


def visit_of_cycle_or_none(person: Person, cycle: Cycle, visit_id: str | None) -> Visit | None:
    """The visit a goal comes from, when the person took part in it; otherwise none."""
    if not visit_id or not is_id(visit_id):
        return None
    visit = visits_visible_to(person).filter(cycle=cycle, pk=int(visit_id)).first()
    # Covering a class is not taking part in the visit.
    return visit if visit is not None and takes_part_in_visit(person, visit) else None


def follow_ups_readable_in(person: Person, cycle: Cycle) -> QuerySet[FollowUp]:
    """Answered follow-ups (any cycle of the school) of this cycle's participants that a person
    may read in their author's words: their own, and for the cycle's facilitators those their
    author shared with this cycle. A role adds nothing."""
    answered = FollowUp.objects.filter(
        answered_at__isnull=False,
        goal__person__in=cycle.participants.values("person_id"),
        goal__cycle__school=cycle.school_id,
    )
    if is_facilitator(person, cycle):
        return answered.filter(Q(goal__person=person) | Q(shared_with=cycle)).distinct()
    return answered.filter(goal__person=person)


def goals_readable_in(person: Person, cycle: Cycle) -> QuerySet[Goal]:
    """Goals set in this cycle: a person's own, and for its facilitators those whose author
    shared the goal, or its follow-up answer, with this cycle."""
    goals = Goal.objects.filter(cycle=cycle)
    if is_facilitator(person, cycle):
        return goals.filter(
            Q(person=person) | Q(shared_with_facilitators=True) | Q(follow_up__shared_with=cycle)
        ).distinct()
    return goals.filter(person=person)


def goals_readable_by_facilitator(person: Person, cycle_ids: list[int]) -> QuerySet[Goal]:
    """`goals_readable_in` for many cycles at once (the facilitator's board): in those of the
    cycles the person facilitates, their own goals and those whose author shared the goal,
    or its follow-up answer, with that cycle."""
    facilitates = Participant.objects.filter(
        cycle=OuterRef("cycle"), person=person, role=ParticipantRole.FACILITATOR
    )
    return (
        Goal.objects.filter(cycle__in=cycle_ids)
        .filter(Exists(facilitates))
        .filter(
            Q(person=person)
            | Q(shared_with_facilitators=True)
            | Q(follow_up__shared_with=F("cycle"))
        )
        .distinct()
    )


def follow_up_for_owner(person: Person, follow_up_id: int) -> FollowUp:
    """A follow-up is its owner's alone."""
    return get_object_or_404(
        FollowUp.objects.select_related("goal__cycle"), pk=follow_up_id, goal__person=person
    )


def proposal_for_facilitator(person: Person, proposal_id: int) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("cycle"), pk=proposal_id)
    cycle_for_facilitator(person, proposal.cycle_id)
    return proposal
