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


def field_line(lines: Sequence[str], start: int, end: int, path: str | None) -> int:
    """The line of field ``path`` (``date``, ``sources[1]``, ``votes[CAN]``) in lines start..end-1.

    ``start`` is the 1-based line of the event's header; the result is that
    line when the field cannot be found.
    """
    if not path:
        return start
    match = _FIELD_STEP.match(path)
    if match is None:
        return start
    name, index = match.groups()
    block = range(start, min(end, len(lines) + 1))
    array_header = re.compile(rf"^\s*\[\[\s*event\s*\.\s*{re.escape(name)}\s*\]\]")
    table_header = re.compile(rf"^\s*\[\s*event\s*\.\s*{re.escape(name)}\s*\]")
    assignment = re.compile(rf"^\s*\"?{re.escape(name)}\"?\s*=")
    headers = [n for n in block if array_header.match(lines[n - 1])]
    if headers:
        position = int(index) if index is not None and index.isdigit() else 0
        return headers[position] if position < len(headers) else headers[0]
    for n in block:
        if table_header.match(lines[n - 1]):
            if index is not None:
                key = re.compile(rf"^\s*\"?{re.escape(index)}\"?\s*=")
                for m in range(n + 1, block.stop):
                    if lines[m - 1].lstrip().startswith("["):
                        break
                    if key.match(lines[m - 1]):
                        return m
            return n
    for n in block:
        if assignment.match(lines[n - 1]):
            return n
    return start


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
