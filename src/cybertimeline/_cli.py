"""The ``cybertimeline`` command."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from ._dates import Date
from ._errors import DateError, TimelineError, ValidationError
from ._loading import load
from ._position import Position
from ._timeline import Timeline

__all__ = ["main"]


class _UsageError(Exception):
    """Bad usage: exit code 2."""


def _date(text: str) -> Date:
    try:
        return Date.parse(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cybertimeline",
        description="Dated, sourced events of cyber diplomacy, and positions as of any date.",
    )
    parser.add_argument(
        "--events", metavar="PATH",
        help="the store to read (default: $CYBERTIMELINE_EVENTS, else the bundled dataset)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("validate", help="check every file of the store; list every problem")
    position = commands.add_parser("position", help="an actor's position as of a date")
    position.add_argument("actor", help="an actor id: CAN, KOR, EU...")
    position.add_argument("--as-of", type=_date, required=True, metavar="DATE")
    position.add_argument("--known-at", type=_date, metavar="DATE")
    position.add_argument("--possible", action="store_true",
                          help="count events that had started by the date, not only settled ones")
    position.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _open(path: str | None) -> Timeline:
    path = path or os.environ.get("CYBERTIMELINE_EVENTS") or None
    return load(path)


def _render_position(timeline: Timeline, position: Position) -> str:
    registry = timeline.registry
    head = f"{registry.name(position.actor)} ({position.actor}) as of {position.as_of}"
    if position.known_at is not None:
        head += f", as known at {position.known_at}"
    lines = [head]
    sources: dict[object, int] = {}

    def cite(*events: object) -> str:
        numbers = []
        for event in events:
            for source in getattr(event, "sources", ()):
                numbers.append(sources.setdefault(source, len(sources) + 1))
        return " " + "".join(f"[{n}]" for n in dict.fromkeys(numbers)) if numbers else ""

    if position.treaties:
        lines.append("Treaties")
        for instrument, status in sorted(position.treaties.items()):
            dates = ", ".join(
                f"{label} {value}" for label, value in (
                    ("signed", status.signed), (status.consent or "consented", status.consented),
                    ("in force", status.in_force), ("withdrawn", status.withdrawn))
                if value is not None
            )
            lines.append(f"  {registry.label(instrument):<60} {status.status:<10} {dates}"
                         f"{cite(*status.events)}")
    if position.votes:
        lines.append("Votes")
        for resolution, vote in sorted(position.votes.items()):
            lines.append(f"  {resolution:<20} {vote.option:<8} {vote.date}{cite(vote.event)}")
    if position.stances:
        lines.append("Stances")
        for topic, stance in sorted(position.stances.items()):
            lines.append(f"  {topic:<30} {stance.stance:<9} {stance.date}{cite(stance.event)}")
    if position.memberships:
        lines.append("Memberships")
        for group, held in sorted(position.memberships.items()):
            lines.append(f"  {group:<10} {held.role or 'member':<10} since {held.since}"
                         f"{cite(held.event)}")
    if position.members:
        lines.append(f"Members ({len(position.members)})")
        lines.append("  " + " ".join(sorted(position.members)))
    for title, entries in (("Sessions", position.sessions), ("Legislation", position.legislation),
                           ("Adoptions", position.adoptions), ("Cooperation", position.cooperation)):
        if entries:
            lines.append(title)
            for entry in entries:
                lines.append(f"  {_describe(entry)}{cite(entry.event)}")
    if position.is_empty:
        lines.append("  (no events by this date)")
    if sources:
        lines.append("Sources")
        for source, number in sources.items():
            title = getattr(source, "title", "")
            publisher = getattr(source, "publisher", None)
            url = getattr(source, "url", None)
            lines.append(f"  [{number}] {title}" + (f", {publisher}" if publisher else "")
                         + (f" <{url}>" if url else ""))
    return "\n".join(lines)


def _describe(entry: object) -> str:
    date = getattr(entry, "date", None) or getattr(entry, "since", None)
    parts = [str(date)]
    for name in ("status", "title", "resolution", "instrument", "location", "form"):
        value = getattr(entry, name, None)
        if value:
            parts.append(str(value))
    others = getattr(entry, "with_", None)
    if others:
        parts.append("with " + ", ".join(others))
    return "  ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 bad data or actor, 2 bad usage)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        timeline = _open(args.events)
        if args.command == "validate":
            print(f"{timeline.location}: {len(timeline)} events, all valid")
            return 0
        position = timeline.position(args.actor, args.as_of, args.known_at, args.possible)
        if args.format == "json":
            print(json.dumps(position.to_dict(), indent=2, ensure_ascii=False))
        else:
            print(_render_position(timeline, position))
        return 0
    except ValidationError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except TimelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
