"""The files of a OneRoster export, from a folder or a ZIP, opened as streams that count
what they give: progress for the reader, and size limits against zip bombs."""

from __future__ import annotations

import contextlib
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import IO

from ..schedule_data import Problem, ScheduleFileError

MANIFEST = "manifest.csv"
READ_FILES = (
    "orgs.csv",
    "users.csv",
    "roles.csv",
    "courses.csv",
    "classes.csv",
    "enrollments.csv",
    "academicSessions.csv",
)

# An archive may unpack to this much in all, and each file in it to MAX_MEMBER_BYTES.
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
MAX_MEMBER_BYTES = 100 * 1024 * 1024
# Real CSV exports pack 3 to 20 times smaller; a file packed more than this many times over
# (and bigger than RATIO_FROM_BYTES unpacked) is a zip bomb, refused before it is unpacked.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024

Opener = Callable[[], IO[bytes]]


class Member:
    """One file of the export, opened as a stream as often as it is read."""

    def __init__(
        self,
        name: str,
        size: int,
        opener: Opener,
        limits: Limits | None = None,
        info: zipfile.ZipInfo | None = None,
    ):
        self.name, self.size, self._opener = name, size, opener
        self.limits = limits
        self.info = info
        self.counted: Callable[[int], None] | None = None

    @contextlib.contextmanager
    def open(self, limit: int | None = None) -> Iterator[Counted]:
        try:
            raw = self._opener()
        except OSError as error:
            raise ScheduleFileError(
                [Problem(self.name, f"cannot read: {error.strerror}")]
            ) from None
        with raw:
            yield Counted(raw, self, limit)


class Limits:
    """The unpacked bytes of a ZIP counted as they come, against its declared sizes' limits."""

    def __init__(self, label: str):
        self.label = label
        self.read: dict[str, int] = {}

    def check(self, member: Member, info: zipfile.ZipInfo, done: int) -> None:
        self.read[member.name] = max(self.read.get(member.name, 0), done)
        problem = _size_problem(self.label, info.filename, done, info.compress_size)
        total = sum(self.read.values())
        if not problem and total > MAX_ARCHIVE_BYTES:
            problem = _too_large(self.label, total)
        if problem:
            raise ScheduleFileError([problem])


class Counted:
    """A binary stream that counts what is read from it: progress, and a ZIP's limits."""

    def __init__(self, raw: IO[bytes], member: Member, limit: int | None):
        self.raw, self.member, self.limit, self.done = raw, member, limit, 0

    def read(self, size: int = -1, /) -> bytes:
        chunk = self.raw.read(size)
        self.done += len(chunk)
        member = self.member
        if self.limit is not None and self.done > self.limit:
            raise ScheduleFileError(
                [Problem(member.name, f"the file is larger than {self.limit // 1024} KB")]
            )
        if member.limits is not None and member.info is not None:
            member.limits.check(member, member.info, self.done)
        if member.counted is not None:
            member.counted(len(chunk))
        return chunk


@contextlib.contextmanager
def open_export(path: Path, label: str) -> Iterator[dict[str, Member]]:
    """The export's manifest and OneRoster files by their standard names."""
    if path.is_dir():
        files = _folder_files(path)
        yield _with_manifest(files, label)
    elif path.is_file():
        with _zip_archive(path, label) as archive:
            yield _with_manifest(_zip_files(archive, label), label)
    else:
        raise ScheduleFileError([Problem(label, "no such file or folder")])


def _with_manifest(files: dict[str, Member], label: str) -> dict[str, Member]:
    if MANIFEST not in files:
        raise ScheduleFileError(
            [
                Problem(
                    label,
                    "manifest.csv is missing; a OneRoster export is a folder or ZIP with "
                    "manifest.csv beside orgs.csv, users.csv, classes.csv…",
                )
            ]
        )
    return files


def _standard_names(names: Iterable[str]) -> dict[str, str]:
    """Standard file name → name in the export, matched case-insensitively."""
    actual = {name.lower(): name for name in names}
    return {
        wanted: actual[wanted.lower()]
        for wanted in (MANIFEST, *READ_FILES)
        if wanted.lower() in actual
    }


def _folder_files(folder: Path) -> dict[str, Member]:
    names = [entry.name for entry in folder.iterdir() if entry.is_file()]
    return {
        wanted: Member(
            actual, (folder / actual).stat().st_size, partial(_open_file, folder / actual)
        )
        for wanted, actual in _standard_names(names).items()
    }


def _open_file(path: Path) -> IO[bytes]:
    return path.open("rb")


@contextlib.contextmanager
def _zip_archive(path: Path, label: str) -> Iterator[zipfile.ZipFile]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ScheduleFileError(
            [Problem(label, "not a ZIP file; choose the export's .zip file or its folder")]
        ) from None
    except OSError as error:
        raise ScheduleFileError([Problem(label, f"cannot open: {error.strerror}")]) from None
    with archive:
        try:
            yield archive
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError):
            # RuntimeError: encrypted; NotImplementedError: unknown compression.
            raise ScheduleFileError(
                [Problem(label, "an entry of the archive is damaged or encrypted")]
            ) from None


def _zip_files(archive: zipfile.ZipFile, label: str) -> dict[str, Member]:
    check_archive(archive.infolist(), label)
    limits = Limits(label)
    files = {}
    for wanted, info in _export_members(archive.infolist()).items():
        opener = _zip_opener(archive, info, label)
        files[wanted] = Member(info.filename, info.file_size, opener, limits, info)
    return files


def _zip_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> Opener:
    def opener() -> IO[bytes]:
        try:
            return archive.open(info)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError) as error:
            raise ScheduleFileError(
                [Problem(label, f"entry '{info.filename}' is damaged or encrypted ({error})")]
            ) from None

    return opener


def check_archive(infos: list[zipfile.ZipInfo], label: str) -> None:
    """Refuse entries that would land outside the archive, and zip bombs, before unpacking.

    The sizes an archive declares are checked here; `Limits` checks the bytes that really
    come out, since a crafted archive may declare anything."""
    problems = [
        Problem(label, f"entry '{info.filename}' points outside the archive")
        for info in infos
        if _escapes(info.filename)
    ]
    for info in infos:
        problem = _size_problem(label, info.filename, info.file_size, info.compress_size)
        if problem:
            problems.append(problem)
    total = sum(info.file_size for info in infos)
    if total > MAX_ARCHIVE_BYTES:
        problems.append(_too_large(label, total))
    if problems:
        raise ScheduleFileError(problems)


def _size_problem(label: str, name: str, unpacked: int, packed: int) -> Problem | None:
    if unpacked > MAX_MEMBER_BYTES:
        return Problem(
            label,
            f"entry '{name}' unpacks to more than {MAX_MEMBER_BYTES // 2**20} MB, more than "
            "one file of an export OpenDoors accepts",
        )
    if unpacked > RATIO_FROM_BYTES and unpacked > MAX_RATIO * max(packed, 1):
        return Problem(
            label,
            f"entry '{name}' unpacks {unpacked // max(packed, 1)} times larger than it is packed "
            f"({_size(packed)} to {_size(unpacked)}); a real export packs less than "
            f"{MAX_RATIO} times, so OpenDoors refuses it as a zip bomb",
        )
    return None


def _too_large(label: str, total: int) -> Problem:
    return Problem(
        label,
        f"the archive unpacks to {total // 2**20} MB, more than the "
        f"{MAX_ARCHIVE_BYTES // 2**20} MB OpenDoors accepts",
    )


def _size(count: int) -> str:
    return f"{count / 2**20:.0f} MB" if count >= 2**20 else f"{count / 1024:.0f} KB"


def _escapes(name: str) -> bool:
    parts = re.split(r"[\\/]", name)
    return name.startswith(("/", "\\")) or bool(re.match(r"[A-Za-z]:", name)) or ".." in parts


def _export_members(infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    """The archive's OneRoster files, at its top level or in its one top-level folder."""
    files = [i for i in infos if not i.is_dir() and not i.filename.startswith("__MACOSX/")]
    folder = _export_folder([i.filename for i in files])
    inside = {
        i.filename[len(folder) :]: i
        for i in files
        if i.filename.startswith(folder) and "/" not in i.filename[len(folder) :]
    }
    return {wanted: inside[actual] for wanted, actual in _standard_names(inside).items()}


def _export_folder(names: list[str]) -> str:
    if any(name.lower() == MANIFEST for name in names):
        return ""
    folders = {
        name.split("/")[0]
        for name in names
        if name.count("/") == 1 and name.lower().endswith("/" + MANIFEST)
    }
    return f"{folders.pop()}/" if len(folders) == 1 else ""
