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


_MEANINGS = ("signature", "consent", "in force", "withdrawal")


@attrs.define
class _ChartReader:
    """One reading of a chart: the acts, gone acts and problems found so far, row by row."""

    file: Path
    instrument: str
    source: Source
    registry: Registry
    chart_day: Date | None
    given: Mapping[str, str]
    columns: dict[str, str]
    events: list[Event] = attrs.field(factory=list)
    gone: list[tuple[str, Date | None, Source, str]] = attrs.field(factory=list)
    problems: list[Problem] = attrs.field(factory=list)
    seen: dict[str, int] = attrs.field(factory=dict)
    inferred: int = 0
    cells: int = 0

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(message=message, file=self.file, line=line))

    def read_row(self, line: int, row: Mapping[str, str]) -> None:
        """The acts of one state's row; its problems at ``line``."""
        written = row[self.columns["state"]]
        actor = self._actor(line, written)
        if actor is None:
            return
        cited = attrs.evolve(self.source, locator=f"row {written}",
                             published=self.source.published or self.chart_day)
        days: dict[str, Date] = {}
        for meaning in _MEANINGS:
            if meaning in self.columns:
                day = self._cell(line, row, meaning, actor, written, cited)
                if day is not None:
                    days[meaning] = day
        disorder = _in_force_too_early(days)
        if disorder is not None:
            self.problem(line, f"{written}: {disorder}: check the row")

    def _actor(self, line: int, written: str) -> str | None:
        """The actor a row names, or None (and a problem) if unknown or seen before."""
        name_match = _FOOTNOTE.match(written)
        name = name_match["name"] if name_match else written
        try:
            actor = self.given.get(name) or self.given.get(written) or self.registry.resolve(name)
        except TimelineError as exc:
            self.problem(line, f"{exc}; or map it: --map '{name}=ACTOR' (in Python, "
                               f"names={{{name!r}: 'ACTOR'}})")
            return None
        if actor in self.seen:
            self.problem(line, f"{written!r} is {actor} again (first at line "
                               f"{self.seen[actor]}): one row per state")
            return None
        self.seen[actor] = line
        return actor

    def _cell(self, line: int, row: Mapping[str, str], meaning: str, actor: str, written: str,
              cited: Source) -> Date | None:
        """The act of one filled cell, appended, and its day; None for an empty cell (an act
        gone, if it was stored) or a problem."""
        column = self.columns[meaning]
        base = f"{_slug(actor)}-{_slug(meaning)}-{_slug(self.instrument)}"
        cell = row[column]
        if not cell:  # a chart that no longer shows the act (if it was stored)
            reason = f"{self.source.title} no longer gives the {meaning} of {written}"
            self.gone.append((base, self.chart_day, cited, reason))
            return None
        self.cells += 1
        text, mark = split_mark(cell)
        try:
            day = chart_date(text)
            kind = self._consent(row, mark) if meaning == "consent" else _ROLES[meaning]
        except (DateError, ValueError) as exc:
            self.problem(line, f"{written}, {column}: {exc}")
            return None
        if self.chart_day is not None and meaning not in _ANNOUNCED and \
                day.earliest > self.chart_day.latest:
            self.problem(line, f"{written}, {column}: {day} is after the chart's date "
                               f"{self.chart_day}")
            return None
        self.events.append(KINDS[kind](id=base, date=day, actor=actor,  # type: ignore[call-arg]
                                       instrument=self.instrument, sources=[cited]))
        return day

    def _consent(self, row: Mapping[str, str], mark: str | None) -> str:
        """The kind of a consent: its mark, its consent-type column (they must agree), else a
        ratification where the state signed and an accession where it did not."""
        typed = row.get(self.columns.get("consent type", ""), "")
        if typed:
            stated = consent_kind(typed)
            if mark is not None and mark != stated:
                raise ValueError(f"the mark says {mark}, the consent type {stated}")
            return stated
        if mark is not None:
            return mark
        self.inferred += 1
        signed = bool(row.get(self.columns.get("signature", ""), ""))
        return "ratification" if signed else "accession"

    def notes(self, ignored: list[str]) -> tuple[str, ...]:
        """What a reader should know of the chart: columns not read, consents inferred."""
        notes = []
        if ignored:
            notes.append(f"columns not read: {', '.join(ignored)}")
        if self.inferred:
            notes.append(f"{self.inferred} consents without a mark or type read as "
                         f"ratifications where the state signed, else accessions")
        return tuple(notes)


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
    file = Path(path)
    with open_table(file) as table:
        columns, ignored = _columns(table.header)
        if "state" not in columns or len(columns) < 2:
            table.require(["state", "signature"], "a treaty chart")
        reader = _ChartReader(
            file=file, instrument=instrument, source=source, registry=registry,
            chart_day=None if as_of is None else Date.coerce(as_of),
            given={name: registry.resolve(actor) for name, actor in (names or {}).items()},
            columns=columns)
        for line, row in table.rows():
            reader.read_row(line, row)
    if reader.problems:
        raise ValidationError(reader.problems)
    return ChartRead(tuple(reader.events), tuple(reader.gone), reader.cells,
                     reader.notes(ignored))


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
