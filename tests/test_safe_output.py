"""Outputs that are safe to open (issue 18, Low): what a store holds cannot command a
terminal, run as a spreadsheet formula or as a link's script, and ``plot -o`` never
overwrites, or writes through a link, unless told to."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import cybertimeline as ct
from cybertimeline._cli import main
from tests.store_contract import statement

HOSTILE = "\x1b]0;owned\x07\x1b[31mred\u202eevil\x9b2J"


def hostile_store(tmp_path: Path) -> Path:
    path = tmp_path / "store.jsonl"
    with ct.create(path) as timeline:
        timeline.append(ct.Statement(
            id="can-1", date=ct.Date.parse("2020"), actor="CAN", topic="budapest-convention",
            stance="supports", summary=f"=HYPERLINK(\"http://x\") {HOSTILE}",
            tags=("@SUM(1)", "-2+3"),
            sources=[ct.Source(title="click", url="javascript:alert(1)"),
                     ct.Source(title="fine", url="https://example.org/a")]))
    return path


def test_text_output_escapes_control_characters(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Escape sequences and bidirectional overrides from a store are printed as \\uXXXX."""
    path = hostile_store(tmp_path)
    assert main(["--events", str(path), "timeline"]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in "\x1b\x07\u202e\x9b")
    assert "\\u001b[31mred\\u202eevil\\u009b2J" in out


def test_json_output_stays_the_same_json(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The escaping is JSON's own: the JSON printed reads back as the stored text."""
    path = hostile_store(tmp_path)
    assert main(["--events", str(path), "timeline", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "\x9b" not in out
    assert json.loads(out)[0]["summary"].endswith(HOSTILE)


def test_csv_cells_that_look_like_formulas_are_text(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A cell starting with ``=``, ``+``, ``-`` or ``@`` gets a leading quote in CSV."""
    path = hostile_store(tmp_path)
    assert main(["--events", str(path), "timeline", "--format", "csv"]) == 0
    (row,) = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["summary"].startswith("'=HYPERLINK(")
    assert row["tags"] == "'@SUM(1); -2+3"
    assert main(["--events", str(path), "export", "--format", "csv"]) == 0
    assert "'=HYPERLINK(" in capsys.readouterr().out


def test_timelinejs_links_only_web_addresses(tmp_path: Path) -> None:
    """A ``javascript:`` source URL is shown as its title, never as a link."""
    timeline = ct.load(hostile_store(tmp_path))
    (slide,) = timeline.to_timelinejs()["events"]
    text = slide["text"]["text"]
    assert "javascript:" not in text
    assert '<a href="https://example.org/a">fine</a>' in text
    assert "<li>click</li>" in text


def test_plot_never_overwrites_without_force(tmp_path: Path) -> None:
    """``plot -o`` refuses an existing file, and a link there is neither followed nor
    written through; ``--force`` replaces the link itself."""
    pytest.importorskip("matplotlib")
    target = tmp_path / "precious.txt"
    target.write_text("keep me", encoding="utf-8")
    link = tmp_path / "chart.svg"
    link.symlink_to(target)
    arguments = ["plot", "CAN", "--instrument", "budapest-convention", "-o", str(link)]
    assert main(arguments) == 1
    assert target.read_text(encoding="utf-8") == "keep me"
    assert main([*arguments, "--force"]) == 0
    assert target.read_text(encoding="utf-8") == "keep me"
    assert not link.is_symlink()
    assert link.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_plot_draws_events_of_the_year_9999(tmp_path: Path) -> None:
    """Years up to 9999 are valid dates, and a chart of them is drawn (issue 18, Low)."""
    pytest.importorskip("matplotlib")
    day = ct.Date.parse("9999-12-31")
    timeline = ct.Timeline([
        ct.Ratification(id="r", date=day, actor="CAN", instrument="budapest-convention",
                        sources=[ct.Source(title="t")], recorded=day),
        statement("s", date="9999")])
    chart = timeline.plot(["CAN"], "budapest-convention")
    assert chart.end == ct.Date.parse("9999-12-30").latest
    chart.save(tmp_path / "far.svg")
    assert (tmp_path / "far.svg").stat().st_size > 0


def test_markdown_changelog_shows_text_from_data_as_text(tmp_path: Path) -> None:
    """A source title with raw HTML or a line break that would start a heading, links to
    ``javascript:`` or ``file:``, and escape bytes: the Markdown shows them as text, links
    only web addresses, and holds no control byte (issue 26, item 11)."""
    timeline = ct.Timeline(clock=lambda: ct.Date.parse("2021-01-01").earliest)
    timeline.extend([ct.Statement(
        id="can-1", date=ct.Date.parse("2020"), actor="CAN", topic="budapest-convention",
        stance="supports", summary=f"A *summary* {HOSTILE}",
        sources=[ct.Source(title="<img src=x onerror=alert(1)>\n# Injected heading",
                           publisher="[click](javascript:alert(2))",
                           url="javascript:alert(1)"),
                 ct.Source(title="local", url="file:///etc/passwd"),
                 ct.Source(title="fine", url="https://example.org/a")])])
    text = timeline.changelog("CAN", since="2019", until="2021").to_markdown()
    assert "<img" not in text
    assert not any(line.startswith("# Injected") for line in text.splitlines())
    assert "javascript:" not in text.replace(r"\[click\](javascript:alert(2))", "")
    assert "file:" not in text
    assert "<https://example.org/a>" in text
    assert not any(c in text for c in "\x1b\x07\u202e\x9b")
