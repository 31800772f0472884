"""Reading the CSV files of public records: plain or gzipped, with or without a byte-order mark,
row by row, each row with its line."""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

import attrs

from cybertimeline.errors import Problem, TimelineError, ValidationError

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

__all__ = ["Table", "open_table"]

_GZIP_MAGIC = b"\x1f\x8b"
_UNREADABLE = (UnicodeDecodeError, csv.Error, EOFError, gzip.BadGzipFile, zlib.error)
"""What reading a row raises where the file is not a UTF-8 CSV file (or gzip file) there."""


@attrs.define
class Table:
    """A CSV file being read: its header, and its rows as dicts, each with its line number."""

    path: Path
    header: tuple[str, ...]
    _reader: CsvReader
    _handle: io.TextIOWrapper
    _raw: io.BufferedReader
    size: int
    """The file's size in bytes, for progress."""

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """``(line, {column: value})`` for each row; values stripped of surrounding spaces.

        Raises:
            ValidationError: a row has more cells than the header, at its line.
        """
        header = self.header
        for line, cells in self.cells():
            yield line, dict(zip(header, cells, strict=True))

    def cells(self) -> Iterator[tuple[int, list[str]]]:
        """``(line, values)`` for each row, the values in the header's order, stripped of
        surrounding spaces, a short row's missing ones empty; blank rows skipped. Cheaper than
        `rows` where a loop runs once a row (a votes file): no dict is made.

        Raises:
            ValidationError: a row has more cells than the header, at its line.
        """
        width = len(self.header)
        reader = self._reader
        strip = str.strip
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except _UNREADABLE as exc:
                raise self._unreadable(exc) from None
            if len(cells) == width:  # the usual row: stripped at the speed of C
                stripped = list(map(strip, cells))
                if any(stripped):
                    yield reader.line_num, stripped
                continue
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > width:
                raise ValidationError([Problem(
                    message=f"{len(cells)} cells where the header has {width}: quote the "
                            f"cells that hold commas", file=self.path, line=line)])
            yield line, [c.strip() for c in cells] + [""] * (width - len(cells))

    @contextlib.contextmanager
    def reading(self) -> Iterator[CsvReader]:
        """The CSV reader itself, for a loop that runs once a row of a large file (a votes
        file) and does itself what `cells` does where it must: its rows are as read (not
        stripped; blank, short and long rows kept), its ``line_num`` the current row's last
        line. A row that cannot be read raises a ValidationError at its line."""
        try:
            yield self._reader
        except _UNREADABLE as exc:
            raise self._unreadable(exc) from None

    def _unreadable(self, exc: Exception) -> ValidationError:
        return ValidationError([Problem(
            message=f"cannot be read from here on ({exc}): save it as UTF-8 CSV",
            file=self.path, line=self._reader.line_num + 1)])

    @property
    def position(self) -> int:
        """How many bytes of the file have been read (of the compressed file, if gzipped)."""
        return self._raw.tell()

    def require(self, columns: Sequence[str], what: str) -> None:
        """Raise a ValidationError naming the missing columns, if any."""
        missing = [c for c in columns if c not in self.header]
        if missing:
            raise ValidationError([Problem(
                message=f"not {what}: no column {', '.join(repr(c) for c in missing)} "
                        f"(its header is {', '.join(self.header)})",
                file=self.path, line=1)])

    def close(self) -> None:
        """Close the file."""
        self._handle.close()
        self._raw.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_table(path: str | Path) -> Table:
    """Open a CSV file (gzipped or not, UTF-8 with or without a byte-order mark) and read its
    header. Every cell is text: "NA" stays "NA" (Namibia's code), never a missing value.

    Raises:
        TimelineError: the file cannot be read, or is empty.
    """
    file = Path(path)
    try:
        raw = file.open("rb")
    except OSError as exc:
        raise TimelineError(f"{file}: cannot be read: {exc.strerror}") from None
    size = file.stat().st_size
    compressed = raw.read(2) == _GZIP_MAGIC
    raw.seek(0)
    stream: IO[bytes] = gzip.GzipFile(fileobj=raw) if compressed else raw  # type: ignore[assignment]
    handle = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(handle)
    try:
        header = next(reader, None)
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError, zlib.error) as exc:
        handle.close()
        raise TimelineError(f"{file}: not a UTF-8 CSV file ({exc})") from None
    if header is None:
        handle.close()
        raise TimelineError(f"{file}: is empty: a CSV file starts with its header")
    return Table(file, tuple(h.strip() for h in header), reader, handle, raw, size)
