"""The import commands of the command line: ``import-votes`` and ``import-chart``.

::

    cybertimeline import-votes VOTES [ROLL_CALLS] --into STORE [--issues FILE]
                               [--layout unvotes|undl] [--resolution SYMBOL ...]
                               [--session N|N-M] [--since DATE] [--until DATE]
                               [--topic TOPIC ...] [--map CODE=ACTOR ...]
    cybertimeline import-chart CHART --into STORE --instrument ID [--title TEXT]
                               [--publisher TEXT] [--url URL] [--as-of DATE] [--complete]
                               [--map NAME=ACTOR ...] [--instrument-title TEXT]

The store named by ``--into`` is opened, or created if there is nothing there
(SQLite for ``.sqlite``/``.db``, JSON Lines for ``.jsonl``, the tables of a store
in a PostgreSQL database for a ``postgresql://`` URL, else a folder). A progress
bar shows on a terminal (stderr), not when output is piped.
"""

from __future__ import annotations

import argparse
import contextlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from cybertimeline._importers.layouts import LAYOUTS
from cybertimeline._model.dates import Date
from cybertimeline._model.sources import Source
from cybertimeline._stores.postgres_link import is_url
from cybertimeline._timeline.loading import building, create, load
from cybertimeline._timeline.timeline import Timeline
from cybertimeline.errors import DateError, NoStoreError

__all__ = ["IMPORT_COMMANDS", "add_import_commands"]

_SESSIONS = re.compile(r"^(?P<first>[0-9]*)(?P<range>-?)(?P<last>[0-9]*)$")


def _date(text: str) -> Date:
    try:
        return Date.parse(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _sessions(text: str) -> tuple[int | None, int | None]:
    found = _SESSIONS.match(text.strip())
    if found is None or not (found["first"] or found["last"]):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a session or a range of sessions: 74, 70-74, 70- or -30")
    first = int(found["first"]) if found["first"] else None
    last = int(found["last"]) if found["last"] else None
    if not found["range"]:
        last = first
    if first is not None and last is not None and first > last:
        raise argparse.ArgumentTypeError(f"{text!r}: the first session is after the last")
    return first, last


def _mapping(text: str) -> tuple[str, str]:
    key, equals, value = text.rpartition("=")
    if not equals or not value.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not KEY=ACTOR (e.g. TW=TWN)")
    return key.strip(), value.strip()


def add_import_commands(commands: Any) -> None:
    """Add ``import-votes`` and ``import-chart`` to the parser's sub-commands."""
    votes = commands.add_parser(
        "import-votes", help="import UN General Assembly roll-call votes into a store",
        description="Import recorded votes of the UN General Assembly: one vote event per "
                    "roll call, with its tally and sources. Safe to repeat.")
    votes.add_argument("votes", metavar="VOTES", help="the votes file (CSV, or .csv.gz)")
    votes.add_argument("roll_calls", metavar="ROLL_CALLS", nargs="?",
                       help="the roll-call file, for layouts of two files (unvotes)")
    _into(votes)
    votes.add_argument("--issues", metavar="FILE",
                       help="the issues file of the unvotes layout: topics of roll calls")
    votes.add_argument("--layout", choices=sorted(LAYOUTS),
                       help="the data set's layout (default: found from the columns)")
    votes.add_argument("--resolution", action="append", metavar="SYMBOL",
                       help="only roll calls on this resolution, e.g. A/RES/74/247 "
                            "(repeatable)")
    votes.add_argument("--session", type=_sessions, metavar="N|N-M",
                       help="only roll calls of this session or range: 74, 70-74, 70-, -30")
    votes.add_argument("--since", type=_date, metavar="DATE",
                       help="only roll calls from this date's first day")
    votes.add_argument("--until", type=_date, metavar="DATE",
                       help="only roll calls to this date's last day")
    votes.add_argument("--topic", action="append", metavar="TOPIC",
                       help="only roll calls on this topic: human-rights, nuclear-weapons, "
                            "arms-control, colonialism, economic-development, "
                            "palestinian-conflict, or the codes hr, nu, di, co, ec, me "
                            "(needs --issues; repeatable)")
    _map(votes, "CODE=ACTOR", "map a voter code (a name, for rows without a code) to an "
                              "actor id or name, e.g. TW=TWN")
    chart = commands.add_parser(
        "import-chart", help="import a treaty chart saved as CSV into a store",
        description="Import a chart of signatures and ratifications: a treaty act per filled "
                    "cell, names resolved as researchers write them. Safe to repeat.")
    chart.add_argument("chart", metavar="CHART",
                       help="the chart as CSV: a column of states and columns of dates")
    _into(chart)
    chart.add_argument("--instrument", required=True, metavar="ID",
                       help="the instrument charted: budapest-convention, untoc...")
    chart.add_argument("--title", metavar="TEXT",
                       help="the chart's title, as the acts cite it (default: 'Chart of "
                            "signatures and ratifications of' the instrument)")
    chart.add_argument("--publisher", metavar="TEXT", help="who publishes the chart")
    chart.add_argument("--url", metavar="URL", help="where the chart is published")
    chart.add_argument("--as-of", type=_date, metavar="DATE",
                       help="the chart's date ('status as of'); needed by --complete")
    chart.add_argument("--complete", action="store_true",
                       help="declare the chart complete to its date: a state it does not list "
                            "is then 'not a signatory' (rule 10)")
    _map(chart, "NAME=ACTOR", "map a name of the chart to an actor id or name")
    chart.add_argument("--instrument-title", metavar="TEXT",
                       help="declare the instrument with this title, if the store lacks it")


def _into(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--into", required=True, metavar="STORE",
                     help="the store to import into, created if missing: .sqlite/.db for "
                          "SQLite, .jsonl, a postgresql:// URL (its schema), else a folder")


def _map(sub: argparse.ArgumentParser, metavar: str, text: str) -> None:
    sub.add_argument("--map", action="append", type=_mapping, metavar=metavar, default=[],
                     help=f"{text} (repeatable)")


@contextlib.contextmanager
def _store(path: str) -> Iterator[Timeline]:
    """The store at ``path``. On a PostgreSQL server, created if missing (an import writes
    all its events in one transaction, or none). Elsewhere, if there is nothing at
    ``path``, a new one built aside and given its name only when the import succeeds: a
    failed import removes only what it built, never a store that another import or writer
    made at ``path`` meanwhile."""
    if is_url(path):
        try:
            timeline = load(path)
        except NoStoreError:
            timeline = create(path)
        with timeline:
            yield timeline
        return
    if Path(path).exists():
        with load(path) as timeline:
            yield timeline
        return
    with building(path) as (_, timeline):
        yield timeline


class _Bars:
    """One progress bar per stage of an import, on stderr; none when stderr is no terminal."""

    def __init__(self) -> None:
        self._bars: dict[str, Any] = {}  # tqdm bars

    def __call__(self, what: str, done: int, total: int) -> None:
        bar = self._bars.get(what)
        if bar is None:
            for other in self._bars.values():
                other.close()
            in_bytes = what == "reading votes"
            from tqdm import tqdm  # only when an import shows progress

            bar = self._bars[what] = tqdm(total=total, desc=what, disable=None, leave=False,
                                          unit="B" if in_bytes else " events",
                                          unit_scale=in_bytes, dynamic_ncols=True)
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()


def _import_votes(args: argparse.Namespace) -> str:
    from cybertimeline._importers.votes import import_votes  # not for the other commands

    with _store(args.into) as timeline:
        bars = _Bars()
        try:
            report = import_votes(timeline, args.votes, args.roll_calls, issues=args.issues,
                                  layout=args.layout, resolution=args.resolution,
                                  sessions=args.session, since=args.since, until=args.until,
                                  topic=args.topic, codes=dict(args.map), progress=bars)
        finally:
            bars.close()
    return str(attrs.evolve(report, location=args.into))  # not where it was built


def _import_chart(args: argparse.Namespace) -> str:
    from cybertimeline._importers.charts import import_chart  # not for the other commands

    with _store(args.into) as timeline:
        known = timeline.registry.instruments.get(args.instrument)
        what = known.label if known else args.instrument_title or args.instrument
        source = Source(title=args.title or f"Chart of signatures and ratifications of the "
                                            f"{what}",
                        publisher=args.publisher, url=args.url)
        report = import_chart(timeline, args.chart, args.instrument, source, as_of=args.as_of,
                              complete=args.complete, names=dict(args.map),
                              title=args.instrument_title)
    return str(attrs.evolve(report, location=args.into))  # not where it was built


IMPORT_COMMANDS: dict[str, Callable[[argparse.Namespace], str]] = {
    "import-votes": _import_votes, "import-chart": _import_chart}
"""Each import command: it opens (or creates) its own store, ``--into``."""
