"""The ``cybertimeline`` command (also ``python -m cybertimeline``).

Commands::

    cybertimeline --version
    cybertimeline [--events PATH] validate
    cybertimeline [--events PATH] position ACTOR [ACTOR ...] [--as-of DATE] [--known-at DATE]
                                           [--possible] [--all] [--format text|json]
    cybertimeline [--events PATH] changelog [ACTOR ...] [--since DATE] [--until DATE]
                                            [--known-at DATE] [filters...]
                                            [--format markdown|json]
    cybertimeline [--events PATH] timeline [ACTOR ...] [--since DATE] [--until DATE]
                                           [--known-at DATE] [--kind KIND]
                                           [--format text|json|jsonl|csv]
    cybertimeline [--events PATH] diff ACTOR [ACTOR ...] DATE1 DATE2 [--known-at DATE]
                                       [--format text|json]
    cybertimeline [--events PATH] compare ACTOR ACTOR [ACTOR ...] [--as-of DATE]
                                          [--known-at DATE] [--possible] [--all]
                                          [--format text|html|json]
    cybertimeline [--events PATH] status INSTRUMENT [--as-of DATE] [--known-at DATE]
                                         [--possible] [--format text|json]
    cybertimeline [--events PATH] votes RESOLUTION [--group GROUP] [--known-at DATE]
                                        [--format text|json|jsonl|csv]
    cybertimeline [--events PATH] export [ACTOR ...] [--since DATE] [--until DATE]
                                         [--known-at DATE] [--title TEXT]
                                         [--format timelinejs|json|jsonl|csv]
    cybertimeline [--events PATH] import --into DST
    cybertimeline [--events PATH] heatmap [ACTOR ...] [--group GROUP] [--since DATE]
                                          [--until DATE] [--known-at DATE] [--topic TOPIC]
                                          -o FILE.svg|FILE.png [--force]
    cybertimeline [--events PATH] agreement [ACTOR ...] [--group GROUP] [--since DATE]
                                            [--until DATE] [--known-at DATE] [--topic TOPIC]
                                            [--measure agree|identical|s] [--by year|session]
                                            [--plot FILE] [--format text|json|csv]
    cybertimeline import-votes VOTES [ROLL_CALLS] --into STORE [--issues FILE] [filters...]
    cybertimeline import-chart CHART --into STORE --instrument ID [--as-of DATE] [--complete]
    cybertimeline [--events PATH] plot ACTOR [ACTOR ...] [--instrument ID] [--since DATE]
                                       [--until DATE] [--known-at DATE] -o FILE.svg|FILE.png
                                       [--force]

``plot`` needs matplotlib (``pip install 'cybertimeline[plot]'``). An ACTOR is
an id or a name as researchers write it (``can``, ``Republic of Korea``,
``Czech Republic``): `Registry.resolve` turns it into an id.

The store is ``--events PATH`` (a file, a folder or a ``postgresql://`` URL),
else ``$CYBERTIMELINE_EVENTS``, else the
bundled dataset (``import`` copies it). Several actors give one answer each;
their JSON is then a list. Exit codes: 0 ok; 1 invalid data, a missing store, or an
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
import contextlib
import gc
import io
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

# The rest is imported by the command that needs it, so that `position` loads no importer,
# report or parser of another command.
from cybertimeline._model.dates import Date
from cybertimeline.errors import DateError, TimelineError, ValidationError

if TYPE_CHECKING:
    from cybertimeline._model.event import RecordedBasis
    from cybertimeline._model.events import Event
    from cybertimeline._timeline.timeline import Timeline

__all__ = ["main"]

ENVIRONMENT_VARIABLE = "CYBERTIMELINE_EVENTS"


class _UsageError(Exception):
    """Bad usage: exit code 2."""


def _columns() -> int:
    """The terminal's width, as `shutil.get_terminal_size` finds it (``$COLUMNS``, else the
    terminal of stdout, else 80)."""
    with contextlib.suppress(ValueError):
        if int(os.environ.get("COLUMNS", "0")) > 0:
            return int(os.environ["COLUMNS"])
    stdout = sys.__stdout__
    try:
        return (stdout is not None and os.get_terminal_size(stdout.fileno()).columns) or 80
    except (AttributeError, ValueError, OSError):  # no stdout, or no terminal
        return 80


class _Formatter(argparse.HelpFormatter):
    """argparse's help, sized without `shutil`: argparse makes a formatter to check each
    option added, help asked or not, and shutil imports the archive modules (bz2, lzma...),
    milliseconds of every run."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position,
                         _columns() - 2 if width is None else width)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit code 2, via `main`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")


def _date(text: str) -> Date:
    try:
        return Date.parse(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


AS_OF = ("the date asked about, EDTF: 2016, 2016-01 or 2016-01-01; events count once "
         "settled, so a partial date means its last day (default: today, UTC)")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # for --version only

    try:
        return version("cybertimeline")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


class _VersionAction(argparse.Action):
    """``--version``, looking the version up only when asked (the lookup takes a while)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        sys.stdout.write(f"cybertimeline {_version()}\n")
        parser.exit()


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``only``, the parser of that command alone (building
    every command's options costs each run milliseconds that one command never uses)."""
    events = _Parser(add_help=False)
    events.add_argument("--events", metavar="PATH", default=argparse.SUPPRESS,
                        help=f"the store to read: a folder of TOML files, a .jsonl or a .sqlite "
                             f"file (default: ${ENVIRONMENT_VARIABLE}, else the bundled dataset)")
    parser = _Parser(
        prog="cybertimeline", parents=[events],
        description="Dated, sourced events of cyber diplomacy, and positions as of any date. "
                    "Dates are EDTF: 2015, 2019-07, 2015-07-08.",
        epilog="exit codes: 0 ok, 1 invalid data or unknown actor, 2 bad usage",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help="print the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (text, build) in _SUBCOMMANDS.items():
        if only in (None, name):
            build(commands.add_parser(name, help=text, description=text, parents=[events]))
    if only is None or only in IMPORT_COMMAND_NAMES:
        from cybertimeline._cli_imports import add_import_commands  # only these two need it

        add_import_commands(commands)
    return parser


def _command_named(argv: Sequence[str]) -> str | None:
    """The command ``argv`` runs when that is certain before parsing: only ``--events PATH``
    options come before a command's name. Else None, and the whole parser decides (and words
    the error, or prints the help)."""
    rest = list(argv)
    while rest and (rest[0] == "--events" or rest[0].startswith("--events=")):
        del rest[:2 if rest[0] == "--events" else 1]
    if rest and (rest[0] in _SUBCOMMANDS or rest[0] in IMPORT_COMMAND_NAMES):
        return rest[0]
    return None


def _actors_argument(sub: argparse.ArgumentParser, what: str, *,
                     required: bool = True) -> None:
    default = "" if required else "; none: every actor"
    sub.add_argument("actors", nargs="+" if required else "*", metavar="ACTOR",
                     help=f"one or more actors, by id or name (CAN, can, 'Republic of "
                          f"Korea', EU...): {what}{default}")


def _window(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--since", type=_date, metavar="DATE", help="from this date's first day")
    sub.add_argument("--until", type=_date, metavar="DATE", help="to this date's last day")
    _known_at(sub)


def _known_at(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--known-at", type=_date, metavar="DATE",
                     help="what was public on this date (its last day, for a partial "
                          "date such as 2021 or 2021-12)")
    sub.add_argument("--stored-by", type=_date, metavar="DATE",
                     help="audit the store: only what it had received by this date "
                          "(its appends' stamps); curated files always count")


def _possible(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--possible", action="store_true",
                     help="count events that had started by the date, not only settled ones")


def _formats(sub: argparse.ArgumentParser, *choices: str) -> None:
    sub.add_argument("--format", choices=choices, default=choices[0],
                     help=f"what to print: {', '.join(choices)} (default: {choices[0]})")


def _as_of(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--as-of", type=_date, metavar="DATE", help=AS_OF)
    _known_at(sub)
    _possible(sub)


def _validate_command(_sub: argparse.ArgumentParser) -> None:
    """validate takes no options of its own."""


def _position_command(sub: argparse.ArgumentParser) -> None:
    _actors_argument(sub, "a position each")
    _as_of(sub)
    sub.add_argument("--all", action="store_true",
                     help="every entry of every section (text; by default a long "
                          "section shows its first 20 entries, votes the latest 20)")
    _formats(sub, "text", "json")


def _changelog_command(sub: argparse.ArgumentParser) -> None:
    _actors_argument(sub, "their changes", required=False)
    _window(sub)
    _filter_options(sub)
    _formats(sub, "markdown", "json")


def _kinds(sub: argparse.ArgumentParser, *, listed: bool) -> None:
    from cybertimeline._model.events import KINDS

    kinds = sorted(KINDS)
    sub.add_argument("--kind", action="append", metavar="KIND", choices=kinds,
                     help="only events of this kind (repeatable)"
                          + (": " + ", ".join(kinds) if listed else ""))


def _timeline_command(sub: argparse.ArgumentParser) -> None:
    _actors_argument(sub, "only events about them", required=False)
    _window(sub)
    _kinds(sub, listed=True)
    _filter_options(sub)
    _formats(sub, "text", "json", "jsonl", "csv")


def _search_command(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("text", metavar="TEXT",
                     help="words to find in titles, summaries, quotes and sources' titles "
                          "(any case; a phrase in double quotes as a whole)")
    _actors_argument(sub, "only events about them", required=False)
    _window(sub)
    _kinds(sub, listed=False)
    _filter_options(sub)
    _formats(sub, "text", "json", "jsonl", "csv")


def _compare_command(sub: argparse.ArgumentParser) -> None:
    _actors_argument(sub, "two or more, side by side")
    _as_of(sub)
    sub.add_argument("--all", action="store_true",
                     help="also list the facts on which they are alike (text)")
    _formats(sub, "text", "html", "json")


def _diff_command(sub: argparse.ArgumentParser) -> None:
    _actors_argument(sub, "a diff each")
    sub.add_argument("first", type=_date, metavar="DATE1",
                     help="the earlier date: the position as of its last day")
    sub.add_argument("second", type=_date, metavar="DATE2",
                     help="the later date: the position as of its last day")
    _known_at(sub)
    _formats(sub, "text", "json")


def _status_command(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("instrument", metavar="INSTRUMENT",
                     help="an instrument, by id or name: budapest-convention, 'Budapest "
                          "Convention', 'ETS 185', UNTOC...")
    _as_of(sub)
    sub.add_argument("--all", action="store_true",
                     help="list every state: 'not a signatory' where the store declares "
                          "the chart complete on the date, else 'no data'")
    _group_option(sub, "only its members as of the date")
    _formats(sub, "text", "json")


def _actors_command(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--all", action="store_true",
                     help="every actor the store knows, with or without events")
    _formats(sub, "text", "json", "csv")


def _instruments_command(sub: argparse.ArgumentParser) -> None:
    _formats(sub, "text", "json", "csv")


def _votes_command(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("resolution", metavar="RESOLUTION",
                     help="the resolution's symbol, as the record writes it: A/RES/74/247")
    sub.add_argument("--group", metavar="GROUP",
                     help="only its members' votes (members on the day of the vote): EU...")
    _known_at(sub)
    _formats(sub, "text", "json", "jsonl", "csv")


def _export_command(sub: argparse.ArgumentParser) -> None:
    _actors_argument(sub, "only events about them", required=False)
    _window(sub)
    sub.add_argument("--title", help="the TimelineJS title slide's headline")
    _formats(sub, "timelinejs", "json", "jsonl", "csv")


def _import_command(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("stray", nargs="?", metavar="SRC", help=argparse.SUPPRESS)
    sub.add_argument("--into", required=True, metavar="DST",
                     help="the new store: .sqlite/.db for SQLite, .jsonl, a postgresql:// "
                          "URL, else a folder")


def _plot_command(sub: argparse.ArgumentParser) -> None:
    _actors_argument(sub, "a lane each")
    sub.add_argument("--instrument", metavar="ID",
                     help="draw each actor's status towards this instrument")
    _window(sub)
    sub.add_argument("-o", "--output", required=True, type=_picture, metavar="FILE",
                     help="where to write the chart: FILE.svg or FILE.png (a new file)")
    sub.add_argument("--force", action="store_true",
                     help="replace FILE if it exists (a symbolic link there is replaced, "
                          "not followed)")


def _heatmap_command(sub: argparse.ArgumentParser) -> None:
    _actors_argument(sub, "a row each", required=False)
    sub.add_argument("--group", metavar="GROUP",
                     help="a row per member of this group as of --until (EU...)")
    _window(sub)
    sub.add_argument("--topic", action="append", metavar="TOPIC",
                     help="only roll calls on this topic (repeatable)")
    sub.add_argument("-o", "--output", required=True, type=_picture, metavar="FILE",
                     help="where to write the picture: FILE.svg or FILE.png (a new file)")
    sub.add_argument("--force", action="store_true", help="replace FILE if it exists")


def _site_command(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("out", metavar="OUT", help="the site's folder: new, empty, or a site "
                                                "this command wrote before (replaced whole)")
    sub.add_argument("--today", type=_date, metavar="DATE",
                     help="the day the pages' date controls show first (default: today)")


def _group_option(sub: argparse.ArgumentParser, what: str) -> None:
    sub.add_argument("--group", metavar="GROUP", help=f"a group (EU...): {what}")


def _filter_options(sub: argparse.ArgumentParser) -> None:
    """The filters of `Timeline.events` (`Filters`), each an option."""
    sub.add_argument("--text", metavar="TEXT",
                     help="only events whose words hold every word of TEXT")
    for name, example in (("topic", "ict-security"), ("instrument", "'Budapest Convention'"),
                          ("resolution", "A/RES/74/247"), ("body", "UNGA"),
                          ("tag", "cybercrime")):
        sub.add_argument(f"--{name}", action="append", metavar=name.upper(),
                         dest=f"filter_{name}",
                         help=f"only events of this {name} ({example}; repeatable: any)")
    _group_option(sub, "only events about its members as of --until")
    sub.add_argument("--recorded-since", type=_date, metavar="DATE",
                     help="only events that entered the record from this date (rule 7)")
    sub.add_argument("--recorded-until", type=_date, metavar="DATE",
                     help="only events that entered the record by this date (rule 7)")


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    """The filters given to a command, as `Timeline.events` takes them."""
    found = {name: getattr(args, f"filter_{name}", None)
             for name in ("topic", "instrument", "resolution", "body", "tag")}
    for name in ("text", "group", "recorded_since", "recorded_until"):
        found[name] = getattr(args, name, None)
    return {k: v for k, v in found.items() if v is not None}


def _agreement_command(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("actors", nargs="*", metavar="ACTOR",
                     help="two actors or more, by id or name (CAN, can, 'Republic of Korea', "
                          "EU...): every pair of them (or none, with --group)")
    sub.add_argument("--group", metavar="GROUP",
                     help="every member of this group as of --until (EU...): every pair")
    _window(sub)
    sub.add_argument("--topic", action="append", metavar="TOPIC",
                     help="only roll calls on this topic (repeatable): human-rights, "
                          "ict-security...")
    sub.add_argument("--measure", choices=("agree", "identical", "s"), default="agree",
                     help="agree: identical votes, abstention as half (default); identical: "
                          "identical votes only; s: Signorino and Ritter's S score")
    sub.add_argument("--by", choices=("year", "session"),
                     help="a score per year or per General Assembly session")
    sub.add_argument("--plot", type=_picture, metavar="FILE",
                     help="also draw the scores over time (with --by) into a new FILE.svg "
                          "or FILE.png")
    sub.add_argument("--format", choices=("text", "json", "csv"), default="text",
                     help="what to print: text, json, csv (default: text)")



_SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "validate": ("check every file of the store; list every problem", _validate_command),
    "position": ("actors' positions as of a date", _position_command),
    "changelog": ("what changed in actors' positions, with sources", _changelog_command),
    "timeline": ("the events, one a line or row", _timeline_command),
    "search": ("the events whose words hold every word of TEXT", _search_command),
    "compare": ("actors' positions side by side, what differs first", _compare_command),
    "diff": ("how actors' positions differ between two dates", _diff_command),
    "status": ("every actor's status towards an instrument, as of a date", _status_command),
    "actors": ("the actors the store's events name, with their names and how many events "
               "each", _actors_command),
    "instruments": ("the instruments the store knows, with their names and how many events "
                    "each", _instruments_command),
    "votes": ("a resolution's vote: date, title, tally and every state's vote",
              _votes_command),
    "agreement": ("how often actors voted alike, pair by pair (abstention as half, or the S "
                  "score)", _agreement_command),
    "export": ("the events for other tools: TimelineJS, JSON, JSON Lines, CSV",
               _export_command),
    "import": ("copy the store (--events, else the bundled dataset) into a new folder, JSON "
               "Lines, SQLite or PostgreSQL store", _import_command),
    "plot": ("draw a swimlane chart (needs the plot extra: matplotlib)", _plot_command),
    "heatmap": ("draw actors' votes as a heatmap, states x roll calls (needs the plot extra: "
                "matplotlib)", _heatmap_command),
    "site": ("the dataset as a static website: plain files that work from disk",
             _site_command),
}
"""Each command on a store: its help line and what adds its arguments, in --help's order."""

IMPORT_COMMAND_NAMES = ("import-votes", "import-chart")
"""The commands of `cybertimeline._cli_imports`, which open their own store (``--into``)."""

def _picture(text: str) -> str:
    if not text.lower().endswith((".svg", ".png")):
        raise argparse.ArgumentTypeError(f"{text!r} must end in .svg or .png")
    return text


def load(path: str | None = None) -> Timeline:
    """`cybertimeline.load`, imported when a command first opens a store."""
    from cybertimeline._timeline.loading import load as loaded

    return loaded(path)


COMMAND_COLLECTION_THRESHOLD = 50_000
"""How many more objects made than freed start a collection while a command runs (Python's
default: 700). A command makes its objects in bursts (a position's entries, a page of
rows) that live until it ends: collecting every 700 of them walks each burst again and
again (about 2% of a `position`'s instructions). Cyclic garbage, rare, still goes: the
collections still run, fewer of them."""


def _opened(path: str | None) -> Timeline:
    """`_open`, the cyclic garbage collector paused, and what the process then holds frozen
    out of its later collections: the modules a command imports and the store it opens are
    many objects and no garbage, which each collection during the command would walk again
    (milliseconds of a `position`). `main` thaws it, unless something was frozen before it
    started (`python -m cybertimeline` freezes its imports: that process ends with it).
    Then collections come every `COMMAND_COLLECTION_THRESHOLD` objects (`main` restores
    the thresholds it found)."""
    running = gc.isenabled()
    gc.disable()
    try:
        opened = _open(path)
        gc.freeze()  # before collections resume: else the first would walk it all
        gc.set_threshold(COMMAND_COLLECTION_THRESHOLD)
    finally:
        if running:
            gc.enable()
    return opened


def _open(path: str | None) -> Timeline:
    # --events "" is a mistake (refused by load); an empty variable is no variable.
    return load(path if path is not None else os.environ.get(ENVIRONMENT_VARIABLE) or None)


UNSAFE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
"""What `printable` escapes: control characters but newline and tab, and the bidirectional
marks and overrides."""


def printable(text: str) -> str:
    """Text safe to print: control characters (but newline and tab) and bidirectional
    overrides written as ``\\uXXXX``, which is also how JSON writes them (so JSON stays JSON)."""
    if text.replace("\n", "").replace("\t", "").isprintable():
        return text  # nothing to escape (each of them is unprintable): no pattern compiled
    return re.sub(UNSAFE, lambda found: f"\\u{ord(found.group()):04x}", text)


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


# -- commands --------------------------------------------------------------------------------


_BASES: dict[RecordedBasis, str] = {
    "recorded": "given as 'recorded'",
    "published": "from a source's 'published'",
    "date": "from the event's date",
}


def _validate(timeline: Timeline, _args: argparse.Namespace) -> str:
    from cybertimeline._model.wording import counted

    timeline.validate()
    head = f"{timeline.location}: {counted(len(timeline), 'event')}, all valid"
    bases = Counter(e.recorded_basis for e in timeline.events(include_corrected=True))
    if not bases:
        return head
    parts = ", ".join(f"{bases[basis]} {words}" for basis, words in _BASES.items())
    return f"{head}\n  knowledge dates (rule 7): {parts}"


def _each(texts: list[str]) -> str:
    return "\n\n".join(texts)


def _one_or_list(values: list[Any]) -> Any:
    """One actor's JSON as it is; several actors' as a list, in the order asked."""
    return values[0] if len(values) == 1 else values


def _position(timeline: Timeline, args: argparse.Namespace) -> str:
    positions = [timeline.position(actor, as_of=args.as_of, known_at=args.known_at,
                                   possible=args.possible) for actor in args.actors]
    if args.format == "json":
        return _json(_one_or_list([p.to_dict() for p in positions]))
    return _each([p.text(full=args.all) for p in positions])


def _changelog(timeline: Timeline, args: argparse.Namespace) -> str:
    log = timeline.changelog(args.actors or None, since=args.since, until=args.until,
                             known_at=args.known_at, **_filters(args))
    return _json(log.to_dict()) if args.format == "json" else str(log)


def _timeline(timeline: Timeline, args: argparse.Namespace) -> str:
    from cybertimeline._reports.rows import event_row

    listing = timeline.listing(args.actors or None, args.kind, since=args.since,
                               until=args.until, known_at=args.known_at, **_filters(args))
    if args.format != "text":
        return _rows([event_row(e, listing.actor) for e in listing], args.format)
    return str(listing)


def _rows(rows: list[dict[str, Any]], form: str) -> str:
    if form == "json":
        return _json(rows)
    if form == "jsonl":
        return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    from cybertimeline._reports.rows import write_csv

    buffer = io.StringIO()
    write_csv(rows, buffer)
    return buffer.getvalue().rstrip("\n")


def _diff(timeline: Timeline, args: argparse.Namespace) -> str:
    from cybertimeline._model.wording import Words
    from cybertimeline._projections.sentences import diff_text
    from cybertimeline._reports.changes import diff_positions

    found = []
    for actor in args.actors:
        before = timeline.position(actor, as_of=args.first, known_at=args.known_at)
        after = timeline.position(actor, as_of=args.second, known_at=args.known_at)
        found.append((actor, diff_positions(before, after)))
    if args.format == "json":
        return _json(_one_or_list([
            {"actor": actor, "from": str(args.first), "to": str(args.second),
             "known_at": None if args.known_at is None else str(args.known_at),
             "changes": [c.to_dict() for c in changes]} for actor, changes in found]))
    words = Words(timeline.registry)
    return _each([diff_text(changes, words, actor, args.first, args.second, args.known_at)
                  for actor, changes in found])


def _compare(timeline: Timeline, args: argparse.Namespace) -> str:
    found = timeline.compare(args.actors, as_of=args.as_of, known_at=args.known_at,
                             possible=args.possible)
    if args.format == "json":
        return _json(found.to_dict())
    if args.format == "html":
        return found._repr_html_()
    return found.text(full=args.all)


def _resolution_events(timeline: Timeline, args: argparse.Namespace) -> Iterator[Event]:
    return (e for e in timeline.events(kind=("vote", "adoption"), known_at=args.known_at)
            if getattr(e, "resolution", None) == args.instrument)


def _votes(timeline: Timeline, args: argparse.Namespace) -> str:
    view = timeline.resolution(args.resolution, known_at=args.known_at, group=args.group)
    if args.format == "json":
        return _json(view.to_dict())
    if args.format == "text":
        return str(view)
    from cybertimeline._reports.resolutions import RESOLUTION_ROW_FIELDS
    from cybertimeline._reports.rows import write_csv

    rows = view.rows()
    if args.format == "jsonl":
        return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    buffer = io.StringIO()
    write_csv(rows, buffer, RESOLUTION_ROW_FIELDS)
    return buffer.getvalue().rstrip("\n")


def _status(timeline: Timeline, args: argparse.Namespace) -> str:
    if (args.instrument not in timeline.registry.instruments
            and timeline.registry.has_instrument(args.instrument)
            and any(True for _ in _resolution_events(timeline, args))):
        # a UN symbol that a vote or adoption names: the resolution's own view
        view = timeline.resolution(args.instrument, known_at=args.known_at)
        return _json(view.to_dict()) if args.format == "json" else str(view)
    chart = timeline.status(args.instrument, as_of=args.as_of, known_at=args.known_at,
                            possible=args.possible, all_actors=args.all, group=args.group)
    return _json(chart.to_dict()) if args.format == "json" else str(chart)


def _export(timeline: Timeline, args: argparse.Namespace) -> str:
    from cybertimeline._reports.rows import event_row

    if args.format == "timelinejs":
        return _json(timeline.to_timelinejs(args.actors or None, since=args.since,
                                            until=args.until, known_at=args.known_at,
                                            title=args.title))
    listing = timeline.listing(args.actors or None, since=args.since, until=args.until,
                               known_at=args.known_at)
    return _rows([event_row(e, listing.actor) for e in listing], args.format)


def _agreement(timeline: Timeline, args: argparse.Namespace) -> str:
    found = timeline.agreement(*args.actors, group=args.group, since=args.since,
                               until=args.until, known_at=args.known_at, topic=args.topic,
                               measure=args.measure, by=args.by)
    if args.plot is not None:
        try:
            figure = found.plot()
        except ImportError as exc:
            raise TimelineError(str(exc)) from None
        except TypeError as exc:
            raise TimelineError(f"--plot: {exc}") from None
        _save(figure.savefig, Path(args.plot), force=False)
    if args.format == "json":
        return _json(found.to_dict())
    if args.format == "csv":
        from cybertimeline._reports.agreement import AGREEMENT_FIELDS
        from cybertimeline._reports.rows import write_csv

        buffer = io.StringIO()
        write_csv(found.rows(), buffer, AGREEMENT_FIELDS)
        return buffer.getvalue().rstrip("\n")
    return str(found)


def _search(timeline: Timeline, args: argparse.Namespace) -> str:
    return _timeline(timeline, args)


def _listed(rows: list[dict[str, Any]], form: str, fields: Sequence[str]) -> str:
    from cybertimeline._model.wording import aligned
    from cybertimeline._reports.rows import write_csv

    if form == "json":
        return _json(rows)
    if form == "csv":
        buffer = io.StringIO()
        write_csv(rows, buffer, fields)
        return buffer.getvalue().rstrip("\n")
    return "\n".join(aligned([[f.upper() for f in fields],
                               *(["" if r[f] is None else str(r[f]) for f in fields]
                                 for r in rows)]))


def _actors(timeline: Timeline, args: argparse.Namespace) -> str:
    counts = Counter(a for e in timeline.events() for a in e.involved)
    chosen = timeline.registry.actors if args.all else sorted(counts)
    rows = [{"id": a, "name": timeline.registry.name(a),
             "type": timeline.registry.actors[a].type if a in timeline.registry.actors else None,
             "events": counts[a]} for a in sorted(chosen)]
    return _listed(rows, args.format, ("id", "name", "type", "events"))


def _instruments(timeline: Timeline, args: argparse.Namespace) -> str:
    counts = Counter(getattr(e, "instrument", None) for e in timeline.events())
    rows = [{"id": i.id, "short": i.short, "title": i.title, "events": counts[i.id]}
            for i in sorted(timeline.registry.instruments.values(), key=lambda i: i.id)]
    return _listed(rows, args.format, ("id", "short", "events", "title"))


def _import(timeline: Timeline, args: argparse.Namespace) -> str:
    from cybertimeline._model.wording import counted
    from cybertimeline._timeline.loading import copy_into

    copy = copy_into(timeline, args.into)
    return f"{copy.location}: {counted(len(copy), 'event')} copied from {timeline.location}"


def _plot(timeline: Timeline, args: argparse.Namespace) -> str:
    try:
        chart = timeline.plot(args.actors, args.instrument, since=args.since,
                              until=args.until, known_at=args.known_at)
    except ImportError as exc:
        raise TimelineError(str(exc)) from None
    path = Path(args.output)
    _save(chart.save, path, force=args.force)
    return f"{path}: {len(chart.actors)} lanes, {len(chart.spans)} spans, {len(chart.marks)} marks"


def _heatmap(timeline: Timeline, args: argparse.Namespace) -> str:
    try:
        found = timeline.vote_map(*args.actors, group=args.group, since=args.since,
                                  until=args.until, known_at=args.known_at, topic=args.topic)
    except ImportError as exc:
        raise TimelineError(str(exc)) from None
    path = Path(args.output)
    _save(found.save, path, force=args.force)
    return (f"{path}: {len(found.actors)} actors x {len(found.roll_calls)} roll calls, "
            f"{found.dates[0]} to {found.dates[-1]}")


def _save(save: Callable[[Path], object], path: Path, *, force: bool) -> None:
    """Draw a picture by ``save`` into a temporary file, then put it at ``path``: a new file
    unless ``force`` (which replaces a link there, never writes through it)."""
    from cybertimeline._stores.atomic import publish

    if not force and os.path.lexists(path):
        raise TimelineError(f"{path}: already exists: choose another name, or give --force "
                            f"to replace it")
    temporary = path.parent / f".{path.name}.{os.urandom(6).hex()}.partial{path.suffix}"
    try:
        save(temporary)
        if force:
            os.replace(temporary, path)
        else:
            publish(temporary, path)
    except FileExistsError:
        raise TimelineError(f"{path}: appeared while the chart was drawn; it was left as it "
                            f"is: choose another name, or give --force") from None
    finally:
        temporary.unlink(missing_ok=True)


def _site(timeline: Timeline, args: argparse.Namespace) -> str:
    from cybertimeline._reports.website import build_site

    return str(build_site(timeline, args.out, today=args.today))


_COMMANDS: dict[str, Callable[[Timeline, argparse.Namespace], str]] = {
    "validate": _validate, "position": _position, "changelog": _changelog,
    "timeline": _timeline, "diff": _diff, "compare": _compare, "status": _status,
    "export": _export,
    "votes": _votes, "agreement": _agreement, "search": _search, "actors": _actors,
    "instruments": _instruments,
    "import": _import, "plot": _plot, "heatmap": _heatmap, "site": _site,
}


def _resolve_actors(timeline: Timeline, args: argparse.Namespace) -> None:
    """Actor arguments as researchers write them (``can``, ``Republic of Korea``) become ids,
    by `Registry.resolve`."""
    if getattr(args, "actor", None):
        args.actor = timeline.registry.resolve(args.actor)
    if getattr(args, "actors", None):
        args.actors = [timeline.registry.resolve(a) for a in args.actors]
    if getattr(args, "instrument", None):
        args.instrument = timeline.registry.resolve_instrument(args.instrument)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _wrong_usage(args: argparse.Namespace) -> str | None:
    """What is wrong with arguments that each parse (dates the wrong way round, a store named
    where import cannot take it), or None."""
    since, until = getattr(args, "since", None), getattr(args, "until", None)
    if since is not None and until is not None and since.earliest > until.latest:
        return f"--since {since} is after --until {until}: swap them"
    if args.command == "import" and args.stray is not None:
        return (f"import copies the store every command reads: name it with --events "
                f"(cybertimeline --events {args.stray} import --into {args.into})")
    if args.command == "diff" and args.first.latest > args.second.latest:
        return f"{args.first} is after {args.second}: give the earlier date first"
    return None


def _run(args: argparse.Namespace) -> str:
    """The output of the command: an import, or a command on the store it opens."""
    if args.command in IMPORT_COMMAND_NAMES:
        from cybertimeline._cli_imports import IMPORT_COMMANDS

        return IMPORT_COMMANDS[args.command](args)
    with _opened(getattr(args, "events", None)) as opened:
        stored_by = getattr(args, "stored_by", None)
        timeline = opened if stored_by is None else opened.as_stored(stored_by)
        _resolve_actors(timeline, args)
        if "as_of" in args and args.as_of is None:
            args.as_of = Date.from_date(timeline.today())
        return _COMMANDS[args.command](timeline, args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 bad data or actor, 2 bad usage)."""
    try:
        given = sys.argv[1:] if argv is None else argv
        args = _parser(_command_named(given)).parse_args(given)
    except _UsageError as exc:
        print(_one_line(str(exc)), file=sys.stderr)
        return 2
    except SystemExit as exit_:  # --help
        return int(exit_.code or 0)
    wrong = _wrong_usage(args)
    if wrong is not None:
        print(f"error: {wrong}", file=sys.stderr)
        return 2
    frozen, thresholds = gc.get_freeze_count(), gc.get_threshold()
    try:
        print(printable(_run(args)))
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
    finally:
        gc.set_threshold(*thresholds)
        if not frozen:
            gc.unfreeze()  # what `_opened` froze is collected again, as before the command
    return 0
