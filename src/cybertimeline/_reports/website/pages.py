"""The HTML of the site's pages: one frame (header, search box, skip link), tables with
captions and headers, the date control. Every text from the data is escaped here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cybertimeline._model.markup import Markup, escape

__all__ = ["date_control", "frame", "table"]


def frame(title: str, body: Markup, root: str, *, scripts: Sequence[str] = (),
          page: str = "page") -> str:
    """A whole page: ``body`` under the site's header, with its data scripts.

    ``root`` is the way back to the site's folder (``""`` or ``"../"``).
    """
    loads = "".join(f'<script src="{escape(root + s)}"></script>\n' for s in scripts)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} · cybertimeline</title>\n"
        f'<link rel="stylesheet" href="{root}site.css">\n'
        f'<script src="{root}site.js"></script>\n{loads}'
        "</head>\n"
        f'<body data-root="{root}" data-page="{escape(page)}">\n'
        '<a class="skip" href="#main">Skip to the content</a>\n'
        '<header class="site">'
        f'<a class="home" href="{root}index.html">cybertimeline</a>'
        f'<form role="search" action="{root}search.html" method="get">'
        '<label for="site-q">Search titles and names</label> '
        '<input id="site-q" name="q" type="search"> <button type="submit">Search</button>'
        "</form></header>\n"
        f'<main id="main">\n<h1>{escape(title)}</h1>\n{body}\n</main>\n'
        "</body>\n</html>\n")


def table(caption: str, header: Sequence[str], rows: Iterable[Sequence[object]],
          *, name: str | None = None, body: Markup | None = None) -> Markup:
    """A table with a caption and column headers; with ``name``, its body is filled by the
    script from the data table of that name (rows shown on the chosen day); ``body``: rows
    already made (`Markup`), instead of ``rows``."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    made = body if body is not None else "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    data = "" if name is None else f' id="t-{escape(name)}" data-table="{escape(name)}"'
    return Markup(f'<div class="table-wrap"><table{data}><caption>{escape(caption)}'
                  f"</caption><thead><tr>{head}</tr></thead><tbody>{made}</tbody>"
                  "</table></div>")


def date_control(day: str, first: str, last: str, jumps: Sequence[tuple[str, str]]) -> Markup:
    """The date control: a date field (keyboard and picker), and buttons to named days."""
    buttons = "".join(f'<button type="button" data-jump="{escape(d)}">{escape(label)}</button>'
                      for label, d in jumps)
    return Markup(
        '<div class="control" role="group" aria-label="Date">'
        f'<label for="day">Show the record on</label> <input id="day" type="date" '
        f'value="{escape(day)}" min="{escape(first)}" max="{escape(last)}">{buttons}'
        '<noscript>The tables below need JavaScript.</noscript></div>')
