"""Reading a built site back, as its pages do: the data files' tables, and the step of a
row on a day (what ``site.js`` shows), for the site tests."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any


def data(site: Path, kind: str, slug: str) -> dict[str, Any]:
    """The merged data of a page: ``{"tables": {...}, "counts": {...}}``."""
    merged: dict[str, Any] = {"tables": {}, "counts": {}}
    files = sorted((site / "data" / kind).glob(f"{slug}-*.js"),
                   key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    assert files, f"no data for {kind}/{slug}"
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("CT.add(")
        assert text.endswith(");\n")
        part = json.loads(text[len("CT.add("):-len(");\n")])
        for name, rows in part.get("tables", {}).items():
            merged["tables"].setdefault(name, []).extend(rows)
        merged["counts"].update(part.get("counts", {}))
    return merged


ABSENT: list[Any] = [None, None, "", []]


def step_at(steps: list[list[Any]], day: str) -> list[Any]:
    """The last step on or before ``day`` (ISO text; a step whose day is null holds from
    the start), or `ABSENT` where there is none."""
    found = ABSENT
    for step in steps:
        if step[0] is None or step[0] <= day:
            found = step
    return found


def label(row: list[Any]) -> str:
    """A row's label, as the script writes it in changelogs: its own, or its cells' texts."""
    if len(row) > 2:
        return str(row[2])
    return " ".join(c[0] if isinstance(c, list) else c for c in row[0])


class Links(HTMLParser):
    """The links, ids and resources of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.resources: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if tag in ("script", "img", "link", "iframe") and (values.get("src")
                                                          or values.get("href")):
            self.resources.append(str(values.get("src") or values.get("href")))
        if tag == "script" and not values.get("src"):
            self.inline_scripts += 1


def pages(site: Path) -> Iterator[tuple[Path, Links]]:
    """Every HTML page of the site, parsed."""
    for path in sorted(site.rglob("*.html")):
        parsed = Links()
        parsed.feed(path.read_text(encoding="utf-8"))
        yield path, parsed


def local(href: str) -> bool:
    """Whether a link stays in the site (not an http(s) address)."""
    return not re.match(r"^[a-z]+:", href)
