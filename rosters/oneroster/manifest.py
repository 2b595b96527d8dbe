"""`manifest.csv` and the tables it lists: which files are read, their headers checked all
at once, then each file streamed once, keeping only the rows the school needs.

A file the manifest marks `delta` holds only the rows changed since the last export; such
an export is merged onto the schedule already stored (`delta`). Files OpenDoors does not need
(`userProfiles.csv`, `demographics.csv`, …) are never opened; the summary names them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..csvfiles import ByteStream, CsvTable, EmptyFileError, Row, TableReader
from ..schedule_data import (
    Problem,
    ProgressCallback,
    ScheduleData,
    ScheduleFileError,
    SectionRecord,
)
from .archive import MANIFEST, READ_FILES, Member

VERSIONS = ("1.1", "1.2")
MAX_MANIFEST_BYTES = 1024 * 1024
# The preview lists at most this many warnings; the rest are counted.
MAX_WARNINGS = 500
EXTENSION_PREFIXES = ("ext_", "metadata.")

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
# fuzzily mistaken for a column that is read; `agents` and `schoolYearId` are what some 1.1
# exporters (the shared sample's among them) write for agentSourcedIds and schoolYearSourcedId.
OPTIONAL_COLUMNS = {
    "orgs.csv": "identifier parentSourcedId",
    "users.csv": (
        "enabledUser orgSourcedIds username userIds givenName familyName middleName "
        "identifier email sms phone agentSourcedIds grades password userMasterIdentifier "
        "resourceSourcedIds preferredGivenName preferredMiddleName preferredFamilyName "
        "primaryOrgSourcedId pronouns agents"
    ),
    "roles.csv": "sourcedId roleType beginDate endDate userProfileSourcedId",
    "courses.csv": (
        "sourcedId schoolYearSourcedId schoolYearId title courseCode grades grade orgSourcedId "
        "subjects subjectCodes resourceSourcedIds"
    ),
    "classes.csv": (
        "grades grade courseSourcedId classCode classType location termSourcedIds subjects "
        "subjectCodes periods resourceSourcedIds"
    ),
    "enrollments.csv": "sourcedId schoolSourcedId primary beginDate endDate",
    "academicSessions.csv": ("sourcedId title type startDate endDate parentSourcedId schoolYear"),
}


@dataclass
class Manifest:
    version: str
    modes: dict[str, tuple[str, int]]  # "classes.csv" → ("bulk", line in manifest.csv)
    # Files the manifest lists with rows that OpenDoors does not read ("userProfiles.csv").
    unread: list[str] = field(default_factory=list)

    @property
    def first_delta(self) -> tuple[int, str] | None:
        """The manifest line and name of the first file marked delta; None for a bulk export."""
        marked = [(line, name) for name, (mode, line) in self.modes.items() if mode == "delta"]
        return min(marked) if marked else None


def read_manifest(member: Member) -> Manifest:
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
        if mode not in ("bulk", "delta", "absent"):
            message = f"“{row.get('value')}” is not bulk, delta or absent"
            problems.append(Problem(MANIFEST, message, line=row.line, column="value"))
    if problems:
        raise ScheduleFileError(problems)
    read = {"file." + name.removesuffix(".csv").lower() for name in READ_FILES}
    unread = [
        row.get("propertyName")[len("file.") :] + ".csv"
        for key, row in props.items()
        if key.startswith("file.")
        and key not in read
        and row.get("value").lower() in ("bulk", "delta")
    ]
    return Manifest(version, modes, unread)


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


def check_tables(export: Export, manifest: Manifest, label: str) -> None:
    """Which files the export has and OpenDoors reads, their headers checked; all problems at
    once. The rows are read later, file by file. A delta export needs no file: what it leaves
    out has not changed."""
    problems = []
    needed = set() if export.delta else NEEDED_FILES[manifest.version]
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


def _keep_all(row: Row) -> bool:
    return True


@dataclass
class Export:
    """The files of one export, and the school's data as it is gathered from them.

    `tables` holds, for each file read so far, the rows that were kept; `deleted_ids` the
    sourcedIds of rows marked tobedeleted, that other files may still refer to."""

    version: str
    files: dict[str, Member]
    data: ScheduleData
    school: str = ""
    # The chosen org and the orgs below it that are not schools (its departments).
    school_orgs: set[str] = field(default_factory=set)
    # A delta export, and what the school already has: its classes' sections by sourcedId,
    # its teachers' sourcedIds. A delta's rows about these are the school's whatever they say.
    delta: bool = False
    known_classes: dict[str, SectionRecord] = field(default_factory=dict)
    known_teachers: set[str] = field(default_factory=set)
    present: list[str] = field(default_factory=list)
    tables: dict[str, CsvTable] = field(default_factory=dict)
    indexes: dict[str, dict[str, Row]] = field(default_factory=dict)
    other_classes: set[str] = field(default_factory=set)
    deleted_ids: dict[str, set[str]] = field(default_factory=dict)
    progress: Progress | None = None
    warnings_left_out: int = 0

    def reader(self, binary: ByteStream, filename: str) -> TableReader:
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

    def rows(self, filename: str) -> list[Row]:
        """The rows kept of a file, live or marked tobedeleted ([] when it was not read)."""
        table = self.tables.get(filename)
        return table.rows if table else []

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

    def warn(self, filename: str, line: int | None, column: str | None, message: str) -> None:
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


class Progress:
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
