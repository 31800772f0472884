"""Positions side by side: every fact of each position, on the rows where they differ first."""

from __future__ import annotations

import json

import pytest

import cybertimeline as ct
from cybertimeline._cli import main


@pytest.fixture(scope="module")
def tl() -> ct.Timeline:
    return ct.load()


def test_each_row_is_each_actors_fact_and_differing_rows_come_first(tl):
    found = tl.compare(["USA", "Russia", "CHN"], as_of="2020")
    assert found.actors == ("USA", "RUS", "CHN")
    facts = [ct.position_facts(tl.position(a, as_of="2020")) for a in found.actors]
    assert {r.path for r in found} == set().union(*facts)
    flags = [r.differs for r in found]
    assert flags == sorted(flags, reverse=True)
    for row in found:
        values = [f.get(row.path) for f in facts]
        assert row.differs == any(v != values[0] for v in values), row.path
        for value, shown in zip(values, row.values, strict=True):
            assert (value is None) == (shown in (None, "none")), row.path
    vote = next(r for r in found if r.path == "votes.A/RES/74/247")
    assert vote.values == ("no (2019-12-27)", "yes (2019-12-27)", "yes (2019-12-27)")


def test_a_treaty_the_actor_never_acted_on_is_none_where_the_chart_is_complete(tl):
    row = next(r for r in tl.compare(["USA", "RUS"], as_of="2020")
               if r.path == "treaties.budapest-convention.status")
    assert row.values == ("party", "none")


def test_text_shows_what_differs_and_counts_what_is_alike(tl):
    found = tl.compare(["FRA", "DEU"], as_of="2020")
    text = str(found)
    assert "treaties.budapest-convention.consented  2006-01-10  2009-03-09" in text
    alike = len(found) - len(found.differing)
    assert f"({alike} facts alike not shown" in text
    assert len(found.full().splitlines()) == len(found) + 2
    html = found._repr_html_()
    assert "<details>" in html
    assert "2009-03-09" in html


def test_fewer_than_two_actors_is_refused(tl):
    with pytest.raises(ct.ValidationError, match="two actors"):
        tl.compare(["CAN", "can"])
    with pytest.raises(ct.UnknownActorError):
        tl.compare(["CAN", "Atlantis"])


def test_command_line(capsys, tl):
    assert main(["compare", "FRA", "Germany", "--as-of", "2020", "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == tl.compare(["FRA", "DEU"], as_of="2020").to_dict()
    assert main(["compare", "FRA", "DEU", "--as-of", "2020", "--all"]) == 0
    assert capsys.readouterr().out.rstrip("\n") == tl.compare(["FRA", "DEU"],
                                                               as_of="2020").full()
    assert main(["compare", "FRA", "DEU", "--format", "html"]) == 0
    assert capsys.readouterr().out.startswith('<div class="cybertimeline ct-comparison"')
    assert main(["compare", "FRA"]) == 1
