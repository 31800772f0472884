"""A notebook-style page of rich results: each cell's code, then its ``_repr_html_()``.

What a researcher sees in Jupyter, without Jupyter: ``tests/test_notebook.py`` opens
the page in headless Chromium, checks what it shows and screenshots each output
(the pictures of ``docs/notebook.md``). The style is JupyterLab's for rendered HTML,
in short, at a notebook's width.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import attrs

import cybertimeline as ct


@attrs.frozen
class Cell:
    """A cell: its name (the screenshot's), the code a researcher types, and what it shows."""

    name: str
    code: str
    run: Callable[[ct.Timeline], Any]


CELLS = (
    Cell("position", 'tl.position("CAN", as_of="2016-01-01")',
         lambda tl: tl.position("CAN", as_of="2016-01-01")),
    Cell("stances", 'tl.position("CAN", as_of="2022-12-31")',
         lambda tl: tl.position("CAN", as_of="2022-12-31")),
    Cell("chart", 'tl.status("budapest-convention", as_of="2016-01-01")',
         lambda tl: tl.status("budapest-convention", as_of="2016-01-01")),
    Cell("changelog", 'tl.changelog("CAN", since="2014", until="2016")',
         lambda tl: tl.changelog("CAN", since="2014", until="2016")),
    Cell("listing", 'tl.listing("CAN", until="2016")',
         lambda tl: tl.listing("CAN", until="2016")),
    Cell("plot", 'tl.plot(["CAN", "KOR", "EU", "ISL"], instrument="budapest-convention", '
                 'until="2023")',
         lambda tl: tl.plot(["CAN", "KOR", "EU", "ISL"], instrument="budapest-convention",
                            until="2023")),
)
"""The cells of the page of the bundled dataset, in order."""

_STYLE = """
body { margin: 0; background: #ffffff; font-family: system-ui, -apple-system, "Segoe UI",
       Roboto, "DejaVu Sans", sans-serif; font-size: 14px; color: rgba(0, 0, 0, 0.87); }
main { width: 900px; margin: 16px auto; }
.cell { margin: 0 0 18px 0; }
.input { display: flex; }
.prompt { width: 64px; flex: none; color: #307fc1; font-family: monospace; font-size: 13px;
          padding-top: 6px; }
.output .prompt { color: #bf5b3d; }
pre { flex: 1; margin: 0; padding: 6px 8px; background: #f5f5f5; border: 1px solid #e0e0e0;
      font-size: 13px; white-space: pre-wrap; }
.output { display: flex; margin-top: 6px; }
.rendered { flex: 1; min-width: 0; }
.rendered table { border-collapse: collapse; border: none; font-size: 12px; }
.rendered thead { border-bottom: 1px solid #bdbdbd; }
.rendered th { font-weight: bold; }
.rendered tbody tr:nth-child(even) { background: #f5f5f5; }
.rendered tbody tr:hover { background: rgba(66, 165, 245, 0.2); }
.rendered h3 { font-size: 16px; } .rendered h4 { font-size: 14px; }
.rendered a { color: #1976d2; }
"""


def page(outputs: list[tuple[Cell, str]], title: str = "cybertimeline in a notebook") -> str:
    """A page of cells, each with its code and its HTML output."""
    cells = []
    for number, (cell, output) in enumerate(outputs, start=1):
        cells.append(
            f'<section class="cell" id="cell-{html.escape(cell.name)}">'
            f'<div class="input"><div class="prompt">[{number}]:</div>'
            f"<pre><code>{html.escape(cell.code)}</code></pre></div>"
            f'<div class="output"><div class="prompt">[{number}]:</div>'
            f'<div class="rendered">{output}</div></div></section>')
    setup = Cell("setup", "import cybertimeline as ct\ntl = ct.load()", lambda tl: None)
    first = (f'<section class="cell"><div class="input"><div class="prompt">[ ]:</div>'
             f"<pre><code>{html.escape(setup.code)}</code></pre></div></section>")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body><main>{first}{''.join(cells)}</main></body></html>")


def bundled_page() -> str:
    """The page of the bundled dataset: every cell of `CELLS`, run."""
    tl = ct.load()
    return page([(cell, cell.run(tl)._repr_html_()) for cell in CELLS])
