"""The bundled dataset, read as a user would: through the public API.

These tests check that the answers the seed document implies hold for the
bundled data, that every event is sourced, and that quotes attributed to the
seed are verbatim.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import cybertimeline as ct

REPO = Path(__file__).resolve().parents[1]
SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_COPY = Path(__file__).resolve().parent / "data" / "seed.txt"
SEED_URL = "https://eucyberdirect.eu/atlas/country/south-korea/compare/canada/japan"

EU_28 = {
    "AUT",
    "BEL",
    "BGR",
    "HRV",
    "CYP",
    "CZE",
    "DNK",
    "EST",
    "FIN",
    "FRA",
    "DEU",
    "GRC",
    "HUN",
    "IRL",
    "ITA",
    "LVA",
    "LTU",
    "LUX",
    "MLT",
    "NLD",
    "POL",
    "PRT",
    "ROU",
    "SVK",
    "SVN",
    "ESP",
    "SWE",
    "GBR",
}


@pytest.fixture(scope="module")
def tl():
    return ct.load()


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _seed_text() -> str:
    """The seed document: from ../shared/seeds when present, else the stored copy."""
    if SEED_DIR.is_dir():
        files = sorted(SEED_DIR.glob("*.txt"))
        if files:
            return "\n".join(p.read_text(encoding="utf-8") for p in files)
    return SEED_COPY.read_text(encoding="utf-8")


def _sessions(pos):
    return list(pos.sessions)


# --- Treaties ---------------------------------------------------------------


def test_canada_is_a_budapest_signatory_at_the_end_of_2014(tl):
    pos = tl.position("CAN", as_of="2014-12-31")
    assert pos.treaties["budapest-convention"].status == "signatory"


def test_canada_is_a_budapest_party_on_2016_01_01(tl):
    pos = tl.position("CAN", as_of="2016-01-01")
    assert pos.treaties["budapest-convention"].status == "party"


def test_canada_ratified_rather_than_acceded(tl):
    kinds = {
        e.kind for e in tl.events(actor="CAN") if e.id.startswith("can-") and "budapest" in e.id
    }
    assert "ratification" in kinds
    assert "accession" not in kinds


def test_korea_has_no_budapest_treaty_entry_at_the_end_of_2021(tl):
    pos = tl.position("KOR", as_of="2021-12-31")
    assert "budapest-convention" not in pos.treaties


def test_korea_records_the_not_a_signatory_observation_and_the_letter_of_intent(tl):
    assert tl.position("KOR", as_of="2021-12-31").stances["budapest-convention"].stance == "neutral"
    assert (
        tl.position("KOR", as_of="2022-10-11").stances["budapest-convention"].stance == "supports"
    )
    # A letter of intent is no treaty act.
    assert "budapest-convention" not in tl.position("KOR", as_of="2023-01-01").treaties


def test_japan_consented_by_acceptance_and_is_a_party_from_november_2012(tl):
    assert (
        tl.position("JPN", as_of="2012-10-31").treaties["budapest-convention"].status == "ratified"
    )
    assert tl.position("JPN", as_of="2012-11-01").treaties["budapest-convention"].status == "party"


# --- Votes ------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["CAN", "KOR", "USA", "GBR", "DEU", "AUS"])
def test_like_minded_states_voted_no_on_74_247(tl, actor):
    pos = tl.position(actor, as_of="2020-01-01")
    assert pos.votes["A/RES/74/247"].option == "no"


@pytest.mark.parametrize("actor", ["RUS", "CHN"])
def test_sponsors_voted_yes_on_74_247(tl, actor):
    assert tl.position(actor, as_of="2020-01-01").votes["A/RES/74/247"].option == "yes"


def test_vote_not_yet_cast_before_the_day(tl):
    assert "A/RES/74/247" not in tl.position("CAN", as_of="2019-12-26").votes


def test_recorded_votes_on_74_247_add_up_to_the_official_tally(tl):
    (vote,) = [e for e in tl.events(kind="vote") if e.resolution == "A/RES/74/247"]
    options = list(vote.votes.values())
    assert (options.count("yes"), options.count("no"), options.count("abstain")) == (79, 60, 33)
    assert (vote.tally.yes, vote.tally.no, vote.tally.abstain) == (79, 60, 33)


def test_every_eu_member_state_voted_no_on_74_247(tl):
    members = set(tl.members("EU", as_of="2019-12-27"))
    assert members == EU_28
    for state in members:
        assert tl.position(state, as_of="2019-12-27").votes["A/RES/74/247"].option == "no", state


def test_75_282_has_no_recorded_vote(tl):
    # Trap: 75/282 was adopted without a vote; only amendments were voted on.
    assert not [e for e in tl.events(kind="vote") if e.resolution == "A/RES/75/282"]
    (adoption,) = [
        e for e in tl.events(kind="adoption") if getattr(e, "resolution", None) == "A/RES/75/282"
    ]
    assert adoption.tally is None


# --- Stances ----------------------------------------------------------------


def test_the_eu_supports_the_budapest_convention(tl):
    pos = tl.position("EU", as_of="2022-01-01")
    assert pos.stances["budapest-convention"].stance == "supports"


def test_canada_supports_the_budapest_convention_from_the_quintet_statement(tl):
    assert tl.position("CAN", as_of="2019-06-30").stances.get("budapest-convention") is None
    assert (
        tl.position("CAN", as_of="2019-07-31").stances["budapest-convention"].stance == "supports"
    )


# --- The Ad Hoc Committee's first session: what we knew, and what happened --


def test_first_session_as_known_on_2021_12_01_is_scheduled_for_january_2022(tl):
    pos = tl.position("AHC", as_of="2022-12-31", known_at="2021-12-01")
    first = [s for s in _sessions(pos) if s.event.id == "ahc-first-session-scheduled"]
    assert len(first) == 1
    (session,) = first
    assert session.status == "scheduled"
    assert session.date.earliest == dt.date(2022, 1, 17)
    assert session.date.latest == dt.date(2022, 1, 28)
    assert not [s for s in _sessions(pos) if s.event.id == "ahc-first-session-held"]


def test_first_session_as_known_today_was_held_in_february_march_2022(tl):
    pos = tl.position("AHC", as_of="2022-12-31")
    sessions = _sessions(pos)
    held = [s for s in sessions if s.event.id == "ahc-first-session-held"]
    assert len(held) == 1
    (session,) = held
    assert session.status == "held"
    assert session.date.earliest == dt.date(2022, 2, 28)
    assert session.date.latest == dt.date(2022, 3, 11)
    assert not [s for s in sessions if s.event.id == "ahc-first-session-scheduled"]


# --- EU membership ----------------------------------------------------------


def test_the_eu_had_28_members_at_the_74_247_vote(tl):
    members = set(tl.members("EU", as_of="2019-12-27"))
    assert len(members) == 28
    assert "GBR" in members


def test_the_eu_has_27_members_after_brexit(tl):
    members = set(tl.members("EU", as_of="2020-02-01"))
    assert len(members) == 27
    assert "GBR" not in members


def test_the_eu_founders(tl):
    assert set(tl.members("EU", as_of="1958-01-01")) == {"BEL", "FRA", "DEU", "ITA", "LUX", "NLD"}
    assert set(tl.members("EU", as_of="2013-07-01")) == EU_28


# --- Sources and quotes -----------------------------------------------------


def test_every_event_has_a_source_with_a_title(tl):
    events = list(tl.events())
    assert len(events) > 100
    for e in events:
        assert e.sources, e.id
        for source in e.sources:
            assert source.title, e.id


def test_seed_quotes_appear_verbatim_in_the_seed():
    # Whitespace is normalised: the seed breaks lines inside sentences.
    seed = _norm(_seed_text())
    quoted = 0
    for e in ct.load().events():
        for source in e.sources:
            if source.url == SEED_URL and source.quote:
                assert _norm(source.quote) in seed, (e.id, source.quote)
                quoted += 1
    assert quoted >= 20


def test_quotes_are_short(tl):
    for e in tl.events():
        for source in e.sources:
            if source.quote:
                assert len(source.quote) <= 300, e.id


def test_stored_seed_copy_matches_the_shared_seed():
    if not SEED_DIR.is_dir():
        return  # only the stored copy is available: nothing to compare
    shared = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.txt")))
    assert _norm(SEED_COPY.read_text(encoding="utf-8")) == _norm(shared)


# --- Command line -----------------------------------------------------------


def test_cybertimeline_validate_passes_on_the_bundled_dataset():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    env.pop("CYBERTIMELINE_EVENTS", None)
    result = subprocess.run(
        [sys.executable, "-m", "cybertimeline", "validate"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr


def test_the_coverage_table_of_docs_dataset_md_counts_the_dataset(tl):
    """docs/dataset.md's total row gives, kind by kind, the events the dataset holds."""
    text = (REPO / "docs" / "dataset.md").read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.startswith("| file | subject |"))
    total = next(line for line in text.splitlines() if line.startswith("| **all** |"))
    kinds = [cell.strip() for cell in header.strip("|").split("|")][2:-1]
    cells = [cell.strip().strip("*") for cell in total.strip("|").split("|")][2:]
    documented = {kind: int(n) for kind, n in zip(kinds, cells, strict=False) if n}
    stored = list(tl.events(include_corrected=True))
    counted: dict[str, int] = {}
    for event in stored:
        counted[event.kind] = counted.get(event.kind, 0) + 1
    assert documented == counted
    assert int(cells[-1]) == len(stored)
