"""Rich results in a real browser: Debian's headless Chromium renders a notebook-style page.

The page (``tests/notebook.py``) holds each result's ``_repr_html_()``, as Jupyter
shows it. The tests check what the browser shows (rows, badges and their colours,
links, the picture, nothing wider than the notebook, nothing from the data run as
HTML) and screenshot each output into the test's folder; with
``CYBERTIMELINE_SCREENSHOTS=DIR`` (``make screenshots``) also into DIR: the
pictures of ``docs/notebook.md``.

The browser is the ``browser`` fixture of ``tests/conftest.py``: Debian's Chromium,
driven by Selenium; where it is missing the tests skip and say how to get it, except
in CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

import cybertimeline as ct
from cybertimeline._model.palette import colour
from tests.notebook import CELLS, Cell, bundled_page, page

pytestmark = pytest.mark.slow


def _rgb(hex_colour: str) -> str:
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, 1)"


def _open(browser: Any, html: str, folder: Path) -> None:
    path = folder / "page.html"
    path.write_text(html, encoding="utf-8")
    browser.get(path.as_uri())


def _texts(browser: Any, selector: str) -> list[str]:
    return [str(e.text).strip() for e in browser.find_elements("css selector", selector)]


def _screenshot(browser: Any, cell: Cell, folder: Path) -> Path:
    """The cell's output as PNG, in ``folder`` and in $CYBERTIMELINE_SCREENSHOTS if set."""
    element = browser.find_element("css selector", f"#cell-{cell.name}")
    browser.execute_script("arguments[0].scrollIntoView()", element)
    path = folder / f"notebook-{cell.name}.png"
    assert element.screenshot(str(path))
    keep = os.environ.get("CYBERTIMELINE_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(keep) / path.name)
    return path


@pytest.fixture(scope="module")
def bundled(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page of the bundled dataset, open in the browser; its folder holds the screenshots."""
    folder = tmp_path_factory.mktemp("notebook")
    _open(browser, bundled_page(), folder)
    return folder


def test_every_output_is_shown_and_screenshot(browser: Any, bundled: Path) -> None:
    """Each cell's output renders, fits the notebook's width, and is screenshot."""
    width = browser.execute_script("return document.documentElement.clientWidth")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width
    for cell in CELLS:
        rendered = browser.find_element("css selector", f"#cell-{cell.name} .rendered")
        assert rendered.size["height"] > 40, cell.name
        # A wide table scrolls inside its box; nothing spills past the output.
        assert browser.execute_script(
            "return arguments[0].scrollWidth <= arguments[0].clientWidth", rendered), cell.name
        shot = _screenshot(browser, cell, bundled).read_bytes()
        assert shot.startswith(b"\x89PNG")
        assert int.from_bytes(shot[16:20], "big") >= 800


def test_a_position_is_tables_with_status_badges(browser: Any, bundled: Path) -> None:
    """Canada on 2016-01-01: the Budapest row, a green 'party' badge, acts with sources."""
    rows = browser.find_elements("css selector", "#cell-position .ct-table tbody tr")
    first = rows[0].find_elements("css selector", "td")
    assert first[0].text == "Budapest Convention"
    badge = first[1].find_element("css selector", ".ct-badge")
    assert badge.text == "party"
    assert badge.value_of_css_property("background-color") == _rgb(colour("party"))
    assert first[3].text == "2015-07-08 (ratification) [2][3]"
    assert _texts(browser, "#cell-position h4") == [
        "Treaties", "Votes", "Memberships", "Legislation", "Sources"]
    timeline = ct.load()
    position = timeline.position("CAN", as_of="2016-01-01")
    not_signed = [i for i in position.coverage if i not in position.treaties]
    unopened = [i for i in position.not_yet_open  # a row each, "not yet open" (rule 11)
                if timeline.registry.instruments[i].coverage]
    assert len(unopened) == 2
    assert len(rows) == (len(position.treaties) + len(not_signed) + len(unopened)
                         + len(position.votes) + len(position.memberships)
                         + len(position.legislation))


def test_votes_and_stances_show_as_badges(browser: Any, bundled: Path) -> None:
    """Canada at the end of 2022: a badge per vote and per stance, each in its own colour."""
    position = ct.load().position("CAN", as_of="2022-12-31")
    values = [*(v.option for v in position.votes.values()),
              *(s.stance for s in position.stances.values())]
    badges = browser.find_elements("css selector", ", ".join(
        f"#cell-stances .ct-badge.ct-{value}" for value in set(values)))
    assert sorted(b.text for b in badges) == sorted(values)
    for badge in badges:
        assert badge.value_of_css_property("background-color") == _rgb(colour(badge.text))


def test_a_treaty_chart_has_a_row_per_actor(browser: Any, bundled: Path) -> None:
    """The chart of 2016-01-01: a row per actor that acted, in order, each with its status."""
    chart = ct.load().status("budapest-convention", as_of="2016-01-01")
    rows = browser.find_elements("css selector", "#cell-chart .ct-table tbody tr")
    shown = [(r.find_elements("css selector", "td")[0].text,
              r.find_element("css selector", ".ct-badge").text) for r in rows]
    assert shown == [(a, s.status) for a, s in chart.items()]


def test_a_changelog_of_one_actor_has_no_actor_headings(browser: Any, bundled: Path) -> None:
    """Canada's changelog: a heading per date, newest first, no "Canada (CAN)" under each."""
    assert _texts(browser, "#cell-changelog h4") == [
        "2016-12-05", "2015-11-01", "2015-07-08", "2015-03", "2014-12-09", "Sources"]
    assert _texts(browser, "#cell-changelog strong") == []
    assert "status: ratified → party" in _texts(browser, "#cell-changelog li")[1]


def test_a_listing_has_a_row_per_event(browser: Any, bundled: Path) -> None:
    """The events of Canada to 2016, by id, in canonical order."""
    rows = browser.find_elements("css selector", "#cell-listing .ct-table tbody tr")
    ids = [r.find_elements("css selector", "td")[3].text for r in rows]
    assert ids == [e.id for e in ct.load().events("CAN", until="2016")]


def test_sources_are_numbered_links(browser: Any, bundled: Path) -> None:
    """Every output ends with its numbered sources; each address is a link to a new tab."""
    links = browser.find_elements("css selector", ".ct-sources a")
    assert links
    for found in links:
        assert str(found.get_attribute("href")).startswith(("http://", "https://"))
        assert found.get_attribute("target") == "_blank"


def test_a_plot_is_its_picture_inline(browser: Any, bundled: Path) -> None:
    """The chart shows as a decoded picture that keeps to the width of the output."""
    image = browser.find_element("css selector", "#cell-plot img")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth",
                                  image) == 800
    output = browser.find_element("css selector", "#cell-plot .rendered")
    assert image.size["width"] <= output.size["width"]
    assert "CAN, KOR, EU, ISL" in str(image.get_attribute("alt"))


HOSTILE = '<img src="x" onerror="window.pwned=1"><script>window.pwned=2</script>'


def _hostile_timeline() -> ct.Timeline:
    """Names, quotes, summaries, titles and addresses that are HTML and script."""
    registry = ct.Registry.builtin().extended(actors=[
        ct.Actor(id="XEV", name=f"Evil {HOSTILE}", type="group")])
    source = ct.Source(title=f"Title {HOSTILE}", publisher=f"<b>{HOSTILE}</b>",
                       url="javascript:window.pwned=3", quote=f"</q>{HOSTILE}")
    events: list[ct.Event] = [
        ct.Statement(id="evil-statement", date=ct.Date.parse("2020-01-10"), actor="XEV",
                     topic="budapest-convention", stance="opposes", quote=f"</q>{HOSTILE}",
                     summary=f"Summary {HOSTILE}", sources=[source]),
        ct.Signature(id="evil-signature", date=ct.Date.parse("2020-02-01"), actor="XEV",
                     instrument="budapest-convention", sources=[source]),
    ]
    return ct.Timeline(events, registry=registry)


def test_names_and_quotes_from_data_stay_text(browser: Any, tmp_path: Path) -> None:
    """HTML and script in names, quotes, titles and addresses show as text and never run."""
    tl = _hostile_timeline()
    results: dict[str, Any] = {
        "position": tl.position("XEV", as_of="2021"),
        "chart": tl.status("budapest-convention", as_of="2021"),
        "changelog": tl.changelog("XEV"),
        "listing": tl.listing("XEV"),
        "timeline": tl,
    }
    _open(browser, page([(Cell(name, name, lambda _: None), value._repr_html_())
                         for name, value in results.items()]), tmp_path)
    assert browser.execute_script("return window.pwned === undefined")
    for tag in ("script", "img", "b"):
        assert not browser.find_elements("css selector", f".rendered {tag}")
    assert not browser.find_elements("css selector", "a[href^='javascript']")
    for name in results:
        text = browser.find_element("css selector", f"#cell-{name} .rendered").text
        assert "<script>window.pwned=2</script>" in text, name
    markdown = tl.changelog("XEV")._repr_markdown_()
    assert "<script" not in markdown
    assert "&lt;script&gt;" in markdown
