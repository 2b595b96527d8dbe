"""Artifacts: files that document a teacher's learning, checked, cleaned and kept in storage.

A file goes in only when its kind is one of ARTIFACT_EXTENSIONS and its first bytes agree
(opendoors/uploads.py), it is at most MAX_BYTES, and, for an image, Pillow can read it within
MAX_PIXELS. Images are re-encoded from their pixels alone, so nothing of the camera's metadata
(EXIF, GPS location, XMP, comments) is kept; a photo taken sideways is turned upright first.
Files go through Django's storage API (the FileField), so a district may keep them in
S3-compatible object storage. A refused upload leaves nothing behind: every check runs before
the file is written, and a file written for a row that then fails is deleted again.

`SizeLimitedUpload` is an upload handler that refuses a file past MAX_BYTES, so a 100 MB
upload is never held whole, in memory or in a temporary file.
"""

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from PIL import Image, ImageOps, UnidentifiedImageError

from inquiry.models import PreBrief
from opendoors.uploads import KINDS, extension_of, upload_check
from schools.models import Person

from .models import Artifact, FollowUp, Goal, LedgerEntry

MAX_BYTES = 15 * 1024 * 1024
# A 48-megapixel phone photo fits; a "small" file that would unpack into gigabytes does not.
MAX_PIXELS = 60_000_000
IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
ARTIFACT_EXTENSIONS = (*IMAGE_FORMATS, ".pdf", ".docx", ".pptx", ".xlsx", ".txt")
# What the file input offers on a phone (camera or photos) and on a laptop.
ACCEPT = ",".join([*ARTIFACT_EXTENSIONS, "image/jpeg", "image/png", "image/webp"])


class ArtifactRefused(ValidationError):
    """A file OpenDoors does not keep, with a message the teacher can act on."""


def too_big_message(name: str) -> str:
    return (
        f"{name} is over {MAX_BYTES // (1024 * 1024)} MB. Make it smaller (a photo at a lower "
        "resolution, a PDF exported “for the web”) and attach it again."
    )


class SizeLimitedUpload(FileUploadHandler):
    """Refuses a file over MAX_BYTES without ever holding it whole, in memory or on disk.

    A request body far over the limit (Content-Length) is read and thrown away in large
    chunks, unparsed; a file found over the limit while parsing stops being received (Django
    then discards the little that is left of the body). Either way `refused` names the file,
    and the view answers with a message. Put first in `request.upload_handlers`."""

    # Room for the form's other fields around the file.
    FORM_MARGIN = 1024 * 1024
    DISCARD_CHUNK = 1024 * 1024

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.received = 0
        self.refused: str | None = None

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length <= MAX_BYTES + self.FORM_MARGIN:
            return None
        while input_data.read(self.DISCARD_CHUNK):
            pass
        self.refused = "The file"
        return QueryDict(encoding=encoding), MultiValueDict()

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > MAX_BYTES:
            self.refused = PurePath(self.file_name or "The file").name
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _image_cleaned(upload: UploadedFile, extension: str) -> bytes:
    """The image's pixels alone, upright, re-encoded in its own format: no EXIF, no GPS."""
    name = PurePath(upload.name or "").name
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, past its own limit; both are a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise Image.DecompressionBombError
                image.load()
                upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ArtifactRefused(
            f"{name} says it is a picture of more than {MAX_PIXELS // 1_000_000} million "
            "pixels, more than any photo needs. Take or export a smaller one and attach it."
        ) from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ArtifactRefused(
            f"{name} could not be read as a picture: it may be damaged or cut short. Open it, "
            "save it again and attach it."
        ) from error
    image_format = IMAGE_FORMATS[extension]
    if image_format == "JPEG" and upright.mode not in {"RGB", "L"}:
        upright = upright.convert("RGB")
    # A fresh info dict: nothing read from the file is written back (exif, xmp, comments).
    upright.info = {}
    buffer = io.BytesIO()
    options = {"quality": 88} if image_format in {"JPEG", "WEBP"} else {"optimize": True}
    upright.save(buffer, format=image_format, **options)
    return buffer.getvalue()


@dataclass(frozen=True)
class Attachment:
    """What an artifact documents: at most one of the owner's goals, follow-ups, pre-briefs
    (as host) or ledger entries; all None is a loose artifact of the portfolio."""

    goal: Goal | None = None
    follow_up: FollowUp | None = None
    pre_brief: PreBrief | None = None
    ledger_entry: LedgerEntry | None = None


def goals_of(person: Person) -> QuerySet[Goal]:
    return Goal.objects.filter(person=person).select_related("cycle", "meeting__team")


def follow_ups_of(person: Person) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(goal__person=person).select_related("goal")


def pre_briefs_of(person: Person) -> QuerySet[PreBrief]:
    return PreBrief.objects.filter(host=person).select_related("cycle")


def ledger_entries_of(person: Person) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(person=person)


def attachment_is_owned_by(attachment: Attachment, owner: Person) -> bool:
    """At most one target, and it is the owner's own work."""
    goal, follow_up, pre_brief, entry = (
        attachment.goal,
        attachment.follow_up,
        attachment.pre_brief,
        attachment.ledger_entry,
    )
    if sum(target is not None for target in (goal, follow_up, pre_brief, entry)) > 1:
        return False
    return (
        (goal is None or goal.person_id == owner.pk)
        and (follow_up is None or follow_up.goal.person_id == owner.pk)
        and (pre_brief is None or pre_brief.host_id == owner.pk)
        and (entry is None or entry.person_id == owner.pk)
    )


def artifact_file_checked(upload: UploadedFile) -> tuple[bytes, str, str]:
    """(bytes to keep, file name, content type), or ArtifactRefused with the reason."""
    try:
        upload_check(upload, extensions=ARTIFACT_EXTENSIONS, max_bytes=MAX_BYTES)
    except ValidationError as error:
        raise ArtifactRefused(error.messages[0]) from error
    name = PurePath(upload.name or "file").name
    extension = extension_of(name)
    if extension in IMAGE_FORMATS:
        content = _image_cleaned(upload, extension)
    else:
        upload.seek(0)
        content = upload.read()
    return content, name, KINDS[extension].content_type


@transaction.atomic
def artifact_upload(
    *,
    owner: Person,
    upload: UploadedFile,
    title: str,
    caption: str = "",
    attachment: Attachment | None = None,
) -> Artifact:
    """Keep a checked, cleaned file as one of the owner's artifacts."""
    attachment = attachment or Attachment()
    content, name, content_type = artifact_file_checked(upload)
    if not attachment_is_owned_by(attachment, owner):
        raise ArtifactRefused(
            "Attach an artifact to one of your own goals, follow-ups, pre-briefs or ledger entries."
        )
    artifact = Artifact(
        owner=owner,
        original_name=name[:255],
        content_type=content_type,
        size=len(content),
        title=title or PurePath(name).stem[:200],
        caption=caption,
        goal=attachment.goal,
        follow_up=attachment.follow_up,
        pre_brief=attachment.pre_brief,
        ledger_entry=attachment.ledger_entry,
    )
    artifact.file.save(name, ContentFile(content), save=False)
    try:
        artifact.save()
    except BaseException:
        artifact.file.delete(save=False)
        raise
    return artifact


@transaction.atomic
def artifact_delete(*, artifact: Artifact) -> None:
    """The row at once; the file once the row is gone for good."""
    storage, name = artifact.file.storage, artifact.file.name
    artifact.delete()
    transaction.on_commit(lambda: storage.delete(name))


def artifacts_of_person_delete(person: Person) -> int:
    """Erasure: every artifact of the person, rows now and files once committed."""
    artifacts = list(Artifact.objects.filter(owner=person).only("pk", "file"))
    for artifact in artifacts:
        artifact_delete(artifact=artifact)
    return len(artifacts)
