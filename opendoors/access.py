"""Who may see and change what: every view fetches what it shows through these functions.

Something a person may not see answers 404, so its existence is not revealed;
something they may see but not change answers 403. This is where the
non-evaluative promise lives: a role gives no access to a cycle or its visits;
taking part in the cycle does.
"""

import hashlib
import re
from datetime import date
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import urlsafe_base64_decode

from growth.models import (
    Artifact,
    Audience,
    Credential,
    FollowUp,
    Goal,
    LedgerEntry,
    PortfolioSection,
    PortfolioShare,
    ShoutOut,
)
from inquiry.models import Cycle, LookFor, Participant, ParticipantRole, PreBrief, SharedPlan
from insights.selectors import CyclePattern, school_patterns
from opendoors.fields import is_id
from schools.models import (
    CreditDesignation,
    District,
    ImprovementGoal,
    Membership,
    Person,
    Role,
    ScheduleImport,
    School,
)
from teams.models import (
    MeetingStatus,
    Protocol,
    ProtocolRun,
    ProtocolStep,
    Team,
    TeamMeeting,
    TeamMember,
)
from visits.models import (
    CalendarFeed,
    Evidence,
    EvidenceKind,
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
# Teams: teacher leaders form them and lead their own; principals and coaches lead them all.
TEAM_FORMERS = {Role.PRINCIPAL, Role.COACH, Role.FACILITATOR}
TEAM_MANAGERS = {Role.PRINCIPAL, Role.COACH}


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


def manages_people_everywhere(actor: Person, person: Person) -> bool:
    """The actor manages the people of every school the person works at: only then may they
    set the person's email address, where the invitation (a password) goes."""
    schools = School.objects.filter(memberships__person=person).select_related("district")
    return all(can_manage_people(actor, school) for school in schools.distinct())


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


def member_for_district_leader(person: Person, slug: str, person_id: int) -> tuple[School, Person]:
    """Erasing someone's personal data is for the district's leaders: a principal, who
    manages the school's people, is refused (403); anyone else learns nothing (404)."""
    school, member = member_for_people_manager(person, slug, person_id)
    if not leads_district(person, school.district_id):
        raise PermissionDenied
    return school, member


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


def designation_for_leader(person: Person, slug: str, designation_id: int) -> CreditDesignation:
    """One credit designation of a district the person leads; anything else is 404."""
    district = district_for_leader(person, slug)
    return get_object_or_404(
        CreditDesignation.objects.select_related("district"), district=district, pk=designation_id
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


def _parts_in_visits(person: Person) -> dict[str, Exists]:
    """Each part a person may have in a visit, as a test on it: hosting, observing, covering
    an observer's class, facilitating the visit's cycle. (Each its own EXISTS: joining all
    four multiplies rows on big walks.)"""
    return {
        "access_hosts": Exists(VisitClassroom.objects.filter(visit=OuterRef("pk"), host=person)),
        "access_observes": Exists(
            VisitObserver.objects.filter(visit=OuterRef("pk"), person=person)
        ),
        "access_covers": Exists(
            VisitObserver.objects.filter(visit=OuterRef("pk"), covered_by=person)
        ),
        "access_facilitates": Exists(
            Participant.objects.filter(
                cycle=OuterRef("cycle"), person=person, role=ParticipantRole.FACILITATOR
            )
        ),
    }


def visits_visible_to(person: Person) -> QuerySet[Visit]:
    """Visits a person hosts, observes or covers, and the visits of cycles they facilitate."""
    if not person.is_authenticated:
        return Visit.objects.none()
    hosts, observes, covers, facilitates = _parts_in_visits(person).values()
    return Visit.objects.filter(hosts | observes | covers | facilitates)


# A visit fetched for a person carries their parts in it, read in the same query, for that
# person only: a debrief asks whether they observe it and whether they facilitate it several
# times (its group, whose evidence, who marks attendance), a query each before.
_PART_READ = "access_part_read"


def visit_for_participant(person: Person, visit_id: int) -> Visit:
    """A visit of `visits_visible_to`, with the person's parts in it."""
    if not person.is_authenticated:
        raise Http404
    parts = _parts_in_visits(person)
    visit = get_object_or_404(
        Visit.objects.select_related("cycle__school", "slot__day", "slot__period").annotate(
            **parts
        ),
        pk=visit_id,
    )
    if not any(getattr(visit, part) for part in parts):
        raise Http404
    setattr(visit, _PART_READ, person.pk)
    return visit


def _part_read_with(person: Person, visit: Visit) -> bool:
    """Whether the visit was fetched for this person, with their part in it."""
    return getattr(visit, _PART_READ, None) == person.pk


def observes_visit(person: Person, visit: Visit) -> bool:
    if _part_read_with(person, visit):
        return bool(visit.access_observes)  # type: ignore[attr-defined]
    return visit.observers.filter(person=person).exists()


def facilitates_visit(person: Person, visit: Visit) -> bool:
    """Whether the person facilitates the visit's cycle (and so leads its debrief)."""
    if _part_read_with(person, visit):
        return bool(visit.access_facilitates)  # type: ignore[attr-defined]
    return is_facilitator(person, visit.cycle)


def visit_for_facilitator(person: Person, visit_id: int) -> Visit:
    visit = visit_for_participant(person, visit_id)
    if not facilitates_visit(person, visit):
        raise PermissionDenied("Only the cycle's facilitators move or cancel its visits.")
    return visit


def feed_for_token(token: str) -> CalendarFeed:
    """The calendar feed a secret URL names; a wrong or reset token is 404."""
    if not FEED_TOKEN.fullmatch(token):  # also keeps a NUL away from PostgreSQL
        raise Http404
    return get_object_or_404(CalendarFeed.objects.select_related("person"), token=token)


def person_for_invitation(uidb64: str, token: str) -> Person | None:
    """The person an invitation link names, while the link still works; None otherwise (the
    page then says so). The token is Django's password-reset token: it expires after
    PASSWORD_RESET_TIMEOUT and once the person sets a password or signs in. Someone
    deactivated or erased since cannot use it."""
    try:
        person_id = urlsafe_base64_decode(uidb64).decode()
    except ValueError:  # not base64, or not text
        return None
    if not is_id(person_id):
        return None
    person = Person.objects.filter(pk=person_id, is_active=True, erased_at__isnull=True).first()
    if person is None or not default_token_generator.check_token(person, token):
        return None
    return person


def is_in_visit_group(person: Person, visit: Visit) -> bool:
    """The visit's group: its observers and the cycle's facilitators (who lead the debrief).
    A principal is in it only by observing; their role adds nothing."""
    return observes_visit(person, visit) or facilitates_visit(person, visit)


def visit_for_observer(person: Person, visit_id: int) -> Visit:
    """Capturing evidence is for the visit's observers."""
    visit = visit_for_participant(person, visit_id)
    if not observes_visit(person, visit):
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


def classrooms_and_evidence_for(
    person: Person, visit: Visit
) -> tuple[list[VisitClassroom], QuerySet[Evidence]]:
    """`classrooms_with_evidence_for`, read once (with their sections, in the visit's order),
    and the entries of exactly those classrooms, by their ids: the debrief lists the
    classrooms anyway, and filtering thousands of entries by a list of ids spares the
    database a join to the classrooms for each count and page of words."""
    rooms = list(
        classrooms_with_evidence_for(person, visit)
        .select_related("section")
        .order_by("position", "id")
    )
    return rooms, Evidence.objects.filter(classroom_id__in=[room.pk for room in rooms])


def evidence_authored_by(person: Person) -> QuerySet[Evidence]:
    """Every entry a person captured, in any visit (one they were taken off too): their own
    words, theirs to read and to download with their data (opendoors/my_data.py)."""
    if not person.is_authenticated:
        return Evidence.objects.none()
    return Evidence.objects.filter(author=person)


def evidence_of_host(person: Person) -> QuerySet[Evidence]:
    """Every entry captured in a person's own classrooms, including those of visits they were
    taken off after capture: the host reads their own classroom's evidence (DESIGN.md, "Who
    sees what"), so it comes with their data too. Nobody else's classroom is in it."""
    if not person.is_authenticated:
        return Evidence.objects.none()
    return Evidence.objects.filter(
        classroom__in=VisitClassroom.including_removed.filter(host=person)
    )


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


def school_patterns_for(
    person: Person, school: School, *, held_from: date | None = None, held_to: date | None = None
) -> list[CyclePattern]:
    """School-wide evidence, for the school's people, only as published aggregates over at
    least k different teachers' classrooms (k from the district); see insights.aggregates.
    Dates choose whole cycles (those with a visit held between them), never part of one:
    a cycle's numbers are the same whatever the dates, so no two readings subtract."""
    if not schools_visible_to(person).filter(pk=school.pk).exists():
        raise Http404
    held = {"visits__date__gte": held_from, "visits__date__lte": held_to}
    cycles = Cycle.objects.filter(
        school=school, **{lookup: day for lookup, day in held.items() if day}
    ).values("pk")
    return school_patterns(
        school=school,
        evidence=Evidence.objects.filter(classroom__visit__cycle__in=cycles),
        cycles=cycles,
        k=school.district.min_classrooms_for_aggregates,
    )


def takes_part_in_visit(person: Person, visit: Visit) -> bool:
    """Hosting, observing or facilitating; covering a colleague's class is not taking part."""
    return (
        VisitClassroom.objects.filter(visit=visit, host=person).exists()
        or observes_visit(person, visit)
        or facilitates_visit(person, visit)
    )


def seats_covered_only_by(person: Person, visit: Visit) -> list[VisitObserver]:
    """The observers' classes a person covers in a visit, when covering is their only part in
    it (they then see the class they cover, nothing of the visit's learning); else [].
    Reads the visit's classrooms and observers as prefetched, when they were."""
    if visit.part_of(person.pk) != "covering" or facilitates_visit(person, visit):
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
        FollowUp.objects.select_related("goal__cycle", "goal__meeting__team"),
        pk=follow_up_id,
        goal__person=person,
    )


def follow_up_for_sharing(person: Person, follow_up_id: int) -> FollowUp:
    """Its owner shares the answer on a cycle's goal with a cycle; a goal set at a team's
    meeting has no facilitators to share with, and stays its author's."""
    return get_object_or_404(
        FollowUp.objects.select_related("goal__cycle"),
        pk=follow_up_id,
        goal__person=person,
        goal__cycle__isnull=False,
    )


def proposal_for_facilitator(person: Person, proposal_id: int) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("cycle"), pk=proposal_id)
    cycle_for_facilitator(person, proposal.cycle_id)
    return proposal


# Celebrations (growth.ShoutOut): the person celebrated chooses who sees a shout-out.


def shout_outs_visible_to(person: Person, school: School) -> QuerySet[ShoutOut]:
    """The school's shout-outs a person may read: those to them and by them, those their
    celebrated colleagues made public to the school, and those made public to a team they are
    on. A principal by role sees no more than any colleague."""
    if not person.is_authenticated:
        return ShoutOut.objects.none()
    on_team = TeamMember.objects.filter(team=OuterRef("team"), person=person)
    return ShoutOut.objects.filter(school=school).filter(
        Q(celebrated=person)
        | Q(author=person)
        | Q(audience=Audience.SCHOOL)
        | (Q(audience=Audience.TEAM) & Exists(on_team))
    )


def shout_out_for_celebrated(person: Person, shout_out_id: int) -> ShoutOut:
    """Only the person celebrated chooses who sees their shout-out."""
    return get_object_or_404(
        ShoutOut.objects.select_related("school", "team"), pk=shout_out_id, celebrated=person
    )


def bright_moments_of_host(person: Person) -> QuerySet[Evidence]:
    """The bright moments observers wrote in a person's own classrooms: they reach the host
    first, and go further only when the host shares them."""
    return (
        evidence_of_host(person)
        .filter(kind=EvidenceKind.BRIGHT_MOMENT)
        .exclude(text="")
        .select_related("classroom__visit__cycle__school")
    )


def can_form_team(person: Person, school: School) -> bool:
    return bool(roles_at(person, school) & TEAM_FORMERS)


def school_for_team_former(person: Person, slug: str) -> School:
    school = school_for_viewer(person, slug)
    if not can_form_team(person, school):
        raise PermissionDenied("Principals, coaches and teacher leaders form teams.")
    return school


def teams_visible_to(person: Person) -> QuerySet[Team]:
    """Teams a person is on, and every team of a school whose principal or coach they are
    (they protect the time). A district leader's role adds nothing here."""
    if not person.is_authenticated:
        return Team.objects.none()
    manages = Membership.objects.filter(
        person=person, role__in=TEAM_MANAGERS, school=OuterRef("school")
    )
    return Team.objects.filter(Q(members__person=person) | Q(Exists(manages))).distinct()


def manages_teams(person: Person, school: School) -> bool:
    """The school's principals and coaches lead every team of their school."""
    return bool(roles_at(person, school) & TEAM_MANAGERS)


def can_lead_team(person: Person, team: Team) -> bool:
    """A team's facilitators change its members and meetings; so do the school's principals
    and coaches, for every team of their school."""
    if team.members.filter(person=person, is_facilitator=True).exists():
        return True
    return manages_teams(person, team.school)


def team_for_viewer(person: Person, team_id: int) -> Team:
    return get_object_or_404(
        teams_visible_to(person).select_related("school__district"), pk=team_id
    )


def team_for_leader(person: Person, team_id: int) -> Team:
    team = team_for_viewer(person, team_id)
    if not can_lead_team(person, team):
        raise PermissionDenied("Only the team's facilitators, principals and coaches change it.")
    return team


def meeting_for_viewer(person: Person, meeting_id: int) -> TeamMeeting:
    """A team meeting, for whoever sees its team: its agenda and digest, never a run's notes
    (those are read through the runner's rules)."""
    return get_object_or_404(
        TeamMeeting.objects.filter(team__in=teams_visible_to(person)).select_related(
            "team__school__district", "slot__day", "slot__period"
        ),
        pk=meeting_id,
    )


def meeting_for_leader(person: Person, meeting_id: int) -> TeamMeeting:
    meeting = meeting_for_viewer(person, meeting_id)
    if not can_lead_team(person, meeting.team):
        raise PermissionDenied("Only the team's facilitators, principals and coaches change it.")
    return meeting


# The protocol library and its live runs (teams.protocol_views). The shipped protocols are in
# every school's library; a school's own are its staff's; a protocol shared to the district's
# library is offered to the district's other schools. A run's notes are its team's: a
# principal or coach of the school sees that the meeting was held and how many attended.
PROTOCOL_WRITERS = {Role.PRINCIPAL, Role.COACH, Role.FACILITATOR}


def protocols_for_school(school: School) -> QuerySet[Protocol]:
    """The library as a school's people see it: shipped, the school's own, the district's."""
    return Protocol.objects.filter(archived_at__isnull=True).filter(
        Q(library_key__isnull=False) | Q(school=school) | Q(shared_with=school.district_id)
    )


def can_write_protocols(person: Person, school: School) -> bool:
    return bool(roles_at(person, school) & PROTOCOL_WRITERS)


def school_for_protocol_writer(person: Person, slug: str) -> School:
    school = school_for_viewer(person, slug)
    if not can_write_protocols(person, school):
        raise PermissionDenied("Coaches, teacher leaders and principals write protocols.")
    return school


def protocol_for_viewer(person: Person, slug: str, protocol_id: int) -> tuple[School, Protocol]:
    school = school_for_viewer(person, slug)
    protocol = get_object_or_404(
        protocols_for_school(school).select_related("school", "created_by"), pk=protocol_id
    )
    return school, protocol


def protocol_for_editor(person: Person, protocol_id: int) -> Protocol:
    """A school's own protocol, for its writers; the shipped ones and other schools' shared
    ones are copied first, never changed in place."""
    protocol = get_object_or_404(
        Protocol.objects.filter(school__in=schools_visible_to(person)).select_related("school"),
        pk=protocol_id,
    )
    assert protocol.school is not None  # school__in above
    if not can_write_protocols(person, protocol.school):
        raise PermissionDenied("Coaches, teacher leaders and principals edit protocols.")
    return protocol


def step_for_editor(person: Person, protocol_id: int, step_id: int) -> ProtocolStep:
    protocol = protocol_for_editor(person, protocol_id)
    return get_object_or_404(ProtocolStep, protocol=protocol, pk=step_id)


def protocol_for_author(person: Person, protocol_id: int) -> Protocol:
    """Only its author shares a protocol to the district's library, or takes it back."""
    protocol = protocol_for_editor(person, protocol_id)
    if protocol.created_by_id != person.pk:
        raise PermissionDenied("Only the protocol's author shares it.")
    return protocol


def _team_membership(person: Person, team_id: int) -> TeamMember | None:
    return TeamMember.objects.filter(team_id=team_id, person_id=person.pk).first()


def reads_meeting_notes(person: Person, meeting: TeamMeeting) -> bool:
    """A meeting's takeaways, next step and protocol runs are its team's: the school's
    principals and coaches see that it was held and how many attended, never its notes."""
    return _team_membership(person, meeting.team_id) is not None


def attendance_shown(person: Person, team: Team, members: int) -> bool:
    """How many attended a team's meetings: its members see it; others (the school's
    principals and coaches) only for a team of at least k members, so a count never points at
    one absent colleague."""
    if _team_membership(person, team.pk) is not None:
        return True
    return members >= team.school.district.min_classrooms_for_aggregates


def can_set_goal_at(person: Person, meeting: TeamMeeting) -> bool:
    """A member of the team sets their own goal at its meeting (not a cancelled one). The
    school's principals and coaches see the meeting but are not in it."""
    if meeting.status == MeetingStatus.CANCELLED:
        return False
    return _team_membership(person, meeting.team_id) is not None


def meeting_for_goal_setter(person: Person, meeting_id: int) -> TeamMeeting:
    meeting = meeting_for_viewer(person, meeting_id)
    if not can_set_goal_at(person, meeting):
        raise PermissionDenied("The team's members set their goals at its meetings.")
    return meeting


def meeting_for_run_facilitator(person: Person, meeting_id: int) -> TeamMeeting:
    """A protocol is run by a facilitator on the team: one who also reads its notes."""
    meeting = meeting_for_viewer(person, meeting_id)
    membership = _team_membership(person, meeting.team_id)
    if membership is None or not membership.is_facilitator:
        raise PermissionDenied("The team's facilitators run its protocols.")
    return meeting


def _in_debrief_group(person: Person) -> Q:
    """Runs of the debriefs of visits whose group the person is in: its observers (not those
    removed from it) and the cycle's facilitators, as the debrief page allows."""
    return Q(
        Exists(VisitObserver.objects.filter(visit=OuterRef("debrief__visit"), person=person))
    ) | Q(
        Exists(
            Participant.objects.filter(
                cycle=OuterRef("debrief__visit__cycle"),
                person=person,
                role=ParticipantRole.FACILITATOR,
            )
        )
    )


def run_for_viewer(person: Person, run_id: int) -> tuple[ProtocolRun, bool]:
    """A run and whether the person reads its steps and notes (the team's members); whoever
    else sees the team (its school's principals and coaches) sees only that it was held. A
    visit's debrief runs a protocol too (no meeting): only the visit's group sees that run."""
    run = get_object_or_404(
        ProtocolRun.objects.filter(
            Q(meeting__team__in=teams_visible_to(person))
            | Q(meeting__isnull=True, debrief__isnull=False) & _in_debrief_group(person)
        ).select_related("meeting__team__school", "protocol", "recorder", "debrief__visit"),
        pk=run_id,
    )
    if run.meeting is None:
        return run, True  # the visit's group, filtered above
    return run, _team_membership(person, run.meeting.team_id) is not None


def run_for_member(person: Person, run_id: int) -> ProtocolRun:
    run, member = run_for_viewer(person, run_id)
    if not member:
        raise Http404
    return run


def leads_run(person: Person, run: ProtocolRun) -> bool:
    """A team's facilitators lead its runs; the cycle's facilitators lead its debrief's."""
    if run.meeting is None:
        return is_facilitator(person, run.debrief.visit.cycle)
    membership = _team_membership(person, run.meeting.team_id)
    return membership is not None and membership.is_facilitator


def run_for_facilitator(person: Person, run_id: int) -> ProtocolRun:
    run = run_for_member(person, run_id)
    if not leads_run(person, run):
        raise PermissionDenied("The facilitators lead the protocol.")
    return run


def takes_run_notes(person: Person, run: ProtocolRun) -> bool:
    """A meeting's notes are taken by the run's recorder and its facilitators; a debrief's by
    its whole group, who write them on the debrief page as they always have."""
    return run.meeting is None or run.recorder_id == person.pk or leads_run(person, run)


def run_for_note_taker(person: Person, run_id: int) -> ProtocolRun:
    run = run_for_member(person, run_id)
    if not takes_run_notes(person, run):
        raise PermissionDenied("The recorder and the facilitators take the notes.")
    return run


def run_for_attacher(person: Person, run_id: int) -> ProtocolRun:
    """The run's recorder or a facilitator attaches the student work or data under discussion;
    every member (or the debrief's group) downloads it through `run_for_member`."""
    run = run_for_member(person, run_id)
    if run.recorder_id == person.pk:
        return run
    return run_for_facilitator(person, run_id)


# The district's library of plans (inquiry.SharedPlan): evidence tools and look-for sets.


def shared_plans_of_district(person: Person, slug: str) -> tuple[School, QuerySet[SharedPlan]]:
    """A school's view of its district's library: every plan its schools shared."""
    school = get_object_or_404(schools_visible_to(person).select_related("district"), slug=slug)
    plans = SharedPlan.objects.filter(district_id=school.district_id)
    return school, plans.select_related("school", "author")


def shared_plan_for_cycle(person: Person, cycle: Cycle, plan_id: int) -> SharedPlan:
    """A plan a facilitator may copy into their cycle: one of the cycle's district."""
    return get_object_or_404(SharedPlan, pk=plan_id, district_id=cycle.school.district_id)


def shared_plan_for_remover(person: Person, plan_id: int) -> SharedPlan:
    """Its author takes a plan out of the library, or a leader of its district does."""
    districts = schools_visible_to(person).values("district")
    plan = get_object_or_404(SharedPlan, pk=plan_id, district__in=districts)
    if plan.author_id != person.pk and not leads_district(person, plan.district_id):
        raise PermissionDenied("Only whoever shared it, or a district leader, takes it out.")
    return plan


# Portfolios (growth.portfolio) and artifacts (growth.artifacts): a teacher's own, private until
# they share it with a named colleague or by a link that expires. A role adds nothing: a
# principal sees a portfolio only where its owner shared it with them by name.


def portfolio_of(person: Person) -> Person:
    """Whose portfolio /portfolio/ shows: the signed-in person's own, always. No page takes
    another person's id; others read it only through a share."""
    if not person.is_authenticated:
        raise Http404
    return person


def portfolio_link_digest(token: str) -> str:
    """A link's token is kept only as this digest: whoever reads the database cannot open a
    portfolio with it. (A random 256-bit token needs no salt or slow hash.)"""
    return hashlib.sha256(token.encode()).hexdigest()


def _live_shares() -> QuerySet[PortfolioShare]:
    """Shares that still work: not withdrawn, not expired, their owner still active."""
    return (
        PortfolioShare.objects.filter(withdrawn_at__isnull=True, owner__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .select_related("owner")
    )


def portfolios_shared_with(person: Person) -> QuerySet[PortfolioShare]:
    """Portfolios colleagues shared with this person by name, while the shares work."""
    return _live_shares().filter(colleague_id=person.pk)


def share_for_viewer(person: Person, share_id: int) -> PortfolioShare:
    """A portfolio shared with this person by name; withdrawn or expired, it is not there."""
    return get_object_or_404(portfolios_shared_with(person), pk=share_id)


def share_for_token(token: str) -> PortfolioShare:
    """The portfolio a link opens, while the link works; anything else is 404."""
    if not FEED_TOKEN.fullmatch(token):  # also keeps a NUL away from PostgreSQL
        raise Http404
    return get_object_or_404(
        _live_shares(), colleague__isnull=True, token=portfolio_link_digest(token)
    )


def share_for_owner(person: Person, share_id: int) -> PortfolioShare:
    """Only its owner withdraws a share."""
    return get_object_or_404(PortfolioShare, pk=share_id, owner_id=person.pk)


def artifact_for_owner(person: Person, artifact_id: int) -> Artifact:
    """Only its owner deletes an artifact."""
    return get_object_or_404(Artifact, pk=artifact_id, owner_id=person.pk)


def artifact_for_download(
    person: Person | AnonymousUser, artifact_id: int, share: PortfolioShare | None = None
) -> Artifact:
    """An artifact's file: through a share, the owner's artifacts when the share holds the
    Artifacts section; otherwise the owner's own, and an artifact of a pre-brief for those
    who read the pre-brief (everyone in its cycle). Anyone else: 404."""
    if share is not None:
        if PortfolioSection.ARTIFACTS not in share.sections:
            raise Http404
        return get_object_or_404(Artifact, pk=artifact_id, owner_id=share.owner_id)
    if not person.is_authenticated:
        raise Http404
    pre_briefs_read = PreBrief.objects.filter(cycle__in=cycles_visible_to(person))
    return get_object_or_404(
        Artifact.objects.filter(Q(owner_id=person.pk) | Q(pre_brief__in=pre_briefs_read)),
        pk=artifact_id,
    )


# The hours ledger: a person's entries are theirs; the school's facilitators and coaches (and
# the district's leaders) review learning its teachers reported, seeing what it was and how
# long, never the reflection; district leaders export the ledger (hours only) for posting.
HOURS_REVIEWERS = {Role.FACILITATOR, Role.COACH}


def reported_entry_for_owner(person: Person, entry_id: int) -> LedgerEntry:
    """Learning a person reported themselves; anyone else's, or a computed entry, is 404."""
    return get_object_or_404(LedgerEntry, pk=entry_id, person_id=person.pk, source="")


def can_review_hours(person: Person, school: School) -> bool:
    return bool(roles_at(person, school) & HOURS_REVIEWERS) or leads_district(
        person, school.district_id
    )


def schools_for_hours_reviewer(person: Person) -> QuerySet[School]:
    """Schools whose reported learning the person reviews (for a link to each queue)."""
    led = Membership.objects.filter(person=person, role=Role.DISTRICT_LEADER).values(
        "school__district"
    )
    reviews = Membership.objects.filter(person=person, role__in=HOURS_REVIEWERS).values("school")
    return School.objects.filter(
        Q(pk__in=reviews) | Q(district__in=led), archived_at__isnull=True
    ).order_by("name")


def school_for_hours_reviewer(person: Person, slug: str) -> School:
    # With its district: whether it asks for approval decides what the queue holds.
    school = get_object_or_404(schools_visible_to(person).select_related("district"), slug=slug)
    if not can_review_hours(person, school):
        raise PermissionDenied("The school's facilitators and coaches review reported learning.")
    return school


def reported_entry_for_reviewer(person: Person, slug: str, entry_id: int) -> LedgerEntry:
    """Learning reported at the school by someone else; nobody reviews their own (404)."""
    school = school_for_hours_reviewer(person, slug)
    return get_object_or_404(
        LedgerEntry.objects.select_related("person", "school").exclude(person_id=person.pk),
        pk=entry_id,
        school=school,
        source="",
    )


# The leaders' view of a school's cycles (inquiry.leaders) and its improvement goals: the
# school's principals and the district's leaders see every cycle's plan, schedule and coverage
# and its steps as counts (DESIGN.md, "Who sees what": they protect the time), never evidence,
# debrief notes, goals or follow-up answers. Anyone else learns nothing of these pages (404).


def leads_school(person: Person, school: School) -> bool:
    return Role.PRINCIPAL in roles_at(person, school) or leads_district(person, school.district_id)


def school_for_leader(person: Person, slug: str) -> School:
    """A school its principals and its district's leaders lead: its dashboard, cycles and
    goals (DESIGN, "Who sees what": participation, coverage and time as totals, by role); to
    anyone else the page is not there (404), as for the People page."""
    school = get_object_or_404(schools_visible_to(person).select_related("district"), slug=slug)
    if not leads_school(person, school):
        raise Http404
    return school


def cycle_for_leader(person: Person, slug: str, cycle_id: int) -> Cycle:
    """One cycle of a school the person leads, whether or not they take part in it."""
    school = school_for_leader(person, slug)
    return get_object_or_404(
        Cycle.objects.select_related("school__district", "improvement_goal"),
        school=school,
        pk=cycle_id,
    )


def improvement_goal_for_leader(person: Person, slug: str, goal_id: int) -> ImprovementGoal:
    school = school_for_leader(person, slug)
    return get_object_or_404(
        ImprovementGoal.objects.select_related("school__district"), school=school, pk=goal_id
    )


def goal_counts_shown_to_leaders(school: School, done: int, of: int) -> bool:
    """Whether a leader sees that `done` of `of` people set a goal (or answered a follow-up):
    only when at least k did and at least k did not. The people of a cycle are named on its
    page, so "0 of 5" or "5 of 5" tells each named person's private step, and "1 of 10"
    points at one. Pre-briefs written, visits held and debriefs done are the cycle's shared
    work, like its schedule: shown as they are."""
    k = school.district.min_classrooms_for_aggregates
    return done >= k and of - done >= k


# Credentials (growth/credentials.py): a credential is its holder's alone to claim and
# download; the issuer's profile, key and status list are public, for any verifier; the
# district's leaders revoke (a principal's role gives nothing here).


def cycle_for_credential_claim(person: Person, cycle_id: int) -> Cycle:
    """A cycle one takes part in; whether it is completed the claim itself says."""
    return get_object_or_404(cycles_visible_to(person), pk=cycle_id)


def credential_for_holder(person: Person, credential_id: UUID) -> Credential:
    """One's own credential; anyone else's is 404."""
    if not person.is_authenticated:
        raise Http404
    return get_object_or_404(Credential, credential_id=credential_id, person_id=person.pk)


def issuing_district(slug: str) -> District:
    """Any district, by its slug, for the public issuer pages."""
    return get_object_or_404(District, slug=slug)


def credentials_for_leader(person: Person, slug: str) -> tuple[District, QuerySet[Credential]]:
    """Every credential the district issued, for its leaders' revocation work."""
    district = district_for_leader(person, slug)
    return district, Credential.objects.filter(district=district)


def credential_for_revoker(person: Person, slug: str, credential_id: UUID) -> Credential:
    _, credentials = credentials_for_leader(person, slug)
    return get_object_or_404(
        credentials.select_related("person", "cycle", "district"), credential_id=credential_id
    )
