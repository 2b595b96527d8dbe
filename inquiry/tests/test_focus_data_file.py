"""A coach attaches student performance data to the focus: only the kinds the page names are
taken, the file is only ever a download, and only the cycle's participants can get it."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inquiry.tests.factories import make_round

pytestmark = pytest.mark.django_db

FOCUS = {
    "problem_of_practice": "How do students explain their reasoning?",
    "theory_of_action": "If students explain to a partner first, then more of them write it.",
}
KINDS = "this page takes: CSV, Excel (.xlsx), PDF, PNG or JPEG"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"


def xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def files_in(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def cycle(personas, client):
    cycle, _ = make_round(personas)
    client.force_login(personas.coach)
    return cycle


def attach(client, cycle, name: str, content: bytes, **extra):
    upload = SimpleUploadedFile(name, content)
    return client.post(f"/cycles/{cycle.pk}/focus/", {**FOCUS, "data_file": upload, **extra})


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("benchmark.csv", b"student,score\nA,3\n"),
        ("benchmark.xlsx", xlsx()),
        ("benchmark.pdf", PDF),
        ("anchor-chart.png", PNG),
        ("anchor-chart.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 16),
    ],
)
def test_the_kinds_the_page_asks_for_are_taken(client, cycle, name, content):
    assert attach(client, cycle, name, content).status_code == 302
    cycle.refresh_from_db()
    assert cycle.data_file.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scores.html", b"<script>alert(document.cookie)</script>", KINDS),
        ("chart.svg", b"<svg onload='alert(1)'/>", KINDS),
        ("chart.png", b"<html><script>alert(1)</script></html>", "what it holds is not PNG"),
        ("scores.csv", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "is not CSV"),
        ("scores.xlsx", b"PK\x03\x04 not really a workbook", "is not Excel (.xlsx)"),
        ("scores.pdf", PNG, "what it holds is not PDF"),
    ],
)
def test_other_kinds_are_refused_with_a_reason_and_nothing_is_kept(
    client, cycle, settings, name, content, message
):
    response = attach(client, cycle, name, content)
    assert response.status_code == 400
    page = response.content.decode()
    assert name in page and message in page
    cycle.refresh_from_db()
    assert not cycle.data_file
    assert files_in(settings) == []


def test_the_data_file_downloads_as_an_attachment_for_the_cycles_participants(
    client, cycle, personas
):
    attach(client, cycle, "benchmark.csv", b"student,score\nA,3\n")
    page = client.get(f"/cycles/{cycle.pk}/focus/").content.decode()
    assert f'href="/cycles/{cycle.pk}/focus/data-file"' in page and "/media/" not in page
    client.force_login(personas.teacher)  # the host
    response = client.get(f"/cycles/{cycle.pk}/focus/data-file")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"student,score\nA,3\n"
    assert response["Content-Disposition"] == 'attachment; filename="benchmark.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    client.force_login(personas.principal)  # not in the cycle
    assert client.get(f"/cycles/{cycle.pk}/focus/data-file").status_code == 404


def test_a_file_uploaded_before_the_checks_still_only_downloads(client, cycle, personas):
    cycle.data_file = SimpleUploadedFile("old.html", b"<script>alert(1)</script>")
    cycle.save()
    response = client.get(f"/cycles/{cycle.pk}/focus/data-file")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_replaced_or_removed_file_is_deleted(
    client, cycle, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attach(client, cycle, "first.csv", b"a,b\n")
    with django_capture_on_commit_callbacks(execute=True):
        attach(client, cycle, "second.csv", b"c,d\n")
    assert [p.name for p in files_in(settings)] == ["second.csv"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cycles/{cycle.pk}/focus/", {**FOCUS, "remove_data_file": "on"})
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert not cycle.data_file and files_in(settings) == []
    assert client.get(f"/cycles/{cycle.pk}/focus/data-file").status_code == 404
