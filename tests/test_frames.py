"""pandas frames: events one row each, and as-of panels."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._reports.frames import panel_row
from tests import strategies as s


@pytest.fixture(scope="module")
def bundled() -> ct.Timeline:
    return ct.load()


def test_events_frame_one_row_per_event(bundled: ct.Timeline) -> None:
    """events_frame has one row per known event, the row fields as columns, days as datetimes."""
    frame = bundled.events_frame()
    assert len(frame) == len(list(bundled.events()))
    assert tuple(frame.columns) == ct.ROW_FIELDS
    assert pd.api.types.is_datetime64_any_dtype(frame["latest"])
    assert frame["source_count"].min() >= 1


def test_events_frame_for_an_actor(bundled: ct.Timeline) -> None:
    """For one actor, vote rows carry that actor's option."""
    frame = bundled.events_frame(actor="CAN", until="2019")
    vote = frame.set_index("id").loc["unga-vote-74-247"]
    assert vote["option"] == "no"
    assert frame["latest"].max() <= pd.Timestamp("2019-12-31")


def test_positions_frame(bundled: ct.Timeline) -> None:
    """The panel has a row per actor and date and a column per status, vote and stance."""
    frame = bundled.positions_frame(["CAN", "KOR"], ["2014", "2016-01-01", "2020"])
    assert frame.index.names == ["actor", "as_of"]
    assert len(frame) == 6
    column = frame["treaties.budapest-convention.status"]
    assert column.loc[("CAN", pd.Timestamp("2014-12-31"))] == "signatory"
    assert column.loc[("CAN", pd.Timestamp("2016-01-01"))] == "party"
    assert pd.isna(column.loc[("KOR", pd.Timestamp("2016-01-01"))])
    assert frame.loc[("KOR", pd.Timestamp("2020-12-31")), "votes.A/RES/74/247"] == "no"


def test_positions_frame_unknown_actor(bundled: ct.Timeline) -> None:
    """An unknown actor raises UnknownActorError."""
    with pytest.raises(ct.UnknownActorError):
        bundled.positions_frame(["XYZ"], ["2020"])


def test_missing_pandas_is_a_clear_error(
    bundled: ct.Timeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without pandas, frames raise ImportError naming the pandas extra."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"cybertimeline\[pandas\]"):
        bundled.events_frame()
    with pytest.raises(ImportError, match="pandas extra"):
        bundled.positions_frame(["CAN"], ["2020"])


def test_library_imports_without_pandas() -> None:
    """import cybertimeline works, and the CLI runs, where pandas cannot be imported."""
    code = ("import sys; sys.modules['pandas'] = None\n"
            "import cybertimeline as ct\n"
            "from cybertimeline._cli import main\n"
            "tl = ct.load(); tl.changelog('CAN'); tl.to_timelinejs()\n"
            "sys.exit(main(['timeline', 'CAN', '--format', 'csv']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr


_PANEL_FIELD = {spec.name: spec.value for spec in ct.sections()
                if spec.keyed and spec.value is not None and not spec.fields}
"""The sections a panel shows the one word of, from the section table (treaties: a field)."""


@settings(max_examples=60)
@given(s.timelines(), st.sampled_from(s.ACTORS), st.none() | s.days(1995, 2030))
def test_a_panel_row_is_the_positions_facts_it_shows(events, actor, as_of) -> None:
    """A panel's row holds, by path, the treaty statuses and the option, stance or role that
    `position_facts` gives for the same position: nothing more, nothing less."""
    position = ct.Timeline(events).position(actor, as_of=as_of)
    facts = ct.position_facts(position)
    expected = {path: value for path, value in facts.items()
                if path.startswith("treaties.") and path.endswith(".status")}
    expected.update((path, value[_PANEL_FIELD[path.split(".", 1)[0]]])
                    for path, value in facts.items() if path.split(".", 1)[0] in _PANEL_FIELD)
    assert panel_row(position) == expected


def test_a_panel_of_every_state_has_a_cell_per_state_and_fact(bundled: ct.Timeline) -> None:
    """Every state on two dates: a row each, a column per fact any of them has, NaN elsewhere."""
    states = sorted(a.id for a in bundled.registry.actors.values() if a.type == "state")
    panel = bundled.positions_frame(states, ["2016-01-01", "2020-01-01"])
    assert len(panel) == 2 * len(states)
    assert panel.loc[("CAN", "2020-01-01"), "votes.A/RES/74/247"] == "no"
    assert panel["votes.A/RES/74/247"].isna()[("CAN", pd.Timestamp("2016-01-01"))]
    vote = bundled.event("unga-vote-74-247")
    assert isinstance(vote, ct.Vote)
    voters = vote.votes
    assert panel.xs(pd.Timestamp("2020-01-01"), level="as_of")["votes.A/RES/74/247"].dropna(
    ).to_dict() == {a: o for a, o in voters.items() if a in states}
