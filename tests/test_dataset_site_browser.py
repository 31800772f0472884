"""The dataset's static site in a real browser: Debian's headless Chromium (the ``browser``
fixture of ``tests/conftest.py``) opens the pages from disk, moves the date controls, follows
every link, and compares what the pages show with the library's answers; no page may log an
error or load anything from elsewhere. Screenshots go to the test's folder, and with
``CYBERTIMELINE_SCREENSHOTS=DIR`` (``make screenshots``) into DIR too.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

import cybertimeline as ct
from cybertimeline._model.wording import STATUS_WORDS
from cybertimeline._reports.website import build_site
from tests.test_dataset_site import _hostile

ERRORS = """
window.__errors = [];
window.addEventListener('error', function (e) {
  window.__errors.push(String(e.message || (e.target && (e.target.src || e.target.href))));
}, true);
var __log = console.error;
console.error = function () { window.__errors.push([].join.call(arguments, ' '));
                             __log.apply(console, arguments); };
"""


@pytest.fixture(scope="module")
def tl() -> ct.Timeline:
    return ct.load()


@pytest.fixture(scope="module")
def site(browser: Any, tl: ct.Timeline, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("browsed") / "site"
    build_site(tl, folder, today="2026-12-07")
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ERRORS})
    yield folder
    browser.set_window_size(1000, 1200)


def _open(browser: Any, path: Path, fragment: str = "") -> None:
    browser.get(path.as_uri() + fragment)
    assert browser.execute_script("return window.__errors") == [], path


def _set_day(browser: Any, day: str) -> None:
    browser.execute_script(
        "var i = document.getElementById('day'); i.value = arguments[0];"
        "i.dispatchEvent(new Event('change'));", day)


def _shown(browser: Any, table: str) -> dict[str, str]:
    """Each row's first link's target name and its status text."""
    found: dict[str, str] = browser.execute_script("""
        var found = {};
        document.querySelectorAll('#t-' + arguments[0] + ' tbody tr').forEach(function (r) {
          var a = r.querySelector('a');
          var name = a.getAttribute('href').split('/').pop().replace('.html', '');
          found[name] = r.querySelector('.badge').textContent;
        });
        return found;""", table)
    return found


def _screenshot(browser: Any, name: str, folder: Path) -> None:
    path = folder / f"site-{name}.png"
    assert browser.save_screenshot(str(path))
    keep = os.environ.get("CYBERTIMELINE_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(keep) / path.name)


def _days(instrument: str, tl: ct.Timeline) -> list[str]:
    life = tl.registry.instrument(instrument).life
    chosen = random.Random(instrument).sample(range(13000), 6)
    picked = [dt.date(1992, 1, 1) + dt.timedelta(days=n) for n in chosen]
    return sorted({*(d.isoformat() for d in picked),
                   *(m.date.latest.isoformat() for m in life),
                   *((m.date.earliest - dt.timedelta(days=1)).isoformat() for m in life)})


@pytest.mark.slow
@pytest.mark.parametrize("instrument", ["budapest-convention", "un-cybercrime-convention"])
def test_the_date_control_shows_what_status_answers(browser: Any, site: Path, tl: ct.Timeline,
                                                    instrument: str) -> None:
    _open(browser, site / "instrument" / f"{instrument}.html")
    for day in _days(instrument, tl):
        _set_day(browser, day)
        chart = tl.status(instrument, as_of=day, all_actors=True)
        assert _shown(browser, "states") == {
            a: STATUS_WORDS.get(s.status, s.status) for a, s in chart.items()}, day
        counts = chart.depositary()
        assert browser.find_element("css selector", "[data-count=parties]").text == str(
            counts.parties)
        assert browser.find_element("css selector", "[data-count=signatories]").text == str(
            counts.signatories)
        assert browser.current_url.endswith(f"#on={day}")
    assert browser.execute_script("return window.__errors") == []


@pytest.mark.slow
def test_a_day_in_the_address_is_the_day_shown(browser: Any, site: Path, tl: ct.Timeline
                                              ) -> None:
    _open(browser, site / "instrument" / "budapest-convention.html", "#on=2000-06-01")
    shown = _shown(browser, "states")
    assert set(shown.values()) == {"not yet open"}
    assert browser.find_element("css selector", "[data-count=parties]").text == "0"
    _screenshot(browser, "not-yet-open", site.parent)


@pytest.mark.slow
def test_the_date_control_is_usable_by_keyboard(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    _open(browser, site / "instrument" / "budapest-convention.html", "#on=2015-07-15")
    body = browser.find_element("css selector", "body")
    body.send_keys(Keys.TAB)
    for _ in range(12):
        if browser.switch_to.active_element.get_attribute("id") == "day":
            break
        browser.switch_to.active_element.send_keys(Keys.TAB)
    field = browser.switch_to.active_element
    assert field.get_attribute("id") == "day"
    field.send_keys(Keys.ARROW_UP)  # a segment of the date, one step on
    day = browser.execute_script("return document.getElementById('day').value")
    assert day != "2015-07-15"
    assert browser.find_element("css selector", "[data-day]").text == day
    for _ in range(6):  # past the field's day and year, on to the first button: "Today"
        browser.switch_to.active_element.send_keys(Keys.TAB)
        if browser.switch_to.active_element.text == "Today":
            break
    assert browser.switch_to.active_element.text == "Today"
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert browser.execute_script("return document.getElementById('day').value") == "2026-12-07"


@pytest.mark.slow
@pytest.mark.parametrize("actor", ["CAN", "KOR", "AHC", "EU"])
def test_an_actor_page_shows_its_position_on_the_chosen_day(
        browser: Any, site: Path, tl: ct.Timeline, actor: str) -> None:
    _open(browser, site / "actor" / f"{actor}.html")
    for day in ("2005-01-01", "2015-12-31", "2020-01-01", "2022-03-31", "2026-12-07"):
        _set_day(browser, day)
        position = tl.position(actor, as_of=day)
        for instrument, text in _shown(browser, "treaties").items():
            status = position.treaty(instrument).status
            assert text == STATUS_WORDS.get(status, status), (day, instrument)
        facts = [p for p in ct.position_facts(position)
                 if not (p.startswith("treaties.") and p.endswith(".status"))]
        rows = browser.find_elements("css selector", "#t-facts tbody tr")
        assert len(rows) == len(facts), day
    if actor == "CAN":
        _set_day(browser, "2016-01-01")
        _screenshot(browser, "actor", site.parent)


@pytest.mark.slow
def test_every_page_loads_clean_and_every_link_resolves(browser: Any, site: Path) -> None:
    """Every page of the site, opened from disk: no error, nothing from elsewhere but the
    sources' own links, and every link in the site (drawn by the script too) reaches a file
    and an element of it."""
    ids: dict[Path, set[str]] = {}
    links: list[tuple[Path, str]] = []
    for path in sorted(site.rglob("*.html")):
        _open(browser, path)
        found = browser.execute_script("""
            return [Array.from(document.querySelectorAll('[id]')).map(e => e.id),
                    Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
                    Array.from(document.querySelectorAll('script[src], link[href], img'))
                      .map(e => e.src || e.href)];""")
        ids[path] = set(found[0])
        links.extend((path, href) for href in found[1])
        assert all(r.startswith("file://") for r in found[2]), path
    assert len(ids) > 300
    for page, href in links:
        address = urlparse(href)
        if address.scheme in ("http", "https"):
            continue
        assert address.scheme == "file", (page, href)
        target = Path(unquote(address.path))
        assert target in ids, (page, href)
        if address.fragment and not address.fragment.startswith("on="):
            assert address.fragment in ids[target], (page, href)


@pytest.mark.slow
def test_search_finds_titles_and_names(browser: Any, site: Path) -> None:
    browser.get((site / "search.html").as_uri() + "?q=budapest")
    results = browser.find_elements("css selector", "#results a")
    assert any(r.get_attribute("href").endswith("instrument/budapest-convention.html")
               for r in results)
    browser.get((site / "index.html").as_uri())
    box = browser.find_element("css selector", "#site-q")
    box.send_keys("canada")
    box.submit()
    results = browser.find_elements("css selector", "#results a")
    assert [r.text for r in results][:1] == ["Canada (CAN)"]
    results[0].click()
    assert browser.find_element("css selector", "h1").text == "Canada (CAN)"


@pytest.mark.slow
def test_pages_read_at_phone_width_with_labelled_tables(browser: Any, site: Path) -> None:
    browser.set_window_size(390, 844)
    try:
        for name in ("index.html", "instrument/budapest-convention.html", "actor/CAN.html",
                     "resolution/A-RES-74-247.html", "body/AHC.html", "search.html"):
            _open(browser, site / name)
            wide = browser.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth")
            assert wide <= 1, name
            unlabelled = browser.execute_script("""
                return Array.from(document.querySelectorAll('table')).filter(
                  t => !t.caption || !t.caption.textContent.trim()
                       || !t.querySelector('thead th[scope=col]')).length
                  + Array.from(document.querySelectorAll('input')).filter(
                  i => !document.querySelector('label[for="' + i.id + '"]')).length;""")
            assert unlabelled == 0, name
            if name.startswith("instrument"):
                _screenshot(browser, "phone", site.parent)
    finally:
        browser.set_window_size(1000, 1200)
    _open(browser, site / "instrument" / "budapest-convention.html", "#on=2024-10-09")
    _screenshot(browser, "instrument", site.parent)
    _open(browser, site / "resolution" / "A-RES-74-247.html")
    _screenshot(browser, "resolution", site.parent)


@pytest.mark.slow
def test_hostile_text_stays_text_in_the_browser(browser: Any, site: Path,
                                                tmp_path: Path) -> None:
    build_site(_hostile(), tmp_path / "hostile", today="2026-12-07")
    for name in ("actor/XHS.html", "instrument/budapest-convention.html", "index.html",
                 "sources/1.html", "search.html"):
        browser.get((tmp_path / "hostile" / name).as_uri() + "#on=2020-01-01")
        assert browser.execute_script("return window.pwned") is None, name
        assert browser.find_elements("css selector", "img") == [], name
    browser.get((tmp_path / "hostile" / "search.html").as_uri() + "?q=script")
    assert browser.find_elements("css selector", "#results a")
    assert browser.execute_script("return window.pwned") is None
