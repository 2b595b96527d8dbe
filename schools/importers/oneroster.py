"""Reading one school's classes and teachers from a OneRoster 1.1 or 1.2 CSV export.

An export is a folder or a ZIP holding `manifest.csv` and the files it marks
`bulk` (FORMATS.md §2). OneRoster says who teaches which class but not when a
class meets, beyond a `periods` list, so a class is taken to meet in each of its
periods on every day of the week. Student users are counted and dropped: nothing
about a student reaches the `ScheduleData`.

Real exports stray from the specification; whatever is unambiguous is read, and
the rest becomes a warning naming the file, line and column.
"""

import calendar
import contextlib
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import product
from pathlib import Path

from .csvfiles import CsvTable, EmptyFileError, Row, TableReader
from .schedule_data import (
    MeetingRecord,
    Problem,
    ProgressCallback,
    ScheduleData,
    ScheduleFileError,
    SectionRecord,
    TeacherRecord,
    no_progress,
)

MANIFEST = "manifest.csv"
VERSIONS = ("1.1", "1.2")
DEFAULT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
# The preview lists at most this many warnings; the rest are counted.
MAX_WARNINGS = 500
# A range such as "1-300" in `periods` is a typo, not a timetable.
MAX_PERIOD_RANGE = 50
EXTENSION_PREFIXES = ("ext_", "metadata.")
TERM_TYPES = {"term", "semester", "schoolyear"}

READ_FILES = (
    "orgs.csv",
    "users.csv",
    "roles.csv",
    "courses.csv",
    "classes.csv",
    "enrollments.csv",
    "academicSessions.csv",
)
NEEDED_FILES = {
    "1.1": {"orgs.csv", "users.csv", "classes.csv", "enrollments.csv"},
    "1.2": {"orgs.csv", "users.csv", "roles.csv", "classes.csv", "enrollments.csv"},
}

REQUIRED_COLUMNS = {
    "orgs.csv": "sourcedId name type",
    "users.csv": "sourcedId",
    "roles.csv": "userSourcedId role orgSourcedId",
    "courses.csv": "",
    "classes.csv": "sourcedId title schoolSourcedId",
    "enrollments.csv": "classSourcedId userSourcedId role",
    "academicSessions.csv": "",
}
# Every standard column is listed, so that none is reported as unknown or is
# fuzzily mistaken for a column that is read.
OPTIONAL_COLUMNS = {
    "orgs.csv": "identifier parentSourcedId",
    "users.csv": (
        "enabledUser orgSourcedIds username userIds givenName familyName middleName "
        "identifier email sms phone agentSourcedIds grades password userMasterIdentifier "
        "resourceSourcedIds preferredGivenName preferredMiddleName preferredFamilyName "
        "primaryOrgSourcedId pronouns"
    ),
    "roles.csv": "sourcedId roleType beginDate endDate userProfileSourcedId",
    "courses.csv": (
        "sourcedId schoolYearSourcedId title courseCode grades grade orgSourcedId subjects "
        "subjectCodes resourceSourcedIds"
    ),
    "classes.csv": (
        "grades grade courseSourcedId classCode classType location termSourcedIds subjects "
        "subjectCodes periods resourceSourcedIds"
    ),
    "enrollments.csv": "sourcedId schoolSourcedId primary beginDate endDate",
    "academicSessions.csv": ("sourcedId title type startDate endDate parentSourcedId schoolYear"),
}

PERIOD_RANGE = re.compile(r"(\d+)\s*-\s*(\d+)")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?")
LOCAL_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def read_oneroster(
    path: Path,
    *,
    org: str = "",
    days: list[str] | None = None,
    on_progress: ProgressCallback = no_progress,
    display_name: str | None = None,
) -> ScheduleData:
    """Read the teachers, classes and weekly meetings of one school in a OneRoster export.

    `path` is a folder or a ZIP with manifest.csv. `org` is the sourcedId of the
    school, needed when the export holds several. Each class meets in its `periods`
    on every day of `days`. Raises ScheduleFileError when the export cannot be used.

    Files are read as streams, row by row, in an order that lets each keep only the rows
    the school needs (its classes, teachers' enrollments, its teachers): a big district's
    students never sit in memory, whatever the size of users.csv or enrollments.csv.
    """
    label = display_name or path.name
    with _open_export(path, label) as files:
        manifest = _read_manifest(files[MANIFEST])
        data = ScheduleData(source=label, days=_week(days))
        export = _Export(manifest.version, files, data)
        _check_tables(export, manifest, label)
        export.progress = _Progress(on_progress, export.bytes_to_read())
        export.load("orgs.csv")
        export.school = _choose_school(export.tables["orgs.csv"], org.strip())
        export.load("classes.csv", keep=_class_keeper(export))
        courses = {row.get("courseSourcedId") for row in export.tables["classes.csv"].rows}
        export.load("courses.csv", keep=lambda row: row.get("sourcedId") in courses)
        export.load("academicSessions.csv")
        classes = _read_classes(export)
        export.load("enrollments.csv", keep=_enrollment_keeper(classes))
        people = _read_people(export)
        _assign_teachers(export, classes, people)
        _store_teachers(export, classes, people)
        _store_meetings(export, classes)
        data.term_name = _term_name(export, classes)
        _check_session_dates(export)
        export.finish()
    return data


# --- Files -------------------------------------------------------------------

# An archive may unpack to this much in all, and each file in it to MAX_MEMBER_BYTES.
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
MAX_MEMBER_BYTES = 100 * 1024 * 1024
# Real CSV exports pack 3 to 20 times smaller; a file packed more than this many times over
# (and bigger than RATIO_FROM_BYTES unpacked) is a zip bomb, refused before it is unpacked.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024


class _Member:
    """One file of the export, opened as a stream as often as it is read."""

    def __init__(self, name: str, size: int, opener, limits=None, info=None):
        self.name, self.size, self._opener = name, size, opener
        self._limits: _Limits | None = limits
        self.info: zipfile.ZipInfo | None = info
        self.counted: Callable[[int], None] | None = None

    @contextlib.contextmanager
    def open(self, limit: int | None = None) -> Iterator["_Counted"]:
        try:
            raw = self._opener()
        except OSError as error:
            raise ScheduleFileError(
                [Problem(self.name, f"cannot read: {error.strerror}")]
            ) from None
        with raw:
            yield _Counted(raw, self, limit)


class _Limits:
    """The unpacked bytes of a ZIP counted as they come, against its declared sizes' limits."""

    def __init__(self, label: str):
        self.label = label
        self.read: dict[str, int] = {}

    def check(self, member: _Member, info: zipfile.ZipInfo, done: int) -> None:
        self.read[member.name] = max(self.read.get(member.name, 0), done)
        problem = _size_problem(self.label, info.filename, done, info.compress_size)
        total = sum(self.read.values())
        if not problem and total > MAX_ARCHIVE_BYTES:
            problem = _too_large(self.label, total)
        if problem:
            raise ScheduleFileError([problem])


class _Counted:
    """A binary stream that counts what is read from it: progress, and a ZIP's limits."""

    def __init__(self, raw, member: _Member, limit: int | None):
        self.raw, self.member, self.limit, self.done = raw, member, limit, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.done += len(chunk)
        member = self.member
        if self.limit is not None and self.done > self.limit:
            raise ScheduleFileError(
                [Problem(member.name, f"the file is larger than {self.limit // 1024} KB")]
            )
        if member._limits is not None and member.info is not None:
            member._limits.check(member, member.info, self.done)
        if member.counted is not None:
            member.counted(len(chunk))
        return chunk


@contextlib.contextmanager
def _open_export(path: Path, label: str) -> Iterator[dict[str, _Member]]:
    """The export's manifest and OneRoster files by their standard names."""
    if path.is_dir():
        files = _folder_files(path)
        yield _with_manifest(files, label)
    elif path.is_file():
        with _zip_archive(path, label) as archive:
            yield _with_manifest(_zip_files(archive, label), label)
    else:
        raise ScheduleFileError([Problem(label, "no such file or folder")])


def _with_manifest(files: dict[str, _Member], label: str) -> dict[str, _Member]:
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


def _folder_files(folder: Path) -> dict[str, _Member]:
    names = [entry.name for entry in folder.iterdir() if entry.is_file()]
    return {
        wanted: _Member(
            actual, (folder / actual).stat().st_size, partial(open, folder / actual, "rb")
        )
        for wanted, actual in _standard_names(names).items()
    }


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


def _zip_files(archive: zipfile.ZipFile, label: str) -> dict[str, _Member]:
    _check_archive(archive.infolist(), label)
    limits = _Limits(label)
    files = {}
    for wanted, info in _export_members(archive.infolist()).items():
        opener = _zip_opener(archive, info, label)
        files[wanted] = _Member(info.filename, info.file_size, opener, limits, info)
    return files


def _zip_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str):
    def opener():
        try:
            return archive.open(info)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError) as error:
            raise ScheduleFileError(
                [Problem(label, f"entry '{info.filename}' is damaged or encrypted ({error})")]
            ) from None

    return opener


def _check_archive(infos: list[zipfile.ZipInfo], label: str) -> None:
    """Refuse entries that would land outside the archive, and zip bombs, before unpacking.

    The sizes an archive declares are checked here; `_Limits` checks the bytes that really
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


# --- Manifest and tables -----------------------------------------------------


@dataclass
class _Manifest:
    version: str
    modes: dict[str, tuple[str, int]]  # "classes.csv" → ("bulk", line in manifest.csv)


def _read_manifest(member: _Member) -> _Manifest:
    with member.open(limit=MAX_MANIFEST_BYTES) as binary:
        table = TableReader(binary, MANIFEST, required=["propertyName", "value"])
        rows = list(table)
    props = {row.get("propertyName").lower(): row for row in rows}
    version, problems = _manifest_version(props)
    modes = {}
    for name in READ_FILES:
        row = props.get("file." + name.removesuffix(".csv").lower())
        if row is None:
            continue
        mode = row.get("value").lower()
        modes[name] = (mode, row.line)
        if mode == "delta":
            message = f"{name} is a delta export; OpenDoors reads only bulk (full) exports"
        elif mode not in ("bulk", "absent"):
            message = f"“{row.get('value')}” is not bulk, delta or absent"
        else:
            continue
        problems.append(Problem(MANIFEST, message, line=row.line, column="value"))
    if problems:
        raise ScheduleFileError(problems)
    return _Manifest(version, modes)


def _manifest_version(props: dict[str, Row]) -> tuple[str, list[Problem]]:
    # Some exporters put the OneRoster version in manifest.version instead.
    row = props.get("oneroster.version") or props.get("manifest.version")
    if row is None:
        return "", [
            Problem(MANIFEST, "no oneroster.version; OpenDoors reads OneRoster 1.1 and 1.2")
        ]
    version = row.get("value")
    if version in VERSIONS:
        return version, []
    message = (
        f"{row.get('propertyName')} “{version}” is not supported; "
        "OpenDoors reads OneRoster 1.1 and 1.2"
    )
    return "", [Problem(MANIFEST, message, line=row.line, column="value")]


def _check_tables(export: "_Export", manifest: _Manifest, label: str) -> None:
    """Which files the export has and OpenDoors reads, their headers checked; all problems at
    once. The rows are read later, file by file."""
    problems = []
    needed = NEEDED_FILES[manifest.version]
    files = export.files
    for name in READ_FILES:
        if name == "roles.csv" and manifest.version == "1.1":
            continue
        mode, line = manifest.modes.get(name, ("", None))
        if mode == "absent" or (not mode and name not in files):
            if name in needed:
                message = f"the export has no {name}; OpenDoors needs it"
                problems.append(
                    Problem(MANIFEST, message, line=line, column="value" if line else None)
                )
            continue
        if name not in files:
            problems.append(Problem(label, f"{name} is missing, though manifest.csv lists it"))
            continue
        if not mode:
            export.data.warnings.append(
                Problem(MANIFEST, f"{name} is not listed; it was read anyway")
            )
        try:
            with files[name].open() as binary:
                table = export.reader(binary, name)
        except EmptyFileError as error:
            if name in needed:
                problems.extend(error.problems)
            else:
                # Exporters write an empty file for an empty table; the school still reads.
                export.data.warnings.append(Problem(name, "the file is empty; ignored"))
            continue
        except ScheduleFileError as error:
            problems.extend(error.problems)
            continue
        export.present.append(name)
        export.data.warnings.extend(table.warnings)
    if problems:
        raise ScheduleFileError(problems)


def _is_extension(column: str) -> bool:
    return column.strip().lower().startswith(EXTENSION_PREFIXES)


# --- Reading the school ------------------------------------------------------


def _keep_all(row: Row) -> bool:
    return True


@dataclass
class _Export:
    """The files of one export, and the school's data as it is gathered from them.

    `tables` holds, for each file read so far, the rows that were kept; `dropped` the
    sourcedIds of those left out that other files may still refer to."""

    version: str
    files: dict[str, _Member]
    data: ScheduleData
    school: str = ""
    present: list[str] = field(default_factory=list)
    tables: dict[str, CsvTable] = field(default_factory=dict)
    indexes: dict[str, dict[str, Row]] = field(default_factory=dict)
    other_classes: set[str] = field(default_factory=set)
    deleted_ids: dict[str, set[str]] = field(default_factory=dict)
    progress: "_Progress | None" = None
    warnings_left_out: int = 0

    def reader(self, binary, filename: str) -> TableReader:
        required = REQUIRED_COLUMNS[filename].split()
        if filename == "users.csv" and self.version == "1.1":
            required.append("role")
        optional = ["status", "dateLastModified", *OPTIONAL_COLUMNS[filename].split()]
        # Vendor columns (`ext_…`, `metadata.…`) are skipped silently; skipping them before
        # fuzzy matching also stops `ext_grades` from being read as `grades`.
        return TableReader(
            binary,
            filename,
            required=required,
            optional=[name for name in optional if name not in required],
            fuzzy_headers=True,
            ignored=_is_extension,
        )

    def bytes_to_read(self) -> int:
        return sum(self.files[name].size for name in self.present)

    def load(self, filename: str, keep: Callable[[Row], bool] = _keep_all) -> None:
        """Read a file's rows, keeping those `keep` wants (a row marked tobedeleted is kept
        when it is wanted, so that references to it are skipped quietly)."""
        rows: list[Row] = []
        if filename in self.present:
            member = self.files[filename]
            member.counted = self.progress.add if self.progress else None
            with member.open() as binary:
                table = self.reader(binary, filename)
                rows = [row for row in table if keep(row)]
            columns = table.columns
            self.tables[filename] = CsvTable(filename, columns, rows, [])

    def live_rows(self, filename: str) -> list[Row]:
        table = self.tables.get(filename)
        rows = table.rows if table else []
        return [row for row in rows if row.get("status").lower() != "tobedeleted"]

    def deleted(self, filename: str) -> set[str]:
        """The sourcedIds of rows marked tobedeleted: references to them are skipped quietly."""
        if filename not in self.deleted_ids:
            table = self.tables.get(filename)
            rows = table.rows if table else []
            self.deleted_ids[filename] = {
                row.get("sourcedId") for row in rows if row.get("status").lower() == "tobedeleted"
            }
        return self.deleted_ids[filename]

    def index(self, filename: str) -> dict[str, Row]:
        """Live rows by sourcedId; computed once, so that its warnings appear once."""
        if filename not in self.indexes:
            self.indexes[filename] = self._build_index(filename)
        return self.indexes[filename]

    def _build_index(self, filename: str) -> dict[str, Row]:
        table = self.tables.get(filename)
        if table is None:
            return {}
        if "sourcedId" not in table.columns:
            self.warn(filename, 1, "sourcedId", "no sourcedId column; the file is not used")
            return {}
        rows: dict[str, Row] = {}
        for row in self.live_rows(filename):
            sourced_id = row.get("sourcedId")
            if not sourced_id:
                self.warn(filename, row.line, "sourcedId", "no sourcedId; row skipped")
            elif sourced_id in rows:
                message = f"“{sourced_id}” is also on line {rows[sourced_id].line}; row skipped"
                self.warn(filename, row.line, "sourcedId", message)
            else:
                rows[sourced_id] = row
        return rows

    def warn(self, filename: str, line: int, column: str, message: str) -> None:
        # A broken export can warn on every row: the preview shows the first ones.
        if len(self.data.warnings) >= MAX_WARNINGS:
            self.warnings_left_out += 1
            return
        self.data.warnings.append(Problem(filename, message, line=line, column=column))

    def finish(self) -> None:
        if self.warnings_left_out:
            self.data.notes.append(
                f"{self.warnings_left_out} more warnings like those listed are not shown"
            )
        if self.progress:
            self.progress.finish()


def _week(days: list[str] | None) -> list[str]:
    if days is None:
        return list(DEFAULT_DAYS)
    week = list(dict.fromkeys(day.strip() for day in days if day.strip()))
    if not week:
        raise ValueError("days must name at least one day")
    return week


class _Progress:
    """Bytes read of the files to read, passed on about a hundred times however big they are.
    (A file read twice counts twice: the share read is capped at the total.)"""

    def __init__(self, callback: ProgressCallback, total: int):
        self.callback, self.total, self.done, self.last = callback, total, 0, 0
        self.step = max(1, total // 100)
        callback(0, total)

    def add(self, count: int) -> None:
        self.done = min(self.done + count, self.total)
        if self.done - self.last >= self.step and self.done < self.total:
            self.last = self.done
            self.callback(self.done, self.total)

    def finish(self) -> None:
        self.callback(self.total, self.total)


def _choose_school(orgs: CsvTable, wanted: str) -> str:
    schools = {
        row.get("sourcedId"): row.get("name")
        for row in orgs.rows
        if row.get("type").lower() == "school" and row.get("status").lower() != "tobedeleted"
    }
    listing = ", ".join(f"{sourced_id} {name}".strip() for sourced_id, name in schools.items())
    if wanted:
        if wanted in schools:
            return wanted
        message = f"no school has sourcedId “{wanted}”; the schools are: {listing or 'none'}"
    elif len(schools) == 1:
        return next(iter(schools))
    elif not schools:
        message = "no org has type “school”"
    else:
        message = f"the export has {len(schools)} schools ({listing}); choose one with --org"
    raise ScheduleFileError([Problem("orgs.csv", message)])


# --- Classes -----------------------------------------------------------------


@dataclass
class _Class:
    line: int
    section: SectionRecord
    room: str
    periods: list[str]
    terms: list[str]
    teachers: list[str] = field(default_factory=list)


@dataclass
class _Classes:
    ours: dict[str, _Class] = field(default_factory=dict)  # the school's, by sourcedId
    others: set[str] = field(default_factory=set)  # other schools' and deleted classes


def _class_keeper(export: _Export) -> Callable[[Row], bool]:
    """Keep the school's classes (and those naming no school, to warn about them); of other
    schools' classes keep only the sourcedId, so that their enrollments are skipped quietly."""
    export.other_classes = set()

    def keep(row: Row) -> bool:
        if row.get("schoolSourcedId") in (export.school, ""):
            return True
        export.other_classes.add(row.get("sourcedId"))
        return False

    return keep


def _read_classes(export: _Export) -> _Classes:
    classes = _Classes(others=set(export.deleted("classes.csv")) | export.other_classes)
    for sourced_id, row in export.index("classes.csv").items():
        school = row.get("schoolSourcedId")
        if school == export.school:
            classes.ours[sourced_id] = _Class(
                line=row.line,
                section=_section(export, row),
                room=row.get("location"),
                periods=_class_periods(export, row),
                terms=_split(row.get("termSourcedIds")),
            )
            continue
        if not school:
            export.warn("classes.csv", row.line, "schoolSourcedId", "no school; class skipped")
        classes.others.add(sourced_id)
    return classes


def _section(export: _Export, row: Row) -> SectionRecord:
    course = _course_of(export, row)
    title = row.get("title")
    code = row.get("classCode") or title or row.get("sourcedId")
    section = SectionRecord(
        code=code,
        course=_get(course, "title") or _get(course, "courseCode") or title,
        subject=_first(row.get("subjects"), _get(course, "subjects")),
        grade=_grades(row) or _grades(course),
    )
    if section.key in export.data.sections:
        section = replace(section, code=f"{code} ({row.get('sourcedId')})")
        message = (
            f"another class is also “{code}” in course “{section.course}”; "
            f"this one is called “{section.code}”"
        )
        export.warn(
            "classes.csv", row.line, "classCode" if row.get("classCode") else "title", message
        )
    export.data.sections[section.key] = section
    return section


def _course_of(export: _Export, row: Row) -> Row | None:
    course_id = row.get("courseSourcedId")
    if not course_id or "courses.csv" not in export.tables:
        return None
    course = export.index("courses.csv").get(course_id)
    if course is None and course_id not in export.deleted("courses.csv"):
        message = f"unknown course “{course_id}”; the class title is used as its course"
        export.warn("classes.csv", row.line, "courseSourcedId", message)
    return course


def _get(row: Row | None, column: str) -> str:
    return row.get(column) if row else ""


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _first(*lists: str) -> str:
    return next((items[0] for items in map(_split, lists) if items), "")


def _grades(row: Row | None) -> str:
    return ",".join(_split(_get(row, "grades") or _get(row, "grade")))


def _class_periods(export: _Export, row: Row) -> list[str]:
    periods, unreadable = _parse_periods(row.get("periods"))
    for token in unreadable:
        message = f"“{token}” is not a period or a range such as 1-3; ignored"
        export.warn("classes.csv", row.line, "periods", message)
    return periods


def _parse_periods(text: str) -> tuple[list[str], list[str]]:
    """Period labels from "1,3", "2-4" or "A,B", and the parts that could not be read."""
    labels, unreadable = [], []
    for token in _split(text):
        match = PERIOD_RANGE.fullmatch(token)
        if match is None:
            labels.append(str(int(token)) if token.isdecimal() else token)
            continue
        first, last = int(match[1]), int(match[2])
        if first > last or last - first >= MAX_PERIOD_RANGE:
            unreadable.append(token)
        else:
            labels.extend(str(number) for number in range(first, last + 1))
    return list(dict.fromkeys(labels)), unreadable


# --- People ------------------------------------------------------------------


@dataclass
class _People:
    users: dict[str, Row]  # every live user, by sourcedId
    teacher_orgs: dict[str, set[str]]  # teachers' sourcedIds → the orgs they belong to
    students: int


def _enrollment_keeper(classes: _Classes) -> Callable[[Row], bool]:
    """Teachers' enrollments in classes that are not another school's: students' are never
    kept, and the school's teachers are found through these."""

    def keep(row: Row) -> bool:
        return row.get("role").lower() == "teacher" and row.get("classSourcedId") not in (
            classes.others
        )

    return keep


def _read_people(export: _Export) -> _People:
    """The users who may be the school's teachers. Students and other staff are counted or
    skipped as users.csv streams by; none of them is kept."""
    enrolled = {row.get("userSourcedId") for row in export.tables["enrollments.csv"].rows}
    students = 0
    if export.version == "1.1":

        def keep(row: Row) -> bool:
            nonlocal students
            role = row.get("role").lower()
            if role == "teacher" or row.get("sourcedId") in enrolled:
                return True
            students += role == "student" and row.get("status").lower() != "tobedeleted"
            return False

    else:
        export.load("roles.csv", keep=lambda row: row.get("role").lower() == "teacher")
        with_role = {row.get("userSourcedId") for row in export.tables["roles.csv"].rows}

        def keep(row: Row) -> bool:
            return row.get("sourcedId") in with_role or row.get("sourcedId") in enrolled

    export.load("users.csv", keep=keep)
    users = export.index("users.csv")
    if export.version == "1.1":
        teacher_orgs, kept_students = _roles_in_users(users)
        students += kept_students
    else:
        teacher_orgs = _roles_in_roles(export, users)
        students = _students_in_roles(export, teacher_orgs)
    if students:
        export.data.notes.append(f"skipped {_count(students, 'student user')}")
    return _People(users, teacher_orgs, students)


def _roles_in_users(users: dict[str, Row]) -> tuple[dict[str, set[str]], int]:
    """OneRoster 1.1: each user has one role and a list of orgs."""
    teacher_orgs, students = {}, 0
    for sourced_id, row in users.items():
        role = row.get("role").lower()
        if role == "teacher":
            teacher_orgs[sourced_id] = set(_split(row.get("orgSourcedIds")))
        elif role == "student":
            students += 1
    return teacher_orgs, students


def _roles_in_roles(export: _Export, users: dict[str, Row]) -> dict[str, set[str]]:
    """OneRoster 1.2: roles.csv gives each user a role in each org (teachers' rows are kept)."""
    teacher_orgs: dict[str, set[str]] = {}
    deleted = export.deleted("users.csv")
    for row in export.live_rows("roles.csv"):
        user = row.get("userSourcedId")
        if user in users:
            teacher_orgs.setdefault(user, set()).add(row.get("orgSourcedId"))
        elif user not in deleted:
            export.warn(
                "roles.csv", row.line, "userSourcedId", f"unknown user “{user}”; row skipped"
            )
    return teacher_orgs


def _students_in_roles(export: _Export, teachers: dict[str, set[str]]) -> int:
    """Student roles of users who are not teachers, counted in a second pass over roles.csv
    rather than by keeping every student's id."""
    counted = 0

    def count(row: Row) -> bool:
        nonlocal counted
        counted += (
            row.get("role").lower() == "student"
            and row.get("status").lower() != "tobedeleted"
            and row.get("userSourcedId") not in teachers
        )
        return False

    tables = dict(export.tables)
    export.load("roles.csv", keep=count)
    export.tables = tables
    return counted


def _assign_teachers(export: _Export, classes: _Classes, people: _People) -> None:
    """Give each of the school's classes its teachers, from enrollments.csv."""
    for row in export.live_rows("enrollments.csv"):
        if row.get("role").lower() != "teacher":
            continue
        class_id = row.get("classSourcedId")
        cls = classes.ours.get(class_id)
        if cls is None:
            if class_id not in classes.others:
                message = f"unknown class “{class_id}”; enrollment skipped"
                export.warn("enrollments.csv", row.line, "classSourcedId", message)
            continue
        teacher = _enrolled_teacher(export, row, people)
        if teacher and teacher not in cls.teachers:
            cls.teachers.append(teacher)


def _enrolled_teacher(export: _Export, row: Row, people: _People) -> str:
    user = row.get("userSourcedId")
    if user in people.teacher_orgs:
        return user
    if user in people.users:
        message = f"user “{user}” does not have the teacher role; enrollment skipped"
    elif user not in export.deleted("users.csv"):
        message = f"unknown user “{user}”; enrollment skipped"
    else:
        return ""
    export.warn("enrollments.csv", row.line, "userSourcedId", message)
    return ""


def _store_teachers(export: _Export, classes: _Classes, people: _People) -> None:
    """The teachers who teach one of the school's classes or belong to the school."""
    teaching = {teacher for cls in classes.ours.values() for teacher in cls.teachers}
    for sourced_id, row in people.users.items():
        orgs = people.teacher_orgs.get(sourced_id)
        if orgs is not None and (sourced_id in teaching or export.school in orgs):
            export.data.teachers[sourced_id] = _teacher_record(sourced_id, row)


def _teacher_record(sourced_id: str, row: Row) -> TeacherRecord:
    given, family = row.get("givenName"), row.get("familyName")
    return TeacherRecord(
        source_id=sourced_id,
        name=" ".join(filter(None, (given, family))) or row.get("username") or sourced_id,
        given_name=given,
        family_name=family,
        email=row.get("email"),
    )


# --- Meetings ----------------------------------------------------------------


def _store_meetings(export: _Export, classes: _Classes) -> None:
    data = export.data
    for cls in classes.ours.values():
        for teacher, day, period in product(cls.teachers, data.days, cls.periods):
            data.meetings.append(
                MeetingRecord(
                    teacher=teacher,
                    section=cls.section.key,
                    day=day,
                    period=period,
                    room=cls.room,
                    line=cls.line,
                )
            )
    data.periods = _period_order(classes.ours.values())
    no_periods = sum(1 for cls in classes.ours.values() if not cls.periods)
    no_teacher = sum(1 for cls in classes.ours.values() if not cls.teachers)
    for count, missing in ((no_periods, "periods"), (no_teacher, "teacher")):
        if count:
            data.notes.append(_without_meetings(count, missing))


def _period_order(classes: Iterable[_Class]) -> list[str]:
    """Periods in order of first appearance, or in numeric order when all are numbers."""
    labels = list(dict.fromkeys(period for cls in classes for period in cls.periods))
    if all(label.isdecimal() for label in labels):
        labels.sort(key=int)
    return labels


def _without_meetings(count: int, missing: str) -> str:
    if count == 1:
        return f"1 class has no {missing}; it is stored without meetings"
    return f"{count} classes have no {missing}; they are stored without meetings"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


# --- Academic sessions -------------------------------------------------------


def _term_name(export: _Export, classes: _Classes) -> str:
    """The title of the one term the school's classes are in, or "" when not just one."""
    sessions = export.index("academicSessions.csv")
    checkable = "academicSessions.csv" in export.tables
    deleted = export.deleted("academicSessions.csv")
    titles = {}
    for cls in classes.ours.values():
        for term in cls.terms:
            session = sessions.get(term)
            if session is None and checkable and term not in deleted:
                message = f"unknown academic session “{term}”"
                export.warn("classes.csv", cls.line, "termSourcedIds", message)
            elif session is not None and session.get("type").lower() in TERM_TYPES:
                titles[term] = session.get("title")
    return next(iter(titles.values())) if len(titles) == 1 else ""


def _check_session_dates(export: _Export) -> None:
    for row in export.live_rows("academicSessions.csv"):
        for column in ("startDate", "endDate"):
            text = row.get(column)
            problem = _date_problem(text) if text else ""
            if problem:
                export.warn("academicSessions.csv", row.line, column, problem)


def _date_problem(text: str) -> str:
    """Why `text` is not an unambiguous date, or "" when it is one."""
    unreadable = f"“{text}” is not a date; write dates as YYYY-MM-DD"
    iso = ISO_DATE.fullmatch(text)
    if iso:
        return "" if _is_date(int(iso[1]), int(iso[2]), int(iso[3])) else unreadable
    local = LOCAL_DATE.fullmatch(text)
    if local is None:
        return unreadable
    first, second, year = (int(part) for part in local.groups())
    if first != second and first <= 12 and second <= 12:
        return (
            f"“{text}” is ambiguous ({_spoken(year, second, first)} or "
            f"{_spoken(year, first, second)}); write dates as YYYY-MM-DD"
        )
    day, month = (second, first) if second > 12 else (first, second)
    return "" if _is_date(year, month, day) else unreadable


def _is_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _spoken(year: int, month: int, day: int) -> str:
    return f"{day} {calendar.month_name[month]} {year}"
