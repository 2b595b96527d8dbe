"""Artifacts: a teacher uploads a photo or a file, from a phone or a laptop, and attaches it to
their own work. What is not what it says, too big or an image bomb is refused with a message
and leaves nothing behind; photos lose their location; files come out only as downloads, to
those allowed."""

import io
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import ExifTags, Image

from growth.artifacts import MAX_BYTES, artifact_upload
from growth.models import Artifact
from growth.services import goal_set
from inquiry.models import PreBrief
from inquiry.tests.factories import make_round
from opendoors import access

pytestmark = pytest.mark.django_db

GPS = ExifTags.IFD.GPSInfo


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def photo_with_location(*, width=40, height=30, orientation=6) -> bytes:
    """A JPEG as a phone takes it: camera make, GPS position, taken sideways."""
    image = Image.new("RGB", (width, height), "tomato")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = orientation
    exif[GPS] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (40.0, 26.0, 46.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (79.0, 58.0, 56.0),
    }
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A few dozen bytes that claim to be a huge picture: an image bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def office_file(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<doc/>")
    return buffer.getvalue()


def upload(client, person, name: str, content: bytes, **fields):
    client.force_login(person)
    return client.post(
        "/artifacts/new/",
        {"file": SimpleUploadedFile(name, content), "title": "", "caption": "", **fields},
    )


@pytest.fixture
def goal(personas):
    cycle, visit = make_round(personas)
    return goal_set(
        person=personas.teacher,
        cycle=cycle,
        visit=visit,
        text="Students explain to a partner before writing",
        try_by=visit.date,
    )


def test_a_teacher_attaches_a_phone_photo_to_a_goal_and_its_location_is_gone(
    client, personas, goal
):
    original = photo_with_location()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS)  # the phone wrote it

    client.force_login(personas.teacher)
    page = client.get(f"/artifacts/new/?goal={goal.pk}").content.decode()
    assert "Remove students’ names" in page and 'capture="environment"' in page
    response = client.post(
        "/artifacts/new/",
        {
            "photo": SimpleUploadedFile("IMG_0042.jpg", original),
            "title": "Anchor chart",
            "caption": "",
            "attach_to": f"goal:{goal.pk}",
        },
    )
    assert response.status_code == 302
    artifact = Artifact.objects.get()
    assert (artifact.owner, artifact.goal, artifact.title) == (
        personas.teacher,
        goal,
        "Anchor chart",
    )

    with artifact.file.open("rb") as kept:
        cleaned = Image.open(io.BytesIO(kept.read()))
    assert not cleaned.getexif(), "no EXIF at all: no GPS, no camera make"
    assert "exif" not in cleaned.info
    # Taken sideways (orientation 6): stored upright, so width and height swapped.
    assert cleaned.size == (30, 40)
    assert artifact.size == artifact.file.size and artifact.content_type == "image/jpeg"


def test_the_owner_downloads_it_as_an_attachment_that_never_runs_in_the_page(client, personas):
    artifact = artifact_upload(
        owner=personas.teacher,
        upload=SimpleUploadedFile("plan.txt", b"Plan: <script>alert(1)</script> is text here"),
        title="Lesson plan",
    )
    client.force_login(personas.teacher)
    response = client.get(f"/artifacts/{artifact.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="plan.txt"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"Plan: <script>")


def test_only_the_owner_and_those_who_read_the_pre_brief_download_an_artifact(client, personas):
    cycle, _ = make_round(personas)
    pre_brief = PreBrief.objects.create(cycle=cycle, host=personas.teacher, focus="Turn and talk")
    own = artifact_upload(
        owner=personas.teacher, upload=SimpleUploadedFile("a.txt", b"mine"), title="Mine"
    )
    from growth.artifacts import Attachment

    briefed = artifact_upload(
        owner=personas.teacher,
        upload=SimpleUploadedFile("b.txt", b"for observers"),
        title="Seating chart",
        attachment=Attachment(pre_brief=pre_brief),
    )

    def status(person, artifact) -> int:
        client.force_login(person)
        return client.get(f"/artifacts/{artifact.pk}/").status_code

    assert status(personas.teacher, own) == 200
    for person in (personas.colleague, personas.coach, personas.principal, personas.outsider):
        assert status(person, own) == 404
    # The pre-brief's readers: everyone in the cycle, the facilitator too; a principal by role,
    # no.
    for person in (personas.colleague, personas.vice, personas.coach):
        assert status(person, briefed) == 200
    for person in (personas.principal, personas.bystander, personas.district_leader):
        assert status(person, briefed) == 404


def test_observers_find_the_host_s_attached_plan_on_the_visit_page(client, personas):
    from growth.artifacts import Attachment

    cycle, visit = make_round(personas)
    pre_brief = PreBrief.objects.create(cycle=cycle, host=personas.teacher, focus="Turn and talk")
    client.force_login(personas.teacher)
    page = client.get(f"/cycles/{cycle.pk}/pre-briefs/{personas.teacher.pk}/").text
    assert f'href="/artifacts/new/?pre_brief={pre_brief.pk}"' in page
    plan = artifact_upload(
        owner=personas.teacher,
        upload=SimpleUploadedFile("plan.txt", b"Warm-up, task, exit ticket"),
        title="Lesson plan",
        attachment=Attachment(pre_brief=pre_brief),
    )
    client.force_login(personas.colleague)  # an observer
    page = client.get(f"/visits/{visit.pk}/").text
    assert f'href="/artifacts/{plan.pk}/"' in page and "Lesson plan" in page


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("chart.png", b"<html><script>alert(1)</script></html>", "is named .png, but"),
        ("chart.jpg", b"%PDF-1.7 a PDF renamed", "is named .jpg, but"),
        ("slides.pptx", b"PK\x03\x04 not really a zip", "is named .pptx, but"),
        ("plan.docx", office_file("xl/"), "is named .docx, but"),  # a spreadsheet renamed
        ("notes.txt", b"\x00\x01binary", "is named .txt, but"),
        ("page.html", b"<html></html>", "not a kind of file this page takes"),
        ("drawing.svg", b"<svg/>", "not a kind of file this page takes"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_kept(
    client, personas, name, content, said
):
    response = upload(client, personas.teacher, name, content)
    assert response.status_code == 400
    assert said in response.content.decode()
    assert not Artifact.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize("size", [(50_000, 50_000), (9_000, 9_000)])
def test_an_image_bomb_is_refused_with_a_message(client, personas, size):
    response = upload(client, personas.teacher, "chart.png", png_declaring(*size))
    assert response.status_code == 400
    assert "more than 60 million pixels" in response.content.decode()
    assert not Artifact.objects.exists() and stored_files() == []


def test_a_damaged_picture_is_refused_with_a_message(client, personas):
    cut = photo_with_location()[:200]
    response = upload(client, personas.teacher, "chart.jpg", cut)
    assert response.status_code == 400
    assert "could not be read as a picture" in response.content.decode()
    assert stored_files() == []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("unit.pdf", b"%PDF-1.7\n...", "application/pdf"),
        ("plan.docx", office_file("word/"), "wordprocessingml"),
        ("slides.pptx", office_file("ppt/"), "presentationml"),
        ("data.xlsx", office_file("xl/"), "spreadsheetml"),
        ("notes.txt", "Élèves: « je pense que… »".encode(), "text/plain"),
    ],
)
def test_documents_are_kept_as_they_are(client, personas, name, content, content_type):
    assert upload(client, personas.teacher, name, content).status_code == 302
    artifact = Artifact.objects.get()
    assert content_type in artifact.content_type and artifact.title == name.rsplit(".")[0]
    with artifact.file.open("rb") as kept:
        assert kept.read() == content


def test_png_and_webp_are_re_encoded_without_their_metadata(client, personas):
    for extension, image_format in ((".png", "PNG"), (".webp", "WEBP")):
        buffer = io.BytesIO()
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "PhoneMaker"
        Image.new("RGBA", (20, 10), "teal").save(buffer, format=image_format, exif=exif)
        assert upload(client, personas.teacher, f"chart{extension}", buffer.getvalue()).status_code
        artifact = Artifact.objects.get(original_name=f"chart{extension}")
        with artifact.file.open("rb") as kept:
            cleaned = Image.open(io.BytesIO(kept.read()))
        assert cleaned.format == image_format and not cleaned.getexif()


class HundredMegabytes:
    """A multipart body holding a 100 MB file, made only as the server reads it."""

    BOUNDARY = "artifact-boundary"
    SIZE = 100 * 1024 * 1024
    LINES = (b"0" * 63 + b"\n") * (1024 + 1)

    def __init__(self) -> None:
        self.head = (
            f"--{self.BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="file"; filename="whole-unit.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n%PDF-"
        ).encode()
        self.tail = f"\r\n--{self.BOUNDARY}--\r\n".encode()
        self.length = len(self.head) + self.SIZE + len(self.tail)
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            size = self.length - self.position
        out = bytearray()
        while size > 0 and self.position < self.length:
            at = self.position
            body_end = len(self.head) + self.SIZE
            if at < len(self.head):
                piece = self.head[at : at + size]
            elif at < body_end:
                # Bytes of a real file: a line break now and then, as in any PDF or photo.
                start = (at - len(self.head)) % 64
                piece = self.LINES[start : start + min(size, body_end - at, 64 * 1024)]
            else:
                piece = self.tail[at - body_end : at - body_end + size]
            out += piece
            self.position += len(piece)
            size -= len(piece)
        return bytes(out)

    def readline(self, size: int = -1) -> bytes:
        piece = self.read(size if size >= 0 else 64 * 1024)
        end = piece.find(b"\n") + 1 or len(piece)
        self.position -= len(piece) - end
        return piece[:end]


def test_a_100_mb_upload_is_refused_without_ever_being_held_whole(client, personas):
    client.force_login(personas.teacher)
    body = HundredMegabytes()
    tracemalloc.start()
    try:
        response = client.generic(
            "POST",
            "/artifacts/new/",
            CONTENT_TYPE=f"multipart/form-data; boundary={body.BOUNDARY}",
            CONTENT_LENGTH=str(body.length),
            **{"wsgi.input": body},
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    assert f"is over {MAX_BYTES // (1024 * 1024)} MB" in response.content.decode()
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1024 / 1024:.0f} MB"
    assert not Artifact.objects.exists() and stored_files() == []


def test_a_file_found_too_big_while_it_is_read_is_refused_by_name(client, personas):
    too_big = b"%PDF-" + b"0" * MAX_BYTES
    response = upload(client, personas.teacher, "unit.pdf", too_big)
    assert response.status_code == 400
    assert "unit.pdf is over 15 MB" in response.content.decode()
    assert not Artifact.objects.exists() and stored_files() == []


def test_a_photo_or_a_file_is_needed_and_only_one(client, personas):
    client.force_login(personas.teacher)
    response = client.post("/artifacts/new/", {"title": "Nothing"})
    assert response.status_code == 400
    assert "Take a photo or choose a file" in response.content.decode()
    response = client.post(
        "/artifacts/new/",
        {
            "photo": SimpleUploadedFile("a.jpg", photo_with_location()),
            "file": SimpleUploadedFile("b.txt", b"text"),
        },
    )
    assert "one file at a time" in response.content.decode()
    assert stored_files() == []


def test_an_artifact_is_attached_only_to_the_owner_s_own_work(client, personas, goal):
    response = upload(client, personas.colleague, "a.txt", b"text", attach_to=f"goal:{goal.pk}")
    assert response.status_code == 400
    assert not Artifact.objects.exists() and stored_files() == []


def test_the_owner_deletes_an_artifact_and_its_file_goes_with_it(
    client, personas, django_capture_on_commit_callbacks
):
    artifact = artifact_upload(
        owner=personas.teacher, upload=SimpleUploadedFile("a.txt", b"text"), title="A"
    )
    assert len(stored_files()) == 1
    client.force_login(personas.colleague)
    assert client.post(f"/artifacts/{artifact.pk}/delete/").status_code == 404
    client.force_login(personas.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/artifacts/{artifact.pk}/delete/").status_code == 302
    assert not Artifact.objects.exists() and stored_files() == []


def test_a_file_gone_from_storage_is_a_404_not_a_server_error(client, personas):
    artifact = artifact_upload(
        owner=personas.teacher, upload=SimpleUploadedFile("a.txt", b"text"), title="A"
    )
    artifact.file.storage.delete(artifact.file.name)
    client.force_login(personas.teacher)
    assert client.get(f"/artifacts/{artifact.pk}/").status_code == 404


def test_nobody_signed_out_downloads_an_artifact_without_a_share(personas):
    from django.contrib.auth.models import AnonymousUser

    artifact = artifact_upload(
        owner=personas.teacher, upload=SimpleUploadedFile("a.txt", b"text"), title="A"
    )
    with pytest.raises(Http404):
        access.artifact_for_download(AnonymousUser(), artifact.pk)


def test_erasing_a_person_deletes_their_artifacts_and_files(
    personas, django_capture_on_commit_callbacks
):
    from growth.models import PortfolioShare
    from growth.portfolio import portfolio_share_create
    from schools.retention import person_erase

    artifact_upload(owner=personas.teacher, upload=SimpleUploadedFile("a.txt", b"t"), title="A")
    portfolio_share_create(owner=personas.teacher, sections=["goals"], days=3)
    portfolio_share_create(owner=personas.colleague, sections=["goals"], colleague=personas.teacher)
    personas.teacher.is_active = False
    personas.teacher.save()
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(
            school=personas.school, person=personas.teacher, actor=personas.district_leader
        )
    assert not Artifact.objects.exists() and stored_files() == []
    assert not PortfolioShare.objects.exists()


def test_my_data_holds_my_artifacts_and_their_files_and_no_one_else_s(client, personas):
    import csv

    artifact = artifact_upload(
        owner=personas.teacher, upload=SimpleUploadedFile("plan.txt", b"My plan"), title="Plan"
    )

    def archive(person) -> zipfile.ZipFile:
        client.force_login(person)
        response = client.get("/account/data/download/")
        return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    mine = archive(personas.teacher)
    name = f"uploads/artifacts/{artifact.pk}-plan.txt"
    assert mine.read(name) == b"My plan"
    rows = list(csv.DictReader(io.StringIO(mine.read("artifacts.csv").decode())))
    assert [(row["file"], row["title"]) for row in rows] == [(name, "Plan")]
    assert not [n for n in archive(personas.colleague).namelist() if "artifacts/" in n]


def test_a_district_keeps_files_on_s3_compatible_storage_when_it_says_so():
    """OPENDOORS_S3_BUCKET switches the default storage (which every FileField uses) to
    django-storages' S3 backend; without it files stay in the local folder."""
    import os
    import subprocess
    import sys

    script = (
        "import django; django.setup();"
        "from django.core.files.storage import storages; s = storages['default'];"
        "print(type(s).__name__, getattr(s, 'bucket_name', ''), getattr(s, 'endpoint_url', ''),"
        " getattr(s, 'file_overwrite', ''))"
    )
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "opendoors.settings", "OPENDOORS_DEBUG": "true"}
    base.pop("OPENDOORS_S3_BUCKET", None)

    def storage(**env: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", script],
            env={**base, **env},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.strip()

    assert storage().startswith("FileSystemStorage")
    assert (
        storage(
            OPENDOORS_S3_BUCKET="district-artifacts",
            OPENDOORS_S3_ENDPOINT_URL="https://objects.example.org",
        )
        == "S3Storage district-artifacts https://objects.example.org False"
    )
