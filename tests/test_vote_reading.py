"""Reading a votes file takes the rows it has met as written (no cell stripped) and reads
every other row as the layout says: both ways give the same votes and the same problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._importers import rollcalls
from cybertimeline._importers.layouts import LAYOUTS
from cybertimeline._importers.rollcalls import read_ballots, read_roll_calls
from cybertimeline._importers.tables import open_table
from cybertimeline._importers.voters import VoterMap
from cybertimeline._model.registry import Registry

DATA = Path(__file__).parent / "data" / "unvotes"
LAYOUT = LAYOUTS["unvotes"]
ROLL_CALLS = read_roll_calls(DATA / "un_roll_calls.csv", LAYOUT)
NAMES = tuple(dict.fromkeys(LAYOUT.options.values()))


def _row_by_row(self: Any, progress: Any) -> None:
    """The reading of every row by `_VoteReading.row`, as the layout says: the reference."""
    with self.table.reading() as reader:
        for cells in reader:
            if self.row(reader.line_num, cells):
                return


def read(path: Path, *, row_by_row: bool) -> tuple[str, Any]:
    """The votes of each roll call and their count, or the problems, read one way."""
    voters = VoterMap(LAYOUT.codes, LAYOUT.code_system, Registry.builtin(), None)
    with pytest.MonkeyPatch.context() as patch:
        if row_by_row:
            patch.setattr(rollcalls._VoteReading, "read", _row_by_row)
        try:
            with open_table(path) as table:
                ballots = read_ballots(table, LAYOUT, voters, dict(ROLL_CALLS),
                                       lambda r: r.id != "3")
        except ct.ValidationError as error:
            return "problems", [(p.message, p.line) for p in error.problems]
    return "votes", ({k: ballots.of(k, NAMES) for k in ROLL_CALLS}, ballots.count)


def padded(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from([text, f" {text}", f"{text} ", f" {text}  "])


CELLS = st.tuples(
    st.sampled_from(["9087", "6138", "3", "404", ""]).flatmap(padded),  # 3: not chosen
    st.sampled_from(["Canada", "United States", "Yugoslavia", "Nowhere", ""]),
    st.sampled_from(["CA", "US", "YU", "RU", "ZZ", ""]).flatmap(padded),  # YU: by the day
    st.sampled_from(["yes", "no", "abstain", "maybe"]).flatmap(padded),
)
ROWS = st.one_of(CELLS.map(",".join), CELLS.map(lambda c: ",".join(c[:3])),
                 st.just(""), st.just(" , , , "), CELLS.map(lambda c: ",".join(c) + ",x"))


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ROWS, max_size=60))
def test_rows_taken_as_written_read_as_every_row_read_by_the_layout(
        tmp_path: Path, rows: list[str]) -> None:
    """Cells with spaces around them, blank and short rows, unknown codes, roll calls and
    values, a voter whose actor depends on the day, second votes, a row too long: the
    fast reading gives the same votes, or the same problems at the same lines."""
    path = tmp_path / "votes.csv"
    path.write_text("\n".join(["rcid,country,country_code,vote", *rows]) + "\n",
                    encoding="utf-8")
    assert read(path, row_by_row=False) == read(path, row_by_row=True)


def test_the_excerpt_reads_as_every_row_read_by_the_layout() -> None:
    """The real excerpt (in order, every roll call but one chosen) reads the same both ways."""
    kind, found = read(DATA / "un_votes.csv", row_by_row=False)
    assert kind == "votes"
    assert found[1] > 1000
    assert (kind, found) == read(DATA / "un_votes.csv", row_by_row=True)
