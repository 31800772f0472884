"""The analysis benchmark on the whole UN roll-call record: agreement of every pair of the
EU's members, and text search over every event, against their targets (issue 23) and pandas.

Run::

    .venv/bin/python -m bench.real_analysis [--store PATH] [--repeat N] [--out PATH]

It needs the record (see ``tests/real_data.py``); without it, it says so and stops. With
``--store``, an existing store of the imported record is read (and made if missing)
instead of a fresh import. Prints a table and writes ``bench/results/real_analysis.json``.

"Fresh" is the first query on a store opened in this process (the open not counted); "warm"
the same query again. The pandas peer starts from a frame of every vote (built from the
same events, not timed) and computes each pair from the wide table of scores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tests.real_data import ABSENT, unvotes_folder

import cybertimeline as ct
from bench.run import _median, _page_cached
from bench.table import Figures
from cybertimeline._timeline.search import words_of

RESULTS = Path(__file__).resolve().parent / "results" / "real_analysis.json"
TODAY = dt.date(2026, 12, 7)
AGREEMENT_TARGET_S = 2.0
SEARCH_TARGET_S = 0.2
SCALE = {"yes": 1.0, "abstain": 0.5, "no": 0.0}


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, answer = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        answer = fn()
        times.append(time.perf_counter() - start)
    return _median(times), answer


def _store(given: Path | None, folder: Path) -> Path:
    path = given or Path(tempfile.mkdtemp(prefix="cybertimeline-analysis-")) / "record.sqlite"
    if not path.exists():
        ct.importers.import_votes(ct.create(path, clock=lambda: TODAY),
                                  folder / "un_votes.csv.gz", folder / "un_roll_calls.csv.gz",
                                  issues=folder / "un_roll_call_issues.csv.gz")
    return path


def _pandas_pairs(store: Path, states: Sequence[str]) -> Callable[[], dict[tuple[str, str],
                                                                          float]]:
    """pandas' best form of the question: a wide table of scores (roll calls x states),
    then each pair's mean over the rows where both voted."""
    import pandas as pd

    with ct.load(store) as timeline:
        rows = [(e.id, state, SCALE.get(option)) for e in timeline.events(kind="vote")
                if isinstance(e, ct.Vote) for state, option in e.votes.items()]
    frame = pd.DataFrame(rows, columns=["roll_call", "state", "score"])

    def pairs() -> dict[tuple[str, str], float]:
        wide = frame[frame.state.isin(states)].pivot(index="roll_call", columns="state",
                                                      values="score")
        found = {}
        for i, a in enumerate(states):
            for b in states[i + 1:]:
                both = wide[[a, b]].dropna()
                found[(a, b)] = float((1 - (both[a] - both[b]).abs()).mean())
        return found

    return pairs


class AnalysisBench(Figures):
    """One run on the real record."""

    def __init__(self, args: argparse.Namespace, store: Path) -> None:
        super().__init__()
        self.args = args
        self.store = store

    def fresh(self, query: Callable[[ct.Timeline], Any]) -> tuple[float, Any]:
        """The median time of the first query on stores opened afresh (the file in the page
        cache: `_page_cached`), and the answer."""
        _page_cached(self.store)
        firsts, answer = [], None
        for _ in range(self.args.repeat):
            gc.collect()
            timeline = ct.load(self.store)
            start = time.perf_counter()
            answer = query(timeline)
            firsts.append(time.perf_counter() - start)
            timeline.close()
        return _median(firsts), answer

    def agreement(self) -> None:
        eu = ct.load().members("EU", as_of="2024")

        def ours(timeline: ct.Timeline) -> ct.Agreement:
            return timeline.agreement(*eu)

        fresh, found = self.fresh(ours)
        with ct.load(self.store) as timeline:
            ours(timeline)
            warm, _ = _timed(lambda: ours(timeline), self.args.repeat)
        peer, expected = _timed(_pandas_pairs(self.store, eu), self.args.repeat)
        for score in found:
            assert abs((score.score or 0.0) - expected[(score.a, score.b)]) < 1e-9, score
        self.results.update(agreement_eu_pairs_s=fresh, agreement_eu_pairs_warm_s=warm,
                            agreement_eu_pairs_pandas_s=peer, agreement_eu_pairs=len(found),
                            agreement_target_s=AGREEMENT_TARGET_S)
        self.row(f"agreement, all {len(found)} pairs of the EU's {len(eu)} members, fresh "
                 f"(target < {AGREEMENT_TARGET_S:.0f} s)", f"{fresh * 1e3:,.0f} ms",
                 f"{peer * 1e3:,.0f} ms", f"{fresh / peer:.2f}x pandas")
        self.row("  the same, warm", f"{warm * 1e3:,.1f} ms", f"{peer * 1e3:,.0f} ms",
                 f"{warm / peer:.3f}x pandas")


    def search(self) -> None:
        text = "human rights iran"

        def ours(timeline: ct.Timeline) -> list[str]:
            return [e.id for e in timeline.search(text).events]

        fresh, found = self.fresh(ours)
        with ct.load(self.store) as timeline:
            ours(timeline)
            warm, _ = _timed(lambda: ours(timeline), self.args.repeat)
            import pandas as pd

            events = list(timeline.events())
            said = pd.Series([words_of(e) for e in events], index=[e.id for e in events])

        def peer() -> list[str]:
            kept = said
            for term in text.split():
                kept = kept[kept.str.contains(term, regex=False)]
            return list(kept.index)

        peer_time, expected = _timed(peer, self.args.repeat)
        assert found == expected, (len(found), len(expected))
        self.results.update(search_fresh_s=fresh, search_warm_s=warm, search_pandas_s=peer_time,
                            search_found=len(found), search_target_s=SEARCH_TARGET_S)
        self.row(f"search {text!r} over every event, warm (target < "
                 f"{SEARCH_TARGET_S * 1e3:.0f} ms)", f"{warm * 1e3:,.1f} ms",
                 f"{peer_time * 1e3:,.1f} ms", f"{warm / peer_time:.2f}x pandas")
        self.row("  the same, fresh (reads every event's words once)",
                 f"{fresh * 1e3:,.0f} ms", f"{peer_time * 1e3:,.1f} ms",
                 f"{fresh / peer_time:.1f}x pandas")


def main(argv: Sequence[str] | None = None) -> None:
    """Run the analysis benchmark and print its table, or say why it cannot run."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--store", type=Path, help="an imported record to read (made if "
                                                   "missing)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    folder = unvotes_folder()
    if folder is None:
        print(f"bench-real-analysis skipped: {ABSENT}", file=sys.stderr)
        return
    start = time.perf_counter()
    bench = AnalysisBench(args, _store(args.store, folder))
    for step in (bench.agreement, bench.search):
        print(f"{step.__name__}...", file=sys.stderr, flush=True)
        step()
    bench.report(time.perf_counter() - start, "the whole UN roll-call record", args.out)


if __name__ == "__main__":
    main()
