"""MkDocs hooks: draw the pictures of the bundled dataset at every build; keep private
classes out of the API reference.

The swimlane pictures are not kept in the repository: each build draws them afresh
from ``events/`` with :meth:`cybertimeline.Timeline.plot` and adds them to the site as
generated files, so they can never show an older dataset than the text beside them.
The calls are the ones shown in ``docs/how-to/plot.md``, where the test suite runs them.
(The notebook pictures, ``docs/pictures/notebook-*.png``, are screenshots taken by the
browser test: ``make screenshots``.)
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import cybertimeline as ct

BUDAPEST_LANES = ["CAN", "KOR", "EU", "JPN", "DEU", "ISL", "GRC"]

PICTURES: dict[str, Callable[[ct.Timeline], ct.Swimlanes]] = {
    "pictures/budapest.png": lambda tl: tl.plot(
        BUDAPEST_LANES, instrument="budapest-convention", until="2023",
        topics=["budapest-convention", "un-cybercrime-treaty"]),
    "pictures/ahc-known-2021-12-01.png": lambda tl: tl.plot(
        "AHC", since="2020", until="2022", known_at="2021-12-01",
        title="Ad Hoc Committee sessions, as known at 2021-12-01"),
    "pictures/ahc-known-now.png": lambda tl: tl.plot(
        "AHC", since="2020", until="2022",
        title="Ad Hoc Committee sessions, as known now"),
}


def on_files(files: Any, config: Any) -> Any:
    """Add each picture to the site's files, drawn from the bundled dataset."""
    from mkdocs.structure.files import File

    timeline = ct.load()
    for uri, draw in PICTURES.items():
        chart = draw(timeline)
        buffer = io.BytesIO()
        chart.figure.savefig(buffer, format="png", dpi=150)
        files.append(File.generated(config, uri, content=buffer.getvalue()))
    return files


_BASES = re.compile(r'<p class="doc doc-class-bases">.*?</p>', re.DOTALL)
_PRIVATE = re.compile(r'<span title="cybertimeline\._')


def on_post_page(html: str, page: Any, config: Any) -> str:
    """Drop the "Bases:" line of a class whose base is not public (the events' private
    ``BaseEvent``): the reference names only what ``import cybertimeline`` offers. A public
    base is a link by then; a private one is left a bare name."""
    return _BASES.sub(lambda found: "" if _PRIVATE.search(found.group(0)) else found.group(0),
                      html)
