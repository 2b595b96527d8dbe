"""The coach imports a schedule on the web: upload, watch it read, review, apply."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from schools.models import ImportStatus, Meeting, ScheduleImport
from schools.tests.factories import HEADER_ROW

# The task worker takes its own transactions, as it does in production: no test-wide one.
pytestmark = pytest.mark.django_db(transaction=True)

SCHEDULE_BYTES = (
    HEADER_ROW + "T1,Ana Ortiz,Mon,1,7A,Math 7,math,7,101\nT2,Ben Lee,Mon,2,8A,,,,\n"
).encode()


def upload(
    client, personas, *, name="week.csv", content=SCHEDULE_BYTES, kind="schedule_csv", **extra
):
    client.force_login(personas.coach)
    return client.post(
        "/schools/lincoln/imports/new/",
        {"kind": kind, "file": SimpleUploadedFile(name, content), **extra},
    )


def test_upload_preview_then_apply(client, personas, run_tasks):
    response = upload(client, personas)
    job = ScheduleImport.objects.get()
    assert response["Location"] == f"/schools/lincoln/imports/{job.pk}/"
    assert "Waiting to be read" in client.get(response["Location"]).content.decode()

    run_tasks()
    page = client.get(response["Location"]).content.decode()
    assert "Ready to review" in page
    assert "Apply this schedule" in page
    before = Meeting.objects.count()
    # The two-line file replaces most of the stored schedule: the coach must confirm it.
    assert 'id="removes-much"' in page

    client.post(f"/schools/lincoln/imports/{job.pk}/apply/", {"confirm_removals": "on"})
    run_tasks()
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED
    assert Meeting.objects.count() == 2  # the file replaces the small schedule
    assert before != 2
    assert "See the master schedule" in client.get(response["Location"]).content.decode()


def test_while_it_works_htmx_gets_only_the_progress_fragment(client, personas, run_tasks):
    upload(client, personas)
    job = ScheduleImport.objects.get()
    fragment = client.get(f"/schools/lincoln/imports/{job.pk}/", headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert html.lstrip().startswith('<section id="import-status"')
    assert 'hx-trigger="every 1s"' in html
    assert "<progress" in html


def test_a_bad_file_fails_with_its_problems_and_changes_nothing(client, personas, run_tasks):
    before = Meeting.objects.count()
    upload(client, personas, content=b"teacher_id,day,section\nT1,Mon,7A\n")
    run_tasks()
    job = ScheduleImport.objects.get()
    assert job.status == ImportStatus.FAILED
    page = client.get(f"/schools/lincoln/imports/{job.pk}/").content.decode()
    assert "week.csv, line 1, column period: missing required column “period”" in page
    assert "Nothing was changed" in page
    # Reading the same file again would only say the same: the page asks for a fixed file.
    assert "Upload again" in page and "Try again" not in page
    assert Meeting.objects.count() == before


def test_a_zip_that_points_outside_itself_is_refused(client, personas, run_tasks):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../x", "boom")
        archive.writestr("manifest.csv", "propertyName,value\n")
    upload(client, personas, name="export.zip", content=buffer.getvalue(), kind="oneroster")
    run_tasks()
    job = ScheduleImport.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "points outside the archive" in job.problems[0]["text"]


def test_a_file_over_the_limit_is_refused_before_it_is_read(client, personas, settings, run_tasks):
    settings.OPENDOORS_MAX_IMPORT_BYTES = 20 * 1024 * 1024
    big = HEADER_ROW.encode() + b"x" * (50 * 1024 * 1024)
    response = upload(client, personas, content=big)
    assert response.status_code == 400
    assert "week.csv is 50 MB; the limit is 20 MB" in response.content.decode()
    assert not ScheduleImport.objects.exists()


def test_the_kind_and_the_file_must_agree(client, personas, run_tasks):
    response = upload(client, personas, name="week.xlsx")
    assert response.status_code == 400
    assert "week.xlsx is not a .csv file" in response.content.decode()


def test_an_empty_upload_is_refused(client, personas, run_tasks):
    response = upload(client, personas, content=b"")
    assert response.status_code == 400
    assert not ScheduleImport.objects.exists()


def test_applying_twice_applies_once(client, personas, run_tasks):
    upload(client, personas)
    run_tasks()
    job = ScheduleImport.objects.get()
    client.post(f"/schools/lincoln/imports/{job.pk}/apply/", {"confirm_removals": "on"})
    client.post(f"/schools/lincoln/imports/{job.pk}/apply/", {"confirm_removals": "on"})
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="import_apply").count() == 1
