"""Writes to schools and their master schedules, each in one transaction, and the status
machine of a schedule import.

An import moves queued → reading → preview → applying → applied, or to failed with the
reasons, and every ending is written so that the coach can act on it. A worker that dies
leaves the row unchanged; the page shows it as stalled after `JOB_STALLS_AFTER` and offers
to try again (`import_retry`). Each run carries the attempt it was queued for and writes only
while that attempt is the import's current one, so a worker given up on cannot overwrite a
retry. The tasks in `tasks.py` only call `import_read_attempt` and `import_apply_attempt`.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from growth.services import ledger_recredit
from insights.services import ledger_months_mark
from opendoors.account import change_email, email_taken
from opendoors.tasks import enqueue
from rosters.oneroster import read_oneroster
from rosters.schedule_csv import read_schedule_csv
from rosters.schedule_data import Problem, ScheduleData, ScheduleFileError, TeacherRecord

from .models import (
    AuditEntry,
    CreditDesignation,
    CreditRounding,
    CreditUnit,
    Day,
    District,
    ImportKind,
    ImportStatus,
    LearningActivity,
    Meeting,
    Membership,
    Period,
    Person,
    Role,
    ScheduleImport,
    School,
    Section,
    Slot,
    SourceId,
    Term,
)
from .schedule_diff import SchedulePreview, TeachersLeaving, schedule_compare, teachers_leaving
from .selectors import schedule_data_stored, term_current

logger = logging.getLogger(__name__)


def audit_record(
    *,
    district: District,
    school: School | None = None,
    actor: Person | None,
    subject: Person | None = None,
    action: str,
    summary: str,
) -> AuditEntry:
    """Write one entry to the district's audit log. `summary` names the people involved in
    words, so the entry still reads right after they are deactivated or erased."""
    return AuditEntry.objects.create(
        district=district,
        school=school,
        actor=actor,
        subject=subject,
        action=action[:64],
        summary=summary[:500],
    )


def school_get_or_create(*, slug: str, name: str = "") -> School:
    """The school with this slug, created in the default district when it is new."""
    school = School.objects.filter(slug=slug).first()
    if school:
        return school
    district = District.objects.order_by("id").first() or District.objects.create(
        name="Default district", slug="default"
    )
    return School.objects.create(
        district=district,
        slug=slug,
        name=name or slug.replace("-", " ").title(),
        time_zone=settings.TIME_ZONE,
    )


class ScheduleRefused(Exception):
    """Applying would hurt: it removes sections or periods that visits use, or much of the
    schedule without the removals being confirmed. Nothing was changed; `reason` is one line."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def schedule_preview(*, school: School | None, data: ScheduleData) -> SchedulePreview:
    """What applying would change; a school that does not exist yet holds nothing."""
    term = term_current(school) if school else None
    preview = schedule_compare(school=school, term=term, data=data)
    preview.invitations = _invitations_due(school, data)
    return preview


def _invitations_due(school: School | None, data: ScheduleData) -> int:
    """How many people applying the schedule creates who have an email address: each gets an
    invitation (`import_apply_attempt`)."""
    known = set(SourceId.objects.filter(school=school).values_list("value", flat=True))
    return sum(1 for key, r in data.teachers.items() if key not in known and r.email)


def schedule_refusal(*, preview: SchedulePreview, allow_removals: bool) -> str:
    """Why this import must not be applied as it is, or "" when it may."""
    if preview.blocking_visits:
        return preview.blocking_reason()
    if preview.removes_much and not allow_removals:
        return preview.removal_reason()
    return ""


@transaction.atomic
def schedule_import(
    *, slug: str, data: ScheduleData, allow_removals: bool = False, actor: Person | None = None
) -> tuple[School, SchedulePreview]:
    """Apply a schedule to the school with this slug, creating the school in the same
    transaction: a refused or failed import leaves no empty school behind."""
    school = school_get_or_create(slug=slug)
    return school, schedule_apply(
        school=school, data=data, allow_removals=allow_removals, actor=actor
    )


@transaction.atomic
def schedule_apply(
    *,
    school: School,
    data: ScheduleData,
    allow_removals: bool = False,
    actor: Person | None = None,
) -> SchedulePreview:
    """Make the school's current term hold exactly this schedule. Applying it twice changes
    nothing. People are never deleted: a teacher missing from the file loses their meetings
    and is deactivated when they hold no other role here and no place at another school
    (`teachers_leaving`; audited as done by `actor`, None for the command line).

    Raises ScheduleRefused, changing nothing, when visits use what the file removes or when
    it removes more than REMOVAL_SHARE of the schedule and `allow_removals` is not given."""
    term = term_current(school)
    preview = schedule_compare(school=school, term=term, data=data)
    refusal = schedule_refusal(preview=preview, allow_removals=allow_removals)
    if refusal:
        raise ScheduleRefused(refusal)
    # Judged before anything is written, as the preview was: removing slots removes meetings.
    leaving = teachers_leaving(school, data)
    if term is None:
        term = Term.objects.create(school=school, name=data.term_name or "Current term")
    elif data.term_name and term.name != data.term_name:
        term.name = data.term_name
        term.save(update_fields=["name"])
    slots = _slots_sync(term, data)
    teachers = _teachers_sync(school, data, leaving=leaving, actor=actor)
    sections = _sections_sync(term, data)
    _meetings_sync(term, data, slots=slots, teachers=teachers, sections=sections)
    return preview


_Label = TypeVar("_Label", Day, Period)


def _labels_sync(model: type[_Label], term: Term, labels: list[str]) -> dict[str, _Label]:
    model.objects.filter(term=term).exclude(label__in=labels).delete()
    stored = {row.label: row for row in model.objects.filter(term=term)}
    for position, label in enumerate(labels):
        row = stored.get(label)
        if row is None:
            stored[label] = model.objects.create(term=term, label=label, position=position)
        elif row.position != position:
            row.position = position
            row.save(update_fields=["position"])
    return stored


def _slots_sync(term: Term, data: ScheduleData) -> dict[tuple[str, str], Slot]:
    days = _labels_sync(Day, term, data.days)
    periods = _labels_sync(Period, term, data.periods)
    stored = {
        (s.day.label, s.period.label): s
        for s in Slot.objects.filter(term=term).select_related("day", "period")
    }
    wanted = data.slots()
    gone = [slot.pk for key, slot in stored.items() if key not in set(wanted)]
    Slot.objects.filter(pk__in=gone).delete()
    new, retimed = [], []
    for day, period in wanted:
        times = data.bell.get((day, period), (None, None))
        slot = stored.get((day, period))
        if slot is None:
            slot = Slot(term=term, day=days[day], period=periods[period])
            slot.starts_at, slot.ends_at = times
            stored[(day, period)] = slot
            new.append(slot)
        # A file without a bell schedule keeps the clock times already stored.
        elif data.bell and (slot.starts_at, slot.ends_at) != times:
            slot.starts_at, slot.ends_at = times
            retimed.append(slot)
    Slot.objects.bulk_create(new)
    Slot.objects.bulk_update(retimed, ["starts_at", "ends_at"])
    return stored


def _teachers_sync(
    school: School, data: ScheduleData, *, leaving: TeachersLeaving, actor: Person | None
) -> dict[str, Person]:
    stored = {
        s.value: s.person for s in SourceId.objects.filter(school=school).select_related("person")
    }
    renamed = []
    for source_id, record in data.teachers.items():
        person = stored.get(source_id)
        if person is None:
            stored[source_id] = _teacher_create(school, record)
        elif person.get_full_name() != record.name:
            person.first_name, person.last_name = _name_parts(record)
            renamed.append(person)
    Person.objects.bulk_update(renamed, ["first_name", "last_name"])
    teaching = {stored[source_id].pk for source_id in data.teachers}
    already = set(
        Membership.objects.filter(
            school=school, role=Role.TEACHER, person_id__in=teaching
        ).values_list("person_id", flat=True)
    )
    Membership.objects.bulk_create(
        Membership(person_id=pk, school=school, role=Role.TEACHER) for pk in teaching - already
    )
    # Their accounts stay, with everything they authored; they can no longer sign in.
    by = str(actor) if actor else "The command-line import"
    for person in leaving.deactivate:
        person.is_active = False
        audit_record(
            district=school.district,
            school=school,
            actor=actor,
            subject=person,
            action="person_deactivated",
            summary=f"{by} deactivated {person} ({person.email}) at {school}: no longer in "
            f"the imported schedule ({data.source}).",
        )
    Person.objects.bulk_update(leaving.deactivate, ["is_active"])
    return stored


def _name_parts(record: TeacherRecord) -> tuple[str, str]:
    if record.given_name or record.family_name:
        return record.given_name, record.family_name
    given, _, family = record.name.rpartition(" ")
    return given, family


def _teacher_create(school: School, record: TeacherRecord) -> Person:
    base = slugify(f"{school.slug}-{record.source_id}")[:140] or f"{school.slug}-teacher"
    username, n = base, 1
    while Person.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    first, last = _name_parts(record)
    person = Person(username=username, first_name=first, last_name=last, email=record.email)
    person.set_unusable_password()
    person.save()
    SourceId.objects.create(school=school, person=person, value=record.source_id)
    return person


def _sections_sync(term: Term, data: ScheduleData) -> dict[tuple[str, str], Section]:
    stored = {(s.code, s.course): s for s in Section.objects.filter(term=term)}
    gone = [stored.pop(key).pk for key in list(stored) if key not in data.sections]
    Section.objects.filter(pk__in=gone).delete()
    new, changed = [], []
    for key, record in data.sections.items():
        section = stored.get(key)
        if section is None:
            section = Section(term=term, code=record.code, course=record.course)
            stored[key] = section
            new.append(section)
        elif (section.subject, section.grade, section.source_id) != (
            record.subject,
            record.grade,
            record.source_id,
        ):
            changed.append(section)
        section.subject, section.grade = record.subject, record.grade
        section.source_id = record.source_id
    Section.objects.bulk_create(new)
    Section.objects.bulk_update(changed, ["subject", "grade", "source_id"])
    return stored


def _meetings_sync(
    term: Term,
    data: ScheduleData,
    *,
    slots: dict[tuple[str, str], Slot],
    teachers: dict[str, Person],
    sections: dict[tuple[str, str], Section],
) -> None:
    want = {
        (sections[m.section].pk, teachers[m.teacher].pk, slots[(m.day, m.period)].pk): m.room
        for m in data.meetings
    }
    stored = {
        (m.section_id, m.teacher_id, m.slot_id): m
        for m in Meeting.objects.filter(section__term=term)
    }
    Meeting.objects.filter(pk__in=[m.pk for k, m in stored.items() if k not in want]).delete()
    moved = []
    for key, room in want.items():
        meeting = stored.get(key)
        if meeting is not None and meeting.room != room:
            meeting.room = room
            moved.append(meeting)
    Meeting.objects.bulk_update(moved, ["room"])
    Meeting.objects.bulk_create(
        Meeting(section_id=s, teacher_id=t, slot_id=sl, room=room)
        for (s, t, sl), room in want.items()
        if (s, t, sl) not in stored
    )


def import_start(
    *,
    school: School,
    uploaded_by: Person,
    kind: str,
    upload: UploadedFile,
    bell_upload: UploadedFile | None = None,
    org: str = "",
) -> ScheduleImport:
    """Keep an uploaded schedule and queue it to be read into a preview."""
    schedule_import = ScheduleImport.objects.create(
        school=school,
        uploaded_by=uploaded_by,
        kind=ImportKind(kind),
        file=upload,
        original_name=upload.name or "upload",
        bell_file=bell_upload,
        org=org,
    )
    enqueue("schools.tasks.import_read", schedule_import.pk, 0)
    return schedule_import


def import_apply_start(
    *,
    schedule_import: ScheduleImport,
    removals_confirmed: bool,
    send_invitations: bool = True,
    actor: Person | None = None,
) -> str:
    """Queue a previewed import to be applied (`actor` pressed "Apply"); the reason it cannot
    be, or "". Without `send_invitations` the new people get no invitation (the People page
    sends them later)."""
    preview = SchedulePreview.from_dict(schedule_import.preview)
    if not send_invitations:  # the preview kept with the import is what the worker reads
        preview.invitations = 0
    refusal = schedule_refusal(preview=preview, allow_removals=removals_confirmed)
    if refusal:
        return refusal[0].upper() + refusal[1:] + "."
    attempt = schedule_import.attempt + 1
    updated = ScheduleImport.objects.filter(
        pk=schedule_import.pk, status=ImportStatus.PREVIEW, attempt=schedule_import.attempt
    ).update(
        status=ImportStatus.APPLYING,
        progress=0,
        attempt=attempt,
        removals_confirmed=removals_confirmed,
        applied_by=actor,
        preview=preview.as_dict(),
        updated_at=timezone.now(),
    )
    if updated:
        enqueue("schools.tasks.import_apply", schedule_import.pk, attempt)
    return ""


def import_retry(*, schedule_import: ScheduleImport) -> bool:
    """Run a failed or stalled import again. A stalled apply is applied again (the coach
    confirmed it); anything else is read again into a fresh preview, since what blocked it
    may have changed. A worker still running the old attempt can no longer write. Returns
    whether a retry was queued (not when the import is neither failed nor stalled)."""
    if not schedule_import.can_retry:
        return False
    reapply = schedule_import.status == ImportStatus.APPLYING
    attempt = schedule_import.attempt + 1
    updated = ScheduleImport.objects.filter(
        pk=schedule_import.pk,
        status=schedule_import.status,
        attempt=schedule_import.attempt,
    ).update(
        status=ImportStatus.APPLYING if reapply else ImportStatus.QUEUED,
        progress=0,
        problems=[],
        attempt=attempt,
        updated_at=timezone.now(),
    )
    if not updated:
        return False
    task = "schools.tasks.import_apply" if reapply else "schools.tasks.import_read"
    enqueue(task, schedule_import.pk, attempt)
    return True


def import_file_read(
    schedule_import: ScheduleImport, on_progress: Callable[[int, int], None]
) -> ScheduleData:
    """The uploaded file(s) of an import, read by the reader its kind names."""
    if schedule_import.kind == ImportKind.ONEROSTER:
        return read_oneroster(
            Path(schedule_import.file.path),
            org=schedule_import.org,
            on_progress=on_progress,
            display_name=schedule_import.original_name,
            # A delta export is merged onto what the school stores now.
            stored=lambda: schedule_data_stored(schedule_import.school),
        )
    bell = schedule_import.bell_file
    with schedule_import.file.open("rb") as upload:
        data = upload.read()
    bell_data = None
    if bell:
        with bell.open("rb") as bell_upload:
            bell_data = bell_upload.read()
    return read_schedule_csv(
        data,
        schedule_import.original_name,
        bell=bell_data,
        bell_filename=Path(bell.name).name if bell else "bell.csv",
        on_progress=on_progress,
    )


def _current(pk: int, attempt: int) -> QuerySet[ScheduleImport]:
    """The import's row while this attempt is still the one that counts."""
    return ScheduleImport.objects.filter(pk=pk, attempt=attempt)


def _save(pk: int, attempt: int, **fields: Any) -> int:
    return _current(pk, attempt).update(updated_at=timezone.now(), **fields)


def _progress_saver(pk: int, attempt: int, start: int, end: int) -> Callable[[int, int], None]:
    """Save progress as a share of [start, end] percent, only when the number moves."""
    last = [-1]

    def save(done: int, total: int) -> None:
        percent = start + (end - start) * min(done, total) // max(total, 1)
        if percent != last[0]:
            last[0] = percent
            _save(pk, attempt, progress=percent)

    return save


def _fail(pk: int, attempt: int, problems: list[Problem], *, in_file: bool = False) -> None:
    """Fail the import with its problems; `in_file` when the file itself is at fault, so that
    reading it again would only say the same (the page then offers no "Try again")."""
    _save(
        pk,
        attempt,
        status=ImportStatus.FAILED,
        problems=[p.as_dict() | {"in_file": in_file} for p in problems],
        progress=100,
    )


def _unexpected(schedule_import: ScheduleImport, attempt: int, error: Exception) -> None:
    """Say what happened on the page; the worker's log keeps the traceback for the admin."""
    logger.exception("import %s failed", schedule_import.pk)
    message = (
        f"the import stopped with an unexpected error ({type(error).__name__}); nothing was "
        "changed. Try again; if it fails again, tell your administrator"
    )
    _fail(schedule_import.pk, attempt, [Problem(schedule_import.original_name, message)])


def import_read_attempt(*, import_id: int, attempt: int) -> None:
    """Read a queued import into a preview of what applying it would change, or fail it
    with the file's problems. Does nothing when this attempt is no longer the current one
    or another worker already claimed it."""
    claimed = _current(import_id, attempt).filter(status=ImportStatus.QUEUED)
    if not claimed.update(status=ImportStatus.READING, progress=0, updated_at=timezone.now()):
        return  # retried meanwhile, or already read by a copy of this task
    schedule_import = ScheduleImport.objects.select_related("school").get(pk=import_id)
    try:
        data = import_file_read(schedule_import, _progress_saver(import_id, attempt, 0, 90))
        preview = schedule_preview(school=schedule_import.school, data=data)
    except ScheduleFileError as error:
        _fail(import_id, attempt, error.problems, in_file=True)
        return
    except Exception as error:  # any failure must reach the page
        _unexpected(schedule_import, attempt, error)
        return
    _save(import_id, attempt, status=ImportStatus.PREVIEW, preview=preview.as_dict(), progress=100)


def import_apply_attempt(*, import_id: int, attempt: int) -> None:
    """Apply an import the coach confirmed (`import_apply_start`), or fail it with the
    reason. Does nothing when this attempt is no longer the current one."""
    schedule_import = ScheduleImport.objects.select_related("school", "applied_by").get(
        pk=import_id
    )
    if schedule_import.attempt != attempt or schedule_import.status != ImportStatus.APPLYING:
        return
    _save(import_id, attempt, progress=0)
    try:
        data = import_file_read(schedule_import, _progress_saver(import_id, attempt, 0, 50))
        with transaction.atomic():
            # Lock the row: a retry cannot start while this attempt writes the schedule.
            if not _current(import_id, attempt).select_for_update().exists():
                return
            known = _people_with_source_ids(schedule_import.school)
            applied = schedule_apply(
                school=schedule_import.school,
                data=data,
                allow_removals=schedule_import.removals_confirmed,
                actor=schedule_import.applied_by,
            )
            if SchedulePreview.from_dict(schedule_import.preview).invitations:
                applied.invitations = _newcomers_invite(schedule_import, known)
            _save(
                import_id,
                attempt,
                status=ImportStatus.APPLIED,
                preview=applied.as_dict(),
                progress=100,
                applied_at=timezone.now(),
            )
    except ScheduleFileError as error:
        _fail(import_id, attempt, error.problems)
    except ScheduleRefused as refused:
        _fail(import_id, attempt, [Problem(schedule_import.original_name, refused.reason)])
    except Exception as error:  # any failure must reach the page
        _unexpected(schedule_import, attempt, error)


def _people_with_source_ids(school: School) -> set[int]:
    return set(SourceId.objects.filter(school=school).values_list("person_id", flat=True))


def _newcomers_invite(schedule_import: ScheduleImport, known: set[int]) -> int:
    """Invite the people an import just created (those not in `known`) who have an email
    address; how many."""
    school = schedule_import.school
    newcomers = Person.objects.filter(source_ids__school=school).exclude(pk__in=known)
    invited = 0
    for person in newcomers.exclude(email="").order_by("pk"):
        try:
            person_invite(
                school=school, person=person, actor=None, source=schedule_import.original_name
            )
        except InvitationRefused:
            continue  # an invitation is never worth failing the schedule for
        invited += 1
    return invited


# People and roles at a school (the People page). Every change is written to the audit log.

MANAGING_ROLES = {Role.PRINCIPAL, Role.DISTRICT_LEADER}


class PeopleChangeRefused(Exception):
    """The change would lock someone out of managing a school or go beyond the actor's rights;
    nothing was changed. `reason` says why, in a sentence for the page."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def _username_from_email(email: str) -> str:
    base = slugify(email.split("@")[0])[:140] or "person"
    username, n = base, 1
    while Person.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _roles_text(roles: set[str]) -> str:
    return ", ".join(Role(r).label.lower() for r in sorted(roles)) or "no role"


@transaction.atomic
def person_add(
    *,
    school: School,
    actor: Person,
    first_name: str,
    last_name: str,
    email: str,
    roles: set[str],
    may_grant_district_leader: bool,
    invite: bool = False,
) -> Person:
    """A new person at the school with these roles, and with `invite` an invitation email
    (`person_invite`). Their password is unusable until the invitation's page (or "Forgot
    your password?") lets them set one."""
    if Role.DISTRICT_LEADER in roles and not may_grant_district_leader:
        raise PeopleChangeRefused("Only a district leader can make someone a district leader.")
    person = Person(
        username=_username_from_email(email),
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    person.set_unusable_password()
    person.save()
    Membership.objects.bulk_create(
        Membership(person=person, school=school, role=role) for role in sorted(roles)
    )
    audit_record(
        district=school.district,
        school=school,
        actor=actor,
        subject=person,
        action="person_added",
        summary=f"{actor} added {person} ({email}) at {school} as {_roles_text(roles)}.",
    )
    if invite:
        person_invite(school=school, person=person, actor=actor)
    return person


@transaction.atomic
def person_roles_set(
    *,
    school: School,
    actor: Person,
    person: Person,
    roles: set[str],
    may_grant_district_leader: bool,
) -> bool:
    """Make the person hold exactly these roles at the school; whether anything changed.
    Refused when a manager would remove their own managing role (they would lock themselves
    out of this page mid-change; another principal or a district leader can do it), or when
    someone who is not a district leader would grant or remove that role."""
    held = set(
        Membership.objects.filter(person=person, school=school).values_list("role", flat=True)
    )
    if not may_grant_district_leader and (Role.DISTRICT_LEADER in held ^ roles):
        raise PeopleChangeRefused(
            "Only a district leader can give or take the district leader role."
        )
    if person.pk == actor.pk and (held - roles) & MANAGING_ROLES:
        raise PeopleChangeRefused(
            "You cannot remove your own principal or district leader role: you would lose "
            "this page in the middle of the change. Ask another principal or a district leader."
        )
    added, removed = roles - held, held - roles
    if not added and not removed:
        return False
    Membership.objects.filter(person=person, school=school, role__in=removed).delete()
    Membership.objects.bulk_create(
        Membership(person=person, school=school, role=role) for role in sorted(added)
    )
    changes = [f"added {_roles_text(added)}"] if added else []
    changes += [f"removed {_roles_text(removed)}"] if removed else []
    audit_record(
        district=school.district,
        school=school,
        actor=actor,
        subject=person,
        action="roles_changed",
        summary=f"{actor} changed {person}'s roles at {school}: {'; '.join(changes)}.",
    )
    return True


@transaction.atomic
def person_active_set(
    *, school: School, actor: Person, person: Person, active: bool, may_grant_district_leader: bool
) -> bool:
    """Deactivate someone who left (they can no longer sign in; what they authored stays,
    attributed to them; pickers leave them out) or reactivate them; whether anything changed.
    Nobody deactivates themselves (they would be signed out with no way back in), and only a
    district leader deactivates a district leader."""
    if person.pk == actor.pk and not active:
        raise PeopleChangeRefused(
            "You cannot deactivate yourself: you could no longer sign in to undo it. Ask "
            "another principal or a district leader."
        )
    leads = Membership.objects.filter(person=person, role=Role.DISTRICT_LEADER).exists()
    if leads and not may_grant_district_leader:
        raise PeopleChangeRefused(
            "Only a district leader can deactivate or reactivate a district leader."
        )
    if person.is_active == active:
        return False
    person.is_active = active
    person.save(update_fields=["is_active"])
    audit_record(
        district=school.district,
        school=school,
        actor=actor,
        subject=person,
        action="person_reactivated" if active else "person_deactivated",
        summary=f"{actor} {'reactivated' if active else 'deactivated'} {person} ({person.email}) "
        f"at {school}.",
    )
    return True


# Invitations: someone added on the People page or new in an applied import gets an email
# with a link to set their password (schools/invitations.py is the page behind it). Nobody
# signs themselves up (opendoors.adapters), so this is how people come in.

# A principal pressing "Send again" twice sends one email: the second waits this long.
INVITATION_RESEND_AFTER = timedelta(minutes=10)


class InvitationRefused(Exception):
    """No invitation was sent; `reason` says why, in a sentence for the page."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@transaction.atomic
def person_email_set(
    *,
    school: School,
    actor: Person,
    person: Person,
    email: str,
    may_grant_district_leader: bool,
    manages_everywhere: bool,
) -> bool:
    """Set the address of someone nobody holds the account of yet (a typo fixed before the
    invitation reaches them, or an address for someone who came without one); whether it
    changed. An invitation sent to the old address stops working (its link covers the
    address) and may be sent again at once; the old address, if any, is told (the task
    worker sends it, `email_changed_notice`), so that nobody's account is pointed elsewhere
    without their knowing. Refused for someone who has signed in or holds a password or a
    single sign-on (the address receives their password resets: they change it on their
    account page), for someone deactivated, for a district leader unless a district leader
    asks, and for someone who also works at a school the actor does not manage (the
    invitation would hand the actor their account there)."""
    # Read again, locked: a first sign-in at this moment is seen, or waits for this change.
    person.refresh_from_db(from_queryset=Person.objects.select_for_update())
    if not person.is_active or person.erased_at is not None:
        raise PeopleChangeRefused(f"{person} is deactivated: reactivate them first.")
    if _account_held(person):
        raise PeopleChangeRefused(
            f"{person} has signed in or set a password: they change their address on their "
            "account page, where it takes their password."
        )
    leads = Membership.objects.filter(person=person, role=Role.DISTRICT_LEADER).exists()
    if leads and not may_grant_district_leader:
        raise PeopleChangeRefused("Only a district leader can change a district leader's address.")
    if not manages_everywhere:
        raise PeopleChangeRefused(
            f"{person} also works at a school whose people you do not manage: ask a district "
            "leader."
        )
    before = person.email
    if before.lower() == email:
        return False
    if email_taken(email, by_other_than=person):
        raise PeopleChangeRefused(
            f"{email} is already someone's address in OpenDoors. Check it for a typo; if it "
            "is right, ask a district leader."
        )
    change_email(person, email)
    Person.objects.filter(pk=person.pk).update(invited_at=None)
    person.invited_at = None
    audit_record(
        district=school.district,
        school=school,
        actor=actor,
        subject=person,
        action="email_changed",
        summary=f"{actor} changed {person}'s email address from {before or 'none'} to {email}.",
    )
    if before:
        enqueue("schools.tasks.email_changed_notice", person.pk, school.pk, before, str(actor))
    return True


def _account_held(person: Person) -> bool:
    """Someone holds the account: they signed in, a password was set (an invitation, "Forgot
    your password?", an administrator), or a single sign-on is connected to it."""
    return (
        person.last_login is not None
        or person.has_usable_password()
        or person.is_staff
        or person.is_superuser
        or SocialAccount.objects.filter(user=person).exists()
    )


def email_changed_notice(*, person_id: int, school_id: int, old: str, actor: str) -> bool:
    """Tell the old address that the account's address was changed, and by whom; whether it
    was sent."""
    person = Person.objects.filter(pk=person_id).first()
    school = School.objects.filter(pk=school_id).first()
    if person is None or school is None:
        return False
    context = {"person": person, "school": school, "actor": actor, "old": old}
    message = EmailMessage(
        subject=f"Your OpenDoors address at {' '.join(school.name.split())} was changed",
        body=render_to_string("schools/email/email_changed.txt", context),
        to=[old],
    )
    return bool(message.send())


def can_be_invited(person: Person) -> bool:
    """Someone an invitation can reach and who needs one: active, not erased, with an email
    address, and never signed in (who has signed in uses "Forgot your password?")."""
    return (
        person.is_active
        and person.erased_at is None
        and bool(person.email)
        and person.last_login is None
    )


def people_to_invite(*, school: School) -> QuerySet[Person]:
    """The school's people who were never invited and could be: "Invite everyone not
    invited yet" sends to them, and the People page counts them."""
    return (
        Person.objects.filter(
            memberships__school=school,
            is_active=True,
            erased_at__isnull=True,
            last_login__isnull=True,
            invited_at__isnull=True,
        )
        .exclude(email="")
        .distinct()
    )


def _invitation_refusal(person: Person) -> str:
    if not person.email:
        return f"{person} has no email address, so no invitation can reach them."
    if not person.is_active or person.erased_at is not None:
        return f"{person} is deactivated: reactivate them before inviting them."
    return (
        f"{person} has already signed in: if they forgot their password, they use "
        "“Forgot your password?” on the sign-in page."
    )


@transaction.atomic
def person_invite(
    *, school: School, person: Person, actor: Person | None, source: str = ""
) -> datetime:
    """Queue an invitation email to the person (the task worker sends it, `invitation_send`)
    and note when (`Person.invited_at`); an audit entry names who sent it, or the import
    (`source`) that brought the person. Returns when it was sent.

    Raises InvitationRefused, sending nothing, when the person cannot be invited or was
    invited less than INVITATION_RESEND_AFTER ago (an update that only matches an older
    invitation, so two clicks at once send one email)."""
    if not can_be_invited(person):
        raise InvitationRefused(_invitation_refusal(person))
    now = timezone.now()
    sent = (
        Person.objects.filter(pk=person.pk)
        .filter(Q(invited_at__isnull=True) | Q(invited_at__lte=now - INVITATION_RESEND_AFTER))
        .update(invited_at=now)
    )
    if not sent:
        person.refresh_from_db(fields=["invited_at"])
        assert person.invited_at is not None  # only a recent invitation stops the update
        again = person.invited_at + INVITATION_RESEND_AFTER
        local = timezone.localtime(again, ZoneInfo(school.time_zone))
        minutes = int(INVITATION_RESEND_AFTER.total_seconds() // 60)
        raise InvitationRefused(
            f"{person} was invited less than {minutes} minutes ago: you can send it again "
            f"from {local:%H:%M}."
        )
    person.invited_at = now
    who = str(actor) if actor else f"The schedule import “{source}”"
    audit_record(
        district=school.district,
        school=school,
        actor=actor,
        subject=person,
        action="invitation_sent",
        summary=f"{who} sent {person} ({person.email}) an invitation to {school}.",
    )
    enqueue("schools.tasks.invitation_send", person.pk, school.pk)
    return now


def people_invite_all(*, school: School, actor: Person) -> int:
    """Invite everyone at the school not invited yet (`people_to_invite`); how many. Each
    invitation is its own transaction and audit entry, like one sent by hand."""
    invited = 0
    for person in people_to_invite(school=school):
        try:
            person_invite(school=school, person=person, actor=actor)
        except InvitationRefused:
            continue  # invited or signed in meanwhile: nothing to send
        invited += 1
    return invited


def single_sign_on_names() -> list[str]:
    """The names of the district's single sign-on providers (settings.oidc_providers)."""
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    return [str(app.get("name") or app["provider_id"]) for app in apps]


def invitation_link(person: Person) -> str:
    """The address of the person's invitation page. Django's password-reset token: it expires
    after PASSWORD_RESET_TIMEOUT and once the person sets a password or signs in (it hashes
    both), so a link forwarded later opens nothing."""
    uidb64 = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return settings.OPENDOORS_SITE_URL + reverse("invitation", args=[uidb64, token])


def invitation_send(*, person_id: int, school_id: int) -> bool:
    """Email the invitation the task worker was given; whether it was sent. Checked again
    when it runs: someone deactivated, erased or signed in meanwhile gets nothing."""
    person = Person.objects.filter(pk=person_id).first()
    school = School.objects.filter(pk=school_id).first()
    if person is None or school is None or not can_be_invited(person):
        return False
    context = {
        "person": person,
        "school": school,
        "link": invitation_link(person),
        "sign_in": settings.OPENDOORS_SITE_URL + reverse("account_login"),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
        "single_sign_on": single_sign_on_names(),
    }
    subject = render_to_string("schools/email/invitation_subject.txt", context)
    message = EmailMessage(
        # A school name with a newline would be a header injection: Django refuses to send it.
        subject=" ".join(subject.split()),
        body=render_to_string("schools/email/invitation.txt", context),
        to=[person.email],
    )
    return bool(message.send())


# A district's first run, its settings and its schools (issue 10): its leaders' pages and
# `opendoors setup-district`. Every change writes an audit entry.

DISTRICT_SETTING_LABELS = {
    "min_classrooms_for_aggregates": "the fewest classrooms in a shared aggregate (k)",
    "time_zone": "the time zone",
    "minutes_per_clock_hour": "the minutes per clock hour",
    "default_max_coverages_per_week": "new schools' coverages per teacher per week",
    "default_max_coverages_per_month": "new schools' coverages per teacher per month",
    "evidence_identifiable_years": "the years evidence stays identifiable",
    "strategy": "the district's strategy",
}


class DistrictChangeRefused(Exception):
    """Nothing was changed; `reason` says why, in a sentence a person can act on."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class DistrictSetUp:
    """What `district_setup` did: `created` is False when the district already existed (then
    nothing was changed and `school` and `leader` are None)."""

    district: District
    school: School | None
    leader: Person | None
    created: bool


def _actor_name(actor: Person | None) -> str:
    return str(actor) if actor else "An administrator (opendoors setup-district)"


def _school_create(*, district: District, name: str, slug: str) -> School:
    if School.objects.filter(slug=slug).exists():
        raise DistrictChangeRefused(
            f"The web address “{slug}” is already another school's: choose another."
        )
    return School.objects.create(
        district=district,
        name=name,
        slug=slug,
        time_zone=district.time_zone,
        max_coverages_per_week=district.default_max_coverages_per_week,
        max_coverages_per_month=district.default_max_coverages_per_month,
    )


@transaction.atomic
def district_setup(
    *,
    name: str,
    slug: str,
    school_name: str,
    school_slug: str,
    leader_email: str,
    leader_username: str = "",
    actor: Person | None,
) -> DistrictSetUp:
    """Create a district, its first school and its first district leader (an existing person
    with that email, or a new one without a password, who sets it with "Forgot your
    password?"). A district leader's role is held at one school of the district and counts
    for all of them, hence the first school. An existing slug changes nothing."""
    existing = District.objects.filter(slug=slug).first()
    if existing is not None:
        return DistrictSetUp(district=existing, school=None, leader=None, created=False)
    email = leader_email.strip().lower()
    leader = Person.objects.filter(email__iexact=email).first()
    if leader is None:
        username = leader_username or _username_from_email(email)
        if Person.objects.filter(username=username).exists():
            raise DistrictChangeRefused(
                f"The username “{username}” is already someone else's: choose another."
            )
        leader = Person(username=username, email=email)
        leader.set_unusable_password()
        leader.save()
    district = District.objects.create(name=name, slug=slug)
    school = _school_create(district=district, name=school_name, slug=school_slug)
    Membership.objects.create(person=leader, school=school, role=Role.DISTRICT_LEADER)
    audit_record(
        district=district,
        school=school,
        actor=actor,
        subject=leader,
        action="district_set_up",
        summary=f"{_actor_name(actor)} set up {district} with {school} and district leader "
        f"{leader} ({email}).",
    )
    return DistrictSetUp(district=district, school=school, leader=leader, created=True)


@transaction.atomic
def district_settings_change(
    *, district: District, actor: Person, values: dict[str, Any]
) -> list[str]:
    """Save the district's settings; one audit entry per setting changed (from → to). The
    labels of what changed, in order."""
    changed: list[str] = []
    for field, value in values.items():
        before = getattr(district, field)
        if before == value:
            continue
        setattr(district, field, value)
        label = DISTRICT_SETTING_LABELS[field]
        changed.append(label)
        # The strategy is paragraphs: the log says it changed, not from what to what.
        summary = f"from {before} to {value}" if field != "strategy" else "(new text)"
        audit_record(
            district=district,
            actor=actor,
            action="district_setting_changed",
            summary=f"{actor} changed {label} {summary}.",
        )
    if changed:
        district.save(update_fields=[f for f in values if f in DISTRICT_SETTING_LABELS])
    return changed


@transaction.atomic
def school_add(*, district: District, actor: Person, name: str, slug: str) -> School:
    """A new school of the district, with the district's time zone and default coverage
    limits (its principal can change them in its own settings)."""
    school = _school_create(district=district, name=name, slug=slug or slugify(name)[:50])
    audit_record(
        district=district,
        school=school,
        actor=actor,
        action="school_added",
        summary=f"{actor} added {school} ({school.slug}).",
    )
    return school


@transaction.atomic
def school_rename(*, school: School, actor: Person, name: str) -> bool:
    """Give the school a new name (its web address stays); whether anything changed."""
    before = school.name
    if before == name:
        return False
    school.name = name
    school.save(update_fields=["name"])
    audit_record(
        district=school.district,
        school=school,
        actor=actor,
        action="school_renamed",
        summary=f"{actor} renamed {before} to {name}.",
    )
    return True


@transaction.atomic
def school_archived_set(*, school: School, actor: Person, archived: bool) -> bool:
    """Archive a school (it keeps its history and leaves lists and pickers of schools) or bring
    it back; whether anything changed."""
    if (school.archived_at is not None) == archived:
        return False
    school.archived_at = timezone.now() if archived else None
    school.save(update_fields=["archived_at"])
    audit_record(
        district=school.district,
        school=school,
        actor=actor,
        action="school_archived" if archived else "school_unarchived",
        summary=f"{actor} {'archived' if archived else 'brought back'} {school}.",
    )
    return True


# The district's credit rules and the designations its state requires (issue 10; the hours
# ledger of issue 11 reads them). Every change writes an audit entry.

CREDIT_SETTING_LABELS = {
    "credit_unit": "the credit unit",
    "clock_hours_per_credit": "the clock hours per credit",
    "credit_rounding": "the credit rounding",
    "self_reported_needs_approval": "the approval of self-reported learning",
}


def _setting_words(field: str, value: Any) -> str:
    if field == "credit_unit":
        return CreditUnit(value).label
    if field == "credit_rounding":
        return CreditRounding(value).label
    if field == "self_reported_needs_approval":
        return "required" if value else "not required"
    return f"{Decimal(value).normalize():f}"


@transaction.atomic
def district_credits_change(
    *, district: District, actor: Person, values: dict[str, Any]
) -> list[str]:
    """Save the district's credit unit, conversion and rounding; one audit entry per setting
    changed (from → to). The labels of what changed, in order."""
    changed: list[str] = []
    for field, label in CREDIT_SETTING_LABELS.items():
        # A setting left out of `values` stays as it is.
        before = getattr(district, field)
        value = values.get(field, before)
        if before == value:
            continue
        setattr(district, field, value)
        changed.append(label)
        audit_record(
            district=district,
            actor=actor,
            action="district_setting_changed",
            summary=f"{actor} changed {label} from {_setting_words(field, before)} to "
            f"{_setting_words(field, value)}.",
        )
    if changed:
        district.save(update_fields=list(CREDIT_SETTING_LABELS))
    # Credits follow the rules; the approval setting changes no entry (it is read when
    # entries are counted, growth.ledger.counted).
    if set(changed) - {CREDIT_SETTING_LABELS["self_reported_needs_approval"]}:
        ledger_recredit(district=district)
    if CREDIT_SETTING_LABELS["self_reported_needs_approval"] in changed:
        ledger_months_mark(districts=[district.pk])  # what counts changed in every month
    return changed


def _activities_text(activities: list[str]) -> str:
    labels = [LearningActivity(a).label.lower() for a in activities]
    return ", ".join(labels) or "no activity yet"


def _designation_name_free(district: District, name: str, *, but: int | None = None) -> None:
    taken = CreditDesignation.objects.filter(district=district, name__iexact=name)
    if but is not None:
        taken = taken.exclude(pk=but)
    if taken.exists():
        raise DistrictChangeRefused(
            f"The district already has a designation called “{name}”: change that one, or "
            "choose another name."
        )


def _activities_ordered(activities: list[str]) -> list[str]:
    chosen = set(activities)
    return [a for a in LearningActivity.values if a in chosen]


@transaction.atomic
def designation_add(
    *, district: District, actor: Person, name: str, description: str, activities: list[str]
) -> CreditDesignation:
    """A designation the district's state requires on credits, and the activities carrying it."""
    _designation_name_free(district, name)
    designation = CreditDesignation.objects.create(
        district=district,
        name=name,
        description=description,
        activities=_activities_ordered(activities),
    )
    audit_record(
        district=district,
        actor=actor,
        action="designation_added",
        summary=f"{actor} added the designation “{name}”, carried by "
        f"{_activities_text(designation.activities)}.",
    )
    ledger_recredit(district=district)
    return designation


@transaction.atomic
def designation_change(
    *,
    designation: CreditDesignation,
    actor: Person,
    name: str,
    description: str,
    activities: list[str],
) -> bool:
    """Rename a designation, reword it or change the activities that carry it; whether
    anything changed."""
    activities = _activities_ordered(activities)
    before = (designation.name, designation.description, designation.activities)
    if before == (name, description, activities):
        return False
    _designation_name_free(designation.district, name, but=designation.pk)
    changes = []
    if name != designation.name:
        changes.append(f"renamed it “{name}”")
    if description != designation.description:
        changes.append("changed its description")
    if activities != designation.activities:
        changes.append(
            f"changed its activities from {_activities_text(designation.activities)} to "
            f"{_activities_text(activities)}"
        )
    old_name = designation.name
    designation.name, designation.description = name, description
    designation.activities = activities
    designation.save(update_fields=["name", "description", "activities"])
    audit_record(
        district=designation.district,
        actor=actor,
        action="designation_changed",
        summary=f"{actor} changed the designation “{old_name}”: {'; '.join(changes)}.",
    )
    ledger_recredit(district=designation.district)
    return True


@transaction.atomic
def designation_remove(*, designation: CreditDesignation, actor: Person) -> None:
    """Remove a designation the state no longer requires."""
    audit_record(
        district=designation.district,
        actor=actor,
        action="designation_removed",
        summary=f"{actor} removed the designation “{designation.name}” "
        f"({_activities_text(designation.activities)}).",
    )
    designation.delete()
    ledger_recredit(district=designation.district)
