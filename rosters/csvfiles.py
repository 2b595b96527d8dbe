"""Reading CSV files that people exported from other systems, and writing ones they will open.

Every failure names the file, the line and the column, so that a teacher can fix
the file in a spreadsheet and try again.
"""

import codecs
import csv
import difflib
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from charset_normalizer import from_bytes

from .schedule_data import Problem, ScheduleFileError


class ByteStream(Protocol):
    """What the readers need of a binary file: `read`, in pieces."""

    def read(self, size: int = -1, /) -> bytes: ...


class EmptyFileError(ScheduleFileError):
    """The file holds nothing but white space."""


# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# Files are read in pieces of this size, so that memory does not grow with the file.
CHUNK_BYTES = 64 * 1024
# What ends a line, as the csv module and `open(newline="")` see it.
LINE_END = re.compile(r"\r\n|\r|\n")


def decode_text(data: bytes, filename: str) -> str:
    """UTF-8 (with or without BOM) or a clear error that says which line is not."""
    if not data.strip():
        raise EmptyFileError([Problem(filename, "the file is empty")])
    return "".join(text_lines(io.BytesIO(data), filename))


def _not_utf8(filename: str, line: int, sample: bytes) -> ScheduleFileError:
    guess = from_bytes(sample).best()
    looks_like = f" (it looks like {guess.encoding})" if guess else ""
    return ScheduleFileError(
        [
            Problem(
                filename,
                f"the file is not UTF-8 text{looks_like}; save it as “CSV UTF-8” "
                "and import it again",
                line=line,
            )
        ]
    )


def text_lines(binary: ByteStream, filename: str) -> Iterator[str]:
    """The lines of a UTF-8 file (BOM dropped), each with its line end, read piece by piece.

    A line ends at \\r\\n, \\r or \\n, as with `open(newline="")`."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending, line = "", 1
    while True:
        chunk = binary.read(CHUNK_BYTES)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            good = chunk[: max(error.start, 0)].decode("utf-8", errors="replace")
            bad_line = line + len(LINE_END.findall(pending + good))
            raise _not_utf8(filename, bad_line, chunk) from None
        pending += text
        # A \r at the very end may be the first half of \r\n: wait for the next piece.
        cut = len(pending) - 1 if chunk and pending.endswith("\r") else len(pending)
        start = 0
        for match in LINE_END.finditer(pending, 0, cut):
            yield pending[start : match.end()]
            start = match.end()
            line += 1
        pending = pending[start:]
        if not chunk:
            break
    if pending:
        yield pending


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


class TableReader:
    """A CSV file with a header row, read one row at a time (the file is never held whole).

    The header is read when the reader is made, so that its problems show before any row:
    names match case- and underscore-insensitively; with `fuzzy_headers`, a misspelled
    header close to exactly one expected name is read as that name (with a warning). Unknown
    columns are ignored with a warning, except those `ignored` says to skip silently.
    Iterating gives the rows that are not blank, keyed by the expected column names.
    """

    def __init__(
        self,
        binary: ByteStream,
        filename: str,
        *,
        required: Iterable[str],
        optional: Iterable[str] = (),
        fuzzy_headers: bool = False,
        ignored: Callable[[str], bool] = lambda column: False,
    ):
        self.filename = filename
        self._nul_seen = False
        self._reader = csv.reader(self._watched(text_lines(binary, filename)))
        self.warnings: list[Problem] = []
        header = self._header()
        self._names = [raw.strip() for raw in header]
        self._mapping = self._map(header, list(required), list(optional), fuzzy_headers, ignored)
        self.columns = list(self._mapping.values())

    def _watched(self, lines: Iterator[str]) -> Iterator[str]:
        """The lines, noting a NUL on the way: cells are searched for it only then."""
        for line in lines:
            if "\0" in line:
                self._nul_seen = True
            yield line

    def _header(self) -> list[str]:
        filename = self.filename
        try:
            header = next(self._reader)
            # A blank first line: the file is empty, or its header is missing (the rows after
            # it are read for nothing, as no column can be matched).
            blank = not any(cell.strip() for cell in header)
            if blank and not any(any(cell.strip() for cell in row) for row in self._reader):
                raise EmptyFileError([Problem(filename, "the file is empty")])
        except StopIteration:
            raise EmptyFileError([Problem(filename, "the file is empty")]) from None
        except csv.Error as error:
            raise ScheduleFileError(
                [Problem(filename, f"not a CSV file: {error}", line=1)]
            ) from None
        for raw in header:
            if "\0" in raw:
                raise ScheduleFileError([_nul_problem(filename, 1, raw.replace("\0", ""))])
        return header

    def _map(
        self,
        header: list[str],
        required: list[str],
        optional: list[str],
        fuzzy_headers: bool,
        ignored: Callable[[str], bool],
    ) -> dict[int, str]:
        filename = self.filename
        expected = {_canonical(name): name for name in required + optional}
        mapping: dict[int, str] = {}
        for index, raw in enumerate(header):
            if ignored(raw):
                continue
            name = expected.get(_canonical(raw))
            if name is None and fuzzy_headers and raw.strip():
                close = difflib.get_close_matches(_canonical(raw), expected, n=1, cutoff=0.8)
                if close:
                    name = expected[close[0]]
                    self.warnings.append(
                        Problem(filename, f"read column “{raw}” as “{name}”", line=1, column=raw)
                    )
            if name is None:
                if raw.strip():
                    self.warnings.append(
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
        return mapping

    def __iter__(self) -> Iterator[Row]:
        reader = self._reader
        pairs = sorted(self._mapping.items())
        try:
            for values in reader:
                if not "".join(values).strip():
                    continue
                if self._nul_seen:
                    self._nul_check(values, reader.line_num)
                count = len(values)
                yield Row(
                    line=reader.line_num,
                    values={name: values[i] for i, name in pairs if i < count},
                )
        except csv.Error as error:
            raise ScheduleFileError(
                [Problem(self.filename, f"not readable as CSV: {error}", line=reader.line_num)]
            ) from None

    def _nul_check(self, values: list[str], line: int) -> None:
        for index, value in enumerate(values):
            if "\0" in value:
                column = self._mapping.get(index) or self._column_name(index)
                raise ScheduleFileError([_nul_problem(self.filename, line, column)])

    def _column_name(self, index: int) -> str:
        name = self._names[index] if index < len(self._names) else ""
        return name or f"#{index + 1}"


def _nul_problem(filename: str, line: int, column: str) -> Problem:
    # PostgreSQL cannot store a NUL character; a text file holds one only when it is
    # damaged or saved as UTF-16, so the whole file is refused rather than the cell dropped.
    return Problem(
        filename,
        "the cell holds a NUL character (\\0), which a CSV file never has: the file is "
        "damaged or not saved as “CSV UTF-8”; save it again and import it again",
        line=line,
        column=column,
    )


def read_table(
    data: bytes,
    filename: str,
    *,
    required: Iterable[str],
    optional: Iterable[str] = (),
    fuzzy_headers: bool = False,
) -> CsvTable:
    """Parse a whole CSV held in memory with a header row (see TableReader)."""
    if not data.strip():
        raise EmptyFileError([Problem(filename, "the file is empty")])
    table = TableReader(
        io.BytesIO(data),
        filename,
        required=required,
        optional=optional,
        fuzzy_headers=fuzzy_headers,
    )
    rows = list(table)
    return CsvTable(filename=filename, columns=table.columns, rows=rows, warnings=table.warnings)


def cell_list(text: str) -> list[str]:
    """The items of a cell that holds a comma-separated list (`"9, 10"`), blanks dropped."""
    return [part.strip() for part in text.split(",") if part.strip()]


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
