"""Reading one school's classes and teachers from a OneRoster 1.1 or 1.2 CSV export.

An export is a folder or a ZIP holding `manifest.csv` and the files it marks
`bulk` (FORMATS.md §2). OneRoster says who teaches which class but not when a
class meets, beyond a `periods` list, so a class is taken to meet in each of its
periods on every day of the week. Student users are counted and dropped: nothing
about a student reaches the `ScheduleData`.

A delta export (the manifest marks a file `delta`) holds only what changed since the last
export: given the schedule stored before (`base`), its rows are merged onto it (`delta`).

Real exports stray from the specification; whatever is unambiguous is read, and
the rest becomes a warning naming the file, line and column. The modules follow
the reading: `archive` (the files and their size limits), `manifest` (which tables,
their headers, rows streamed), `orgs` (the school, its term and session dates),
`classes` (sections and weekly meetings), `people` (teachers, never students), `delta`
(a delta export merged onto the stored schedule).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..schedule_data import Problem, ProgressCallback, ScheduleData, ScheduleFileError, no_progress
from .archive import MANIFEST, open_export
from .classes import class_keeper, read_classes, store_meetings, week
from .delta import merge_delta
from .manifest import Export, Manifest, Progress, check_tables, read_manifest
from .orgs import check_session_dates, choose_school, school_orgs, term_name
from .people import assign_teachers, enrollment_keeper, read_people, store_teachers

__all__ = ["read_oneroster"]


def read_oneroster(
    path: Path,
    *,
    org: str = "",
    days: list[str] | None = None,
    on_progress: ProgressCallback = no_progress,
    display_name: str | None = None,
    stored: Callable[[], ScheduleData | None] = lambda: None,
) -> ScheduleData:
    """Read the teachers, classes and weekly meetings of one school in a OneRoster export.

    `path` is a folder or a ZIP with manifest.csv. `org` is the sourcedId of the
    school, needed when the export holds several; any org may be named (a department, a
    district), with a warning. Each class meets in its `periods` on every day of `days`.
    `stored` gives the schedule the school has stored (None when it has none), asked only for
    a delta export, which is merged onto it, keeping its days. Raises ScheduleFileError when
    the export cannot be used.

    Files are read as streams, row by row, in an order that lets each keep only the rows
    the school needs (its classes, teachers' enrollments, its teachers): a big district's
    students never sit in memory, whatever the size of users.csv or enrollments.csv.
    """
    label = display_name or path.name
    with open_export(path, label) as files:
        manifest = read_manifest(files[MANIFEST])
        delta = _delta_base(manifest, stored)
        data = ScheduleData(source=label, days=list(delta.days) if delta else week(days))
        export = Export(manifest.version, files, data)
        if delta:
            export.delta = True
            export.known_classes = {s.source_id: s for s in delta.sections.values() if s.source_id}
            export.known_teachers = set(delta.teachers)
        check_tables(export, manifest, label)
        if manifest.unread:
            data.notes.append(f"not needed, not read: {', '.join(manifest.unread)}")
        export.progress = Progress(on_progress, export.bytes_to_read())
        export.load("orgs.csv")
        export.school = choose_school(export, org.strip())
        export.school_orgs = school_orgs(export, export.school) if export.school else set()
        export.load("classes.csv", keep=class_keeper(export))
        courses = {row.get("courseSourcedId") for row in export.rows("classes.csv")}
        export.load("courses.csv", keep=lambda row: row.get("sourcedId") in courses)
        export.load("academicSessions.csv")
        classes = read_classes(export)
        export.load("enrollments.csv", keep=enrollment_keeper(classes))
        people = read_people(export)
        if delta:
            merge_delta(export, delta, classes, people)
        else:
            assign_teachers(export, classes, people)
            store_teachers(export, classes, people)
            store_meetings(export, classes)
        data.term_name = term_name(export, classes)
        check_session_dates(export)
        export.finish()
    return data


def _delta_base(
    manifest: Manifest, stored: Callable[[], ScheduleData | None]
) -> ScheduleData | None:
    """The stored schedule a delta export is merged onto; None for a bulk export. A delta
    onto a school with nothing stored is refused: it says only what changed."""
    first = manifest.first_delta
    if first is None:
        return None
    line, name = first
    base = stored()
    if base is None:
        message = (
            f"{name} is a delta export (only what changed since the last export), and the school "
            "has no schedule stored yet: import a bulk export first, then its deltas"
        )
        raise ScheduleFileError([Problem(MANIFEST, message, line=line, column="value")])
    return base
