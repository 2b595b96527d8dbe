"""Retention and erasure (issue 10): old evidence stops naming people, and a person who left
can have their personal data erased.

Retention. A district says how many years evidence stays identifiable. Once every visit of a
cycle is older than that, `evidence_retention_apply` replaces, in one transaction, everyone the
cycle's visits name (hosts, authors, observers, covers, readers, commitments) and everyone
named as its participants and pre-brief writers, by placeholder people: one new placeholder
per real person per run, made in random order, so that "different teachers" are still counted
right within what was anonymized together and no table maps a placeholder back to anyone. The
cycle is the unit, not the visit, because the patterns page counts different teachers per
cycle: a teacher visited last month and four years ago must not become two teachers. The
cycle's proposals (the solver's documents, which name teachers) are deleted and the published
patterns are rewritten with the placeholders. Goals stay their authors' (their portfolio) but
no longer point to the visit. What people typed in free text (debrief notes, pre-briefs) is
kept as written.

Erasure. `person_erase` scrubs a deactivated person's row (name, email, sign-in), deletes what
is theirs alone and keeps, anonymous, what others rely on (what they captured, hosted, read).
`ERASURE` says, for every table that points to a person, which of the two happens; a test fails
when a new table points to a person and says nothing here.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from growth.artifacts import artifacts_of_person_delete
from growth.models import FollowUp, Goal, LedgerEntry, ShoutOut
from inquiry.models import Cycle, Participant, PreBrief
from insights.aggregates import CLASSROOMS, from_json, to_json
from insights.models import PatternSnapshot
from insights.services import ledger_months_mark
from opendoors.tasks import enqueue_unless_waiting
from teams.models import ProtocolRun, StepNote
from visits.capture import evidence_authors_in, evidence_authors_replace
from visits.models import (
    Commitment,
    DebriefAttendance,
    EvidenceRead,
    Proposal,
    Visit,
    VisitClassroom,
    VisitObserver,
)

from .models import AuditEntry, District, Membership, Person, Role, School
from .services import PeopleChangeRefused, audit_record

logger = logging.getLogger(__name__)

RETENTION_TASK = "schools.tasks.retention_daily"
# The daily run starts at this hour of the site's time zone, when nobody is capturing.
RETENTION_HOUR = 2


@dataclass(frozen=True)
class RetentionApplied:
    """What one run did in one district: how many cycles and visits it made anonymous, and how
    many real people it replaced by placeholders."""

    district: District
    before: date
    cycles: int = 0
    visits: int = 0
    people: int = 0


def retention_before(*, district: District, today: date) -> date:
    """Visits before this day are past the district's identifiable years."""
    years = district.evidence_identifiable_years
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # February 29th, in a year that has none
        return today.replace(year=today.year - years, day=28)


def _placeholders(real_ids: set[int], now: datetime) -> dict[int, int]:
    """A new placeholder for each real person, created in random order, so that not even the
    order of their ids follows the real people's."""
    order = list(real_ids)
    secrets.SystemRandom().shuffle(order)
    unusable = make_password(None)
    created = Person.objects.bulk_create(
        Person(
            username=f"former-{secrets.token_hex(8)}",
            first_name="Former",
            last_name="colleague",
            password=unusable,
            is_active=False,
            erased_at=now,
        )
        for _ in order
    )
    return {real: placeholder.pk for real, placeholder in zip(order, created, strict=True)}


def _replace(queryset: models.QuerySet[Any], field: str, people: dict[int, int]) -> None:
    """Point `field` of every row in `queryset` at the placeholder of the person it names."""
    column = f"{field}_id"
    queryset.filter(**{f"{column}__in": people.keys()}).update(
        **{column: Case(*(When(**{column: old}, then=Value(new)) for old, new in people.items()))}
    )


def _snapshot_rewrite(cycle_ids: list[int], people: dict[int, int]) -> None:
    """The published patterns name hosts by id: they name the placeholders from now on, so the
    next read sees the same teachers (nothing to republish) and no id leads back."""
    for snapshot in PatternSnapshot.objects.filter(cycle_id__in=cycle_ids):
        numbers = from_json(snapshot.numbers)
        rewritten = {
            name: {
                room: (people.get(host, host), value) for room, (host, value) in drawn_on.items()
            }
            for name, drawn_on in numbers.items()
        }
        # The teacher count is keyed by host, not by classroom.
        if CLASSROOMS in rewritten:
            rewritten[CLASSROOMS] = {
                people.get(key, key): row for key, row in rewritten[CLASSROOMS].items()
            }
        snapshot.numbers = to_json(rewritten)
        snapshot.save(update_fields=["numbers"])


@transaction.atomic
def evidence_retention_apply(*, district: District, today: date) -> RetentionApplied:
    """Make anonymous every cycle of the district whose visits are all older than its
    identifiable years and not yet anonymous; one audit entry, with counts, when anything
    changed. A second run the same day changes nothing."""
    before = retention_before(district=district, today=today)
    in_district = Visit.objects.filter(cycle__school__district=district)
    recent = in_district.filter(date__gte=before).values("cycle_id")
    visits = list(
        in_district.filter(anonymized_at__isnull=True, date__lt=before)
        .exclude(cycle_id__in=recent)
        .select_for_update(of=("self",))
        .values_list("pk", "cycle_id")
    )
    if not visits:
        return RetentionApplied(district=district, before=before)
    visit_ids = [pk for pk, _ in visits]
    cycle_ids = sorted({cycle for _, cycle in visits})
    rooms = VisitClassroom.including_removed.filter(visit_id__in=visit_ids)
    seats = VisitObserver.including_removed.filter(visit_id__in=visit_ids)
    covered = seats.filter(covered_by__isnull=False)
    commitments = Commitment.objects.filter(visit_id__in=visit_ids)
    reads = EvidenceRead.objects.filter(classroom__visit_id__in=visit_ids)
    participants = Participant.objects.filter(cycle_id__in=cycle_ids)
    pre_briefs = PreBrief.objects.filter(cycle_id__in=cycle_ids)
    cycles = Cycle.objects.filter(pk__in=cycle_ids, created_by__isnull=False)
    # The debriefs' protocol runs name who led, recorded and wrote notes; attendance who came.
    runs = ProtocolRun.objects.filter(debrief__visit_id__in=visit_ids)
    leaders = runs.filter(started_by__isnull=False)
    recorders = runs.filter(recorder__isnull=False)
    notes = StepNote.objects.filter(run__in=runs, updated_by__isnull=False)
    attendance = DebriefAttendance.objects.filter(debrief__visit_id__in=visit_ids)
    real = (
        set(rooms.values_list("host_id", flat=True))
        | set(seats.values_list("person_id", flat=True))
        | set(covered.values_list("covered_by_id", flat=True))
        | set(commitments.values_list("person_id", flat=True))
        | set(reads.values_list("reader_id", flat=True))
        | set(participants.values_list("person_id", flat=True))
        | set(pre_briefs.values_list("host_id", flat=True))
        | set(cycles.values_list("created_by_id", flat=True))
        | set(leaders.values_list("started_by_id", flat=True))
        | set(recorders.values_list("recorder_id", flat=True))
        | set(notes.values_list("updated_by_id", flat=True))
        | set(attendance.values_list("person_id", flat=True))
        | evidence_authors_in(visit_ids=visit_ids)
    )
    now = timezone.now()
    people = _placeholders(real, now)
    _replace(rooms, "host", people)
    _replace(seats, "person", people)
    _replace(covered, "covered_by", people)
    _replace(commitments, "person", people)
    _replace(reads, "reader", people)
    _replace(participants, "person", people)
    _replace(pre_briefs, "host", people)
    _replace(cycles, "created_by", people)
    _replace(leaders, "started_by", people)
    _replace(recorders, "recorder", people)
    _replace(notes, "updated_by", people)
    _replace(attendance, "person", people)
    # Hours stay their earner's, but no longer name the visit or cycle they came from (that
    # would say who was in an anonymous visit); an entry without a source is never recomputed.
    # A follow-up's entry stays with its goal, which stays its author's. (No month of the
    # ledger changes: its kept counts hold neither sources nor cycles.)
    LedgerEntry.objects.filter(cycle_id__in=cycle_ids).exclude(
        source__startswith="followup:"
    ).update(source="", cycle=None)
    # A shared bright moment stays a celebration of its host, no longer tied to the evidence.
    ShoutOut.objects.filter(bright_moment__classroom__visit_id__in=visit_ids).update(
        bright_moment=None
    )
    evidence_authors_replace(visit_ids=visit_ids, people=people)
    # A goal stays its author's, but no longer says which visit they were in.
    Goal.objects.filter(visit_id__in=visit_ids).update(visit=None)
    Proposal.objects.filter(cycle_id__in=cycle_ids).delete()
    _snapshot_rewrite(cycle_ids, people)
    Visit.objects.filter(pk__in=visit_ids).update(anonymized_at=now)
    applied = RetentionApplied(
        district=district,
        before=before,
        cycles=len(cycle_ids),
        visits=len(visit_ids),
        people=len(people),
    )
    audit_record(
        district=district,
        actor=None,
        action="evidence_anonymized",
        summary=f"Evidence of visits before {before:%b %-d, %Y} made anonymous "
        f"({district.evidence_identifiable_years} years): {applied.visits} "
        f"visit{'s' if applied.visits != 1 else ''} in {applied.cycles} "
        f"cycle{'s' if applied.cycles != 1 else ''}, {applied.people} "
        f"{'people' if applied.people != 1 else 'person'} replaced by placeholders.",
    )
    return applied


def evidence_retention_everywhere(*, now: datetime) -> list[RetentionApplied]:
    """Retention in every district, each on its own day (its own time zone) and in its own
    transaction: one district's failure keeps nobody else's evidence identifiable longer (it
    is logged, and raised once every district has had its turn)."""
    done, failures = [], []
    for district in District.objects.order_by("pk"):
        try:
            today = timezone.localtime(now, ZoneInfo(district.time_zone)).date()
            done.append(evidence_retention_apply(district=district, today=today))
        except Exception as error:
            logger.exception("Retention failed in district %s", district.slug)
            failures.append(error)
    if failures:
        raise failures[0]
    return done


def retention_next_run(*, now: datetime) -> datetime:
    """Tomorrow at 02:00 in the site's time zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    tomorrow = timezone.localtime(now, zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(RETENTION_HOUR), tzinfo=zone)


def retention_daily_queue(*, run_after: datetime) -> bool:
    """Queue the daily retention task, unless a run is already waiting; whether it queued."""
    return enqueue_unless_waiting(RETENTION_TASK, run_after=run_after)


# Erasure. For each table that points to a person, what erasing them does to its rows:
# "delete": theirs alone, or only good while they work here; "keep": others rely on it and it
# stays, pointing to the scrubbed row, which names nobody. Goals are "own": see person_erase.
# Tables added by other apps must be listed here (schools/tests/test_erasure.py checks).
Decision = Literal["delete", "keep", "own"]
ERASURE: dict[str, Decision] = {
    "admin.LogEntry.user": "keep",  # what a superuser did in the admin; now anonymous
    "account.EmailAddress.user": "delete",
    "socialaccount.SocialAccount.user": "delete",
    "schools.Membership.person": "delete",
    "schools.SourceId.person": "delete",
    "schools.Unavailability.person": "delete",
    "schools.School.cover_staff": "delete",
    # The school's timetable, which the next import replaces; the name in it is gone.
    "schools.Meeting.teacher": "keep",
    "schools.ScheduleImport.uploaded_by": "keep",
    "schools.ScheduleImport.applied_by": "keep",
    "schools.AuditEntry.actor": "keep",
    "schools.AuditEntry.subject": "keep",
    "inquiry.Cycle.created_by": "keep",
    "inquiry.Participant.person": "keep",
    "inquiry.PreBrief.host": "keep",
    "inquiry.SharedPlan.author": "keep",  # a plan shared to the district's library
    "visits.VisitClassroom.host": "keep",
    "visits.VisitObserver.person": "keep",
    "visits.VisitObserver.covered_by": "keep",
    "visits.Commitment.person": "keep",
    "visits.CalendarFeed.person": "delete",
    "visits.Evidence.author": "keep",
    "visits.EvidenceRead.reader": "keep",  # the host's log of who read their classroom
    "visits.Proposal.created_by": "keep",
    "visits.DebriefAttendance.person": "keep",  # the group's record of who attended
    "growth.Goal.person": "own",
    # Shout-outs celebrating them are about them; those they wrote celebrate someone else.
    "growth.ShoutOut.celebrated": "delete",
    "growth.ShoutOut.author": "keep",
    # Their hours ledger is theirs and goes with them; what the district posted to HR (the
    # export) already holds what HR needs. Learning they reviewed stays, reviewed by nobody.
    "growth.LedgerEntry.person": "delete",
    "growth.LedgerEntry.reviewed_by": "keep",
    # Their hours as the dashboards keep them by month (their entries' months are recounted).
    "insights.HoursRollup.person": "delete",
    # Artifacts are theirs: rows and files (person_erase deletes the files with the rows).
    "growth.Artifact.owner": "delete",
    # Shares of their portfolio, and shares of others' portfolios with them.
    "growth.PortfolioShare.owner": "delete",
    "growth.PortfolioShare.colleague": "delete",
    # The credentials they claimed: the copies they hold stay valid (they earned them); the
    # district forgets it issued them. Status-list bits are never reused, so no later
    # credential inherits a revocation.
    "growth.Credential.person": "delete",
    "teams.Team.created_by": "keep",
    "teams.TeamMember.person": "delete",
    "teams.TeamMeeting.created_by": "keep",
    "teams.ParkingLotItem.created_by": "keep",
    "teams.Protocol.created_by": "keep",
    "teams.ProtocolRun.started_by": "keep",
    "teams.ProtocolRun.recorder": "keep",
    "teams.StepNote.updated_by": "keep",
    "teams.Attendance.person": "keep",
}


@dataclass(frozen=True)
class PersonRelation:
    """A table that points to a person, by which field (a many-to-many one: `many`)."""

    model: type[models.Model]
    field: str
    many: bool


def person_relations() -> dict[str, PersonRelation]:
    """Every table that points to a person, by "app.Model.field"."""
    relations = {}
    for rel in Person._meta.get_fields(include_hidden=True):
        model = rel.related_model
        if not isinstance(rel, models.ForeignObjectRel) or not isinstance(model, type):
            continue
        assert issubclass(model, models.Model)
        # The tables behind many-to-many fields are reached through those fields.
        if model is not Person and not model._meta.auto_created:
            relations[f"{model._meta.label}.{rel.field.name}"] = PersonRelation(
                model, rel.field.name, rel.many_to_many
            )
    return relations


def _rows_delete(relation: PersonRelation, person: Person) -> None:
    if relation.many:
        field = relation.model._meta.get_field(relation.field)
        assert isinstance(field, models.ManyToManyField)
        through = field.remote_field.through
        assert through is not None
        through._base_manager.filter(**{field.m2m_reverse_field_name(): person}).delete()
    else:
        relation.model._base_manager.filter(**{relation.field: person}).delete()


def _sessions_end(person_id: int) -> None:
    """Delete the person's sessions. (A scrubbed password already voids them; this leaves no
    row that holds their id.) Sessions are signed blobs, so each live one is read."""
    key = str(person_id)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == key
    ]
    Session.objects.filter(pk__in=ended).delete()


def _audit_redact(person: Person, label: str) -> None:
    """Earlier entries of the log keep what was done, by whom and when, but no longer the name
    or the email of the person erased: the log is read by every district leader, for years,
    and "person #12" still says which entries are about the same person."""
    name = str(person)
    spellings = [f"{name} ({person.email})", name, person.email] if person.email else [name]
    named = Q(actor=person) | Q(subject=person)
    if person.email:
        named |= Q(summary__contains=person.email)
    entries = list(AuditEntry.objects.filter(named))
    for entry in entries:
        for spelling in spellings:
            entry.summary = entry.summary.replace(spelling, label)
    AuditEntry.objects.bulk_update(entries, ["summary"])
    # What a superuser changed in the admin names its object as it was then.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk)
    ).update(object_repr=label, change_message="")


def _goals_erase(person: Person) -> None:
    """Goals nobody else read are deleted. A goal (and its follow-up) shared with a cycle's
    facilitators stays, without its words, so the counts they saw ("goals set", "follow-ups
    answered") stay true; the result (tried, as anticipated) names nobody."""
    goals = Goal.objects.filter(person=person)
    shared = Q(shared_with_facilitators=True) | Q(follow_up__shared_with__isnull=False)
    kept = list(goals.filter(shared).values_list("pk", flat=True).distinct())
    goals.exclude(pk__in=kept).delete()
    Goal.objects.filter(pk__in=kept).update(text="")
    FollowUp.objects.filter(goal_id__in=kept).update(why="")


@transaction.atomic
def person_erase(*, school: School, person: Person, actor: Person) -> None:
    """Erase the personal data of someone deactivated, at the request of a leader of the
    district: their row names nobody and cannot sign in, what was theirs alone is deleted,
    what others rely on stays, anonymous (see ERASURE). All or nothing."""
    district = school.district
    leads = Membership.objects.filter(person=actor, role=Role.DISTRICT_LEADER)
    if not leads.filter(school__district=district).exists():
        raise PeopleChangeRefused("Only a leader of the district erases someone's data.")
    if person.pk == actor.pk:
        raise PeopleChangeRefused("You cannot erase yourself: ask another district leader.")
    if person.is_active:
        raise PeopleChangeRefused(
            "Deactivate them first: only someone who left has their personal data erased."
        )
    if Membership.objects.filter(person=person).exclude(school__district=district).exists():
        raise PeopleChangeRefused(
            "They also work in another district: its leaders must remove them first."
        )
    label = f"person #{person.pk}"
    artifacts_of_person_delete(person)  # before the rows go: their files go too
    ledger_months_mark(query=LedgerEntry.objects.filter(person=person))  # before they go
    for name, relation in person_relations().items():
        if ERASURE.get(name) == "delete":
            _rows_delete(relation, person)
    _goals_erase(person)
    _sessions_end(person.pk)
    _audit_redact(person, label)
    person.groups.clear()
    person.user_permissions.clear()
    person.username = f"erased-{person.pk}"
    person.first_name, person.last_name = "Erased", label
    person.email = ""
    person.set_unusable_password()
    person.is_active = person.is_staff = person.is_superuser = False
    person.years_of_experience = None
    person.email_visit_changes = person.email_reminders = False
    person.last_login = person.invited_at = None
    person.erased_at = timezone.now()
    person.save()
    audit_record(
        district=district,
        school=school,
        actor=actor,
        subject=person,
        action="person_erased",
        summary=f"{actor} erased the personal data of {label}.",
    )
