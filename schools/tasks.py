"""Background work on schedule imports, run by `opendoors db_worker`.

Every outcome leaves the import in a state the coach can act on: a preview, applied, or
failed with the reasons. A worker that dies leaves the row unchanged; the page shows it as
stalled after `JOB_STALLS_AFTER` and offers to try again. Each task carries the attempt it
was queued for and writes only while that attempt is the import's current one.
"""

import logging
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .importers.oneroster import read_oneroster
from .importers.schedule_csv import read_schedule_csv
from .importers.schedule_data import Problem, ScheduleData, ScheduleFileError
from .models import ImportKind, ImportStatus, ScheduleImport
from .services import ScheduleRefused, schedule_apply, schedule_preview

logger = logging.getLogger(__name__)


def import_file_read(schedule_import: ScheduleImport, on_progress) -> ScheduleData:
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


def _current(pk: int, attempt: int):
    """The import's row while this attempt is still the one that counts."""
    return ScheduleImport.objects.filter(pk=pk, attempt=attempt)


def _save(pk: int, attempt: int, **fields) -> int:
    return _current(pk, attempt).update(updated_at=timezone.now(), **fields)


def _progress_saver(pk: int, attempt: int, start: int, end: int):
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


@task()
def import_read(import_id: int, attempt: int = 0) -> None:
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


@task()
def import_apply(import_id: int, attempt: int = 0) -> None:
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
