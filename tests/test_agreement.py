"""Agreement between states' votes, checked against a reference computed independently with
pandas from the same roll calls: the record's CSV files read afresh (the excerpt always, the
whole record where it is found), votes compared row by row on the scale yes 1, abstain 0.5,
no 0. Roll calls on which a state has no row (absent, or not yet a member) count for neither
state of the pair."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline import importers
from cybertimeline._cli import main
from cybertimeline._reports.agreement import session_of
from tests.real_data import ABSENT, unvotes_folder

DATA = Path(__file__).parent / "data" / "unvotes"
TODAY = dt.date(2026, 1, 15)
SCALE = {"yes": 1.0, "abstain": 0.5, "no": 0.0}
PAIRS = [("USA", "CAN"), ("USA", "KOR"), ("DEU", "FRA"), ("NAM", "USA"), ("HRV", "RUS"),
         ("CZE", "GBR"), ("KOR", "NAM")]


def _actor(code: str, name: str) -> str | None:
    """The reference's own reading of a row's state: ISO alpha-2 to alpha-3, and the one
    uncoded row of the states it asks about (the Federal Republic of Germany)."""
    if not code:
        return "DEU" if name == "Federal Republic of Germany" else None
    found = pycountry.countries.get(alpha_2=code)
    return None if found is None or code in {"CS", "DD", "YD", "YU", "SU", "TW"} else (
        found.alpha_3)


def record(folder: Path, suffix: str = "") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The votes (``rcid``, ``actor``, ``score``) and roll calls (``rcid``, ``date``,
    ``session``, ``issues``) of the CSV files, as pandas reads them."""
    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(folder / f"{name}.csv{suffix}", keep_default_na=False)

    votes = read("un_votes")
    votes["actor"] = [_actor(c, n) for c, n in zip(votes.country_code, votes.country,
                                                  strict=True)]
    votes["score"] = votes.vote.map(SCALE)
    calls = read("un_roll_calls")
    calls["date"] = pd.to_datetime(calls.date)
    issues = read("un_roll_call_issues")
    calls["issues"] = calls.rcid.map(issues.groupby("rcid").short_name.agg(set)).apply(
        lambda found: found if isinstance(found, set) else set())
    return votes.dropna(subset=["actor"]), calls


def reference(votes: pd.DataFrame, calls: pd.DataFrame, a: str, b: str,
              by: str | None = None, issue: str | None = None) -> dict[Any, tuple[Any, ...]]:
    """(agree, identical, S, n) of ``a`` and ``b`` per period, by pandas alone."""
    wide = votes[votes.actor.isin([a, b])].pivot(index="rcid", columns="actor", values="score")
    wide = wide.reindex(columns=[a, b]).join(calls.set_index("rcid")).dropna(subset=[a, b])
    if issue is not None:
        wide = wide[wide.issues.apply(lambda found: issue in found)]
    distance = (wide[a] - wide[b]).abs()
    frame = pd.DataFrame({"agree": 1 - distance, "identical": (distance == 0) * 1.0,
                          "distance": distance})
    key: Any = (wide.date.dt.year if by == "year" else wide.session if by == "session"
                else pd.Series(0, index=wide.index))
    found = {}
    for period, rows in frame.groupby(key.to_numpy()):
        n = len(rows)
        found[None if by is None else int(period)] = (
            rows.agree.mean(), rows.identical.mean(), 1 - 2 * rows.distance.sum() / n, n)
    return found


def ours(timeline: ct.Timeline, a: str, b: str, by: str | None = None,
         topic: str | None = None) -> dict[Any, tuple[Any, ...]]:
    found: dict[Any, list[Any]] = {}
    for measure in ("agree", "identical", "s"):
        for score in timeline.agreement(a, b, by=by, measure=measure, topic=topic):  # type: ignore[arg-type]
            if score.votes:
                found.setdefault(score.period, []).append(score.score)
                found[score.period].append(score.votes)
    return {period: (v[0], v[2], v[4], v[1]) for period, v in found.items()}


def same(found: dict[Any, tuple[Any, ...]], expected: dict[Any, tuple[Any, ...]]) -> None:
    assert found.keys() == expected.keys()
    for period, values in expected.items():
        assert found[period] == pytest.approx(values, abs=1e-12), period


@pytest.fixture(scope="module")
def excerpt() -> ct.Timeline:
    timeline = ct.Timeline(clock=lambda: TODAY)
    importers.import_votes(timeline, DATA / "un_votes.csv", DATA / "un_roll_calls.csv",
                           issues=DATA / "un_roll_call_issues.csv")
    return timeline


@pytest.fixture(scope="module")
def excerpt_record() -> tuple[pd.DataFrame, pd.DataFrame]:
    return record(DATA)


@pytest.mark.parametrize(("a", "b"), PAIRS)
@pytest.mark.parametrize("by", [None, "year"])
def test_agreement_on_the_excerpt_equals_the_pandas_reference(excerpt, excerpt_record, a, b,
                                                               by):
    """Every measure, over the whole excerpt and by year: pairs with absences (Korea in 2001,
    Namibia in 2001 and 2010), states not yet members (Korea before 1991, Croatia and Czechia
    before 1992-93) and a state recorded without a code (the Federal Republic of Germany)."""
    votes, calls = excerpt_record
    same(ours(excerpt, a, b, by), reference(votes, calls, a, b, by))


def test_agreement_by_topic_equals_the_reference(excerpt, excerpt_record):
    votes, calls = excerpt_record
    same(ours(excerpt, "USA", "RUS", topic="arms-control"),
         reference(votes, calls, "USA", "RUS", issue="di"))
    assert excerpt.agreement("USA", "RUS", topic="arms-control").roll_calls == 2


def test_a_pair_that_never_voted_together_has_no_score(excerpt):
    """Croatia and the Federal Republic of Germany's votes of 1982-85: before Croatia was a
    member, so no roll call counts; the score is None, not 0."""
    found = excerpt.agreement("HRV", "DEU", until="1990")
    assert (found.value, found.scores[0].votes) == (None, 0)


def test_a_group_gives_every_pair_of_its_members(excerpt):
    eu = ct.load().members("EU", as_of="2020")
    found = excerpt.agreement(*eu, since="2000")
    assert len(found) == len(eu) * (len(eu) - 1) // 2
    matrix = found.matrix()
    assert list(matrix.index) == list(eu)
    assert matrix.loc["FRA", "DEU"] == matrix.loc["DEU", "FRA"] == excerpt.agreement(
        "FRA", "DEU", since="2000").value


def test_group_on_the_bundled_dataset_reads_members_as_of_until():
    tl = ct.load()
    found = tl.agreement(group="EU", until="2020")
    assert found.actors == tl.members("EU", as_of="2020")
    assert "GBR" in tl.agreement(group="EU", until="2019").actors
    assert "GBR" not in found.actors


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"measure": "kappa"}, "unknown measure"),
    ({"by": "decade"}, "unknown period"),
    ({"since": "2020", "until": "2010"}, "swap them"),
])
def test_bad_arguments_are_refused_clearly(excerpt, kwargs, message):
    with pytest.raises(ct.ValidationError, match=message):
        excerpt.agreement("USA", "CAN", **kwargs)


def test_one_actor_is_refused(excerpt):
    with pytest.raises(ct.ValidationError, match="two actors"):
        excerpt.agreement("USA", "usa")
    with pytest.raises(ct.UnknownActorError):
        excerpt.agreement("USA", "Atlantis")


OPTIONS = st.sampled_from(["yes", "no", "abstain", "absent", None])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.dates(dt.date(1990, 1, 1), dt.date(1995, 12, 31)),
                          st.lists(OPTIONS, min_size=3, max_size=3)), min_size=1, max_size=25))
def test_agreement_equals_a_plain_reference_on_any_ballots(rows):
    """Any roll calls of three states, absences (``absent``) and missing rows (not a member)
    among them: every pair's score per year is that of the row-by-row reference."""
    states = ["FRA", "DEU", "ITA"]
    events = []
    for place, (day, options) in enumerate(rows):
        votes = {s: o for s, o in zip(states, options, strict=True) if o is not None}
        events.append(ct.Vote(id=f"v{place}", date=ct.Date.from_date(day), body="UNGA",
                              resolution=f"A/RES/{place}", votes=votes,
                              sources=[ct.Source(title="Record")]))
    tl = ct.Timeline(events)
    frame = pd.DataFrame([{s: SCALE.get(o or "") for s, o in zip(states, options, strict=True)}
                          | {"year": day.year} for day, options in rows])
    for a, b in [("FRA", "DEU"), ("FRA", "ITA"), ("DEU", "ITA")]:
        both = frame.dropna(subset=[a, b])
        expected: dict[Any, tuple[Any, ...]] = {}
        for year, part in both.groupby("year"):
            assert isinstance(year, int)
            distance = (part[a] - part[b]).abs()
            expected[year] = (float((1 - distance).mean()), float((distance == 0).mean()),
                                   float(1 - 2 * distance.mean()), len(part))
        same(ours(tl, a, b, "year"), expected)


def test_a_correction_changes_the_score_from_when_it_is_known():
    first = ct.Vote(id="v1", date=ct.Date.parse("2020-12-01"), body="UNGA",
                    resolution="A/RES/75/1", votes={"FRA": "yes", "DEU": "no"},
                    sources=[ct.Source(title="Record")])
    fixed = ct.Vote(id="v1-fixed", date=ct.Date.parse("2020-12-01"), body="UNGA",
                    resolution="A/RES/75/1", votes={"FRA": "yes", "DEU": "yes"},
                    supersedes="v1", recorded=ct.Date.parse("2021-03-01"),
                    sources=[ct.Source(title="Corrigendum")])
    tl = ct.Timeline([first, fixed])
    assert tl.agreement("FRA", "DEU").value == 1.0
    assert tl.agreement("FRA", "DEU", known_at="2021-01-01").value == 0.0
    assert tl.agreement("FRA", "DEU", known_at="2020-11-01").roll_calls == 0


def test_session_of_a_roll_call():
    assert session_of("A/RES/74/247", dt.date(2019, 12, 27)) == 74
    assert session_of("R/1/66 (amendment, roll call 3)", dt.date(1946, 1, 1)) == 1
    assert session_of("roll call 812 (paragraph, no symbol)", dt.date(1962, 11, 7)) == 17
    assert session_of("SS/1/59", dt.date(1947, 5, 6)) == 2  # the record says 2
    assert session_of("R/677/46", dt.date(2012, 12, 3)) == 67  # a typo in the symbol
    assert session_of("A/ES-10/L.22", dt.date(2017, 12, 21)) == 72


def test_text_json_frame_and_plot(excerpt, tmp_path):
    found = excerpt.agreement("USA", "CAN", "FRA", by="year", since="2010")
    text = str(found)
    assert "USA  CAN  2010" in text.replace("   ", "  ")
    assert found.to_dict()["scores"][0] == {"a": "USA", "b": "CAN", "period": 2010,
                                            "score": 1.0, "votes": 1}
    frame = found.to_frame()
    assert list(frame.columns) == ["a", "b", "period", "score", "votes"]
    assert len(frame) == len(found)
    assert "<table" in found._repr_html_()
    pytest.importorskip("matplotlib")
    found.plot().savefig(tmp_path / "agreement.svg")
    assert (tmp_path / "agreement.svg").stat().st_size > 1000
    with pytest.raises(TypeError):
        excerpt.agreement("USA", "CAN").plot()


def test_command_line(excerpt, tmp_path, capsys):
    store = tmp_path / "votes.sqlite"
    ct.copy_into(excerpt, store)
    assert main(["--events", str(store), "agreement", "United States", "can", "--by", "year",
                 "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["actors"] == ["USA", "CAN"]
    assert printed == excerpt.agreement("USA", "CAN", by="year").to_dict()
    assert main(["--events", str(store), "agreement", "USA", "CAN", "FRA", "--measure", "s",
                 "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "a,b,period,score,votes"
    assert main(["--events", str(store), "agreement", "USA", "--since", "2000"]) == 1
    assert "two actors" in capsys.readouterr().err
    assert main(["--events", str(store), "agreement", "USA", "CAN", "--measure", "x"]) == 2


def test_command_line_plot(excerpt, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    store = tmp_path / "votes.sqlite"
    ct.copy_into(excerpt, store)
    picture = tmp_path / "usa-rus.svg"
    assert main(["--events", str(store), "agreement", "USA", "RUS", "--by", "year",
                 "--plot", str(picture)]) == 0
    assert picture.read_text().startswith("<?xml")
    capsys.readouterr()
    assert main(["--events", str(store), "agreement", "USA", "RUS", "--by", "year",
                 "--plot", str(picture)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["--events", str(store), "agreement", "USA", "RUS", "--plot",
                 str(tmp_path / "x.svg")]) == 1
    assert "by='year'" in capsys.readouterr().err
    assert not (tmp_path / "x.svg").exists()


FOLDER = unvotes_folder()


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> ct.Timeline:
    """The whole record imported into SQLite, where it is found."""
    if FOLDER is None:
        pytest.skip(ABSENT)
    path = tmp_path_factory.mktemp("whole") / "record.sqlite"
    importers.import_votes(ct.create(path, clock=lambda: TODAY),
                           FOLDER / "un_votes.csv.gz", FOLDER / "un_roll_calls.csv.gz",
                           issues=FOLDER / "un_roll_call_issues.csv.gz")
    return ct.load(path, clock=lambda: TODAY)


@pytest.fixture(scope="module")
def csv() -> tuple[pd.DataFrame, pd.DataFrame]:
    if FOLDER is None:
        pytest.skip(ABSENT)
    return record(FOLDER, ".gz")


@pytest.mark.slow
@pytest.mark.skipif(FOLDER is None, reason=ABSENT)
class TestWholeRecord:
    """The whole record, where it is found: every pair of the EU's 27 members."""

    def test_every_pair_of_eu_members_equals_the_reference(self, whole, csv):
        eu: Sequence[str] = ct.load().members("EU", as_of="2024")
        assert len(eu) == 27
        found = {(s.a, s.b): s for s in whole.agreement(*eu)}
        votes, calls = csv
        for (a, b), score in found.items():
            expected = reference(votes, calls, a, b)[None]
            assert (score.score, score.votes) == (pytest.approx(expected[0], abs=1e-12),
                                                  expected[3]), (a, b)

    @pytest.mark.parametrize(("a", "b"), [("USA", "RUS"), ("DEU", "FRA"), ("CZE", "SVK")])
    def test_by_year_and_by_session_equal_the_reference(self, whole, csv, a, b):
        votes, calls = csv
        same(ours(whole, a, b, "year"), reference(votes, calls, a, b, "year"))
        # By session: each roll call's session derived as the library derives it (checked
        # against the record's own numbers here), then grouped by pandas.
        derived = pd.Series([session_of(str(u), d.date()) for u, d in zip(
            calls.unres, calls.date, strict=True)], index=calls.index)
        assert (derived == calls.session).mean() > 0.999
        same(ours(whole, a, b, "session"),
             reference(votes, calls.assign(session=derived), a, b, "session"))

    def test_human_rights_equals_the_reference(self, whole, csv):
        votes, calls = csv
        same(ours(whole, "USA", "ISR", topic="human-rights"),
             reference(votes, calls, "USA", "ISR", issue="hr"))


def test_gzip_is_what_the_reference_reads_where_the_record_is() -> None:
    """The real-record reference reads the same CSV layout as the excerpt (its header)."""
    if FOLDER is None:
        pytest.skip(ABSENT)
    with gzip.open(FOLDER / "un_votes.csv.gz", "rt") as handle:
        assert handle.readline().strip() == (DATA / "un_votes.csv").read_text().splitlines()[0]
