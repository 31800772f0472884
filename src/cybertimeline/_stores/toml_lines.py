"""Find the line of an event, or of one of its fields, in a TOML file's text.

tomllib gives values without positions; these helpers recover them from the
text so that every problem can name its line. They read the TOML headers
written the usual way (``[[event]]``, ``[[event.sources]]``, ``[event.votes]``);
for anything else they fall back to the event's first line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_EVENT_HEADER = re.compile(r"^\s*\[\[\s*event\s*\]\]")
_FIELD_STEP = re.compile(r"([^.\[\]]+)(?:\[([^\]]+)\])?")


def event_lines(text: str) -> list[int]:
    """The 1-based line of each ``[[event]]`` header, in order."""
    return [n for n, line in enumerate(text.splitlines(), 1) if _EVENT_HEADER.match(line)]


_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*event\s*\.\s*(.+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*event\s*\.\s*(.+?)\s*\]")
_ASSIGNMENT = re.compile(r"^\s*(?:\"([^\"]*)\"|([^\s=\"]+))\s*=")


class EventFields:
    """Where each field of one event is, found in one pass over its lines: so that each
    problem's line is found in constant time, however many fields the event has."""

    def __init__(self, lines: Sequence[str], start: int, end: int) -> None:
        self.start = start
        self._arrays: dict[str, list[int]] = {}
        self._tables: dict[str, tuple[int, dict[str, int]]] = {}
        self._assignments: dict[str, int] = {}
        keys: dict[str, int] | None = None  # of the first table of its name, while in it
        for n in range(start, min(end, len(lines) + 1)):
            line = lines[n - 1]
            if (found := _ARRAY_HEADER.match(line)) is not None:
                self._arrays.setdefault(found[1], []).append(n)
                keys = None
            elif (found := _TABLE_HEADER.match(line)) is not None:
                keys = None
                if found[1] not in self._tables:
                    keys = {}
                    self._tables[found[1]] = (n, keys)
            elif line.lstrip().startswith("["):
                keys = None
            elif (found := _ASSIGNMENT.match(line)) is not None:
                key = found[1] if found[1] is not None else found[2]
                self._assignments.setdefault(key, n)
                if keys is not None:
                    keys.setdefault(key, n)

    def line(self, path: str | None) -> int:
        """The line of field ``path`` (``date``, ``sources[1]``, ``votes[CAN]``); the event's
        first line when it cannot be found."""
        match = _FIELD_STEP.match(path) if path else None
        if match is None:
            return self.start
        name, index = match.groups()
        headers = self._arrays.get(name)
        if headers:
            position = int(index) if index is not None and index.isdigit() else 0
            return headers[position] if position < len(headers) else headers[0]
        if name in self._tables:
            header, keys = self._tables[name]
            return keys.get(index, header) if index is not None else header
        return self._assignments.get(name, self.start)


def field_line(lines: Sequence[str], start: int, end: int, path: str | None) -> int:
    """The line of field ``path`` (``date``, ``sources[1]``, ``votes[CAN]``) in lines start..end-1.

    ``start`` is the 1-based line of the event's header; the result is that
    line when the field cannot be found.
    """
    return EventFields(lines, start, end).line(path)


def table_lines(text: str, table: str) -> dict[str, int]:
    """The line of each ``[table.KEY]`` header in ``text``, by key, in one pass."""
    header = re.compile(rf"^[ \t]*\[[ \t]*{re.escape(table)}[ \t]*\.[ \t]*"
                        rf"(?:\"([^\"\n]*)\"|'([^'\n]*)'|([A-Za-z0-9_-]+))[ \t]*\]", re.M)
    found: dict[str, int] = {}
    line, position = 1, 0
    for match in header.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        found.setdefault(next(g for g in match.groups() if g is not None), line)
    return found
