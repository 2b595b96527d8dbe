"""Reading CSV files that people exported from other systems, and writing ones they will open.

Every failure names the file, the line and the column, so that a teacher can fix
the file in a spreadsheet and try again.
"""

import csv
import difflib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from charset_normalizer import from_bytes

from .schedule_data import Problem, ScheduleFileError

# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def decode_text(data: bytes, filename: str) -> str:
    """UTF-8 (with or without BOM) or a clear error that says which line is not."""
    if not data.strip():
        raise ScheduleFileError([Problem(filename, "the file is empty")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        guess = from_bytes(data).best()
        looks_like = f" (it looks like {guess.encoding})" if guess else ""
        raise ScheduleFileError(
            [
                Problem(
                    filename,
                    f"the file is not UTF-8 text{looks_like}; save it as “CSV UTF-8” "
                    "and import it again",
                    line=line,
                )
            ]
        ) from None


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()


@dataclass
class CsvTable:
    filename: str
    columns: list[str]
    rows: list[Row]
    warnings: list[Problem]


def _canonical(name: str) -> str:
    return name.strip().lower().replace(" ", "").replace("_", "")


def read_table(
    data: bytes,
    filename: str,
    *,
    required: Iterable[str],
    optional: Iterable[str] = (),
    fuzzy_headers: bool = False,
) -> CsvTable:
    """Parse a CSV with a header row into rows keyed by the expected column names.

    Header names match case- and underscore-insensitively; with `fuzzy_headers`, a
    misspelled header close to exactly one expected name is read as that name (with
    a warning). Unknown columns are ignored with a warning.
    """
    text = decode_text(data, filename)
    required, optional = list(required), list(optional)
    expected = {_canonical(name): name for name in required + optional}
    reader = csv.reader(io.StringIO(text, newline=""))
    warnings: list[Problem] = []
    try:
        header = next(reader)
    except StopIteration:
        raise ScheduleFileError([Problem(filename, "the file is empty")]) from None
    except csv.Error as error:
        raise ScheduleFileError([Problem(filename, f"not a CSV file: {error}", line=1)]) from None

    mapping: dict[int, str] = {}
    for index, raw in enumerate(header):
        name = expected.get(_canonical(raw))
        if name is None and fuzzy_headers and raw.strip():
            close = difflib.get_close_matches(_canonical(raw), expected, n=1, cutoff=0.8)
            if close:
                name = expected[close[0]]
                warnings.append(
                    Problem(filename, f"read column “{raw}” as “{name}”", line=1, column=raw)
                )
        if name is None:
            if raw.strip():
                warnings.append(
                    Problem(filename, f"unknown column “{raw}” ignored", line=1, column=raw)
                )
            continue
        if name in mapping.values():
            raise ScheduleFileError(
                [Problem(filename, f"column “{name}” appears twice", line=1, column=raw)]
            )
        mapping[index] = name

    missing = [name for name in required if name not in mapping.values()]
    if missing:
        raise ScheduleFileError(
            [
                Problem(filename, f"missing required column “{name}”", line=1, column=name)
                for name in missing
            ]
        )

    rows: list[Row] = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            rows.append(
                Row(
                    line=reader.line_num,
                    values={mapping[i]: v for i, v in enumerate(values) if i in mapping},
                )
            )
    except csv.Error as error:
        raise ScheduleFileError(
            [Problem(filename, f"not readable as CSV: {error}", line=reader.line_num)]
        ) from None
    return CsvTable(filename=filename, columns=list(mapping.values()), rows=rows, warnings=warnings)


def spreadsheet_safe(value: object) -> str:
    """A cell value that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_rows(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """CSV lines with every cell made spreadsheet-safe, for streaming responses."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
