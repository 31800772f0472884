"""HTML for notebooks: tables, status badges and numbered, linked sources, every text escaped.

What every ``_repr_html_`` shares. Names, titles, summaries and quotes come
from data files, so nothing reaches the page unescaped: text is escaped
unless it is `Markup` (HTML this module built), and only ``http`` and
``https`` addresses become links.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

from cybertimeline._model.palette import colour, ink
from cybertimeline._model.sources import Source
from cybertimeline._model.wording import STATUS_WORDS, Citations

__all__ = ["Markup", "badge", "block", "cited", "escape", "heading", "join", "link",
           "sources_list", "table"]

_LINKABLE = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)
_CELL = "padding:2px 8px;text-align:left;vertical-align:top"
_WRAP_MIN = "16em"
"""How narrow a column that wraps (a summary, a title) may be squeezed by the columns that do
not: the table scrolls sideways before a summary becomes a word a line."""
_BADGE = ("display:inline-block;padding:0 0.55em;border-radius:0.7em;font-size:0.9em;"
          "line-height:1.5;white-space:nowrap")


class Markup(str):
    """HTML that this module built: joined as it is, where any other text is escaped."""

    __slots__ = ()


def escape(value: object) -> Markup:
    """``value`` as HTML text: escaped, unless it is already `Markup`."""
    import html  # here: html imports its table of entities, which text output never needs

    if isinstance(value, Markup):
        return value
    return Markup(html.escape("" if value is None else str(value), quote=True))


def join(parts: Iterable[object], separator: str = "") -> Markup:
    """The parts, each escaped unless `Markup`, joined."""
    return Markup(separator.join(escape(part) for part in parts))


def link(url: str | None, text: object) -> Markup:
    """``text`` linking to ``url`` where it is an http(s) address; else the text alone."""
    if not url or not _LINKABLE.fullmatch(url):
        return escape(text)
    return Markup(f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">'
                  f"{escape(text)}</a>")


def badge(value: str) -> Markup:
    """A status, option or stance as a coloured label, in the colour pictures give it;
    ``none`` reads "not a signatory" and ``unknown`` "no data", outlined (rule 10)."""
    words = STATUS_WORDS.get(value, value)
    if value == "unknown":
        style = f"{_BADGE};border:1px dashed #888888;color:#444444"
    elif value == "not_yet_open":  # nothing could have happened yet: outlined, dotted
        style = f"{_BADGE};border:1px dotted #888888;color:#444444"
    else:
        style = f"{_BADGE};background:{colour(value)};color:{ink(value)}"
    return Markup(f'<span class="ct-badge ct-{escape(value)}" style="{style}">'
                  f"{escape(words)}</span>")


def heading(text: object, level: int = 4) -> Markup:
    """A small heading inside an output."""
    return Markup(f'<h{level} style="margin:0.8em 0 0.3em">{escape(text)}</h{level}>')


def table(header: Sequence[str], rows: Iterable[Sequence[object]],
          wrap: Collection[str] = ()) -> Markup:
    """A table that scrolls sideways rather than overflow its output; cells escaped unless
    `Markup`. Only the columns named in ``wrap`` (names, summaries, quotes) wrap their lines,
    and keep at least `_WRAP_MIN` wide: dates, ids and badges keep theirs."""
    styles = [f"{_CELL};min-width:{_WRAP_MIN}" if name in wrap
              else f"{_CELL};white-space:nowrap" for name in header]
    head = join(Markup(f'<th style="{style}">{escape(h)}</th>')
                for h, style in zip(header, styles, strict=True))
    body = join(Markup("<tr>" + join(Markup(f'<td style="{style}">{escape(c)}</td>')
                                     for c, style in zip(row, styles, strict=True)) + "</tr>")
                for row in rows)
    return Markup(f'<div style="overflow-x:auto;max-width:100%"><table class="ct-table">'
                  f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def cited(cites: Citations, sources: Iterable[Source]) -> Markup:
    """The numbers of ``sources`` (``[1][2]``), numbering new ones, as small text."""
    numbers = cites.cite(sources)
    return Markup(f'<span class="ct-cite">{escape(numbers)}</span>') if numbers else Markup("")


def sources_list(cites: Citations) -> Markup:
    """The numbered sources: publisher, title (linked to its address), date, locator, quote."""
    if not cites:
        return Markup("")
    items = []
    for source in cites.sources:
        parts: list[object] = []
        if source.publisher:
            parts += [source.publisher, ". "]
        parts.append(Markup(f"<cite>{link(source.url, source.title)}</cite>"))
        if source.published:
            parts.append(f" ({source.published})")
        if source.locator:
            parts.append(f", {source.locator}")
        if source.quote:
            parts += [": ", Markup(f"<q>{escape(source.quote)}</q>")]
        items.append(Markup(f"<li>{join(parts)}</li>"))
    return Markup(f'{heading("Sources")}<ol class="ct-sources" style="margin-top:0">'
                  f"{join(items)}</ol>")


def block(kind: str, *parts: object) -> Markup:
    """An output of one kind of result (``position``, ``changelog``...): its parts in a box
    that keeps them to the width of the output."""
    return Markup(f'<div class="cybertimeline ct-{escape(kind)}" style="max-width:100%;'
                  f'overflow-wrap:break-word">{join(parts)}</div>')
