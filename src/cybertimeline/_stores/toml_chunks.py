"""A TOML file cut into its entries before parsing, so that parsing stays bounded.

tomllib keeps bookkeeping for every table and key of a document, up to a few
hundred times the text's size (and time quadratic in the parts of a dotted
key). So a file is first scanned (strings and comments skipped) for the
headers that start an entry (``[[event]]``, ``[actors.ID]``...), cut there,
and each piece parsed on its own: a header of this kind always names the same
table wherever it stands, so the pieces mean what the whole file means.
Memory then grows with the largest piece, which is limited, not with the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

__all__ = ["EVENT_HEADER", "MAX_KEY_PARTS", "REGISTRY_HEADER", "Piece", "pieces", "too_deep_key"]

MAX_KEY_PARTS = 16
"""A dotted key or table header of more parts than this is refused (tomllib takes time
quadratic in them); the event format needs four at most."""

EVENT_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*event[ \t]*\]\]", re.M)
REGISTRY_HEADER = re.compile(
    r"^[ \t]*\[(?!\[)[ \t]*(?:actors|instruments)[ \t]*\.[ \t]*[A-Za-z0-9_-]+[ \t]*\]", re.M)

# Strings and comments, the only places where a header or dotted key is not one.
_SKIPPED = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*', re.S)
_DEEP_KEY = re.compile(rf"(?:[A-Za-z0-9_-]+[ \t]*\.[ \t]*){{{MAX_KEY_PARTS}}}[A-Za-z0-9_-]")


@attrs.frozen
class Piece:
    """Part of a TOML file: its text, and the line of the file it starts on."""

    text: str
    line: int


def _blanked(text: str) -> str:
    """The text with each string replaced by ``s`` and each comment removed, lines kept."""
    def blank(match: re.Match[str]) -> str:
        found = match.group()
        return ("" if found.startswith("#") else "s") + "\n" * found.count("\n")

    return _SKIPPED.sub(blank, text)


def too_deep_key(text: str) -> int | None:
    """The line of a dotted key or header of more than `MAX_KEY_PARTS` parts, if any."""
    blanked = _blanked(text)
    found = _DEEP_KEY.search(blanked)
    return None if found is None else blanked.count("\n", 0, found.start()) + 1


def _lines_of(matches: Iterator[re.Match[str]]) -> Iterator[int]:
    """The line of each match, counted as the matches go (each newline counted once)."""
    line, position = 1, 0
    for match in matches:
        line += match.string.count("\n", position, match.start())
        position = match.start()
        yield line


def pieces(text: str, header: re.Pattern[str]) -> Iterator[Piece]:
    """The file cut before each line that ``header`` matches outside strings and comments.

    The first piece is what comes before the first header (it may be empty).
    """
    lines = set(_lines_of(header.finditer(_blanked(text))))
    matches = list(header.finditer(text))
    start, line = 0, 1
    for match, found in zip(matches, _lines_of(iter(matches)), strict=True):
        if found not in lines or match.start() == 0:
            continue
        yield Piece(text[start:match.start()], line)
        start, line = match.start(), found
    yield Piece(text[start:], line)
