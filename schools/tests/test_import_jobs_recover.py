"""An import whose worker died, or that failed, is never left hanging: the coach sees why and
can try again, and trying again finishes the job."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from schools.models import ImportKind, ImportStatus, Meeting, ScheduleImport
from schools.schedule_diff import schedule_compare
from schools.selectors import term_current
from schools.tests.factories import HEADER_ROW, SMALL_SCHEDULE

pytestmark = pytest.mark.django_db(transaction=True)

# Lincoln's schedule with one more lesson: applying it removes nothing.
ONE_MORE_LESSON = SMALL_SCHEDULE + "colleague,Ben Lee,Tue,1,SCI8-2,Science 8,science,8,202\n"


def killed_job(personas, *, status: str, progress: int, text: str = ONE_MORE_LESSON):
    """The row as a worker killed mid-job leaves it: working, frozen, not touched for an hour."""
    job = ScheduleImport.objects.create(
        school=personas.school,
        uploaded_by=personas.coach,
        kind=ImportKind.SCHEDULE_CSV,
        file=ContentFile(text.encode(), name="week.csv"),
        original_name="week.csv",
        status=status,
        progress=progress,
    )
    if status == ImportStatus.APPLYING:
        from rosters.schedule_csv import read_schedule_csv

        data = read_schedule_csv(text.encode(), "week.csv")
        preview = schedule_compare(
            school=personas.school, term=term_current(personas.school), data=data
        )
        job.preview = preview.as_dict()
    job.updated_at = timezone.now() - timedelta(hours=1)
    job.save()
    return job


def page_of(client, personas, job) -> str:
    client.force_login(personas.coach)
    return client.get(f"/schools/lincoln/imports/{job.pk}/").content.decode()


def test_an_import_killed_while_reading_is_marked_stalled_and_retry_reads_it(
    client, personas, run_tasks
):
    job = killed_job(personas, status=ImportStatus.READING, progress=0)

    page = page_of(client, personas, job)
    assert "Stalled" in page
    assert "Try again" in page
    assert 'hx-trigger="every 1s"' not in page  # the page stops waiting for nothing

    client.post(f"/schools/lincoln/imports/{job.pk}/retry/")
    run_tasks()

    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW
    assert "Apply this schedule" in page_of(client, personas, job)


def test_an_import_killed_while_applying_is_applied_again_on_retry(client, personas, run_tasks):
    job = killed_job(personas, status=ImportStatus.APPLYING, progress=50)
    assert "Stalled" in page_of(client, personas, job)

    client.post(f"/schools/lincoln/imports/{job.pk}/retry/")
    run_tasks()

    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED
    assert Meeting.objects.filter(section__term__school=personas.school).count() == 8


def test_a_job_that_is_merely_working_is_not_stalled(client, personas):
    job = killed_job(personas, status=ImportStatus.READING, progress=40)
    job.updated_at = timezone.now()
    job.save()

    page = page_of(client, personas, job)
    assert "Stalled" not in page and "Try again" not in page
    client.post(f"/schools/lincoln/imports/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.attempt == 0  # nothing was queued twice


def test_a_worker_given_up_on_cannot_overwrite_the_retry(personas, run_tasks):
    from schools.tasks import import_read

    job = killed_job(personas, status=ImportStatus.QUEUED, progress=0)
    from schools.services import import_retry

    assert import_retry(schedule_import=job)
    run_tasks()
    job.refresh_from_db()
    assert (job.status, job.attempt) == (ImportStatus.PREVIEW, 1)

    # The first worker wakes up late and runs its attempt 0: it changes nothing.
    ScheduleImport.objects.filter(pk=job.pk).update(preview={"stale": True})
    import_read.call(job.pk, 0)
    job.refresh_from_db()
    assert job.preview == {"stale": True}


def test_an_unexpected_error_fails_the_import_with_a_reason_and_retry(
    client, personas, run_tasks, monkeypatch
):
    from schools import services

    def broken(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(services, "schedule_preview", broken)
    client.force_login(personas.coach)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        "/schools/lincoln/imports/new/",
        {"kind": "schedule_csv", "file": SimpleUploadedFile("week.csv", ONE_MORE_LESSON.encode())},
    )
    run_tasks()
    job = ScheduleImport.objects.get()
    assert job.status == ImportStatus.FAILED
    page = page_of(client, personas, job)
    assert "unexpected error (MemoryError)" in page
    assert "Try again" in page

    monkeypatch.undo()
    client.post(f"/schools/lincoln/imports/{job.pk}/retry/")
    run_tasks()
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW


def test_a_bad_file_fails_with_its_problems_and_retry_reads_it_again(client, personas, run_tasks):
    job = killed_job(personas, status=ImportStatus.QUEUED, progress=0, text=HEADER_ROW)
    client.force_login(personas.coach)
    client.post(f"/schools/lincoln/imports/{job.pk}/retry/")
    run_tasks()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "the file has a header but no rows" in page_of(client, personas, job)
