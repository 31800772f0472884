"""Counts as the depositary counts (``TreatyChart.depositary``): Parties are the states whose
consent was deposited, in force or not; of them, the bound; signatures not followed by
ratification; signatories."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._cli import main


@pytest.fixture(scope="module")
def tl() -> ct.Timeline:
    return ct.load()


def test_the_budapest_chart_counts_as_the_council_of_europe(tl: ct.Timeline) -> None:
    """On 2024-10-09 the Council of Europe counted 76 Parties and 2 signatures (the bundled
    coverage's source): ``counts()["party"]`` is 75 (in force), the depositary's Parties 76."""
    chart = tl.status("budapest-convention", as_of="2024-10-09")
    counts = chart.depositary()
    assert chart.counts()["party"] == 75  # in force: one Party was not yet bound
    assert (counts.parties, counts.in_force, counts.consented_not_in_force,
            counts.signed_only) == (76, 75, 1, 2)
    assert chart.to_dict()["depositary"]["parties"] == 76
    assert "As the depositary counts: 76 Parties" in str(chart)
    assert "2 signatures not followed by ratification" in chart._repr_html_()


def test_the_un_convention_counts_72_signatories_after_hanoi(tl: ct.Timeline) -> None:
    """The UN Treaty Collection's "Signatories: 72" after the Hanoi ceremony."""
    counts = tl.status("un-cybercrime-convention", as_of="2025-10-26").depositary()
    assert (counts.signatories, counts.parties) == (72, 0)


def test_the_command_line_prints_the_depositary_counts(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "budapest-convention", "--as-of", "2024-10-09", "--format",
                 "json"]) == 0
    assert json.loads(capsys.readouterr().out)["depositary"] == {
        "parties": 76, "in_force": 75, "consented_not_in_force": 1, "signed_only": 2,
        "signatories": 50}


ROLES: dict[str, type[ct.TreatyAct]] = {"signature": ct.Signature, "ratification": ct.Ratification,
         "entry_into_force": ct.EntryIntoForce, "withdrawal": ct.Withdrawal}


@given(st.lists(st.tuples(st.sampled_from(["FRA", "DEU", "ITA", "ESP"]),
                          st.sampled_from(sorted(ROLES)),
                          st.integers(min_value=0, max_value=3000)), max_size=12))
def test_parties_are_the_consented_in_force_or_not(acts: list[tuple[str, str, int]]) -> None:
    """Property: parties = in force + not yet in force = states whose status is ``party`` or
    ``ratified``; signed only = ``signatory``; signatories ⊇ signed only."""
    events: list[Any] = [ROLES[kind](id=f"e{n}", actor=actor, instrument="budapest-convention",
                          date=ct.Date.from_date(dt.date(2005, 1, 1) + dt.timedelta(days=day)),
                          sources=[ct.Source(title="Chart")])
              for n, (actor, kind, day) in enumerate(acts)]
    chart = ct.Timeline(events).status("budapest-convention")
    counts = chart.depositary()
    statuses = [s.status for s in chart.values()]
    assert counts.parties == statuses.count("party") + statuses.count("ratified")
    assert counts.in_force + counts.consented_not_in_force == counts.parties
    assert counts.signed_only == statuses.count("signatory") <= counts.signatories
