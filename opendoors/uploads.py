"""Uploaded files: only the kinds a page asks for go in, and they only come out as downloads.

A file is accepted when its extension is one of the page's and its first bytes agree (a
`.png` that is really HTML is refused). Files are never served from MEDIA_URL: a view that
checks who may read them answers with `attachment`, a fixed content type and `nosniff`, so
an uploaded page or SVG can never run in the site's origin.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import FileResponse

SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str


KINDS = {
    ".csv": Kind("CSV", "text/csv; charset=utf-8"),
    ".xlsx": Kind(
        "Excel (.xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    ".pdf": Kind("PDF", "application/pdf"),
    ".png": Kind("PNG", "image/png"),
    ".jpg": Kind("JPEG", "image/jpeg"),
    ".jpeg": Kind("JPEG", "image/jpeg"),
    ".webp": Kind("WebP", "image/webp"),
    ".txt": Kind("plain text (.txt)", "text/plain; charset=utf-8"),
    ".docx": Kind(
        "Word (.docx)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    ".pptx": Kind(
        "PowerPoint (.pptx)",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}
# Office files are ZIP archives: the folder inside says which program's file it is.
OFFICE_FOLDERS = {".xlsx": "xl/", ".docx": "word/", ".pptx": "ppt/"}
MAGIC = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower()


def kinds_described(extensions: tuple[str, ...]) -> str:
    labels = list(dict.fromkeys(KINDS[ext].label for ext in extensions))
    return ", ".join(labels[:-1]) + " or " + labels[-1] if len(labels) > 1 else labels[0]


def _looks_like(extension: str, upload: File) -> bool:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if extension in MAGIC:
        return head.startswith(MAGIC[extension])
    if extension == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if extension in OFFICE_FOLDERS:
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return False
        finally:
            upload.seek(0)
        folder = OFFICE_FOLDERS[extension]
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
    if extension in {".csv", ".txt"}:
        # Text, not a binary file or markup renamed to .csv or .txt.
        return b"\x00" not in head and not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    return False


def upload_check(upload: File, *, extensions: tuple[str, ...], max_bytes: int) -> None:
    """Refuse, with a message the person can act on, a file the page does not take."""
    name = PurePath(upload.name or "").name
    wanted = kinds_described(extensions)
    extension = extension_of(name)
    if extension not in extensions:
        raise ValidationError(f"{name} is not a kind of file this page takes: {wanted}.")
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            f"{name} is over {max_bytes // (1024 * 1024)} MB; attach a smaller file."
        )
    if not _looks_like(extension, upload):
        label = KINDS[extension].label
        raise ValidationError(
            f"{name} is named {extension}, but what it holds is not {label}. Save or export "
            f"it again as {label} and attach it."
        )


def attachment(file: File, *, filename: str | None = None) -> FileResponse:
    """The file as a download, whatever it holds: never rendered by the browser."""
    name = PurePath(filename or file.name or "").name
    kind = KINDS.get(extension_of(name))
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Opened by mistake as a page anyway, it could run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
