"""Treaty charts into a store: a row per state, a treaty act per filled cell.

A chart saved as CSV has a column of states (their names as the chart writes
them: resolved with `Registry.resolve`) and columns of dates: signature,
consent to be bound (ratification, or the kind its mark or a consent-type
column says), entry into force, withdrawal. Each filled cell becomes a treaty
act citing the chart and its row; a chart declared complete to its date also
declares the instrument's coverage (rule 10).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import attrs

from cybertimeline._importers.cells import chart_date, consent_kind, split_mark
from cybertimeline._importers.records import ImportReport, plan_import
from cybertimeline._importers.tables import open_table
from cybertimeline._model.dates import Date, DateLike
from cybertimeline._model.events import KINDS, Event
from cybertimeline._model.registry import Coverage, Instrument, Registry
from cybertimeline._model.sources import Source
from cybertimeline._timeline.timeline import Timeline
from cybertimeline.errors import (
    DateError,
    Problem,
    TimelineError,
    UnknownInstrumentError,
    ValidationError,
)

__all__ = ["COLUMNS", "ChartRead", "import_chart", "read_chart"]

COLUMNS: Mapping[str, tuple[str, ...]] = {
    "state": ("state", "states", "participant", "participants", "country", "member state",
              "member states", "party", "parties"),
    "signature": ("signature", "signatures", "signed", "date of signature"),
    "consent": ("consent", "consent to be bound", "ratification", "ratifications",
                "ratification acceptance approval accession succession"),
    "consent type": ("consent type", "type of consent", "type", "kind"),
    "in force": ("entry into force", "in force", "entry in force", "eif"),
    "withdrawal": ("withdrawal", "denunciation", "withdrawn"),
}
"""Each column a chart may have -> the headers that name it (compared without case,
punctuation or marks in brackets: UNTC's "Ratification, Acceptance(A), Approval(AA),
Accession(a), Succession(d)" is the consent column)."""

_ROLES = {"signature": "signature", "in force": "entry_into_force", "withdrawal": "withdrawal"}
_ANNOUNCED = frozenset({"in force", "withdrawal"})
_FOOTNOTE = re.compile(r"^(?P<name>.*?[^\d,*\s])[\s\d,*]*$")


def _header_key(header: str) -> str:
    words = re.sub(r"\([^)]*\)", " ", header).casefold()
    return " ".join(re.sub(r"[^a-z ]+", " ", words.replace("_", " ")).split())


def _columns(header: tuple[str, ...]) -> tuple[dict[str, str], list[str]]:
    """The chart's column for each thing it records, and the columns it does not read."""
    found: dict[str, str] = {}
    ignored: list[str] = []
    for column in header:
        key = _header_key(column)
        meaning = next((m for m, names in COLUMNS.items() if key in names), None)
        if meaning is None and key.startswith("ratification"):
            meaning = "consent"
        if meaning is None or meaning in found:
            ignored.append(column)
        else:
            found[meaning] = column
    return found, ignored


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _in_force_too_early(days: Mapping[str, Date]) -> str | None:
    """What is wrong if a row's entry into force is surely before its signature or consent
    (a state is bound from its entry into force, which follows both)."""
    in_force = days.get("in force")
    for meaning in ("signature", "consent"):
        other = days.get(meaning)
        if in_force is not None and other is not None and in_force.latest < other.earliest:
            return f"entry into force {in_force} is before the {meaning} {other}"
    return None


@attrs.frozen
class ChartRead:
    """The treaty acts read from a chart, and what a reader should know of it."""

    events: tuple[Event, ...]
    gone: tuple[tuple[str, Date | None, Source, str], ...]
    """``(base id, date, source, reason)`` of the acts a listed row no longer shows; the
    date is the chart's, or None if it has none (then the import's day is taken)."""
    cells: int
    notes: tuple[str, ...]


def read_chart(
    path: str | Path,
    instrument: str,
    source: Source,
    *,
    registry: Registry | None = None,
    as_of: DateLike | None = None,
    names: Mapping[str, str] | None = None,
) -> ChartRead:
    """The treaty acts of a chart saved as CSV, without writing them.

    Args:
        path: The CSV file.
        instrument: The instrument's id.
        source: The chart, as each act cites it (its row becomes the locator).
        registry: The actors names may mean (the built-in registry by default).
        as_of: The chart's date: no act but an entry into force or a withdrawal may
            be later.
        names: Names of the chart -> actor ids or names, for names `Registry.resolve`
            does not take: ``{"Kosovo": "XKX"}``.

    Raises:
        ValidationError: every problem (unknown or ambiguous names, dates that are no
            dates, a state twice...) at its line, with how to fix it.
    """
    registry = registry or Registry.builtin()
    chart_day = None if as_of is None else Date.coerce(as_of)
    given = {name: registry.resolve(actor) for name, actor in (names or {}).items()}
    file = Path(path)
    events: list[Event] = []
    gone: list[tuple[str, Date | None, Source, str]] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    inferred = cells = 0
    with open_table(file) as table:
        columns, ignored = _columns(table.header)
        if "state" not in columns or len(columns) < 2:
            table.require(["state", "signature"], "a treaty chart")
        for line, row in table.rows():
            def problem(message: str, at: int = line) -> None:
                problems.append(Problem(message=message, file=file, line=at))

            written = row[columns["state"]]
            name_match = _FOOTNOTE.match(written)
            name = name_match["name"] if name_match else written
            try:
                actor = given.get(name) or given.get(written) or registry.resolve(name)
            except TimelineError as exc:
                problem(f"{exc}; or map it: --map '{name}=ACTOR' (in Python, "
                        f"names={{{name!r}: 'ACTOR'}})")
                continue
            if actor in seen:
                problem(f"{written!r} is {actor} again (first at line {seen[actor]}): one row "
                        f"per state")
                continue
            seen[actor] = line
            cited = attrs.evolve(source, locator=f"row {written}",
                                 published=source.published or chart_day)
            signed = bool(row.get(columns.get("signature", ""), ""))
            days: dict[str, Date] = {}
            for meaning in ("signature", "consent", "in force", "withdrawal"):
                column = columns.get(meaning)
                if column is None:
                    continue
                base = f"{_slug(actor)}-{_slug(meaning)}-{_slug(instrument)}"
                cell = row[column]
                if not cell:  # a chart that no longer shows the act (if it was stored)
                    reason = f"{source.title} no longer gives the {meaning} of {written}"
                    gone.append((base, chart_day, cited, reason))
                    continue
                cells += 1
                text, kind = split_mark(cell)
                try:
                    day = chart_date(text)
                    if meaning == "consent":
                        typed = row.get(columns.get("consent type", ""), "")
                        if typed:
                            stated = consent_kind(typed)
                            if kind is not None and kind != stated:
                                raise ValueError(f"the mark says {kind}, the consent type "
                                                 f"{stated}")
                            kind = stated
                        if kind is None:
                            inferred += 1
                        kind = kind or ("ratification" if signed else "accession")
                    else:
                        kind = _ROLES[meaning]
                except (DateError, ValueError) as exc:
                    problem(f"{written}, {column}: {exc}")
                    continue
                if chart_day is not None and meaning not in _ANNOUNCED and \
                        day.earliest > chart_day.latest:
                    problem(f"{written}, {column}: {day} is after the chart's date {chart_day}")
                    continue
                days[meaning] = day
                events.append(KINDS[kind](id=base, date=day, actor=actor,  # type: ignore[call-arg]
                                          instrument=instrument, sources=[cited]))
            disorder = _in_force_too_early(days)
            if disorder is not None:
                problem(f"{written}: {disorder}: check the row")
    if problems:
        raise ValidationError(problems)
    notes = []
    if ignored:
        notes.append(f"columns not read: {', '.join(ignored)}")
    if inferred:
        notes.append(f"{inferred} consents without a mark or type read as ratifications "
                     f"where the state signed, else accessions")
    return ChartRead(tuple(events), tuple(gone), cells, tuple(notes))


def import_chart(
    timeline: Timeline,
    path: str | Path,
    instrument: str,
    source: Source,
    *,
    as_of: DateLike | None = None,
    complete: bool = False,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
) -> ImportReport:
    """Import a treaty chart saved as CSV into ``timeline``'s store.

    Safe to repeat: an act already stored as it is adds nothing; one whose date or
    kind changed becomes a correction that supersedes it; an act a listed row no
    longer shows is retracted (corrections recorded on the import day; every act public on
    its own date, rule 7, and stamped with the import day). All is written in one
    transaction or file, or nothing is.

    Args:
        timeline: The store to write to.
        path: The CSV file.
        instrument: The instrument's id.
        source: The chart, as each act cites it (its row becomes the locator).
        as_of: The chart's date, as for `read_chart`.
        names: Names of the chart -> actor ids or names, as for `read_chart`.
        complete: Declare that the chart lists every act up to ``as_of`` (rule 10):
            then a state it does not list is "not a signatory" on those days.
        title: The instrument's title, to declare it where the store does not know it.

    Raises:
        ValidationError: as `read_chart`, or the acts do not fit the store.
        UnknownInstrumentError: the store does not know the instrument and no title is given.
        TimelineError: the file cannot be read; ``complete`` without ``as_of``.
    """
    registry = timeline.registry
    declare: list[Instrument] = []
    known = registry.instruments.get(instrument)
    if known is None and title is None:
        try:
            registry.instrument(instrument)
        except UnknownInstrumentError as exc:
            raise UnknownInstrumentError(f"{exc}, or give its title to declare it (title=..., "
                                         f"--instrument-title)") from None
    if known is None:
        known = Instrument(id=instrument, title=title or instrument)
        declare.append(known)
    if complete:
        if as_of is None:
            raise TimelineError("a chart declared complete needs its date (as_of, --as-of)")
        chart_day = Date.coerce(as_of)
        # Public on the chart's own date (its publication), whatever the day of the import.
        coverage = Coverage(complete_until=chart_day,
                            sources=[attrs.evolve(source, published=source.published or
                                                  chart_day)])
        if not any(c.complete_until == chart_day and c.complete_from is None
                   for c in known.coverage):
            declare = [attrs.evolve(known, coverage=(*known.coverage, coverage))]
    read = read_chart(path, instrument, source, registry=registry, as_of=as_of, names=names)
    today = Date.from_date(timeline.today())
    plan = plan_import(timeline, read.events,
                       gone=[(base, day or today, cited, reason)
                             for base, day, cited, reason in read.gone])
    timeline.extend(plan.events, declare=declare)
    return plan.report(timeline, read.cells, declare, read.notes)
