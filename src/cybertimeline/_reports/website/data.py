"""What the site's pages load: JSON safe inside HTML and scripts, numbered sources, file names.

Data goes to scripts of the site's own (``data/.../name-1.js``, each calling ``CT.add``), not
to JSON files read with ``fetch``, which browsers refuse on ``file://``. Long tables are split
over several such files so that none is over `CHUNK_BYTES`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from cybertimeline._model.markup import Markup, escape, link
from cybertimeline._model.sources import Source

__all__ = ["CHUNK_BYTES", "SOURCES_PER_PAGE", "Slugs", "SourceBook", "chunks", "safe_json"]

SOURCES_PER_PAGE = 500
"""Sources listed on each page of ``sources/`` (the script computes the same page)."""

CHUNK_BYTES = 1_000_000
"""The most a data file of the site holds, about (a row is never split)."""

_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
           "\u2029": "\\u2029"}


def safe_json(value: Any) -> str:
    """``value`` as JSON that cannot end a ``<script>`` or open a comment or entity inside
    one: ``<``, ``>`` and ``&`` (and the line separators JavaScript reads as line ends) are
    written as ``\\u`` escapes, which JSON reads back unchanged."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for unsafe, written in _UNSAFE.items():
        text = text.replace(unsafe, written)
    return text


def script(value: Any) -> str:
    """A data file: ``CT.add(...)`` of ``value``."""
    return f"CT.add({safe_json(value)});\n"


def chunks(tables: Mapping[str, list[Any]], extra: Mapping[str, Any]) -> list[str]:
    """The data files of a page: ``extra`` (counts...) and the tables in the first, a table
    longer than about `CHUNK_BYTES` cut in slices, each its own file."""
    first = {name: _slices(rows) for name, rows in tables.items()}
    head = safe_json(dict(extra))[1:-1]
    body = ",".join(f"{safe_json(name)}:{pieces[0]}" for name, pieces in first.items())
    files = [f'CT.add({{{head}{"," if head else ""}"tables":{{{body}}}}});\n']
    for name, pieces in first.items():
        files.extend(f'CT.add({{"tables":{{{safe_json(name)}:{piece}}}}});\n'
                     for piece in pieces[1:])
    return files


def _slices(rows: list[Any]) -> list[str]:
    """``rows`` as JSON arrays of at most about `CHUNK_BYTES` each (a row is never cut)."""
    text = safe_json(rows)
    if len(text) <= CHUNK_BYTES or len(rows) < 2:
        return [text]
    parts = len(text) // CHUNK_BYTES + 1
    size = -(-len(rows) // parts)
    return [piece for i in range(0, len(rows), size) for piece in _slices(rows[i:i + size])]


class SourceBook:
    """Every source of the site, numbered once: a fact cites ``[n]``, linking to its entry
    on the pages of ``sources/``."""

    def __init__(self) -> None:
        self.numbers: dict[Source, int] = {}
        self.ordered: list[Source] = []

    def cite(self, sources: Iterable[Source]) -> list[int]:
        """The numbers of these sources (numbering the new ones), each once, in order."""
        found = []
        for source in sources:
            number = self.numbers.setdefault(source, len(self.numbers) + 1)
            if number not in found:
                found.append(number)
        return found

    @staticmethod
    def href(number: int, root: str) -> str:
        """Where source ``number`` is listed, from a page at ``root``."""
        return f"{root}sources/{(number - 1) // SOURCES_PER_PAGE + 1}.html#src-{number}"

    def links(self, sources: Iterable[Source], root: str) -> Markup:
        """``[1][2]`` as links to the numbered sources."""
        return Markup("".join(
            f'<sup class="cite"><a href="{self.href(n, root)}" aria-label="source {n}">'
            f"[{n}]</a></sup>" for n in self.cite(sources)))

    def sources(self) -> list[Source]:
        """The sources numbered so far, in the order of their numbers."""
        if len(self.ordered) != len(self.numbers):
            self.ordered = [s for s, _ in sorted(self.numbers.items(), key=lambda i: i[1])]
        return self.ordered

    def pages(self) -> list[list[tuple[int, Source]]]:
        """The numbered sources, `SOURCES_PER_PAGE` to a page."""
        ordered = sorted((n, s) for s, n in self.numbers.items())
        return [ordered[i:i + SOURCES_PER_PAGE]
                for i in range(0, len(ordered), SOURCES_PER_PAGE)] or [[]]


def source_item(number: int, source: Source) -> Markup:
    """One numbered source as a list item: title (linked), publisher, date, locator, quote."""
    details = [escape(part) for part in (source.publisher,
                                         None if source.published is None
                                         else str(source.published),
                                         source.locator) if part]
    quote = (f"<blockquote>{escape(source.quote)}</blockquote>" if source.quote else "")
    return Markup(f'<li id="src-{number}" value="{number}">{link(source.url, source.title)}'
                  f"{'. ' if details else ''}{Markup('; ').join(details)}{quote}</li>")


class Slugs:
    """File names for ids: letters, digits, ``-`` and ``_`` only, unique, the same id
    always the same name."""

    def __init__(self) -> None:
        self.given: dict[str, str] = {}
        self.taken: set[str] = set()

    def __call__(self, name: str) -> str:
        if name in self.given:
            return self.given[name]
        base = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:80] or "x"
        slug, n = base, 1
        while slug.lower() in self.taken:
            n += 1
            slug = f"{base}-{n}"
        self.taken.add(slug.lower())
        self.given[name] = slug
        return slug
