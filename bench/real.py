"""The real-data benchmark: the whole UN roll-call record imported, then queried, against the
peers of ``bench/run.py``.

Run ``make bench-real``, or::

    .venv/bin/python -m bench.real [--peer-actors N] [--out PATH]

It needs the record (see ``tests/real_data.py``: ``$CYBERTIMELINE_UNVOTES``, or
``shared/data/unvotes`` beside the repository or a folder above it); without it, it
says so and stops. Prints a table of medians and ratios and writes them to
``bench/results/real.json``; ``docs/performance.md`` says what each figure means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from tests.real_data import ABSENT, unvotes_folder

import cybertimeline as ct
from bench import peers
from bench.run import _each, _median, _memory, _same_position, _seconds
from bench.table import Figures
from cybertimeline import importers
from cybertimeline._timeline.caches import PREFIX_CACHE_LIMIT

RESULTS = Path(__file__).resolve().parent / "results" / "real.json"
RESOLUTION = "A/RES/74/247"
CHART_DAY = dt.date(2020, 1, 1)
FIRST_DAY, LAST_DAY = dt.date(1946, 1, 1), dt.date(2020, 1, 31)


def _import(folder: Path, target: Path) -> tuple[float, float]:
    """``cybertimeline import-votes`` of the whole record into ``target``, as a user runs it:
    its wall time (s) and the peak memory of its process (MB)."""
    command = [sys.executable, "-m", "cybertimeline", "import-votes",
               str(folder / "un_votes.csv.gz"), str(folder / "un_roll_calls.csv.gz"),
               "--issues", str(folder / "un_roll_call_issues.csv.gz"), "--into", str(target)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


class RealBench(Figures):
    """One run on the real record."""

    def __init__(self, args: argparse.Namespace, folder: Path) -> None:
        super().__init__()
        self.args = args
        self.folder = folder
        self.rng = random.Random(args.seed)
        self.workdir = Path(tempfile.mkdtemp(prefix="cybertimeline-real-"))

    def imports(self) -> None:
        for suffix in ("sqlite", "jsonl"):
            seconds, peak = _import(self.folder, self.workdir / f"all.{suffix}")
            self.results[f"import_{suffix}_seconds"] = seconds
            self.results[f"import_{suffix}_peak_mb"] = peak
            self.row(f"import-votes, whole record, into {suffix} (s)", f"{seconds:.1f}", "-",
                     f"peak memory {peak:,.0f} MB")
        def reimport() -> None:
            with ct.load(self.workdir / "all.sqlite") as store:
                importers.import_votes(store, self.folder / "un_votes.csv.gz",
                                       self.folder / "un_roll_calls.csv.gz",
                                       issues=self.folder / "un_roll_call_issues.csv.gz")

        again = _seconds(reimport, 1)[0]
        self.results["reimport_sqlite_seconds"] = again
        self.row("import again, nothing to add, SQLite (s)", f"{again:.1f}", "-", "-")

    def load(self) -> None:
        jsonl = self.workdir / "all.jsonl"
        self.timeline = ct.load(jsonl)
        self.votes = sum(len(e.votes) for e in self.timeline.events()
                         if isinstance(e, ct.Vote))
        ours = _median(_seconds(lambda: ct.load(jsonl), self.args.load_repeat))
        floor = _median(_seconds(lambda: peers.floor_load(jsonl), self.args.load_repeat))
        events = len(self.timeline)
        held = _memory(lambda: ct.load(jsonl))
        raw = _memory(lambda: peers.floor_load(jsonl))
        self.results.update(events=events, votes=self.votes, jsonl_load_seconds=ours,
                            floor_load_seconds=floor, load_ratio_vs_floor=floor / ours,
                            memory_mb=held / 1e6, memory_ratio_vs_raw=held / raw)
        self.row("load JSONL (s)", f"{ours:.2f}", f"{floor:.2f}",
                 f"{floor / ours:.2f}x the floor (orjson + attrs)")
        self.row("memory of the loaded store (MB)", f"{held / 1e6:,.0f}", f"{raw / 1e6:,.0f}",
                 f"{held / raw:.2f}x the raw attrs objects")
        opened = _seconds(lambda: ct.load(self.workdir / "all.sqlite"), 5)
        self.results["sqlite_open_ms_median"] = _median(opened) * 1e3
        self.row("open SQLite store (ms)", f"{_median(opened) * 1e3:.1f}", "-", "-")

    def positions(self) -> None:
        tl = self.timeline
        self.states = sorted({a for e in tl.events(kind="vote") if isinstance(e, ct.Vote)
                              for a in e.votes})

        def day() -> dt.date:
            return FIRST_DAY + dt.timedelta(days=self.rng.randrange((LAST_DAY - FIRST_DAY).days))

        # Each state's first query (its positions at every prefix built), then five more of
        # the same state (kept): the warm figure.
        per_state = [[(a, day()) for _ in range(6)] for a in self.states]
        warms = [q for queries in per_state for q in queries[1:]]
        first, warm = [], []
        for queries in per_state:
            first += _each(lambda a, d: tl.position(a, as_of=d), queries[:1])
            warm += _each(lambda a, d: tl.position(a, as_of=d), queries[1:])
        # Queries of random states in turn: more states than the timeline keeps positions for.
        turns = [(self.rng.choice(self.states), day()) for _ in range(len(self.states) * 2)]
        in_turn = _each(lambda a, d: tl.position(a, as_of=d), turns)
        sqlite = ct.load(self.workdir / "all.sqlite")
        sqlite_first, sqlite_warm = [], []
        for queries in per_state:
            sqlite_first += _each(lambda a, d: sqlite.position(a, as_of=d), queries[:1])
            sqlite_warm += _each(lambda a, d: sqlite.position(a, as_of=d), queries[1:])
        sqlite.close()
        slow = self.rng.sample(warms, self.args.peer_queries)
        naive = peers.NaiveFold(tl)
        mismatches = sum(not _same_position(tl.position(a, as_of=d), naive.position(a, d))
                         for a, d in slow)
        naive_s = _median(_each(naive.position, slow))
        self.frame = peers.PandasPeer(tl)
        pandas_s = _median(_each(self.frame.position, slow))
        chosen = sorted({a for a, _ in slow})[: self.args.peer_actors]
        es = peers.EventsourcingPeer(tl, chosen)
        es_s = _median(_each(es.position, [(a, d) for a, d in warms if a in chosen]))
        ours = _median(warm)
        self.results.update(
            states=len(self.states), position_first_ms_median=_median(first) * 1e3,
            position_first_all_states_seconds=sum(first), position_us_median=ours * 1e6,
            position_in_turn_us_median=_median(in_turn) * 1e6,
            sqlite_position_first_ms_median=_median(sqlite_first) * 1e3,
            sqlite_position_us_median=_median(sqlite_warm) * 1e6,
            position_mismatches_vs_full_fold=mismatches,
            position_full_fold_us_median=naive_s * 1e6,
            position_pandas_us_median=pandas_s * 1e6,
            position_eventsourcing_us_median=es_s * 1e6)
        self.row(f"position, first query of each of {len(self.states)} states (ms)",
                 f"{_median(first) * 1e3:.1f}", "-", f"{sum(first):.1f} s for all")
        self.row("position, warm, in memory (µs)", f"{ours * 1e6:.1f}", "-", "-")
        self.row("  vs naive full fold (µs)", f"{ours * 1e6:.1f}", f"{naive_s * 1e6:,.0f}",
                 f"{naive_s / ours:,.0f}x faster")
        self.row("  vs pandas filter+groupby.last (µs)", f"{ours * 1e6:.1f}",
                 f"{pandas_s * 1e6:,.0f}", f"{pandas_s / ours:,.0f}x faster")
        self.row("  vs eventsourcing get(version=) (µs)", f"{ours * 1e6:.1f}",
                 f"{es_s * 1e6:,.0f}", f"{es_s / ours:,.0f}x faster")
        self.row(f"position, {len(self.states)} states asked in turn (µs)",
                 f"{_median(in_turn) * 1e6:,.0f}", "-",
                 f"positions kept for {PREFIX_CACHE_LIMIT} actors")
        self.row("position on SQLite, first query of each state (ms)",
                 f"{_median(sqlite_first) * 1e3:.1f}", "-", "-")
        self.row("position on SQLite, warm (µs)", f"{_median(sqlite_warm) * 1e6:.1f}", "-", "-")

    def vote_chart(self) -> None:
        tl, frame = self.timeline, self.frame.frame

        def ours() -> dict[str, str]:
            """The last known roll call on the resolution settled by the day: its votes."""
            found: dict[str, str] = {}
            for event in tl.events(kind="vote", until=CHART_DAY):
                if isinstance(event, ct.Vote) and event.resolution == RESOLUTION:
                    found = dict(event.votes)
            return found

        def by_positions() -> dict[str, str]:
            found = {}
            for actor in self.states:
                entry = tl.position(actor, as_of=CHART_DAY).votes.get(RESOLUTION)
                if entry is not None:
                    found[actor] = entry.option
            return found

        def pandas() -> pd.DataFrame:
            rows = frame[(frame["section"] == "votes") & (frame["key"] == RESOLUTION)
                         & (frame["latest"] <= pd.Timestamp(CHART_DAY))]
            return rows.groupby("actor", sort=False).last()

        assert len(ours()) == 172  # the 172 states of the record's roll call 9087
        assert by_positions() == ours()
        assert len(pandas()) == 172
        ours_s = _median(_seconds(ours, 5))
        positions_s = _median(_seconds(by_positions, 3))
        pandas_s = _median(_seconds(pandas, 5))
        self.results.update(vote_chart_ms=ours_s * 1e3,
                            vote_chart_by_positions_ms=positions_s * 1e3,
                            vote_chart_pandas_ms=pandas_s * 1e3)
        self.row(f"every state's vote on {RESOLUTION}, from the events (ms)",
                 f"{ours_s * 1e3:.1f}", f"{pandas_s * 1e3:.1f}",
                 f"{pandas_s / ours_s:.1f}x pandas filter+groupby")
        self.row(f"  the same from {len(self.states)} states' positions (ms)",
                 f"{positions_s * 1e3:,.0f}", "-", "-")

    def panel(self) -> None:
        tl, frame = self.timeline, self.frame.frame
        ours_s = _seconds(lambda: ct.positions_frame(tl, self.states, [CHART_DAY]), 3)

        def pandas() -> pd.DataFrame:
            rows = frame[frame["latest"] <= pd.Timestamp(CHART_DAY)]
            return rows.groupby(["actor", "section", "key"], sort=False).last()

        pandas_s = _seconds(pandas, 3)
        self.results.update(positions_frame_seconds=_median(ours_s),
                            positions_frame_pandas_seconds=_median(pandas_s))
        self.row(f"positions_frame, {len(self.states)} states at {CHART_DAY} (s)",
                 f"{_median(ours_s):.2f}", f"{_median(pandas_s):.2f}",
                 f"{_median(pandas_s) / _median(ours_s):.2f}x pandas groupby.last")

    def finish(self, seconds: float) -> None:
        """Print the table and write the results."""
        self.report(seconds, f"{self.results['events']:,} roll calls, "
                             f"{self.results['votes']:,} votes", self.args.out)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the real-data benchmark and print its table, or say why it cannot run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-queries", type=int, default=40,
                        help="queries for the slow peers (naive fold, pandas, eventsourcing)")
    parser.add_argument("--peer-actors", type=int, default=12,
                        help="states the eventsourcing peer builds aggregates for")
    parser.add_argument("--load-repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    folder = unvotes_folder()
    if folder is None:
        print(f"bench-real skipped: {ABSENT}", file=sys.stderr)
        return
    start = time.perf_counter()
    bench = RealBench(args, folder)
    try:
        for step in (bench.imports, bench.load, bench.positions, bench.vote_chart,
                     bench.panel):
            print(f"{step.__name__}...", file=sys.stderr, flush=True)
            step()
    finally:
        shutil.rmtree(bench.workdir, ignore_errors=True)
    bench.finish(time.perf_counter() - start)


if __name__ == "__main__":
    main()
