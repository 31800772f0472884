"""The real-data benchmark: the whole UN roll-call record imported, then the questions
researchers ask of it, each against pandas and plain SQL in their best form, in one process;
last, the analysis tools' agreement and search (`bench.real_analysis`) on the same store.

Run ``make bench-real``, or::

    .venv/bin/python -m bench.real [--repeat N] [--out PATH] [--only STEP ...]

``--only imports`` times the import alone (a step that queries runs the import
first, for its store); a run of some steps only writes its results only where
``--out`` says.

It needs the record (see ``tests/real_data.py``: ``$CYBERTIMELINE_UNVOTES``, or
``shared/data/unvotes`` beside the repository or a folder above it); without it, it
says so and stops. Prints a table of medians and ratios and writes them to
``bench/results/real.json``; ``docs/performance.md`` says what each figure means.

"Fresh" is the first query on a store opened in this process (``ct.load``), the
open's own time reported beside it; "warm" the same query again. The peers are
built from the same events, in their best form (not timed, as our import is timed
on its own): pandas a categorical frame, SQL one row per ballot with covering
indexes. Every answer is checked against the peers' before it is timed.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import gc
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tests.real_data import ABSENT, unvotes_folder

import cybertimeline as ct
from bench.real_peers import PandasRecord, SqlRecord
from bench.run import _median, _page_cached
from bench.table import Figures

RESULTS = Path(__file__).resolve().parent / "results" / "real.json"
RESOLUTION, RESOLUTION_DAY = "A/RES/74/247", dt.date(2019, 12, 27)
DAY = dt.date(2020, 1, 1)
STATE, RECORD_DAY = "KOR", dt.date(2016, 1, 1)
PANEL_DAYS = [dt.date(year, 1, 1) for year in range(1950, 2020, 7)]  # ten dates


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The median wall time of ``repeat`` calls of ``fn`` (after a collection, not timed) and
    the last answer."""
    times, answer = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        answer = fn()
        times.append(time.perf_counter() - start)
    return _median(times), answer


def _run(command: Sequence[str]) -> tuple[float, float]:
    """The wall time and the CPU time (user and system) of a child running ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


class RealBench(Figures):
    """One run on the real record."""

    def __init__(self, args: argparse.Namespace, folder: Path) -> None:
        super().__init__()
        self.args = args
        self.folder = folder
        self.workdir = Path(tempfile.mkdtemp(prefix="cybertimeline-real-"))
        self.store = self.workdir / "record.sqlite"

    def ratio(self, key: str, ours: float, peer: float, what: str, unit: str = "ms") -> None:
        scale = 1e3 if unit == "ms" else 1.0
        self.results[key] = ours / peer
        self.row(what, f"{ours * scale:,.1f} {unit}", f"{peer * scale:,.1f} {unit}",
                 f"{ours / peer:.2f}x the peer's time")

    def imports(self) -> None:
        record = [str(self.folder / name) for name in ("un_votes.csv.gz", "un_roll_calls.csv.gz")]
        ours, peer = [], []
        for attempt in range(self.args.import_repeat):
            target = self.workdir / f"import-{attempt}.sqlite"
            ours.append(_run([sys.executable, "-m", "cybertimeline", "import-votes", *record,
                              "--issues", str(self.folder / "un_roll_call_issues.csv.gz"),
                              "--into", str(target)]))
            peer.append(_run([sys.executable, "-c", "import sys; from pathlib import Path; "
                              "from bench.real_peers import import_ballots; "
                              "import_ballots(Path(sys.argv[1]), Path(sys.argv[2]))",
                              str(self.folder), str(self.workdir / f"peer-{attempt}.sqlite")]))
            if attempt:
                target.unlink()
        shutil.move(self.workdir / "import-0.sqlite", self.store)
        (ours_wall, ours_cpu), (peer_wall, peer_cpu) = (
            (_median([wall for wall, _ in side]), _median([cpu for _, cpu in side]))
            for side in (ours, peer))
        self.results["import_seconds_median"] = ours_wall
        self.ratio("import_vs_sql_ballots", ours_wall, peer_wall,
                   "import-votes of the whole record vs plain SQLite ballot rows (3 indexes)",
                   "s")
        # CPU time too: on a loaded machine the wall times wait for other processes.
        self.ratio("import_cpu_vs_sql_ballots", ours_cpu, peer_cpu,
                   "the same imports' CPU time (user and system)", "s")

    def peers(self) -> None:
        with ct.load(self.store) as timeline:
            self.states = sorted({a for e in timeline.events(kind="vote")
                                  if isinstance(e, ct.Vote) for a in e.votes})
            self.pandas = PandasRecord(timeline)
            self.sql = SqlRecord(timeline, self.workdir / "peer-record.sqlite")
        self.results.update(states=len(self.states), votes=len(self.pandas.frame))

    def fresh(self, query: Callable[[ct.Timeline], Any]) -> tuple[float, float, Any]:
        """Median open and first-query times on stores opened afresh (the file in the page
        cache, as the peers' are: `_page_cached`), and the answer."""
        _page_cached(self.store)
        _page_cached(self.sql.path)
        opens, firsts, answer = [], [], None
        for _ in range(self.args.repeat):
            gc.collect()
            start = time.perf_counter()
            timeline = ct.load(self.store)
            opened = time.perf_counter()
            answer = query(timeline)
            firsts.append(time.perf_counter() - opened)
            opens.append(opened - start)
            timeline.close()
        return _median(opens), _median(firsts), answer

    def all_states(self) -> None:
        def ours(timeline: ct.Timeline) -> int:
            positions = timeline.positions(self.states, as_of=DAY)
            return sum(len(p.votes) for p in positions.values())

        opened, seconds, count = self.fresh(ours)
        peer, frame = _timed(lambda: self.pandas.all_states(DAY), self.args.repeat)
        assert count == len(frame), (count, len(frame))
        self.results["open_ms_median"] = opened * 1e3
        self.ratio("all_states_fresh_vs_pandas", seconds, peer,
                   f"all {len(self.states)} states' positions on {DAY}, fresh store")

    def panel(self) -> None:
        _, seconds, ours = self.fresh(
            lambda tl: ct.positions_frame(tl, self.states, PANEL_DAYS))
        peer, frame = _timed(lambda: self.pandas.panel(PANEL_DAYS), self.args.repeat)
        assert ours.shape[0] == len(self.states) * len(PANEL_DAYS)
        votes = [c for c in ours.columns if c.startswith("votes.")]
        assert int(ours[votes].notna().sum().sum()) == int(frame.notna().sum().sum())
        self.ratio("panel_vs_pandas", seconds, peer,
                   f"positions_frame, {len(self.states)} states x {len(PANEL_DAYS)} dates")

    def state_record(self) -> None:
        def ours(timeline: ct.Timeline) -> dict[str, Any]:
            return timeline.position(STATE, as_of=RECORD_DAY).to_dict()

        _, seconds, answer = self.fresh(ours)
        db = self.sql.open()
        peer, expected = _timed(lambda: self.sql.state_record(db, STATE, RECORD_DAY),
                                self.args.repeat)
        partial, options = _timed(lambda: self.sql.state_options(db, STATE, RECORD_DAY),
                                  self.args.repeat)
        db.close()
        assert list(answer["votes"].items()) == list(expected.items())  # in order too
        assert {k: (v["option"], v["event"]) for k, v in answer["votes"].items()} == options
        self.ratio("state_record_fresh_vs_sql", seconds, peer,
                   f"{STATE}'s whole record as of {RECORD_DAY}, fresh store (to_dict)")
        # The peer that returns two of the record's five fields, as this measure once had it.
        self.ratio("state_record_fresh_vs_sql_option_event", seconds, partial,
                   "  the same vs SQL returning only each vote's option and event")

    def resolution(self) -> None:
        _, fresh, answer = self.fresh(lambda tl: tl.votes_on(RESOLUTION, as_of=DAY))
        db = self.sql.open()
        peer, expected = _timed(lambda: self.sql.resolution(db, RESOLUTION, DAY),
                                self.args.repeat)
        db.close()
        assert {a: (v.option, v.event_id) for a, v in answer.items()} == expected
        self.ratio("resolution_votes_fresh_vs_sql", fresh, peer,
                   f"every state's vote on {RESOLUTION}, fresh store")
        with ct.load(self.store) as timeline:
            timeline.votes_on(RESOLUTION, as_of=DAY)
            warm, _ = _timed(lambda: timeline.votes_on(RESOLUTION, as_of=DAY),
                             self.args.repeat)
        pandas, frame = _timed(lambda: self.pandas.resolution(RESOLUTION, DAY),
                               self.args.repeat)
        assert len(frame) == len(expected)
        self.ratio("resolution_votes_warm_vs_pandas", warm, pandas,
                   f"every state's vote on {RESOLUTION}, warm, vs pandas")

    def command_line(self) -> None:
        command = [sys.executable, "-m", "cybertimeline", "--events", str(self.store),
                   "position", STATE, "--as-of", DAY.isoformat()]
        # As installed (pip compiles a wheel's modules): an editable tree run with
        # PYTHONDONTWRITEBYTECODE would compile every module it imports on every run.
        compileall.compile_dir(Path(ct.__file__).parent, quiet=1)
        seconds = _median([_run(command)[0] for _ in range(self.args.repeat)])
        self.results["cli_position_ms_median"] = seconds * 1e3
        self.row(f"`cybertimeline position {STATE} --as-of {DAY}`, whole process",
                 f"{seconds * 1e3:,.0f} ms", "-", "-")

    def changelog(self) -> None:
        _, seconds, log = self.fresh(
            lambda tl: tl.changelog(since=RESOLUTION_DAY, until=RESOLUTION_DAY))
        assert len(log.actors) > 100
        self.results["changelog_all_actors_one_day_s"] = seconds
        self.row(f"changelog of every actor on {RESOLUTION_DAY} ({len(log.actors)} actors), "
                 f"fresh store", f"{seconds:.2f} s", "-", "-")

    def memory(self) -> None:
        states = ",".join(self.states)
        ours = _child_growth("tl = ct.load(sys.argv[1]); "
                             "held = tl.positions(sys.argv[2].split(','), as_of='2020-01-01')",
                             self.store, states)
        votes = self.folder / "un_votes.csv.gz"  # pandas' best: the CSV read once, categorical
        peer = _child_growth(f"held = pandas.read_csv({str(votes)!r}, dtype={{'country': "
                             "'category', 'country_code': 'category', 'vote': 'category'})",
                             self.store, states)
        self.results.update(memory_mb=ours / 1e6, pandas_frame_mb=peer / 1e6)
        self.results["memory_vs_pandas_frame"] = ours / peer
        self.row("memory of the loaded record, every state's position held (peak RSS "
                 "growth) vs pandas' frame", f"{ours / 1e6:,.0f} MB", f"{peer / 1e6:,.0f} MB",
                 f"{ours / peer:.2f}x the peer's")

    def analysis(self) -> None:
        """The analysis tools' questions on the same store, as `bench.real_analysis` asks
        them: agreement of every pair of the EU's members, and a text search."""
        from bench.real_analysis import AnalysisBench

        asked = AnalysisBench(self.args, self.store)
        asked.agreement()
        asked.search()
        self.results.update(asked.results)
        self.rows.extend(asked.rows)

    def finish(self, seconds: float) -> None:
        """Print the table and write the results."""
        states = len(getattr(self, "states", ()))  # none known if the peers step did not run
        self.report(seconds, f"{self.results.get('votes', 0):,} votes of {states} states",
                    self.args.out)



def _child_growth(code: str, store: Path, states: str) -> int:
    """The peak resident memory a child process grows by running ``code`` (``sys.argv[1]``
    the store, ``sys.argv[2]`` the states), beyond a child that only imports what both
    need: bytes."""
    baseline = "import sys; import pandas, numpy; import cybertimeline as ct"
    # The peak resident memory of the process itself (VmHWM, in kB): ru_maxrss would count
    # the memory of the parent that forked it.
    probe = ("{}; print([line.split()[1] for line in open('/proc/self/status') "
             "if line.startswith('VmHWM')][0])")
    peaks = []
    for body in (baseline, f"{baseline}; {code}"):
        out = subprocess.run([sys.executable, "-c", probe.format(body), str(store), states],
                             check=True, capture_output=True, text=True).stdout
        peaks.append(int(out.split()[-1]) * 1024)
    return max(peaks[1] - peaks[0], 1)


STEPS = ("imports", "peers", "state_record", "resolution", "all_states", "panel", "changelog",
         "command_line", "memory", "analysis")


def _steps(only: Sequence[str] | None) -> list[str]:
    """The steps to run, in order: all, or those of ``only`` with what they need (the import
    makes the store every step reads; the peers are what the queries compare with)."""
    if only is None:
        return list(STEPS)
    needed = {"imports", *only}
    if needed - {"imports"}:
        needed.add("peers")
    return [step for step in STEPS if step in needed]


def main(argv: Sequence[str] | None = None) -> None:
    """Run the real-data benchmark and print its table, or say why it cannot run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    parser.add_argument("--import-repeat", type=int, default=3, help="runs of each import")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"where to write the results (default: {RESULTS}, but for a "
                             f"run of some steps only, nowhere)")
    parser.add_argument("--only", action="append", choices=STEPS, metavar="STEP",
                        help=f"run only this step (repeatable): {', '.join(STEPS)}; the "
                             f"import runs first whatever is chosen, and the peers before a "
                             f"query")
    args = parser.parse_args(argv)
    chosen = _steps(args.only)
    if args.out is None:
        args.out = RESULTS if args.only is None else Path(os.devnull)
    folder = unvotes_folder()
    if folder is None:
        print(f"bench-real skipped: {ABSENT}", file=sys.stderr)
        return
    start = time.perf_counter()
    bench = RealBench(args, folder)
    try:
        for step in (getattr(bench, name) for name in chosen):
            print(f"{step.__name__}...", file=sys.stderr, flush=True)
            step()
    finally:
        shutil.rmtree(bench.workdir, ignore_errors=True)
    bench.finish(time.perf_counter() - start)


if __name__ == "__main__":
    main()
