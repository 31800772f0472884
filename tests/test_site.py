"""The documentation site in a real browser, opened from disk: links, wide code and tables,
the notebook pictures, and an API reference without private classes.

The site is built afresh (``mkdocs build``, the docs extra) into the test's folder and
opened over ``file://`` in the ``browser`` fixture's headless Chromium.
"""

from __future__ import annotations

import builtins
import collections.abc
import enum
import os
import re
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest

import cybertimeline as ct

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built from this checkout into a folder of its own."""
    try:
        import mkdocs  # noqa: F401
    except ImportError:
        message = "mkdocs is missing: `make install` (the docs extra), then `make test`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("site")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder)],
        cwd=REPO, capture_output=True, text=True, check=False, timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0, built.stderr
    return folder


def _nav(browser: Any) -> list[str]:
    return [str(a.get_attribute("href")) for a in
            browser.find_elements("css selector", "nav.md-nav--primary a.md-nav__link[href]")]


def test_every_link_of_the_menu_opens_a_page_from_disk(browser: Any, site: Path) -> None:
    """From index.html on disk, each menu link opens a page (not a directory listing)."""
    browser.get((site / "index.html").as_uri())
    links = sorted({link.split("#")[0] for link in _nav(browser)})
    assert len(links) >= 15
    for link in links:
        assert link.startswith("file://"), link
        assert link.endswith(".html"), link
        browser.get(link)
        assert browser.find_elements("css selector", "article h1"), link
        assert "Index of" not in browser.title


@pytest.mark.parametrize("page", ["cli.html", "concepts.html", "event-format.html",
                                  "reference.html"])
def test_wide_code_and_tables_scroll_inside_the_page(
    browser: Any, site: Path, page: str
) -> None:
    """Nothing widens the page: code and tables wider than the column scroll in their box."""
    browser.get((site / page).as_uri())
    width = browser.execute_script("return document.documentElement.clientWidth")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width
    overflowing = browser.execute_script("""
        return [...document.querySelectorAll('.md-typeset pre > code, .md-typeset table')]
          .filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right >
                       document.querySelector('.md-content').getBoundingClientRect().right + 1)
          .map(e => {
            const box = e.tagName === 'TABLE' ? e.closest('.md-typeset__scrollwrap') : e;
            return [e.tagName, box ? getComputedStyle(box).overflowX : 'none'];
          });""")
    assert all(scroll in ("auto", "scroll") for _, scroll in overflowing), overflowing


def test_the_notebook_page_shows_the_screenshots(browser: Any, site: Path) -> None:
    """The notebook page's pictures load: the rich output, as a browser renders it."""
    browser.get((site / "notebook.html").as_uri())
    pictures = browser.find_elements("css selector", "article img[src*='notebook-']")
    assert len(pictures) >= 5
    for picture in pictures:
        assert browser.execute_script("return arguments[0].naturalWidth", picture) > 0


def test_the_reference_names_no_private_class(browser: Any, site: Path) -> None:
    """Every base a "Bases:" line names is public, and documented on the page (the events'
    base class is public since kinds can be registered: `register_kind`)."""
    browser.get((site / "reference.html").as_uri())
    bases = [str(e.text) for e in browser.find_elements("css selector", ".doc-class-bases")]
    assert bases
    named = {name for line in bases
             for name in re.findall(r"[A-Za-z_]\w*", line.removeprefix("Bases:"))}
    assert "TreatyAct" in named
    assert "BaseEvent" in named
    standard = (builtins, collections.abc, enum, typing)
    for name in named - {n for module in standard for n in dir(module)}:
        assert name in ct.__all__, name
        assert browser.find_elements("id", f"cybertimeline.{name}"), name
