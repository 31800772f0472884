"""Instruments have a life (rule 11 of ``docs/concepts.md``): before an instrument opened for
signature, every state's status is "not yet open", never "not a signatory"."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._cli import main


@pytest.fixture(scope="module")
def tl() -> ct.Timeline:
    return ct.load()


def test_every_bundled_instrument_has_a_sourced_life(tl: ct.Timeline) -> None:
    """Adopted and opened for each, in force where it is; each milestone cites a source."""
    in_force = {"budapest-convention": "2004-07-01", "budapest-protocol-1": "2006-03-01",
                "untoc": "2003-09-29", "uncac": "2005-12-14"}
    for instrument in tl.registry.instruments.values():
        stages = {m.stage: m for m in instrument.life}
        assert {"adopted", "opened"} <= set(stages), instrument.id
        assert all(m.sources and m.sources[0].url for m in instrument.life), instrument.id
        if instrument.id in in_force:
            assert str(stages["in_force"].date) == in_force[instrument.id]
    assert str(tl.registry.instrument("un-cybercrime-convention").opening) == "2025-10-25"
    assert str(tl.registry.instrument("budapest-protocol-2").opening) == "2022-05-12"
    assert tl.registry.instrument("budapest-protocol-1").parent == "budapest-convention"
    closed = tl.registry.instrument("untoc").milestone("closed")
    assert closed is not None
    assert str(closed.date) == "2002-12-12"  # before its entry into force: allowed


def test_before_the_opening_the_status_is_not_yet_open(tl: ct.Timeline) -> None:
    """The issue's example: Canada in 2010 was not "not a signatory" of the UN Convention."""
    status = tl.position("CAN", as_of="2010-01-01").treaty("un-cybercrime-convention")
    assert status.status == "not_yet_open"
    assert str(status.opens) == "2025-10-25"
    assert status.to_dict()["opens"] == "2025-10-25"
    assert [s.publisher for s in status.sources()] == ["United Nations Treaty Collection"]
    assert tl.position("CAN", as_of="2014-12-31").treaty(
        "budapest-protocol-2").status == "not_yet_open"
    # from the opening on, the complete chart speaks
    assert tl.position("ARG", as_of="2025-10-26").treaty(
        "un-cybercrime-convention").status == "none"
    assert tl.position("CAN", as_of="2022-05-12").treaty(
        "budapest-protocol-2").status in ("signatory", "none")


def test_a_chart_before_the_opening_lists_every_state_not_yet_open(tl: ct.Timeline) -> None:
    """All states are "not yet open"; the text and HTML say so and cite the opening."""
    chart = tl.status("budapest-protocol-2", as_of="2020-01-01", all_actors=True)
    assert set(chart.counts()) == {"not_yet_open"}
    assert chart.to_dict()["opens"] == "2022-05-12"
    acted = tl.status("budapest-protocol-2", as_of="2020-01-01")
    assert "not yet open" in str(acted)
    assert "2022-05-12" in str(acted)
    assert "not a signatory" not in str(acted)
    assert "not yet open" in chart._repr_html_()


def test_the_position_text_says_not_yet_open(tl: ct.Timeline) -> None:
    """What ``make demo`` prints: Canada in 2014 and the two instruments not yet open."""
    text = str(tl.position("CAN", as_of="2014-12-31"))
    lines = [line for line in text.splitlines() if "Second Additional" in line
             or "UN Convention against Cybercrime" in line]
    assert len(lines) == 2
    assert all("not yet open" in line for line in lines)
    assert "not a signatory" not in text
    html = tl.position("CAN", as_of="2014-12-31")._repr_html_()
    assert "not yet open" in html


def test_the_command_line_says_not_yet_open(capsys: pytest.CaptureFixture[str]) -> None:
    """``position`` in text and JSON, and ``status`` of a chart."""
    assert main(["position", "CAN", "--as-of", "2014-12-31"]) == 0
    assert "not yet open" in capsys.readouterr().out
    assert main(["position", "CAN", "--as-of", "2014-12-31", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["not_yet_open"]["un-cybercrime-convention"] == "2025-10-25"
    assert main(["status", "un-cybercrime-convention", "--as-of", "2020"]) == 0
    assert "not yet open" in capsys.readouterr().out


OPENS = dt.date(2001, 11, 23)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
       st.sampled_from(["RUS", "CHN", "BRA", "IND"]))
def test_not_yet_open_exactly_before_the_opening(day: dt.date, actor: str) -> None:
    """Property: for a state with no act under a chart complete from the beginning, the status
    is ``not_yet_open`` exactly before the opening, ``none`` from it to the chart's date,
    ``unknown`` after; never ``none`` before the opening."""
    chart = ct.Coverage(complete_until="2020-12-31", sources=[ct.Source(title="Chart")])
    treaty = ct.Instrument(id="example-treaty", title="Example", opened=ct.Date.from_date(OPENS),
                           coverage=[chart])
    timeline = ct.Timeline([], registry=ct.Registry.builtin().extended(instruments=[treaty]))
    status = timeline.position(actor, as_of=day).treaty("example-treaty").status
    chart_status = timeline.status("example-treaty", as_of=day, all_actors=True)[actor].status
    expected = ("not_yet_open" if day < OPENS else "none" if day <= dt.date(2020, 12, 31)
                else "unknown")
    assert status == chart_status == expected


def test_an_opening_known_to_the_month_is_no_data_within_it() -> None:
    """Within the month of an opening known only to the month, neither "not yet open" nor "not
    a signatory": it may have opened, and no act is known (no data)."""
    chart = ct.Coverage(complete_until="2020-12-31", sources=[ct.Source(title="Chart")])
    treaty = ct.Instrument(id="example-treaty", title="Example", opened=ct.Date.parse("2010-05"),
                           coverage=[chart])
    timeline = ct.Timeline([], registry=ct.Registry.builtin().extended(instruments=[treaty]))
    statuses = [timeline.position("RUS", as_of=day).treaty("example-treaty").status
                for day in ("2010-04-30", "2010-05-15", "2010-06-01")]
    assert statuses == ["not_yet_open", "unknown", "none"]


def test_a_life_out_of_order_or_twice_is_refused() -> None:
    """Clear errors: a stage given twice, an opening before the adoption, two openings."""
    source = [ct.Source(title="Chart")]
    with pytest.raises(ValueError, match="given twice"):
        ct.Instrument(id="x", title="X", life=[
            ct.Milestone(stage="opened", date="2001", sources=source),
            ct.Milestone(stage="opened", date="2002", sources=source)])
    with pytest.raises(ValueError, match="is before 'adopted'"):
        ct.Instrument(id="x", title="X", life=[
            ct.Milestone(stage="adopted", date="2005", sources=source),
            ct.Milestone(stage="opened", date="2002", sources=source)])
    with pytest.raises(ValueError, match="differ"):
        ct.Instrument(id="x", title="X", opened=ct.Date.parse("2003"), life=[
            ct.Milestone(stage="opened", date="2002", sources=source)])
    with pytest.raises(ValueError, match="at least one source"):
        ct.Milestone(stage="opened", date="2002", sources=[])


def test_a_store_declares_a_life_in_instruments_toml(tmp_path: Path) -> None:
    """``[[instruments.X.life]]`` tables, with sources, read back from a folder and a copy;
    a bad stage names file and fix."""
    (tmp_path / "instruments.toml").write_text(
        '[instruments.example-treaty]\ntitle = "Example"\n'
        '[[instruments.example-treaty.life]]\nstage = "opened"\ndate = "2010-05-04"\n'
        '[[instruments.example-treaty.life.sources]]\ntitle = "Depositary notification"\n'
        '[instruments.example-treaty.entry]\nmonths = 3\nfirst_of_month = true\n',
        encoding="utf-8")
    loaded = ct.load(tmp_path)
    instrument = loaded.registry.instrument("example-treaty")
    assert str(instrument.opening) == "2010-05-04"
    assert instrument.entry == ct.EntryRule(months=3, first_of_month=True)
    copied = ct.create(tmp_path / "copy.sqlite")
    copied.extend([], declare=[instrument])
    assert ct.load(tmp_path / "copy.sqlite").registry.instrument("example-treaty") == instrument
    (tmp_path / "instruments.toml").write_text(
        '[instruments.example-treaty]\ntitle = "Example"\n'
        '[[instruments.example-treaty.life]]\nstage = "signed"\ndate = "2010-05-04"\n'
        '[[instruments.example-treaty.life.sources]]\ntitle = "Depositary notification"\n',
        encoding="utf-8")
    with pytest.raises(ct.ValidationError, match=r"instruments.toml.*'signed' is not allowed"):
        ct.load(tmp_path)


def test_a_store_declaring_coverage_keeps_the_built_in_life(tl: ct.Timeline) -> None:
    """The bundled instruments.toml declares charts; the life stays the built-in one."""
    assert tl.registry.instrument("budapest-convention").coverage
    assert tl.registry.instrument("budapest-convention").milestone("in_force") is not None
