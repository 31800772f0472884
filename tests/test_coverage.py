"""Complete charts (rule 10 of ``docs/concepts.md``): "not a signatory" apart from "no data"."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

import cybertimeline as ct
from cybertimeline._cli import main

CHARTED = Path(__file__).parent / "data" / "stores" / "charted"
"""A store whose instruments.toml declares the Budapest chart complete to 2020-12-31,
recorded on 2021-01-15 (its source's publication)."""


@pytest.fixture(scope="module")
def charted() -> ct.Timeline:
    return ct.load(CHARTED)


def test_no_act_under_a_complete_chart_is_none_citing_the_chart(charted: ct.Timeline) -> None:
    """On a covered day, a state with no act is ``none`` and rests on the chart's source."""
    status = charted.position("RUS", as_of="2020-01-01").treaty("budapest-convention")
    assert status.status == "none"
    assert status.events == ()
    assert [s.publisher for s in status.sources()] == ["Council of Europe Treaty Office"]
    assert status.to_dict()["coverage"]["complete_until"] == "2020-12-31"


def test_no_act_outside_the_chart_or_before_it_was_known_is_unknown(
        charted: ct.Timeline) -> None:
    """After the chart's date, before it was recorded, or for another instrument: ``unknown``."""
    assert charted.position("RUS", as_of="2021-06-01").treaty(
        "budapest-convention").status == "unknown"
    assert charted.position("RUS", as_of="2020-01-01", known_at="2021-01-14").treaty(
        "budapest-convention").status == "unknown"
    assert charted.position("RUS", as_of="2020-01-01", known_at="2021-01-15").treaty(
        "budapest-convention").status == "none"
    assert charted.position("RUS", as_of="2020-01-01").treaty("untoc").status == "unknown"
    assert charted.position("RUS").treaty("budapest-convention").status == "unknown"


def test_an_acted_status_is_kept_and_treaties_keeps_its_meaning(charted: ct.Timeline) -> None:
    """``treaty()`` gives the acted status; ``treaties`` lists acted instruments only."""
    france = charted.position("FRA", as_of="2010-01-01")
    assert france.treaty("budapest-convention") == france.treaties["budapest-convention"]
    assert france.treaty("budapest-convention").status == "party"
    assert "budapest-convention" not in charted.position("RUS", as_of="2010").treaties


def test_a_store_without_coverage_answers_unknown() -> None:
    """Without a coverage declaration, no act means no data."""
    assert ct.Timeline().position("RUS", as_of="2020-01-01").treaty(
        "budapest-convention").status == "unknown"


def test_an_unknown_instrument_is_an_error_that_suggests(charted: ct.Timeline) -> None:
    """A mistyped instrument raises UnknownInstrumentError (an UnknownActorError too)."""
    position = charted.position("RUS", as_of="2020")
    with pytest.raises(ct.UnknownInstrumentError, match="budapest-convention"):
        position.treaty("budapest-convetion")
    with pytest.raises(ct.UnknownActorError):
        charted.status("no-such-treaty", as_of="2020")
    assert position.treaty("A/RES/74/247").status == "unknown"


def test_status_of_all_actors_lists_every_state(charted: ct.Timeline) -> None:
    """``all_actors=True`` lists every state: acted, else ``none`` under the chart."""
    chart = charted.status("budapest-convention", as_of="2010", all_actors=True)
    states = {a.id for a in charted.registry.actors.values() if a.type == "state"}
    assert set(chart) == states
    assert chart["FRA"].status == "party"
    assert chart["RUS"].status == "none"
    later = charted.status("budapest-convention", as_of="2022", all_actors=True)
    assert later["RUS"].status == "unknown"
    assert set(charted.status("budapest-convention", as_of="2010")) == {"FRA", "USA"}


def test_position_json_names_the_complete_charts(charted: ct.Timeline) -> None:
    """``to_dict`` keeps ``treaties`` as acted and adds ``coverage`` for the charts in force."""
    data = charted.position("RUS", as_of="2020-01-01").to_dict()
    assert data["treaties"] == {}
    assert list(data["coverage"]) == ["budapest-convention"]
    assert data["coverage"]["budapest-convention"]["recorded"] == "2021-01-15"
    assert charted.position("RUS", as_of="2022").to_dict()["coverage"] == {}


def test_the_command_line_says_not_a_signatory_or_no_data(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Text output writes ``none`` as "not a signatory", ``unknown`` as "no data"."""
    assert main(["--events", str(CHARTED), "position", "RUS", "--as-of", "2020-01-01"]) == 0
    out = capsys.readouterr().out
    assert "not a signatory  chart complete to 2020-12-31" in out
    assert main(["--events", str(CHARTED), "position", "GBR", "--as-of", "2022"]) == 0
    assert "(no data on this actor by this date)" in capsys.readouterr().out
    assert main(["--events", str(CHARTED), "status", "budapest-convention", "--as-of", "2010",
                 "--all"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert any(r.split()[:1] == ["RUS"] and "not a signatory" in r for r in rows)
    assert main(["--events", str(CHARTED), "status", "budapest-convention", "--as-of", "2022",
                 "--all", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["actors"]["RUS"]["status"] == "unknown"
    assert data["counts"]["unknown"] == len(data["actors"]) - 2


def test_a_changelog_says_a_first_act_ends_not_being_a_signatory(charted: ct.Timeline) -> None:
    """A first act under a complete chart reads "not a signatory → signatory" and cites the
    chart; without a chart, only the new status. A signature on the opening day ends no
    "not a signatory": the day before, the treaty was not yet open (rule 11)."""
    later = ct.Signature(id="usa-signs-later", date=ct.Date.parse("2005-03-01"), actor="USA",
                         instrument="budapest-convention",
                         sources=[ct.Source(title="Chart of signatures")])
    others = [e for e in charted.events() if e.id != "usa-signs-budapest"]
    moved = ct.Timeline([*others, later], registry=charted.registry)
    log = moved.changelog("USA", since="2000", until="2010")
    (change,) = [c for c in log.changes if c.field == "status"]
    assert change.before is None
    assert change.coverage is not None
    assert change.to_dict()["coverage"]["complete_until"] == "2020-12-31"
    text = log.to_markdown()
    assert "status: not a signatory → signatory" in text
    assert "status as of 31/12/2020" in text
    before = moved.position("USA", as_of="2004")
    after = moved.position("USA", as_of="2010")
    assert ct.diff_positions(before, after)[0].coverage is not None
    plain = ct.Timeline(moved.events()).changelog("USA", since="2000", until="2010")
    assert "status: signatory" in plain.to_markdown()
    assert "not a signatory" not in plain.to_markdown()
    on_opening = charted.changelog("USA", since="2000", until="2010")
    assert "not a signatory" not in on_opening.to_markdown()


def test_the_plot_draws_not_a_signatory_only_under_the_chart(charted: ct.Timeline) -> None:
    """The band shows ``none`` where the chart is complete and nothing where there is no data,
    nor before the treaty opened for signature (2001-11-23, rule 11)."""
    pytest.importorskip("matplotlib")
    chart = charted.plot(["RUS", "USA"], instrument="budapest-convention",
                         since="2000", until="2022")
    russia = [s for s in chart.spans if s.actor == "RUS"]
    assert [(s.status, s.start.isoformat(), s.end.isoformat()) for s in russia] == [
        ("none", "2001-11-23", "2021-01-01")]
    usa = [(s.status, s.start.isoformat()) for s in chart.spans if s.actor == "USA"]
    assert usa == [("signatory", "2001-11-23")]  # signed on the opening day


def test_coverage_survives_a_copy_into_every_store(charted: ct.Timeline, tmp_path: Path) -> None:
    """The declaration is part of the registry: copies keep it, and answer ``none`` alike."""
    for name in ("copy", "copy.jsonl", "copy.sqlite"):
        copy = ct.copy_into(charted, tmp_path / name)
        assert copy.registry == charted.registry
        assert copy.position("RUS", as_of="2020").treaty("budapest-convention").status == "none"


@pytest.mark.parametrize(("fields", "message"), [
    ({"complete_until": "2020-12-31", "sources": []}, "'sources' is missing"),
    ({"complete_until": "2020-12-31", "complete_from": "2021-01-01",
      "sources": [{"title": "Chart"}]}, "is after 'complete_until'"),
    ({"complete_until": "2020-12-31", "recorded": "2020-06-01",
      "sources": [{"title": "Chart"}]}, "cannot be known complete before its date"),
])
def test_a_bad_coverage_declaration_is_refused_at_its_line(
        tmp_path: Path, fields: dict[str, object], message: str) -> None:
    """A declaration without a source, reversed, or recorded before its date fails the load
    at the instrument's line in instruments.toml."""
    lines = ["[instruments.example]", 'title = "Example"', "",
             "[[instruments.example.coverage]]"]
    for key, value in fields.items():
        if key == "sources":
            continue
        lines.append(f'{key} = "{value}"')
    for source in fields["sources"]:  # type: ignore[attr-defined]
        lines += ["", "[[instruments.example.coverage.sources]]", f'title = "{source["title"]}"']
    (tmp_path / "instruments.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ct.ValidationError) as caught:
        ct.load(tmp_path)
    (problem,) = caught.value.problems
    assert problem.file is not None
    assert problem.file.name == "instruments.toml"
    assert problem.line == 1
    assert message in problem.message


def test_an_act_that_may_already_have_happened_is_no_data_not_none() -> None:
    """A deposit known only to lie in a span: within the span, the state may already be bound,
    so the chart cannot say "not a signatory"; before it, it can; after it, it acted."""
    chart = ct.Coverage(complete_until="2024-10-09", sources=[ct.Source(title="Chart")])
    treaty = attrs.evolve(ct.Registry.builtin().instruments["budapest-convention"],
                          coverage=(chart,))
    registry = ct.Registry.builtin().extended(instruments=[treaty])
    accession = ct.Accession(id="pry-accedes", date="2017-12-15/2024-09-24", actor="PRY",
                             instrument="budapest-convention",
                             sources=[ct.Source(title="Country profile")])
    tl = ct.Timeline([accession], registry=registry)
    assert tl.position("PRY", as_of="2017-01-01").treaty("budapest-convention").status == "none"
    assert tl.position("PRY", as_of="2020-01-01").treaty(
        "budapest-convention").status == "unknown"
    assert tl.position("PRY", as_of="2020-01-01", possible=True).treaty(
        "budapest-convention").status == "ratified"
    assert tl.position("PRY", as_of="2024-10-01").treaty(
        "budapest-convention").status == "ratified"
    assert tl.status("budapest-convention", as_of="2020-01-01",
                     all_actors=True)["PRY"].status == "unknown"
