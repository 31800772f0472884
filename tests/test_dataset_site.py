"""`cybertimeline site`: the bundled dataset as a static website, built into a temporary
folder: every link resolves in the site, nothing comes from elsewhere, no file over 2 MB,
the bundled build under 10 s, hostile text escaped, and what the pages' data gives on any
day is what `Timeline.status` and `Timeline.position` answer.

The browser tests are in ``tests/test_dataset_site_browser.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._cli import main
from cybertimeline._model.wording import STATUS_WORDS
from cybertimeline._reports.changes import position_facts
from cybertimeline._reports.website import build as build_module
from cybertimeline._reports.website import build_site
from cybertimeline._reports.website.build import _value_text
from cybertimeline._reports.website.data import safe_json
from tests import site_reading as read

DAYS = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))
MAX_BYTES = 2_000_000


@cache
def bundled() -> ct.Timeline:
    return ct.load()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dataset-site") / "site"
    build_site(bundled(), folder, today="2026-12-07")
    return folder


@pytest.mark.slow
def test_the_bundled_site_builds_in_under_ten_seconds(tmp_path: Path) -> None:
    """Loading included; the processor time (on shared cores the wall time counts the
    others' work too)."""
    started = time.process_time()
    summary = build_site(ct.load(), tmp_path / "site", today="2026-12-07")
    seconds = time.process_time() - started
    assert seconds < 10, f"{seconds:.1f} s"
    assert summary.largest[0] < MAX_BYTES
    assert summary.pages > 300
    assert (tmp_path / "site" / "index.html").is_file()


def test_no_file_is_over_two_megabytes(site: Path) -> None:
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size
             for p in site.rglob("*") if p.is_file()}
    assert max(sizes.values()) < MAX_BYTES, max(sizes.items(), key=lambda i: i[1])


def test_every_page_entity_has_its_page(site: Path) -> None:
    tl = bundled()
    slugs = {p.stem for p in (site / "instrument").glob("*.html")}
    assert slugs == set(tl.registry.instruments)
    assert (site / "actor" / "CAN.html").is_file()
    assert (site / "resolution" / "A-RES-74-247.html").is_file()
    assert (site / "body" / "AHC.html").is_file()
    assert (site / "search.html").is_file()


def test_every_static_link_resolves_and_nothing_comes_from_elsewhere(site: Path) -> None:
    parsed = dict(read.pages(site))
    for path, page in parsed.items():
        assert page.inline_scripts == 0, path
        for resource in page.resources:
            assert read.local(resource), (path, resource)
            assert (path.parent / resource).resolve().is_file(), (path, resource)
        for href in page.links:
            if not read.local(href):
                continue
            target, _, fragment = href.partition("#")
            found = (path.parent / target).resolve() if target else path
            assert found.is_file(), (path, href)
            if fragment and not fragment.startswith("on="):
                assert fragment in parsed[found].ids, (path, href)


def test_every_link_in_the_data_resolves(site: Path) -> None:
    """The rows the script draws link to pages of the site, and cite sources listed there."""
    listed = {int(i.removeprefix("src-")) for p, page in read.pages(site)
              if p.parent.name == "sources" for i in page.ids if i.startswith("src-")}
    for path in (site / "data").rglob("*.js"):
        if path.parent.name == "data":
            continue
        part = read.data(site, path.parent.name, path.stem.rsplit("-", 1)[0])
        for rows in part["tables"].values():
            for row in rows:
                for cell in row[0]:
                    if isinstance(cell, list):
                        assert (site / cell[1]).is_file(), (path, cell)
                for step in row[1]:
                    assert set(step[3]) <= listed, (path, step)


def _chart_on(site: Path, instrument: str, day: str, table: str = "states"
              ) -> dict[str, str]:
    rows = read.data(site, "instrument", instrument)["tables"][table]
    shown = {}
    for row in rows:
        step = read.step_at(row[1], day)
        if step[1] is not None:
            shown[row[0][0][1].removeprefix("actor/").removesuffix(".html")] = step[1]
    return shown


@pytest.mark.parametrize("instrument", sorted(ct.Registry.builtin().instruments))
@given(day=DAYS, possible=st.booleans())
def test_an_instrument_page_shows_on_any_day_what_status_answers(
        site: Path, instrument: str, day: dt.date, possible: bool) -> None:
    chart = bundled().status(instrument, as_of=day, all_actors=True, possible=possible)
    shown = _chart_on(site, instrument, day.isoformat(), "possible" if possible else "states")
    assert shown == {a: STATUS_WORDS.get(s.status, s.status) for a, s in chart.items()}
    counts = read.data(site, "instrument", instrument)["counts"]
    suffix = "-possible" if possible else ""
    assert {name: read.step_at(counts[name + suffix], day.isoformat())[1]
            for name in ("parties", "in_force", "consented_not_in_force", "signed_only",
                         "signatories")} == chart.depositary().to_dict()


def test_the_budapest_page_counts_as_the_council_of_europe(site: Path) -> None:
    counts = read.data(site, "instrument", "budapest-convention")["counts"]
    assert read.step_at(counts["parties"], "2024-10-09")[1] == 76
    assert _chart_on(site, "budapest-convention", "2000-01-01")["CAN"] == "not yet open"
    assert _chart_on(site, "budapest-convention", "2015-12-31")["CAN"] == "party"
    assert _chart_on(site, "budapest-convention", "2025-06-01")["CAN"] == "party"
    assert _chart_on(site, "untoc", "2020-01-01")["CAN"] == "no data"


ACTORS = ("CAN", "KOR", "AHC", "EU", "USA", "RUS", "CHN", "LUX", "UNGA", "QUINTET", "SRB")
EVERY_ACTOR = tuple(sorted(ct.Registry.builtin().actors))


@given(actor=st.sampled_from(ACTORS) | st.sampled_from(EVERY_ACTOR), day=DAYS)
def test_an_actor_page_shows_on_any_day_what_position_answers(site: Path, actor: str,
                                                              day: dt.date) -> None:
    tables = read.data(site, "actor", actor)["tables"]
    shown = {}
    for row in tables["facts"]:
        step = read.step_at(row[1], day.isoformat())
        if step[1] is not None:
            shown[read.label(row)] = step[1]
    position = bundled().position(actor, as_of=day)
    expected = {}
    for path, value in position_facts(position).items():
        section, _, key = path.partition(".")
        if not (section == "treaties" and path.endswith(".status")):
            expected[f"{section} {key}"] = _value_text(section, value)[0]
    assert shown == expected
    for row in tables["treaties"]:
        instrument = row[0][0][1].removeprefix("instrument/").removesuffix(".html")
        step = read.step_at(row[1], day.isoformat())
        if step[1] is not None:
            status = position.treaty(instrument).status
            assert step[1] == STATUS_WORDS.get(status, status)


def test_the_index_lists_the_corrections(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "Corrections of the record" in page
    assert "2022-03-11" in page  # the first session held supersedes its postponement


def test_an_actor_page_lists_the_sources_it_cites(site: Path) -> None:
    page = (site / "actor" / "CAN.html").read_text(encoding="utf-8")
    assert "<h2>Sources</h2>" in page
    assert "Canada completes ratification of Convention on Cybercrime</a>" in page


def test_a_resolution_page_has_the_tally_and_every_vote(site: Path) -> None:
    page = (site / "resolution" / "A-RES-74-247.html").read_text(encoding="utf-8")
    view = bundled().resolution("A/RES/74/247")
    assert view.tally is not None
    assert f"<td>In favour</td><td>{view.tally.yes}</td>" in page
    for state in view.votes:
        assert f'href="../actor/{state}.html"' in page
    assert "By group" in page


def test_a_body_page_lists_sessions_scheduled_and_held(site: Path) -> None:
    page = (site / "body" / "AHC.html").read_text(encoding="utf-8")
    assert "scheduled" in page
    assert "held" in page
    assert "2022-02-28/2022-03-11" in page
    assert "postponed" in page


HOSTILE = '</script><script>window.pwned=1</script><img src=x onerror="pwned=2"> & "q" \u2028'


def _hostile() -> ct.Timeline:
    source = [ct.Source(title=HOSTILE, publisher=HOSTILE, quote=HOSTILE, locator=HOSTILE,
                        url="javascript:alert(1)")]
    actor = ct.Actor(id="XHS", name=HOSTILE, type="state")
    registry = ct.Registry.builtin().extended(actors=[actor])
    return ct.Timeline([
        ct.Signature(id="xhs-signs", date=ct.Date.parse("2005-01-10"), actor="XHS",
                     instrument="budapest-convention", sources=source),
        ct.Statement(id="xhs-says", date=ct.Date.parse("2019-07"), actor="XHS",
                     topic="hostile-topic", stance="supports", quote=HOSTILE,
                     sources=source),
        ct.Vote(id="xhs-votes", date=ct.Date.parse("2019-12-27"), body="UNGA",
                resolution="A/RES/<b>1", title=HOSTILE, votes={"XHS": "yes", "CAN": "no"},
                sources=source),
    ], registry=registry)


def test_hostile_text_is_escaped_in_pages_and_in_data(tmp_path: Path) -> None:
    build_site(_hostile(), tmp_path / "site", today="2026-12-07")
    for path in (tmp_path / "site").rglob("*"):
        if path.suffix not in (".html", ".js") or path.name == "site.js":
            continue
        text = path.read_text(encoding="utf-8")
        assert "<script>window.pwned" not in text, path
        assert "<img src=x" not in text, path
        assert "javascript:alert" not in text, path
        if path.suffix == ".js":
            assert not set(text) & {"<", "&", "\u2028"}, path
            json.loads(text[len("CT.add("):-len(");\n")])
    page = (tmp_path / "site" / "actor" / "XHS.html").read_text(encoding="utf-8")
    assert "&lt;/script&gt;" in page


def test_safe_json_reads_back_unchanged() -> None:
    value = {"a": HOSTILE, "b": ["<!--", "]]>", "\u2029"]}
    assert json.loads(safe_json(value)) == value
    assert "<" not in safe_json(value)


def test_a_folder_of_other_files_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ct.TimelineError, match="not a site"):
        build_site(bundled(), tmp_path, today="2026-12-07")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_rebuild_replaces_the_site_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(_hostile(), out, today="2026-12-07")
    (out / "stale.html").write_text("old", encoding="utf-8")
    build_site(_hostile(), out, today="2026-12-07")
    assert not (out / "stale.html").exists()
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_folder_that_appears_during_the_build_is_left_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone else's folder created at OUT while the site was built: refused, kept."""
    out = tmp_path / "site"
    real = build_module._fill

    def fill_then_someone_writes(builder: Any) -> None:
        real(builder)
        out.mkdir()
        (out / "mine.txt").write_text("mine", encoding="utf-8")

    monkeypatch.setattr(build_module, "_fill", fill_then_someone_writes)
    with pytest.raises(ct.TimelineError, match="not a site"):
        build_site(_hostile(), out, today="2026-12-07")
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_an_empty_store_makes_a_site(tmp_path: Path) -> None:
    summary = build_site(ct.Timeline(), tmp_path / "empty", today="2026-12-07")
    assert summary.pages > 1
    assert "0 events recorded" in (tmp_path / "empty" / "index.html").read_text(encoding="utf-8")


def test_the_command_writes_the_site(tmp_path: Path, capsys: Any) -> None:
    assert main(["site", str(tmp_path / "out"), "--today", "2026-12-07"]) == 0
    assert "pages" in capsys.readouterr().out
    assert (tmp_path / "out" / "instrument" / "budapest-convention.html").is_file()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x").write_text("x", encoding="utf-8")
    assert main(["site", str(tmp_path / "other")]) == 1
    assert "not a site" in capsys.readouterr().err
