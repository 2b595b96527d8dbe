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
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from opendoors.tasks import enqueue
from rosters.oneroster import read_oneroster
from rosters.schedule_csv import read_schedule_csv
from rosters.schedule_data import Problem, ScheduleData, ScheduleFileError, TeacherRecord

from .models import (
    Day,
    District,
    ImportKind,
    ImportStatus,
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
from .schedule_diff import SchedulePreview, schedule_compare
from .selectors import term_current

logger = logging.getLogger(__name__)


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
    return schedule_compare(school=school, term=term, data=data)


def schedule_refusal(*, preview: SchedulePreview, allow_removals: bool) -> str:
    """Why this import must not be applied as it is, or "" when it may."""
    if preview.blocking_visits:
        return preview.blocking_reason()
    if preview.removes_much and not allow_removals:
        return preview.removal_reason()
    return ""


@transaction.atomic
def schedule_import(
    *, slug: str, data: ScheduleData, allow_removals: bool = False
) -> tuple[School, SchedulePreview]:
    """Apply a schedule to the school with this slug, creating the school in the same
    transaction: a refused or failed import leaves no empty school behind."""
    school = school_get_or_create(slug=slug)
    return school, schedule_apply(school=school, data=data, allow_removals=allow_removals)


@transaction.atomic
def schedule_apply(
    *, school: School, data: ScheduleData, allow_removals: bool = False
) -> SchedulePreview:
    """Make the school's current term hold exactly this schedule. Applying it twice changes
    nothing. People are never deleted: a teacher missing from the file loses their meetings.

    Raises ScheduleRefused, changing nothing, when visits use what the file removes or when
    it removes more than REMOVAL_SHARE of the schedule and `allow_removals` is not given."""
    term = term_current(school)
    preview = schedule_compare(school=school, term=term, data=data)
    refusal = schedule_refusal(preview=preview, allow_removals=allow_removals)
    if refusal:
        raise ScheduleRefused(refusal)
    if term is None:
        term = Term.objects.create(school=school, name=data.term_name or "Current term")
    elif data.term_name and term.name != data.term_name:
        term.name = data.term_name
        term.save(update_fields=["name"])
    slots = _slots_sync(term, data)
    teachers = _teachers_sync(school, data)
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


def _teachers_sync(school: School, data: ScheduleData) -> dict[str, Person]:
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
        elif (section.subject, section.grade) != (record.subject, record.grade):
            changed.append(section)
        section.subject, section.grade = record.subject, record.grade
    Section.objects.bulk_create(new)
    Section.objects.bulk_update(changed, ["subject", "grade"])
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


def import_apply_start(*, schedule_import: ScheduleImport, removals_confirmed: bool) -> str:
    """Queue a previewed import to be applied; the reason it cannot be, or ""."""
    preview = SchedulePreview.from_dict(schedule_import.preview)
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


def _fail(pk: int, attempt: int, problems: list[Problem]) -> None:
    _save(
        pk,
        attempt,
        status=ImportStatus.FAILED,
        problems=[p.as_dict() for p in problems],
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
        _fail(import_id, attempt, error.problems)
        return
    except Exception as error:  # any failure must reach the page
        _unexpected(schedule_import, attempt, error)
        return
    _save(import_id, attempt, status=ImportStatus.PREVIEW, preview=preview.as_dict(), progress=100)


def import_apply_attempt(*, import_id: int, attempt: int) -> None:
    """Apply an import the coach confirmed (`import_apply_start`), or fail it with the
    reason. Does nothing when this attempt is no longer the current one."""
    schedule_import = ScheduleImport.objects.select_related("school").get(pk=import_id)
    if schedule_import.attempt != attempt or schedule_import.status != ImportStatus.APPLYING:
        return
    _save(import_id, attempt, progress=0)
    try:
        data = import_file_read(schedule_import, _progress_saver(import_id, attempt, 0, 50))
        with transaction.atomic():
            # Lock the row: a retry cannot start while this attempt writes the schedule.
            if not _current(import_id, attempt).select_for_update().exists():
                return
            applied = schedule_apply(
                school=schedule_import.school,
                data=data,
                allow_removals=schedule_import.removals_confirmed,
            )
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
