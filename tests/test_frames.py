"""pandas frames: events one row each, and as-of panels."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import cybertimeline as ct


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
