"""A position as aligned text with numbered sources (what ``cybertimeline position`` prints),
and as HTML for notebooks.

Both are a heading, then each registered section rendered on a page (`TextPage`,
`HtmlPage`): a section renders itself (`SectionSpec.render`) or is a table of its
entries (`default_render`), then the sources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeVar

from cybertimeline._model import markup
from cybertimeline._model.dates import Date
from cybertimeline._model.markup import Markup, badge, cited
from cybertimeline._model.registry import Coverage, Registry
from cybertimeline._model.wording import STATUS_WORDS, Citations, Words, aligned, headline
from cybertimeline._projections.sections import Page, SectionSpec, sections, when

__all__ = ["SHOWN", "HtmlPage", "Sections", "TextPage", "default_render", "position_html",
           "position_text", "shown"]


class Sections(Protocol):
    """What a rendering reads of a `Position` (which imports this module, so cannot be named)."""

    @property
    def actor(self) -> str: ...
    @property
    def as_of(self) -> Date | None: ...
    @property
    def known_at(self) -> Date | None: ...
    @property
    def possible(self) -> bool: ...
    @property
    def coverage(self) -> Mapping[str, Coverage]: ...
    @property
    def not_yet_open(self) -> Mapping[str, Date]: ...
    def section(self, name: str) -> Any: ...


def _head(position: Sections, words: Words) -> str:
    when_asked = ("on every known event" if position.as_of is None
                  else f"as of {position.as_of}")
    head = f"{words.heading(position.actor)} {when_asked}"
    if position.known_at is not None:
        head += f", as known at {position.known_at}"
    if position.possible:
        head += " (counting possible events)"
    return head


T = TypeVar("T")

SHOWN = 20
"""How many entries of a section a position shows (its votes: the latest), unless asked
for all (``full``): a whole UN record is thousands of votes."""


def shown(items: Sequence[T], full: bool, latest: bool = False) -> tuple[Sequence[T], int]:
    """The items a section shows (all with ``full``; else the first `SHOWN`, or the latest)
    and how many it leaves out."""
    if full or len(items) <= SHOWN:
        return items, 0
    return (items[-SHOWN:] if latest else items[:SHOWN]), len(items) - SHOWN


def _titled(title: str, total: int, hidden: int, latest: bool = False) -> str:
    """A section's title; where entries are left out, how many there are and which show."""
    if not hidden:
        return title
    which = "latest" if latest else "first"
    return (f"{title} ({total:,}; the {which} {total - hidden} shown: "
            f"full=True or --all for all)")


class TextPage:
    """A position as aligned text: a title and indented rows per section."""

    def __init__(self, position: Sections, registry: Registry, full: bool) -> None:
        self.html = False
        self.position = position
        self.registry = registry
        self.words = Words(registry)
        self.cites = Citations()
        self.full = full
        self.lines = [_head(position, self.words)]

    def table(self, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], *,
              hidden: int = 0, latest: bool = False) -> None:
        if not rows:
            return
        if not hidden:
            rows, hidden = shown(rows, self.full, latest)
        self.lines.append(_titled(title, len(rows) + hidden, hidden, latest))
        self.lines.extend("  " + line for line in aligned([[str(c) for c in row]
                                                           for row in rows]))

    def cite(self, sources: Any) -> str:
        return self.cites.cite(sources)

    def badge(self, value: str) -> str:
        return STATUS_WORDS.get(value, value)

    def paragraph(self, title: str, text: str) -> None:
        self.lines += [title, "  " + text]

    def text(self) -> str:
        if len(self.lines) == 1:
            self.lines.append("  (no data on this actor by this date)")
        return "\n".join([*self.lines, *self.cites.block()])


_WRAP = ("Instrument", "Body", "Topic", "Quote", "Group", "What", "Title")
"""The columns of a position's tables whose text wraps."""


class HtmlPage:
    """A position as HTML: a table per section, status badges, numbered linked sources.
    A long section shows its first (votes: latest) entries; with ``full``, the others
    follow folded (``<details>``), else a line says how many are left out."""

    def __init__(self, position: Sections, registry: Registry, full: bool) -> None:
        self.html = True
        self.position = position
        self.registry = registry
        self.words = Words(registry)
        self.cites = Citations()
        self.full = full
        self.parts: list[object] = [Markup(
            f"<p><strong>{markup.escape(_head(position, self.words))}</strong></p>")]

    def table(self, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], *,
              hidden: int = 0, latest: bool = False) -> None:
        if not rows:
            return
        if not hidden:
            rows, hidden = shown(rows, self.full, latest)
        total = len(rows) + hidden
        self.parts.append(markup.heading(title if total <= SHOWN else f"{title} ({total:,})"))
        if self.full and len(rows) > SHOWN:
            first, rest = ((rows[-SHOWN:], rows[:-SHOWN]) if latest
                           else (rows[:SHOWN], rows[SHOWN:]))
            self.parts.extend([markup.table(header, first, _WRAP), Markup(
                f"<details><summary>{len(rest):,} more</summary>"
                f"{markup.table(header, rest, _WRAP)}</details>")])
            return
        self.parts.append(markup.table(header, rows, _WRAP))
        if hidden:
            which = "earlier" if latest else "more"
            self.parts.append(Markup(f"<p><em>{hidden:,} {which} not shown: "
                                     f"<code>.html(full=True)</code> shows them.</em></p>"))

    def cite(self, sources: Any) -> Markup:
        return cited(self.cites, sources)

    def badge(self, value: str) -> Markup:
        return badge(value)

    def paragraph(self, title: str, text: str) -> None:
        self.parts += [markup.heading(title), Markup(f"<p>{markup.escape(text)}</p>")]

    def text(self) -> str:
        if len(self.parts) == 1:
            self.parts.append(Markup("<p><em>No data on this actor by this date.</em></p>"))
        self.parts.append(markup.sources_list(self.cites))
        return markup.block("position", *self.parts)


def default_render(page: Page, spec: SectionSpec, entries: Any) -> None:
    """A section as a table of its entries: for a keyed one, its key, its one word, its date
    and sources; for a listed one, its date, its event's headline and sources."""
    if spec.keyed:
        page.table(spec.title, [spec.keys.title(), (spec.value or "").title(), "Date",
                                "Sources"],
                   [[key, page.badge(spec.word(e) or ""), when(e), page.cite(e.event.sources)]
                    for key, e in spec.ordered(entries)], latest=spec.latest)
        return
    page.table(spec.title, ["Date", "What", "Sources"],
               [[when(e), headline(e.event, page.registry), page.cite(e.event.sources)]
                for e in entries], latest=spec.latest)


def _render(page: TextPage | HtmlPage) -> str:
    for spec in sections():
        entries = page.position.section(spec.name)
        (spec.render or default_render)(page, spec, entries)
    return page.text()


def position_text(position: Sections, registry: Registry, full: bool = False) -> str:
    """The position as text: a heading, a section per kind of entry (long ones cut to their
    first or latest entries, unless ``full``), and the sources."""
    return _render(TextPage(position, registry, full))


def position_html(position: Sections, registry: Registry, full: bool = False) -> str:
    """The position as HTML: a table per section, status badges, numbered linked sources."""
    return _render(HtmlPage(position, registry, full))
