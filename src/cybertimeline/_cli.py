"""The ``cybertimeline`` command (also ``python -m cybertimeline``).

Commands::

    cybertimeline [--events PATH] validate
    cybertimeline [--events PATH] position ACTOR --as-of DATE [--known-at DATE] [--possible]
                                           [--format text|json]
    cybertimeline [--events PATH] changelog [ACTOR ...] [--since DATE] [--until DATE]
                                            [--known-at DATE] [--format markdown|json]
    cybertimeline [--events PATH] timeline [ACTOR] [--since DATE] [--until DATE]
                                           [--known-at DATE] [--kind KIND]
                                           [--format text|json|jsonl|csv]
    cybertimeline [--events PATH] diff ACTOR DATE1 DATE2 [--known-at DATE] [--format text|json]
    cybertimeline [--events PATH] status INSTRUMENT --as-of DATE [--known-at DATE]
                                         [--possible] [--format text|json]
    cybertimeline [--events PATH] export [ACTOR ...] [--since DATE] [--until DATE]
                                         [--known-at DATE] [--title TEXT]
                                         [--format timelinejs|json|jsonl|csv]
    cybertimeline import SRC --into DST
    cybertimeline [--events PATH] plot ACTOR [ACTOR ...] [--instrument ID] [--since DATE]
                                       [--until DATE] [--known-at DATE] -o FILE.svg|FILE.png
                                       [--force]

``plot`` needs matplotlib (``pip install 'cybertimeline[plot]'``).

The store is ``--events PATH``, else ``$CYBERTIMELINE_EVENTS``, else the
bundled dataset. Exit codes: 0 ok; 1 invalid data, a missing store, or an
unknown actor or instrument; 2 bad usage, including a date that is not EDTF.
Errors go to stderr, one line each. Control characters in what is printed
(but newline and tab) are written as ``\\uXXXX``, as JSON writes them, so that
no text from a store can command the terminal. ``plot`` never replaces a file
unless ``--force`` is given.

JSON shapes (``--format json``; keys are stable, absent values are ``null``):

* ``validate``: text only: ``PATH: N events, all valid``.
* ``position``: `Position.to_dict`: ``{"actor", "as_of", "known_at",
  "possible", "treaties": {instrument: {"status", "signed", "consented",
  "consent", "in_force", "withdrawn", "events"}}, "votes": {resolution:
  {"option", "body", "date", "event"}}, "stances": {topic: {"stance", "date",
  "quote", "event"}}, "memberships": {group: {"role", "since", "event"}},
  "members": {...}, "cooperation": [...], "sessions": [...], "adoptions":
  [...], "legislation": [...]}``.
* ``changelog``: `Changelog.to_dict`: ``{"actors", "since", "until",
  "known_at", "changes": [{"actor", "path", "before", "after", "date",
  "settled", "events", "sources"}], "corrections": [{"recorded", "kind",
  "event", "corrects", "actors", "reason", "sources"}]}``; a source is
  ``{"title", "publisher", "url", "published", "locator", "quote"}``.
* ``timeline``: a list of rows; ``jsonl`` one row per line; ``csv`` a header
  and one line per row. A row has the keys of ``cybertimeline.ROW_FIELDS``:
  ``id``, ``kind``, ``date`` (EDTF), ``earliest``, ``latest``, ``precision``,
  ``recorded``, ``actor``, ``actors``, ``body``, ``group``, ``instrument``,
  ``resolution``, ``topic``, ``option`` (the vote of ACTOR), ``stance``,
  ``status``, ``action``, ``role``, ``title``, ``form``, ``summary``,
  ``source_count``, ``source_urls``, ``supersedes``, ``retracts``, ``tags``.
* ``diff``: ``{"actor", "from", "to", "known_at", "changes": [change, ...]}``,
  each change as in ``changelog``.
* ``status``: ``{"instrument", "title", "as_of", "known_at", "possible",
  "counts": {status: n}, "actors": {actor: {"name", "status", "signed",
  "consented", "consent", "in_force", "withdrawn", "events"}}}``.
* ``export --format timelinejs``: TimelineJS JSON, ``{"title": {"text":
  {"headline", "text"}}, "events": [{"unique_id", "group", "start_date",
  "end_date", "display_date", "text": {"headline", "text"}}]}``; other
  formats as ``timeline``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import secrets
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from cybertimeline._model.dates import Date
from cybertimeline._model.event import RecordedBasis
from cybertimeline._model.events import KINDS, Vote
from cybertimeline._model.order import canonical_key
from cybertimeline._model.wording import STATUS_WORDS, Citations, Words, headline
from cybertimeline._projections.position import Position
from cybertimeline._reports.changes import diff_positions
from cybertimeline._reports.rows import event_row, write_csv
from cybertimeline._reports.wording import brief
from cybertimeline._stores.atomic import publish
from cybertimeline._timeline.loading import copy_into, load
from cybertimeline._timeline.timeline import Timeline
from cybertimeline.errors import DateError, TimelineError, ValidationError

__all__ = ["main"]

ENVIRONMENT_VARIABLE = "CYBERTIMELINE_EVENTS"


class _UsageError(Exception):
    """Bad usage: exit code 2."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit code 2, via `main`."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")


def _date(text: str) -> Date:
    try:
        return Date.parse(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


AS_OF = ("the date asked about, EDTF: 2016, 2016-01 or 2016-01-01; events count once "
         "settled, so a partial date means its last day")


def _parser() -> argparse.ArgumentParser:
    events = _Parser(add_help=False)
    events.add_argument("--events", metavar="PATH", default=argparse.SUPPRESS,
                        help=f"the store to read (default: ${ENVIRONMENT_VARIABLE}, "
                             f"else the bundled dataset)")
    parser = _Parser(
        prog="cybertimeline", parents=[events],
        description="Dated, sourced events of cyber diplomacy, and positions as of any date. "
                    "Dates are EDTF: 2015, 2019-07, 2015-07-08.",
        epilog="exit codes: 0 ok, 1 invalid data or unknown actor, 2 bad usage",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, text: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = commands.add_parser(
            name, help=text, description=text, parents=[events])
        return sub

    def window(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--since", type=_date, metavar="DATE", help="from this date's first day")
        sub.add_argument("--until", type=_date, metavar="DATE", help="to this date's last day")
        known_at(sub)

    def known_at(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--known-at", type=_date, metavar="DATE",
                         help="the record as it stood on this date (its last day, for a "
                              "partial date such as 2021 or 2021-12)")

    def possible(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--possible", action="store_true",
                         help="count events that had started by the date, not only settled ones")

    def formats(sub: argparse.ArgumentParser, *choices: str) -> None:
        sub.add_argument("--format", choices=choices, default=choices[0])

    command("validate", "check every file of the store; list every problem")
    position = command("position", "an actor's position as of a date")
    position.add_argument("actor", help="an actor id: CAN, KOR, EU...")
    position.add_argument("--as-of", type=_date, required=True, metavar="DATE", help=AS_OF)
    known_at(position)
    possible(position)
    formats(position, "text", "json")
    changelog = command("changelog", "what changed in actors' positions, with sources")
    changelog.add_argument("actors", nargs="*", metavar="ACTOR",
                           help="actor ids (default: every actor with an event in the period)")
    window(changelog)
    formats(changelog, "markdown", "json")
    timeline = command("timeline", "the events, one a line or row")
    timeline.add_argument("actor", nargs="?", metavar="ACTOR", help="only events about this actor")
    window(timeline)
    timeline.add_argument("--kind", action="append", metavar="KIND", choices=sorted(KINDS),
                          help="only events of this kind (repeatable): "
                               + ", ".join(sorted(KINDS)))
    formats(timeline, "text", "json", "jsonl", "csv")
    diff = command("diff", "how an actor's position differs between two dates")
    diff.add_argument("actor", metavar="ACTOR")
    diff.add_argument("first", type=_date, metavar="DATE1")
    diff.add_argument("second", type=_date, metavar="DATE2")
    known_at(diff)
    formats(diff, "text", "json")
    status = command("status", "every actor's status towards an instrument, as of a date")
    status.add_argument("instrument", metavar="INSTRUMENT", help="budapest-convention, untoc...")
    status.add_argument("--as-of", type=_date, required=True, metavar="DATE", help=AS_OF)
    known_at(status)
    possible(status)
    status.add_argument("--all", action="store_true",
                        help="list every state: 'not a signatory' where the store declares "
                             "the chart complete on the date, else 'no data'")
    formats(status, "text", "json")
    export = command("export", "the events for other tools: TimelineJS, JSON, JSON Lines, CSV")
    export.add_argument("actors", nargs="*", metavar="ACTOR", help="only events about these")
    window(export)
    export.add_argument("--title", help="the TimelineJS title slide's headline")
    formats(export, "timelinejs", "json", "jsonl", "csv")
    copy = command("import", "copy a whole store into a new folder, JSON Lines or SQLite store")
    copy.add_argument("source", metavar="SRC",
                      help="the store to read: a folder, a .jsonl or a .sqlite file")
    copy.add_argument("--into", required=True, metavar="DST",
                      help="the new store: .sqlite/.db for SQLite, .jsonl, else a folder")
    plot = command("plot", "draw a swimlane chart (needs the plot extra: matplotlib)")
    plot.add_argument("actors", nargs="+", metavar="ACTOR", help="one lane per actor")
    plot.add_argument("--instrument", metavar="ID",
                      help="draw each actor's status towards this instrument")
    window(plot)
    plot.add_argument("-o", "--output", required=True, type=_picture, metavar="FILE",
                      help="where to write the chart: FILE.svg or FILE.png (a new file)")
    plot.add_argument("--force", action="store_true",
                      help="replace FILE if it exists (a symbolic link there is replaced, "
                           "not followed)")
    return parser


def _picture(text: str) -> str:
    if not text.lower().endswith((".svg", ".png")):
        raise argparse.ArgumentTypeError(f"{text!r} must end in .svg or .png")
    return text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _open(path: str | None) -> Timeline:
    # --events "" is a mistake (refused by load); an empty variable is no variable.
    return load(path if path is not None else os.environ.get(ENVIRONMENT_VARIABLE) or None)


_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                     "\u2066-\u2069]")


def printable(text: str) -> str:
    """Text safe to print: control characters (but newline and tab) and bidirectional
    overrides written as ``\\uXXXX``, which is also how JSON writes them (so JSON stays JSON)."""
    return _UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _table(rows: list[list[str]]) -> list[str]:
    """Rows with every column but the last padded to its widest cell."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return ["  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[-1]])
            .rstrip() for row in rows]


def _sources_block(cites: Citations) -> list[str]:
    return ["Sources", *(f"  {line}" for line in cites.lines(markdown=False))] if cites else []


# -- commands --------------------------------------------------------------------------------


_BASES: dict[RecordedBasis, str] = {
    "recorded": "given as 'recorded'",
    "published": "from a source's 'published'",
    "date": "from the event's date",
}


def _validate(timeline: Timeline, _args: argparse.Namespace) -> str:
    timeline.validate()
    head = f"{timeline.location}: {_count(len(timeline), 'event')}, all valid"
    bases = Counter(e.recorded_basis for e in timeline.events(include_corrected=True))
    if not bases:
        return head
    parts = ", ".join(f"{bases[basis]} {words}" for basis, words in _BASES.items())
    return f"{head}\n  knowledge dates (rule 7): {parts}"


def _position(timeline: Timeline, args: argparse.Namespace) -> str:
    position = timeline.position(args.actor, as_of=args.as_of, known_at=args.known_at,
                                 possible=args.possible)
    if args.format == "json":
        return _json(position.to_dict())
    return _render_position(timeline, position)


def _render_position(timeline: Timeline, position: Position) -> str:
    words = Words(timeline.registry)
    head = f"{words.heading(position.actor)} as of {position.as_of}"
    if position.known_at is not None:
        head += f", as known at {position.known_at}"
    if position.possible:
        head += " (counting possible events)"
    lines = [head]
    cites = Citations()

    def section(title: str, rows: list[list[str]]) -> None:
        if rows:
            lines.append(title)
            lines.extend("  " + line for line in _table(rows))

    treaty_rows = []
    for instrument, status in sorted(position.treaties.items()):
        acts = []  # each act with its own sources, so a reader sees what rests on what
        for label, role in (("signed", "signature"), (status.consent, "consent"),
                            ("in force", "in_force"), ("withdrawn", "withdrawal")):
            found = [e for e in status.events if e.role == role]
            if found and label and (label != "withdrawn" or status.withdrawn is not None):
                act = max(found, key=canonical_key)
                acts.append(f"{label} {act.date} {cites.cite(act.sources)}")
        treaty_rows.append([timeline.registry.label(instrument), status.status, ", ".join(acts)])
    for instrument, coverage in sorted(position.coverage.items()):
        if instrument not in position.treaties:
            treaty_rows.append([timeline.registry.label(instrument), STATUS_WORDS["none"],
                                f"chart complete to {coverage.complete_until} "
                                f"{cites.cite(coverage.sources)}"])
    section("Treaties", treaty_rows)
    section("Votes", [[r, v.option, str(v.date), cites.cite(v.event.sources)]
                      for r, v in sorted(position.votes.items())])
    section("Stances", [[words.topic(t), s.stance, str(s.date), cites.cite(s.event.sources)]
                        for t, s in sorted(position.stances.items())])
    section("Memberships", [[g, m.role or "member", f"since {m.since}", cites.cite(m.event.sources)]
                            for g, m in sorted(position.memberships.items())])
    if position.members:
        lines.append(f"Members ({len(position.members)})")
        lines.append("  " + " ".join(sorted(position.members)))
    listed: tuple[tuple[str, tuple[Any, ...]], ...] = (
        ("Sessions", position.sessions), ("Legislation", position.legislation),
        ("Adoptions", position.adoptions), ("Cooperation", position.cooperation))
    for title, entries in listed:
        section(title, [[str(getattr(e, "date", None) or getattr(e, "since", "")),
                         headline(e.event, timeline.registry), cites.cite(e.event.sources)]
                        for e in entries])
    if len(lines) == 1:
        lines.append("  (no data on this actor by this date)")
    return "\n".join([*lines, *_sources_block(cites)])


def _changelog(timeline: Timeline, args: argparse.Namespace) -> str:
    log = timeline.changelog(args.actors or None, since=args.since, until=args.until,
                             known_at=args.known_at)
    return _json(log.to_dict()) if args.format == "json" else log.to_markdown().rstrip()


def _timeline(timeline: Timeline, args: argparse.Namespace) -> str:
    events = list(timeline.events(actor=args.actor, kind=args.kind, since=args.since,
                                  until=args.until, known_at=args.known_at))
    rows = [event_row(e, args.actor) for e in events]
    if args.format != "text":
        return _rows(rows, args.format)
    if not events:
        return "no events"
    table = [["DATE", "KIND", "ACTOR", "ID", "SOURCES", "SUMMARY"]]
    for event, row in zip(events, rows, strict=True):
        kind = event.kind + (f" ({row['option']})" if isinstance(event, Vote) and row["option"]
                             else "")
        table.append([str(event.date), kind, row["actor"] or "", event.id,
                      str(len(event.sources)),
                      event.summary or headline(event, timeline.registry)])
    return "\n".join([*_table(table), _count(len(events), "event")])


def _rows(rows: list[dict[str, Any]], form: str) -> str:
    if form == "json":
        return _json(rows)
    if form == "jsonl":
        return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    buffer = io.StringIO()
    write_csv(rows, buffer)
    return buffer.getvalue().rstrip("\n")


def _diff(timeline: Timeline, args: argparse.Namespace) -> str:
    before = timeline.position(args.actor, as_of=args.first, known_at=args.known_at)
    after = timeline.position(args.actor, as_of=args.second, known_at=args.known_at)
    changes = diff_positions(before, after)
    if args.format == "json":
        return _json({"actor": args.actor, "from": str(args.first), "to": str(args.second),
                      "known_at": None if args.known_at is None else str(args.known_at),
                      "changes": [c.to_dict() for c in changes]})
    words = Words(timeline.registry)
    head = f"{words.heading(args.actor)}: position as of {args.first} → as of {args.second}"
    if args.known_at is not None:
        head += f", as known at {args.known_at}"
    if not changes:
        return f"{head}\n  no differences"
    cites = Citations()
    rows = [["PATH", "BEFORE", "", "AFTER", "DATE", "SOURCES"]]
    rows += [[c.path, brief(c.before), "→", brief(c.after), str(c.date or ""),
              cites.cite(c.sources)] for c in changes]
    return "\n".join([head, *("  " + line for line in _table(rows)), *_sources_block(cites)])


def _status(timeline: Timeline, args: argparse.Namespace) -> str:
    chart = timeline.status(args.instrument, as_of=args.as_of, known_at=args.known_at,
                            possible=args.possible,
                            all_actors=args.all)
    registry = timeline.registry
    counts = Counter(s.status for s in chart.values())
    if args.format == "json":
        return _json({
            "instrument": args.instrument, "title": registry.label(args.instrument),
            "as_of": str(args.as_of),
            "known_at": None if args.known_at is None else str(args.known_at),
            "possible": args.possible, "counts": dict(sorted(counts.items())),
            "actors": {a: {"name": registry.name(a), **s.to_dict()} for a, s in chart.items()},
        })
    head = f"{registry.label(args.instrument)} as of {args.as_of}"
    if args.known_at is not None:
        head += f", as known at {args.known_at}"
    instrument = registry.instruments.get(args.instrument)
    coverage = None if instrument is None else instrument.coverage_on(
        args.as_of.latest, None if args.known_at is None else args.known_at.latest)
    cites = Citations()
    if coverage is not None:
        others = (f"the chart is complete to {coverage.complete_until} "
                  f"{cites.cite(coverage.sources)}: any other state is not a signatory")
    else:
        others = "no complete chart covers this date: any other state is without data"
    if not chart:
        return f"{head}\n  no actor had acted on it by this date; {others}"
    rows = [["ACTOR", "NAME", "STATUS", "SIGNED", "CONSENTED", "IN FORCE", "WITHDRAWN",
             "SOURCES"]]
    for actor, status in chart.items():
        consented = f"{status.consented} ({status.consent})" if status.consented else ""
        rows.append([actor, registry.name(actor)[:32], STATUS_WORDS.get(status.status,
                                                                          status.status),
                     str(status.signed or ""), consented, str(status.in_force or ""),
                     str(status.withdrawn or ""), cites.cite(status.sources())])
    total = ", ".join(f"{n} {STATUS_WORDS.get(name, name)}" for name, n in sorted(counts.items()))
    footer = [] if args.all else [f"Without --all, only actors that acted are listed; {others}."]
    return "\n".join([head, *("  " + line for line in _table(rows)),
                      f"{_count(len(chart), 'actor')}: {total}", *footer,
                      *_sources_block(cites)])


def _export(timeline: Timeline, args: argparse.Namespace) -> str:
    if args.format == "timelinejs":
        return _json(timeline.to_timelinejs(args.actors or None, since=args.since,
                                            until=args.until, known_at=args.known_at,
                                            title=args.title))
    seen: dict[str, Any] = {}
    for actor in args.actors or [None]:
        for event in timeline.events(actor=actor, since=args.since, until=args.until,
                                     known_at=args.known_at):
            seen.setdefault(event.id, event)
    actor = args.actors[0] if len(args.actors) == 1 else None
    events = sorted(seen.values(), key=canonical_key)
    return _rows([event_row(e, actor) for e in events], args.format)


def _import(timeline: Timeline, args: argparse.Namespace) -> str:
    copy = copy_into(timeline, args.into)
    return f"{copy.location}: {_count(len(copy), 'event')} copied from {timeline.location}"


def _plot(timeline: Timeline, args: argparse.Namespace) -> str:
    try:
        chart = timeline.plot(args.actors, args.instrument, since=args.since,
                              until=args.until, known_at=args.known_at)
    except ImportError as exc:
        raise TimelineError(str(exc)) from None
    path = Path(args.output)
    if not args.force and os.path.lexists(path):
        raise TimelineError(f"{path}: already exists: choose another name, or give --force "
                            f"to replace it")
    temporary = path.parent / f".{path.name}.{secrets.token_hex(6)}.partial{path.suffix}"
    try:
        chart.save(temporary)
        if args.force:
            os.replace(temporary, path)  # replaces a link there, never writes through it
        else:
            publish(temporary, path)
    except FileExistsError:
        raise TimelineError(f"{path}: appeared while the chart was drawn; it was left as it "
                            f"is: choose another name, or give --force") from None
    finally:
        temporary.unlink(missing_ok=True)
    return f"{path}: {len(chart.actors)} lanes, {len(chart.spans)} spans, {len(chart.marks)} marks"


_COMMANDS: dict[str, Callable[[Timeline, argparse.Namespace], str]] = {
    "validate": _validate, "position": _position, "changelog": _changelog,
    "timeline": _timeline, "diff": _diff, "status": _status, "export": _export,
    "import": _import, "plot": _plot,
}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 bad data or actor, 2 bad usage)."""
    try:
        args = _parser().parse_args(argv)
    except _UsageError as exc:
        print(_one_line(str(exc)), file=sys.stderr)
        return 2
    except SystemExit as exit_:  # --help
        return int(exit_.code or 0)
    since, until = getattr(args, "since", None), getattr(args, "until", None)
    if since is not None and until is not None and since.earliest > until.latest:
        print(f"error: --since {since} is after --until {until}: swap them", file=sys.stderr)
        return 2
    if args.command == "diff" and args.first.latest > args.second.latest:
        print(f"error: {args.first} is after {args.second}: give the earlier date first",
              file=sys.stderr)
        return 2
    try:
        store = args.source if args.command == "import" else getattr(args, "events", None)
        with _open(store) as timeline:
            output = _COMMANDS[args.command](timeline, args)
        print(printable(output))
        sys.stdout.flush()
    except ValidationError as exc:
        for problem in exc.problems:
            print(f"error: {printable(_one_line(str(problem)))}", file=sys.stderr)
        return 1
    except TimelineError as exc:
        print(f"error: {printable(_one_line(str(exc)))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader (head, less) went away: say nothing more and stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        print(f"error: {printable(_one_line(str(exc)))}", file=sys.stderr)
        return 1
    return 0
