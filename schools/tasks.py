"""Background work on schedule imports, run by `opendoors db_worker`."""

from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .importers.oneroster import read_oneroster
from .importers.schedule_csv import read_schedule_csv
from .importers.schedule_data import Problem, ScheduleData, ScheduleFileError
from .models import ImportKind, ImportStatus, ScheduleImport
from .services import schedule_apply, schedule_preview


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
    return read_schedule_csv(
        schedule_import.file.read(),
        schedule_import.original_name,
        bell=bell.read() if bell else None,
        bell_filename=Path(bell.name).name if bell else "bell.csv",
        on_progress=on_progress,
    )


def _progress_saver(pk: int, start: int, end: int):
    """Save progress as a share of [start, end] percent, only when the number moves."""
    last = [-1]

    def save(done: int, total: int) -> None:
        percent = start + (end - start) * done // max(total, 1)
        if percent != last[0]:
            last[0] = percent
            ScheduleImport.objects.filter(pk=pk).update(progress=percent)

    return save


def _fail(pk: int, problems: list[Problem]) -> None:
    ScheduleImport.objects.filter(pk=pk).update(
        status=ImportStatus.FAILED, problems=[p.as_dict() for p in problems], progress=100
    )


@task()
def import_read(import_id: int) -> None:
    schedule_import = ScheduleImport.objects.select_related("school").get(pk=import_id)
    ScheduleImport.objects.filter(pk=import_id).update(status=ImportStatus.READING)
    try:
        data = import_file_read(schedule_import, _progress_saver(import_id, 0, 90))
    except ScheduleFileError as error:
        _fail(import_id, error.problems)
        return
    preview = schedule_preview(school=schedule_import.school, data=data)
    ScheduleImport.objects.filter(pk=import_id).update(
        status=ImportStatus.PREVIEW, preview=preview.as_dict(), progress=100
    )


@task()
def import_apply(import_id: int) -> None:
    schedule_import = ScheduleImport.objects.select_related("school").get(pk=import_id)
    try:
        data = import_file_read(schedule_import, _progress_saver(import_id, 0, 50))
    except ScheduleFileError as error:
        _fail(import_id, error.problems)
        return
    with transaction.atomic():
        applied = schedule_apply(school=schedule_import.school, data=data)
        ScheduleImport.objects.filter(pk=import_id).update(
            status=ImportStatus.APPLIED,
            preview=applied.as_dict(),
            progress=100,
            applied_at=timezone.now(),
        )
