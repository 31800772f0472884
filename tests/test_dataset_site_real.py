"""The site of the whole UN roll-call record (6,203 roll calls, 870,109 votes): built in
under 60 s, no file over 2 MB, and what its pages' data give on random days is what
`Timeline.votes_on` and `Timeline.position` answer. Runs where the record is found
(`tests.real_data`); slow."""

from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path
from typing import Any

import pytest

import cybertimeline as ct
from cybertimeline import importers
from tests import site_reading as read
from tests.real_data import ABSENT, unvotes_folder
from tests.test_dataset_site_browser import ERRORS

FOLDER = unvotes_folder()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(FOLDER is None, reason=ABSENT)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[ct.Timeline, Path, float]:
    assert FOLDER is not None
    path = tmp_path_factory.mktemp("whole") / "all.sqlite"
    importers.import_votes(ct.create(path), FOLDER / "un_votes.csv.gz",
                           FOLDER / "un_roll_calls.csv.gz",
                           issues=FOLDER / "un_roll_call_issues.csv.gz")
    timeline = ct.load(path)
    # The processor time of the build: on shared cores the wall time also counts the others.
    started = time.process_time()
    ct.build_site(timeline, path.parent / "site", today="2026-12-07")
    return timeline, path.parent / "site", time.process_time() - started


def test_the_whole_record_builds_in_under_a_minute(built: tuple[ct.Timeline, Path, float]
                                                   ) -> None:
    _, site, seconds = built
    assert seconds < 60, f"{seconds:.1f} s"
    assert len(list((site / "resolution").glob("*.html"))) == 6177


def test_no_file_of_the_whole_record_is_over_two_megabytes(
        built: tuple[ct.Timeline, Path, float]) -> None:
    _, site, _ = built
    largest = max((p.stat().st_size, str(p)) for p in site.rglob("*") if p.is_file())
    assert largest[0] < 2_000_000, largest


@pytest.mark.parametrize("actor", ["USA", "CHN", "IND", "BRA", "ZAF"])
def test_an_actor_s_votes_on_random_days_are_what_position_answers(
        built: tuple[ct.Timeline, Path, float], actor: str) -> None:
    timeline, site, _ = built
    rows = read.data(site, "actor", actor)["tables"]["facts"]
    pick = random.Random(actor)
    for _ in range(5):
        day = (dt.date(1946, 1, 1) + dt.timedelta(days=pick.randrange(27000))).isoformat()
        shown = {read.label(r): read.step_at(r[1], day)[1] for r in rows}
        position = timeline.position(actor, as_of=day)
        assert {k: v for k, v in shown.items() if v is not None} == {
            f"votes {r}": v.option for r, v in position.votes.items()}, day


def test_an_actor_page_of_the_whole_record_in_the_browser(
        built: tuple[ct.Timeline, Path, float], browser: Any) -> None:
    """The longest pages open clean from disk, and show the votes of the position."""
    timeline, site, _ = built
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ERRORS})
    for actor in ("USA", "IND"):
        browser.get((site / "actor" / f"{actor}.html").as_uri() + "#on=1990-06-30")
        assert browser.execute_script("return document.readyState") == "complete"
        for day in ("1990-06-30", "2019-12-31"):
            browser.execute_script(
                "var i = document.getElementById('day'); i.value = arguments[0];"
                "i.dispatchEvent(new Event('change'));", day)
            shown = browser.execute_script(
                "return document.querySelectorAll('#t-facts tbody tr').length")
            assert shown == len(timeline.position(actor, as_of=day).votes), (actor, day)
        assert browser.execute_script("return window.__errors") == []


def test_a_resolution_page_of_the_whole_record(built: tuple[ct.Timeline, Path, float]) -> None:
    timeline, site, _ = built
    page = (site / "resolution" / "A-RES-74-247.html").read_text(encoding="utf-8")
    assert "<td>In favour</td><td>79</td>" in page
    for state in timeline.votes_on("A/RES/74/247"):
        assert f'href="../actor/{state}.html"' in page
