"""The side-by-side benchmark: cybertimeline against its peers, in one process run.

Run ``make bench`` (the full corpus) or ``make bench-quick`` (a tenth of it), or::

    .venv/bin/python -m bench.run [--fraction F] [--queries N] [--quick] [--out PATH]

Prints a table of medians and ratios and writes them to ``bench/results/latest.json``.
See ``bench/README.md`` and ``docs/performance.md`` for what each figure means.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime as dt
import gc
import multiprocessing
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import tomli_w

import cybertimeline as ct
from bench import corpus, peers, real_peers
from bench.table import Figures

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
FIRST_DAY, LAST_DAY = dt.date(1946, 1, 1), dt.date(2024, 12, 31)


def _seconds(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall times of ``repeat`` calls of ``fn``, after a collection (not timed)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _calls(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall times of ``repeat`` calls of ``fn`` back to back: many short calls, so no
    collection between them (as `_seconds` does) on a heap the size of the corpus."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _each(fn: Callable[[str, dt.date], object], queries: Sequence[tuple[str, dt.date]]
          ) -> list[float]:
    """Wall time of each query, in seconds."""
    times = []
    for actor, day in queries:
        start = time.perf_counter()
        fn(actor, day)
        times.append(time.perf_counter() - start)
    return times


def _page_cached(store: Path) -> None:
    """Read a store's files once, so that its fresh queries time the library, not the disk:
    a kernel may drop the pages of a file it deems cold (this machine's reclaims them within
    minutes, with most of its memory free), and a first query then waits on reads that take
    longer than the query."""
    for path in (store, Path(f"{store}-wal")):
        if path.exists():
            with path.open("rb") as file:
                while file.read(1 << 24):
                    pass


def _fresh(store: Path, queries: Sequence[tuple[str, dt.date]]
           ) -> tuple[list[float], list[float], list[float]]:
    """Each query's first answer on the store opened afresh (``ct.load``), its file in the
    page cache (`_page_cached`): the open's times, the query's apart from it ("fresh", as
    ``bench/real.py`` times it), and the query's with its answer then read whole
    (``to_dict``: entries are made when read)."""
    _page_cached(store)
    opens, firsts, wholes = [], [], []
    for actor, day in queries:
        gc.collect()  # not the garbage of the query before (untimed, as `_seconds` does)
        start = time.perf_counter()
        timeline = ct.load(store)
        opened = time.perf_counter()
        position = timeline.position(actor, as_of=day)
        answered = time.perf_counter()
        position.to_dict()
        firsts.append(answered - opened)
        wholes.append(time.perf_counter() - opened)
        opens.append(opened - start)
        timeline.close()
    return opens, firsts, wholes


def _scaled_store(fraction: float, path: Path, peer: Path) -> int:
    """Write the corpus at ``fraction`` into a SQLite store at ``path`` and plain SQL's
    ballot rows at ``peer`` (`real_peers.SqlRecord`); how many events it holds. Run in a
    process of its own (`Bench.scale`)."""
    big = corpus.generate(fraction).timeline()
    ct.copy_into(big, path).close()
    real_peers.SqlRecord(big, peer)
    return len(big)


def _row_floor(store: Path, actor: str) -> float:
    """Seconds to read, on a fresh connection, the least of a store's rows that the whole
    position of an actor that voted on every roll call holds (as every state the bench
    samples did): its votes' row numbers and options, every roll call's key and last day,
    and the keys of its other writes, each column as one joined text split in Python. No
    order, no check, no object but those texts: what any reader of these rows pays at
    least for such an actor, whatever it makes of them."""
    with contextlib.closing(sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True)) as db:
        start = time.perf_counter()
        ((seqs, values),) = db.execute(
            "SELECT group_concat(seq), group_concat(value, char(31)) FROM writes WHERE "
            "whose = ? AND section = 'votes'", (actor,)).fetchall()
        ((keys, days),) = db.execute(
            "SELECT group_concat(key, char(31)), group_concat(latest, char(31)) FROM entries "
            "WHERE section = 'votes'").fetchall()
        ((others,),) = db.execute(
            "SELECT group_concat(n.key, char(31)) FROM writes w JOIN entries n ON n.seq = "
            "w.seq AND n.section = w.section WHERE w.whose = ? AND w.section <> 'votes'",
            (actor,)).fetchall()
        for text, separator in ((seqs, ","), (values, "\x1f"), (keys, "\x1f"), (days, "\x1f"),
                                (others, "\x1f")):
            if text:
                text.split(separator)
        return time.perf_counter() - start


def _median(times: Sequence[float]) -> float:
    return statistics.median(times)


def _queries(rng: random.Random, actors: Sequence[str], count: int
             ) -> list[tuple[str, dt.date]]:
    span = (LAST_DAY - FIRST_DAY).days
    return [(rng.choice(actors), FIRST_DAY + dt.timedelta(days=rng.randrange(span + 1)))
            for _ in range(count)]


def _write_folder(timeline: ct.Timeline, corpus_: corpus.Corpus, folder: Path) -> None:
    """The corpus as a folder of TOML files, as people curate them: a file per kind and decade."""
    folder.mkdir()
    instruments = {
        i.id: {"title": i.title, **({"opened": str(i.opened)} if i.opened else {})}
        for i in corpus_.instruments
    }
    (folder / "instruments.toml").write_text(
        tomli_w.dumps({"format": 1, "instruments": instruments}))
    files: dict[str, list[dict[str, Any]]] = {}
    for event in timeline.events(include_corrected=True):
        name = f"{event.kind}-{event.date.latest.year // 10 * 10}s.toml"
        files.setdefault(name, []).append(ct.event_to_dict(event))
    for name, tables in files.items():
        for part in range(0, len(tables), 2000):
            path = folder / f"{name[:-5]}-{part // 2000:02d}.toml"
            path.write_text(tomli_w.dumps({"format": 1, "event": tables[part:part + 2000]}))


def _memory(load: Callable[[], object]) -> int:
    """Bytes allocated (and still held) by what ``load`` returns."""
    gc.collect()
    tracemalloc.start()
    held = load()
    gc.collect()
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del held
    return size


def consume(position: ct.Position) -> list[object]:
    """Every entry of a position read, as ``to_dict`` reads them (without writing JSON):
    what a user of the whole answer waits for, against pandas' frame of every entry."""
    return [dict(position.treaties.items()), dict(position.votes.items()),
            dict(position.stances.items()), dict(position.memberships.items()),
            dict(position.members.items()), list(position.cooperation),
            list(position.sessions), list(position.adoptions), list(position.legislation)]


def _wall(command: Sequence[str], repeat: int, env: Mapping[str, str] | None = None,
          ) -> list[float]:
    """Wall times of ``repeat`` runs of a command, its output discarded."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return times


def _same_position(ours: ct.Position, naive: ct.Position) -> bool:
    """Equal answers, including the order of every mapping's keys."""
    mine, theirs = ours.to_dict(), naive.to_dict()
    # The instruments not yet open on as_of come from the registry, not the fold (rule 11).
    mine.update(as_of=None, known_at=None, possible=False, not_yet_open={})
    return mine == theirs and all(
        list(ours.section(f)) == list(naive.section(f))
        for f in (spec.name for spec in ct.sections() if spec.keyed)
    )


class Bench(Figures):
    """One run: the corpus, its files, and the figures measured so far."""

    def __init__(self, args: argparse.Namespace) -> None:
        super().__init__()
        self.args = args
        self.rng = random.Random(args.seed)
        self.workdir = Path(tempfile.mkdtemp(prefix="cybertimeline-bench-"))

    # -- loading ----------------------------------------------------------------------------

    def load(self) -> None:
        args = self.args
        start = time.perf_counter()
        self.corpus = corpus.generate(args.fraction)
        self.timeline = self.corpus.timeline()
        self.results["corpus_events"] = len(self.timeline)
        self.results["corpus_seconds"] = round(time.perf_counter() - start, 2)
        self.jsonl = self.workdir / "corpus.jsonl"
        self.sqlite = self.workdir / "corpus.sqlite"
        self.folder = self.workdir / "folder"
        ct.copy_into(self.timeline, self.jsonl)
        ct.copy_into(self.timeline, self.sqlite)
        _write_folder(self.timeline, self.corpus, self.folder)

        ours = _median(_seconds(lambda: ct.load(self.jsonl), args.load_repeat))
        floor = _median(_seconds(lambda: peers.floor_load(self.jsonl), args.load_repeat))
        events = len(self.timeline)
        self.results.update(
            jsonl_load_seconds=ours, floor_load_seconds=floor,
            jsonl_events_per_second=events / ours, floor_events_per_second=events / floor,
            load_ratio_vs_floor=floor / ours,
        )
        self.row("load JSONL (events/s)", f"{events / ours:,.0f}", f"{events / floor:,.0f}",
                 f"{floor / ours:.2f}x the floor (orjson + attrs)")

        ours = _median(_seconds(lambda: ct.load(self.folder), 1))
        plain = _median(_seconds(lambda: peers.tomllib_load(self.folder), 1))
        self.results.update(toml_load_seconds=ours, tomllib_seconds=plain,
                            toml_ratio_vs_tomllib=plain / ours)
        self.row("load TOML folder (s)", f"{ours:.2f}", f"{plain:.2f}",
                 f"{plain / ours:.2f}x plain tomllib")

        opened = _seconds(lambda: ct.load(self.sqlite), 5)
        self.results["sqlite_open_ms_median"] = _median(opened) * 1e3
        self.row("open SQLite store (ms)", f"{_median(opened) * 1e3:.1f}", "-", "-")

    # -- one actor's position ---------------------------------------------------------------

    def position(self) -> None:
        args = self.args
        tl = self.timeline
        actors = self.rng.sample(corpus.states(), args.actors)
        queries = _queries(self.rng, actors, args.queries)
        slow = queries[: args.slow_queries]

        self.asked, self.queries = set(actors), queries
        cold = _each(lambda a, d: tl.position(a, as_of=d), [(a, FIRST_DAY) for a in actors])
        ours = _each(lambda a, d: tl.position(a, as_of=d), queries)
        full = _each(lambda a, d: tl.position(a, as_of=d).to_dict(),
                     queries[: args.slow_queries * 4])
        ours_us = _median(ours) * 1e6
        self.results.update(
            position_us_median=ours_us,
            position_first_query_ms_median=_median(cold) * 1e3,
            # The one-time costs, as pandas' split (`pandas_best_setup_seconds`): the first
            # actor asked builds alone; the second makes every actor's positions at once.
            position_first_actor_ms=cold[0] * 1e3,
            position_second_actor_ms=cold[1] * 1e3,
            position_to_dict_us_median=_median(full) * 1e6,
            position_actor_events_median=_median(
                [sum(1 for _ in tl.events(actor=a)) for a in actors]),
        )

        naive = peers.NaiveFold(tl)
        mismatches = sum(not _same_position(tl.position(a, as_of=d), naive.position(a, d))
                         for a, d in slow)
        self.results["position_mismatches_vs_full_fold"] = mismatches
        naive_s = _median(_each(naive.position, slow))

        start = time.perf_counter()
        frame = peers.PandasPeer(tl)
        self.results["pandas_setup_seconds"] = time.perf_counter() - start
        pandas_s = _median(_each(frame.position, slow))

        start = time.perf_counter()
        es = peers.EventsourcingPeer(tl, actors)
        self.results["eventsourcing_setup_seconds"] = time.perf_counter() - start
        es_s = _median(_each(es.position, slow))

        # Fresh: a store opened afresh (as the command line opens it), one actor's first
        # query timed apart from the open, which is reported beside it.
        sqlite_opens, sqlite_cold, sqlite_whole = _fresh(
            self.sqlite, [(a, LAST_DAY) for a in actors[: args.sqlite_cold]])
        sqlite_tl = ct.load(self.sqlite)
        sqlite = _each(lambda a, d: sqlite_tl.position(a, as_of=d), queries)
        self.results.update(
            position_full_fold_us_median=naive_s * 1e6,
            position_pandas_us_median=pandas_s * 1e6,
            position_eventsourcing_us_median=es_s * 1e6,
            position_speedup_vs_full_fold=naive_s * 1e6 / ours_us,
            position_speedup_vs_pandas=pandas_s * 1e6 / ours_us,
            position_speedup_vs_eventsourcing=es_s * 1e6 / ours_us,
            sqlite_position_ms_median=_median(sqlite) * 1e3,
            sqlite_first_query_ms_median=_median(sqlite_cold) * 1e3,
            sqlite_fresh_open_ms_median=_median(sqlite_opens) * 1e3,
            sqlite_first_query_to_dict_ms_median=_median(sqlite_whole) * 1e3,
            sqlite_open_and_first_query_ms_median=_median(
                [o + q for o, q in zip(sqlite_opens, sqlite_cold, strict=True)]) * 1e3,
        )
        self.row("position, in memory (µs)", f"{ours_us:.1f}", "-", "-")
        self.row("  vs naive full fold (µs)", f"{ours_us:.1f}", f"{naive_s * 1e6:,.0f}",
                 f"{naive_s * 1e6 / ours_us:,.0f}x faster")
        self.row("  vs pandas filter+groupby.last (µs)", f"{ours_us:.1f}",
                 f"{pandas_s * 1e6:,.0f}", f"{pandas_s * 1e6 / ours_us:,.0f}x faster")
        self.row("  vs eventsourcing get(version=) (µs)", f"{ours_us:.1f}",
                 f"{es_s * 1e6:,.0f}", f"{es_s * 1e6 / ours_us:,.0f}x faster")
        self.row("position + to_dict() (µs)", f"{_median(full) * 1e6:,.0f}", "-", "-")
        self.row("position, first query of an actor (ms)", f"{_median(cold) * 1e3:.1f}", "-",
                 "-")
        self.row("  the first and the second actor asked (ms)", f"{cold[0] * 1e3:,.0f}",
                 f"{cold[1] * 1e3:,.0f}", "once per store")
        self.row("position on SQLite (ms)", f"{_median(sqlite) * 1e3:.3f}", "-", "-")
        self.row("position on SQLite, fresh store (ms; the open beside)",
                 f"{_median(sqlite_cold) * 1e3:,.1f}", f"{_median(sqlite_opens) * 1e3:,.1f}",
                 "the open")
        self.row("  the same read whole, to_dict() (ms)", f"{_median(sqlite_whole) * 1e3:,.1f}",
                 "-", "-")
        self.frame = frame

    # -- whole answers: every entry read ----------------------------------------------------

    def consumed(self) -> None:
        args, tl = self.args, self.timeline
        queries = self.queries
        slow = queries[: args.slow_queries]
        warm = _median(_each(lambda a, d: consume(tl.position(a, as_of=d)), queries))
        fresh = [a for a in self.rng.sample(corpus.states(), len(corpus.states()))
                 if a not in self.asked][: args.actors]
        fresh_queries = _queries(self.rng, fresh, len(fresh))
        fresh_queries = list({a: (a, d) for a, d in fresh_queries}.values())
        fresh_queries += [(a, LAST_DAY) for a in fresh if a not in dict(fresh_queries)]
        cold = _median(_each(lambda a, d: consume(tl.position(a, as_of=d)), fresh_queries))
        self.asked.update(fresh)

        start = time.perf_counter()
        best = peers.PandasBest(tl)
        self.results["pandas_best_setup_seconds"] = time.perf_counter() - start
        pandas_s = _median(_each(best.position, queries[: args.slow_queries * 10]))
        # Whole answers as plain Python, warm: our to_dict() against pandas' frame made a dict.
        to_dict = _median(_each(lambda a, d: tl.position(a, as_of=d).to_dict(), queries))
        pandas_dict = _median(_each(best.position_dict, queries[: args.slow_queries * 10]))

        actors = sorted({a for a, _ in slow})
        start = time.perf_counter()
        snapshots = peers.EventsourcingPeer(tl, actors, snapshot_every=args.snapshot_every)
        self.results["eventsourcing_snapshots_setup_seconds"] = time.perf_counter() - start
        es_s = _median(_each(snapshots.position, slow))
        self.results.update(
            position_consumed_warm_us_median=warm * 1e6,
            position_consumed_cold_ms_median=cold * 1e3,
            position_pandas_best_us_median=pandas_s * 1e6,
            position_eventsourcing_snapshots_us_median=es_s * 1e6,
            eventsourcing_snapshot_every=args.snapshot_every,
            position_consumed_speedup_vs_pandas_best=pandas_s / warm,
            position_consumed_cold_speedup_vs_pandas_best=pandas_s / cold,
            position_to_dict_warm_us_median=to_dict * 1e6,
            position_pandas_dict_us_median=pandas_dict * 1e6,
            position_to_dict_warm_vs_pandas_dict=pandas_dict / to_dict,
            position_consumed_speedup_vs_eventsourcing_snapshots=es_s / warm,
        )
        self.row("whole position, every entry read (µs)", f"{warm * 1e6:,.0f}", "-", "-")
        self.row("  vs pandas split per actor, searchsorted, last per key (µs)",
                 f"{warm * 1e6:,.0f}", f"{pandas_s * 1e6:,.0f}", _faster(pandas_s / warm))
        self.row(f"  vs eventsourcing, a snapshot every {args.snapshot_every} (µs)",
                 f"{warm * 1e6:,.0f}", f"{es_s * 1e6:,.0f}", _faster(es_s / warm))
        self.row("whole position as a dict, warm: to_dict() vs the frame made a dict (µs)",
                 f"{to_dict * 1e6:,.0f}", f"{pandas_dict * 1e6:,.0f}",
                 _faster(pandas_dict / to_dict))
        self.row("whole position, first query of an actor (ms)", f"{cold * 1e3:.2f}",
                 f"{pandas_s * 1e3:.2f}", _faster(pandas_s / cold) + " (pandas split once)")

    # -- what the command line and a script wait for ----------------------------------------

    def startup(self) -> None:
        repeat = self.args.startup_repeat
        python = sys.executable
        bare = _median(_wall([python, "-c", "pass"], repeat))
        imported = _median(_wall([python, "-c", "import cybertimeline"], repeat))
        script = Path(python).with_name("cybertimeline")
        command = [str(script)] if script.exists() else [python, "-m", "cybertimeline"]
        query = [*command, "position", "CAN", "--as-of", "2016-01-01"]
        with tempfile.TemporaryDirectory() as cache:
            # As a user runs it: the load cache kept by the first run (not timed), and
            # with the cache off, every run parsing the TOML files.
            cached = {**os.environ, "CYBERTIMELINE_CACHE": cache}
            subprocess.run(query, check=True, stdout=subprocess.DEVNULL, env=cached)
            cli = _median(_wall(query, repeat, cached))
        parsed = _median(_wall(query, repeat, {**os.environ, "CYBERTIMELINE_CACHE": "off"}))
        self.results.update(python_start_ms_median=bare * 1e3,
                            import_ms_median=(imported - bare) * 1e3,
                            cli_position_ms_median=cli * 1e3,
                            cli_position_uncached_ms_median=parsed * 1e3)
        self.row("import cybertimeline, over a bare interpreter (ms)",
                 f"{(imported - bare) * 1e3:.0f}", f"{bare * 1e3:.0f}", "interpreter start")
        self.row("cybertimeline position CAN, bundled data, wall (ms)", f"{cli * 1e3:.0f}",
                 f"{parsed * 1e3:.0f}", f"{parsed / cli:.1f}x faster than parsing the files")

    def appends(self) -> None:
        count = self.args.appends
        source = ct.Source(title="Benchmark", url="https://example.org/bench")
        for kind, name in (("folder", "appends"), ("jsonl", "appends.jsonl"),
                           ("sqlite", "appends.sqlite")):
            tl = ct.create(self.workdir / name)
            times = []
            for n in range(count):
                event = ct.Statement(id=f"bench-append-{n:05d}",
                                     date=ct.Date.parse(f"{2000 + n % 20}-01-01"),
                                     actor="CAN", topic=f"topic-{n % 7}", stance="supports",
                                     sources=[source])
                start = time.perf_counter()
                tl.append(event)
                times.append(time.perf_counter() - start)
            tl.close()
            early = _median(times[5:15])
            late = _median(times[count - 10:])
            self.results[f"append_ms_10_{kind}"] = early * 1e3
            self.results[f"append_ms_{count}_{kind}"] = late * 1e3
            self.results[f"append_growth_{count}_vs_10_{kind}"] = late / early
            self.row(f"append to {kind}: the {count:,}th vs the 10th (ms)",
                     f"{late * 1e3:.2f}", f"{early * 1e3:.2f}", f"{late / early:.2f}x")

    def scale(self) -> None:
        """The first query of a fresh store and a warm query, on the corpus and on a corpus
        ``--scale`` times larger (its actors' histories as many times longer), beside plain
        SQL's growth for the same record (`real_peers.SqlRecord`, one row per ballot with a
        covering index) and the floor of any reader of a store's rows (`_row_floor`): what
        no store that reads an actor's whole answer can beat. The larger store is written
        by another process, so that this one does not hold its 760,000 events."""
        factor = self.args.scale
        path = self.workdir / "big.sqlite"
        with concurrent.futures.ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("spawn")) as child:
            events = child.submit(_scaled_store, self.args.fraction * factor, path,
                                  self.workdir / "peer-big.sqlite").result()
        sql_peers = {"full": real_peers.SqlRecord(self.timeline, self.workdir / "peer.sqlite"),
                     f"{factor}x": real_peers.SqlRecord.at(self.workdir / "peer-big.sqlite")}
        gc.collect()
        actors = random.Random(self.args.seed).sample(corpus.states(), self.args.sqlite_cold)
        figures, floors = {}, {}
        for label, store in (("full", self.sqlite), (f"{factor}x", path)):
            _page_cached(store)
            floors[label] = _median([_row_floor(store, actor) for actor in actors])
            opens, firsts, wholes = _fresh(store, [(a, LAST_DAY) for a in actors])
            def plain(actor: str, day: dt.date,
                      peer: real_peers.SqlRecord = sql_peers[label]) -> object:
                with contextlib.closing(peer.open()) as db:
                    return peer.state_record(db, actor, day)

            _page_cached(sql_peers[label].path)
            sql = _median(_each(plain, [(a, LAST_DAY) for a in actors]))
            tl = ct.load(store)
            for actor in actors:
                tl.position(actor)

            def query(actor: str, day: dt.date, tl: ct.Timeline = tl) -> ct.Position:
                return tl.position(actor, as_of=day)

            queries = _queries(random.Random(self.args.seed), actors, self.args.queries // 4)
            warm = _median(_each(query, queries))
            figures[label] = (_median(firsts), warm, _median(opens), sql, _median(wholes))
            tl.close()
        ((cold_full, warm_full, open_full, sql_full, whole_full),
         (cold_big, warm_big, open_big, sql_big, whole_big)) = figures.values()
        self.results.update(
            scale_factor=factor, scale_events=events,
            sqlite_cold_ms_full=cold_full * 1e3, sqlite_cold_ms_scaled=cold_big * 1e3,
            sqlite_warm_us_full=warm_full * 1e6, sqlite_warm_us_scaled=warm_big * 1e6,
            sqlite_open_ms_full=open_full * 1e3, sqlite_open_ms_scaled=open_big * 1e3,
            query_growth_10x_vs_full=max(cold_big / cold_full, warm_big / warm_full),
            open_growth_10x_vs_full=open_big / open_full,
            sql_record_ms_full=sql_full * 1e3, sql_record_ms_scaled=sql_big * 1e3,
            query_growth_10x_vs_full_sql_peer=sql_big / sql_full,
            sqlite_cold_to_dict_ms_full=whole_full * 1e3,
            sqlite_cold_to_dict_ms_scaled=whole_big * 1e3,
            query_to_dict_growth_10x_vs_full=whole_big / whole_full,
            row_floor_ms_full=floors["full"] * 1e3,
            row_floor_ms_scaled=floors[f"{factor}x"] * 1e3,
            row_floor_growth_10x_vs_full=floors[f"{factor}x"] / floors["full"],
            # Above 3, no reader of these rows meets `query_growth_10x_vs_full` <= 3 without
            # a first query on the full corpus slower than this run's.
            row_floor_scaled_vs_first_query_full=floors[f"{factor}x"] / cold_full,
        )
        self.row(f"SQLite, {events:,} events: first query, fresh store (ms)",
                 f"{cold_big * 1e3:,.1f}", f"{cold_full * 1e3:,.1f}",
                 f"{cold_big / cold_full:.2f}x the full corpus")
        self.row(f"SQLite, {events:,} events: the same read whole, to_dict() (ms)",
                 f"{whole_big * 1e3:,.1f}", f"{whole_full * 1e3:,.1f}",
                 f"{whole_big / whole_full:.2f}x the full corpus")
        self.row(f"SQLite, {events:,} events: warm position (µs)", f"{warm_big * 1e6:,.1f}",
                 f"{warm_full * 1e6:,.1f}", f"{warm_big / warm_full:.2f}x the full corpus")
        self.row(f"SQLite, {events:,} events: the open (ms)", f"{open_big * 1e3:,.1f}",
                 f"{open_full * 1e3:,.1f}", f"{open_big / open_full:.2f}x the full corpus")
        self.row(f"plain SQL, {events:,} events: one state's vote record, fresh (ms)",
                 f"{sql_big * 1e3:,.1f}", f"{sql_full * 1e3:,.1f}",
                 f"{sql_big / sql_full:.2f}x the full corpus")
        floor_full, floor_big = floors["full"], floors[f"{factor}x"]
        self.row(f"rows' floor, {events:,} events: an answer's keys, days, values (ms)",
                 f"{floor_big * 1e3:,.1f}", f"{floor_full * 1e3:,.1f}",
                 f"{floor_big / floor_full:.2f}x; {floor_big / cold_full:.2f}x our full query")

    # -- the chart, a changelog, memory, growth ---------------------------------------------

    def chart(self) -> None:
        tl, frame = self.timeline, self.frame
        states = corpus.states()
        instruments = [i.id for i in self.corpus.instruments]
        picks = [(self.rng.choice(instruments), _queries(self.rng, states, 1)[0][1])
                 for _ in range(self.args.chart_queries)]

        def ours(instrument: str, day: dt.date) -> object:
            return {a: s.status for a, s in tl.status(instrument, as_of=day).items()}

        ours_s = _median(_each(ours, picks))
        pandas_s = _median(_each(lambda i, d: frame.chart(i, d, states), picks))
        self.results.update(chart_us_median=ours_s * 1e6,
                            chart_merge_asof_us_median=pandas_s * 1e6,
                            chart_speedup_vs_pandas_merge_asof=pandas_s / ours_s)
        self.row("treaty chart, every actor (µs)", f"{ours_s * 1e6:,.0f}",
                 f"{pandas_s * 1e6:,.0f}", f"{pandas_s / ours_s:.1f}x merge_asof")

    # -- PostgreSQL beside SQLite -------------------------------------------------------------

    def postgres(self) -> None:
        """Cold and warm positions, a chart and 1,000 appends on PostgreSQL and on SQLite."""
        args = self.args
        url = args.postgres or _throwaway_postgres()
        if url is None:
            self.results["postgres"] = None
            self.row("PostgreSQL", "skipped", "-", "no server: give --postgres URL, or install "
                     "initdb and pg_ctl and psycopg")
            return
        start = time.perf_counter()
        ct.copy_into(self.timeline, url)
        self.results["postgres_copy_seconds"] = time.perf_counter() - start
        rng = random.Random(args.seed)
        actors = rng.sample(corpus.states(), args.actors)
        queries = _queries(rng, actors, args.queries)
        instruments = [i.id for i in self.corpus.instruments]
        picks = [(rng.choice(instruments), _queries(rng, actors, 1)[0][1])
                 for _ in range(args.chart_queries)]
        figures: dict[str, dict[str, float]] = {}
        for name, place in (("sqlite", str(self.sqlite)), ("postgres", url)):
            def fresh(actor: str, day: dt.date, place: str = place) -> object:
                return ct.load(place).position(actor, as_of=day)

            if name == "sqlite":
                _page_cached(self.sqlite)
            cold = _each(fresh, [(a, LAST_DAY) for a in actors[: args.sqlite_cold]])
            tl = ct.load(place)
            for actor in actors:
                tl.position(actor)  # warm: each actor's lane read once
            warm = _each(partial(_position, tl), queries)
            chart = _each(partial(_chart, tl), picks)
            appends = _calls(_appender(tl, name), args.appends)
            tl.close()
            figures[name] = {"cold_ms": _median(cold) * 1e3, "warm_ms": _median(warm) * 1e3,
                             "chart_ms": _median(chart) * 1e3,
                             "append_ms": _median(appends) * 1e3}
        self.results["stores_side_by_side"] = figures
        pg, lite = figures["postgres"], figures["sqlite"]
        for key, label in (("cold_ms", "position, fresh store (ms)"),
                           ("warm_ms", "position, warm (ms)"),
                           ("chart_ms", "treaty chart, every actor (ms)"),
                           ("append_ms", "one append, durable (ms)")):
            self.results[f"postgres_{key}_vs_sqlite"] = pg[key] / lite[key]
            self.row(f"PostgreSQL vs SQLite: {label}", f"{pg[key]:,.3f}", f"{lite[key]:,.3f}",
                     f"{pg[key] / lite[key]:.2f}x SQLite's time")

    def changelog(self) -> None:
        tl = self.timeline
        actor = self.rng.choice(corpus.states())
        if not hasattr(tl, "changelog"):
            self.results["changelog_seconds"] = None
            self.row("changelog, one actor, whole range", "n/a", "-", "-")
            return
        times = _seconds(lambda: tl.changelog(actor, until=self.args.changelog_until), 1)
        self.results.update(changelog_seconds=times[0],
                            changelog_until=self.args.changelog_until,
                            changelog_actor_events=sum(
                                1 for _ in tl.events(actor=actor,
                                                     until=self.args.changelog_until)))
        self.row(f"changelog, one actor, to {self.args.changelog_until or 'the end'} (s)",
                 f"{times[0]:.2f}", "-", f"{self.results['changelog_actor_events']} events")

    def memory(self) -> None:
        raw = _memory(lambda: peers.floor_load(self.jsonl))
        ours = _memory(lambda: ct.load(self.jsonl))
        events = len(self.timeline)
        self.results.update(raw_bytes_per_event=raw / events, ours_bytes_per_event=ours / events,
                            memory_ratio_vs_raw=ours / raw)
        self.row("memory per event (bytes)", f"{ours / events:,.0f}", f"{raw / events:,.0f}",
                 f"{ours / raw:.2f}x the raw attrs objects")
        # What positions keep once every state was asked about (a fresh timeline): every
        # actor's positions are made at once from the second actor asked.
        tl = self.corpus.timeline()
        actors = corpus.states()
        lanes = sum(sum(1 for _ in tl.events(actor=a)) for a in actors)
        gc.collect()
        tracemalloc.start()
        for actor in actors:
            tl.position(actor)
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        per_actor = kept / len(actors)
        self.results.update(position_cache_bytes_per_actor=per_actor,
                             position_cache_bytes_per_actor_event=kept / lanes,
                             position_cache_bytes_all_states=kept,
                             memory_ratio_with_all_states_cached=(ours + kept) / raw)
        self.row("positions kept, every state asked, per actor (bytes)", f"{per_actor:,.0f}",
                 "-", f"{kept / lanes:.0f} per event of the actor")

    def growth(self) -> None:
        args = self.args
        timings: dict[str, float] = {}
        for label, total in args.growth:
            if total is None:
                tl = self.timeline
            else:
                tl = corpus.generate(corpus.fraction_for(total)).timeline()
            actors = random.Random(args.seed).sample(corpus.states(), args.actors)
            queries = _queries(random.Random(args.seed), actors, args.queries)
            for actor in actors:
                tl.position(actor)
            def query(actor: str, day: dt.date, tl: ct.Timeline = tl) -> ct.Position:
                return tl.position(actor, as_of=day)

            timings[f"{label} ({len(tl):,} events)"] = _median(_each(query, queries)) * 1e6
        values = list(timings.values())
        self.results["query_growth_us"] = timings
        self.results["query_growth_full_vs_10k"] = values[-1] / values[0]
        for label, value in timings.items():
            self.row(f"position at {label} (µs)", f"{value:.1f}", "-", "-")
        self.row("query growth, full vs smallest", "-", "-", f"{values[-1] / values[0]:.2f}x")

    # -- output -----------------------------------------------------------------------------

    def finish(self, seconds: float) -> None:
        """Print the table and write the results."""
        self.results.update(fraction=self.args.fraction, seed=self.args.seed,
                            quick=self.args.quick)
        self.report(seconds, f"{self.results['corpus_events']:,} events, fraction "
                             f"{self.args.fraction}", self.args.out)




def _position(tl: ct.Timeline, actor: str, day: dt.date) -> object:
    return tl.position(actor, as_of=day)


def _chart(tl: ct.Timeline, instrument: str, day: dt.date) -> object:
    return tl.status(instrument, as_of=day)


def _appender(tl: ct.Timeline, name: str) -> Callable[[], object]:
    """One append of a new statement to ``tl`` per call (a transaction each)."""
    numbers = iter(range(10**9))

    def append() -> None:
        tl.append(ct.Statement(id=f"bench-{name}-{next(numbers)}", date=ct.Date.parse("2024-06"),
                               actor="CAN", topic="topic-00", stance="supports",
                               sources=[ct.Source(title="benchmark")]))

    return append


def _throwaway_postgres() -> str | None:
    """A store URL on a throwaway cluster (the tests' own), or None where none can start."""
    try:
        from tests.postgres_server import UnavailableError, server

        return server().new_store_url()
    except (ImportError, UnavailableError) as exc:
        print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        return None


def _faster(ratio: float) -> str:
    return f"{ratio:,.1f}x faster" if ratio >= 1 else f"{1 / ratio:,.1f}x slower"


def _growth(text: str) -> list[tuple[str, int | None]]:
    points: list[tuple[str, int | None]] = []
    for part in text.split(","):
        if part == "full":
            points.append(("full", None))
        else:
            points.append((part, int(part.lower().replace("k", "000"))))
    return points


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=1.0, help="corpus size, 1.0 = full")
    parser.add_argument("--queries", type=int, default=2000, help="position queries to time")
    parser.add_argument("--slow-queries", type=int, default=40,
                        help="queries for the slow peers (naive fold, pandas, eventsourcing)")
    parser.add_argument("--actors", type=int, default=12, help="states the queries ask about")
    parser.add_argument("--chart-queries", type=int, default=200)
    parser.add_argument("--load-repeat", type=int, default=3)
    parser.add_argument("--growth", type=_growth, default=_growth("10k,100k,full"),
                        help="corpus sizes for query growth, e.g. 10k,100k,full")
    parser.add_argument("--changelog-until", default=None,
                        help="end of the changelog's range (default: the whole record)")
    parser.add_argument("--sqlite-cold", type=int, default=12,
                        help="actors asked once each of a freshly opened SQLite store "
                             "(the position step asks at most --actors of them)")
    parser.add_argument("--snapshot-every", type=int, default=50,
                        help="versions between the eventsourcing peer's snapshots")
    parser.add_argument("--startup-repeat", type=int, default=20,
                        help="runs of the interpreter, the import and the command line")
    parser.add_argument("--appends", type=int, default=1000,
                        help="events appended one by one to each kind of store")
    parser.add_argument("--scale", type=int, default=10,
                        help="the scaled corpus, as a multiple of --fraction, in SQLite")
    parser.add_argument("--postgres", metavar="URL", default=None,
                        help="a PostgreSQL store to create and measure beside SQLite (default: "
                             "a throwaway cluster started as the tests do)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true",
                        help="a tenth of the corpus and fewer repeats: under two minutes")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.quick:
        args.fraction = min(args.fraction, 0.1)
        args.queries, args.slow_queries, args.load_repeat = 1000, 15, 1
        args.chart_queries = 100
        args.growth = _growth("2k,full")
        args.startup_repeat, args.appends, args.scale = 5, 200, 2
    # Loads are timed parsing the files: the load cache (kept between runs of the command
    # line, measured in `startup`) would time unpickling instead.
    os.environ["CYBERTIMELINE_CACHE"] = "off"
    start = time.perf_counter()
    bench = Bench(args)
    try:
        for step in (bench.load, bench.position, bench.consumed, bench.chart, bench.postgres,
                     bench.changelog,
                     bench.memory, bench.growth, bench.startup, bench.appends, bench.scale):
            print(f"{step.__name__}...", file=sys.stderr, flush=True)
            step()
    finally:
        shutil.rmtree(bench.workdir, ignore_errors=True)
    bench.finish(time.perf_counter() - start)


if __name__ == "__main__":
    main()
