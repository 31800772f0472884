"""The sections of a position as data: one `SectionSpec` per section, in one table.

A kind declares the sections it writes (`Write`); a section's spec says, once,
everything the library needs of it: how an entry is made from an event, whether
entries are keyed (the latest of a key wins) or listed (one per event), its
title and nouns, the one word of an entry (a vote's option: what frames, badges,
colours and plots show), the colours of those words, the mark a plot draws, and,
where the defaults do not do, how it reads in text, HTML and a changelog. The
projection, prefixes, text, HTML, JSON, changelogs, diffs, frames, plots and the
site read this table; none of them names a section.

Register a new section with `register_section`; the built-in ones are in
`cybertimeline._projections.section_table`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Literal, Protocol

import attrs

from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.palette import add_colours
from cybertimeline._model.registry import Registry
from cybertimeline._model.vocabulary import COLUMNAR
from cybertimeline._model.wording import Citations, Words

__all__ = ["RESERVED", "KeyNames", "Page", "SectionChange", "SectionSpec", "empties", "entries_in",
           "register_section", "section_spec", "sections", "when"]

KeyNames = Literal["instrument", "resolution", "topic", "actor", "event"]
"""What the key of a section's entries names: a listed section's is its event's id."""


class Page(Protocol):
    """Where a section renders itself: a position's text or HTML (`_projections.text`)."""

    registry: Registry
    words: Words
    cites: Citations
    full: bool
    html: bool
    """Whether it is HTML (a notebook's tables), not text (the command line's)."""
    position: Any
    """The position rendered (its coverage and ``not_yet_open``, for treaties)."""

    def table(self, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], *,
              hidden: int = 0, latest: bool = False) -> None:
        """Add a table of ``rows``, cut to the first or ``latest`` entries unless full (or
        already cut, ``hidden`` left out)."""

    def cite(self, sources: Any) -> Any:
        """The numbered citations of ``sources``, as the page writes them."""

    def badge(self, value: str) -> Any:
        """A value (a status, an option) as the page writes it: a coloured badge in HTML."""

    def paragraph(self, title: str, text: str) -> None:
        """Add a titled line of text."""


class SectionChange(Protocol):
    """What a section reads of a change to one of its entries (`Change`)."""

    @property
    def section(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def before(self) -> Any: ...
    @property
    def after(self) -> Any: ...
    @property
    def events(self) -> tuple[Any, ...]: ...


Render = Callable[[Page, Any, Any], None]
"""How a section renders itself on a page: ``render(page, spec, entries)``."""


def _frozen(colours: Mapping[str, str]) -> Mapping[str, str]:
    return FrozenDict(colours)


@attrs.frozen(kw_only=True)
class SectionSpec:
    """Everything the library needs of one section of a position, said once.

    Attributes:
        name: The section's name, as kinds write it (`Write.section`) and JSON keys it.
        title: Its heading in text and HTML: ``Votes``.
        noun: One entry in words (``vote``); ``plural`` several (``votes``).
        make: The entry ``actor``'s position holds for an event: ``make(event, actor)``;
            for a keyed section that ``removes``, None removes the key (a membership left).
        keyed: Whether entries are keyed (by the `Write`'s key field; the latest event of
            a key wins) or listed (one per event, in the order folded).
        keys: What a key names (an actor, an instrument...), for links and words.
        value: The entry's field holding its one word (``option``, ``stance``, ``role``),
            which frames, badges, colours, plots and short forms show; None if none.
        blank: The word of an entry whose ``value`` is empty (a membership's role: member).
        colours: A colour for each of those words (added to the shared palette).
        marker: The matplotlib marker a plot draws events writing this section with, in
            the lanes of the actors they write; None: not drawn.
        removes: Whether ``make`` may return None (a keyed section only).
        fields: For an entry seen as several facts (a treaty's ``status``, ``signed``...):
            those fields; else the entry is one fact.
        accumulate: For a keyed section whose entry is made from every event of its key
            (a treaty's status, from all its acts): ``accumulate(events, actor)``.
        by_date: Whether entries are shown and written in the order of their dates (votes),
            not of their keys.
        latest: Whether a long section shows its latest entries (votes), not its first.
        render: How it renders on a page (text and HTML); a table of its entries if None.
        reads: How a change to one of its entries reads in a changelog; the headline of
            the event behind it if None.
    """

    name: str
    title: str
    noun: str
    plural: str
    make: Callable[[Any, str], Any]
    keyed: bool = False
    keys: KeyNames = "event"
    value: str | None = None
    blank: str | None = None
    colours: Mapping[str, str] = attrs.field(default=FrozenDict(), converter=_frozen)
    marker: str | None = None
    removes: bool = False
    fields: tuple[str, ...] = ()
    accumulate: Callable[[Sequence[Any], str], Any] | None = None
    by_date: bool = False
    latest: bool = False
    render: Render | None = None
    reads: Callable[[SectionChange, Words], str] | None = None

    @property
    def columnar(self) -> bool:
        """Whether a timeline reads it as columns of stored writes (`COLUMNAR`)."""
        return self.name in COLUMNAR

    @property
    def empty(self) -> Any:
        """The section with nothing in it: an empty mapping, or an empty tuple."""
        return _EMPTY if self.keyed else ()

    def checked(self, entry: Any, event: Any) -> Any:
        """``entry``, made (`make`, `accumulate`) for ``event``: None only if the section
        `removes` (else a fold would drop the key and prefix positions keep it).

        Raises:
            ValueError: None, and the section does not remove entries.
        """
        if entry is None and not self.removes:
            raise ValueError(f"section {self.name!r} made no entry for event "
                             f"{getattr(event, 'id', event)!r}: register it with "
                             f"removes=True if None removes an entry")
        return entry

    def word(self, entry: Any) -> str | None:
        """The entry's one word (`value`), or None."""
        if self.value is None or entry is None:
            return None
        found = getattr(entry, self.value, None)
        return self.blank if found is None or found == "" else str(found)

    def items(self, entries: Any) -> Iterator[tuple[str, Any]]:
        """``(key, entry)`` of a section's entries as held: a listed entry's key is its
        event's id."""
        if self.keyed:
            return iter(entries.items())
        return ((entry.event_id, entry) for entry in entries)

    def ordered(self, entries: Any) -> Sequence[tuple[str, Any]]:
        """``(key, entry)`` of a section's entries, as shown and written: keyed sections by
        key (or by date: votes), listed ones by event id in the order folded."""
        if not self.keyed:
            return [(entry.event_id, entry) for entry in entries]
        if self.by_date:
            by_date = getattr(entries, "by_date", None)  # a prefix's, sorted where it can be
            if by_date is not None:
                return by_date()  # type: ignore[no-any-return]
            return sorted(entries.items(), key=lambda item: (
                item[1].date.latest, item[1].date.earliest, item[1].event_id))
        return sorted(entries.items())

    def to_json(self, entries: Any) -> Any:
        """The section as JSON: a mapping for a keyed section, a list for a listed one."""
        if self.keyed:
            # From stored columns, in one pass: in the order of their dates, so only where
            # the spec asks for that order (the section may be registered again).
            made = getattr(entries, "stored_json", None) if self.by_date else None
            found = made() if made is not None else None
            if found is not None:
                return found
            return {key: entry.to_dict() for key, entry in self.ordered(entries)}
        return [entry.to_dict() for entry in entries]


_EMPTY: Mapping[str, Any] = FrozenDict()

RESERVED = frozenset({
    # A position's own fields and the other keys of its JSON (`Position.to_dict`)...
    "actor", "as_of", "known_at", "possible", "sections", "coverage", "registry",
    "not_yet_open",
    # ...and its methods: a section named so would hide a JSON key or be no keyword.
    "section", "text", "html", "treaty", "events", "sources", "is_empty", "to_dict",
})
"""Names no section may take (tests/test_new_section.py checks it against `Position`)."""

_NAME = re.compile(r"[a-z][a-z0-9_]*")
"""A section's name: a JSON key, a keyword and the head of a change's path (``votes.X``)."""

_REGISTERING = threading.Lock()
_TABLE: dict[str, SectionSpec] = {}
_SPECS: tuple[SectionSpec, ...] = ()
_EMPTIES: dict[str, Any] = {}
"""Every section with nothing in it, in order: what a position starts from (`empties`)."""


def register_section(spec: SectionSpec) -> SectionSpec:
    """Add a section to the table every output reads (after the sections known so far).

    A kind writing ``spec.name`` (`Write`) then projects, prints, exports, diffs and plots
    with no other change. Registering a spec again under the same name replaces it (its
    place is kept). Only the stores' own sections are columnar (`COLUMNAR`, votes): a new
    section is read from its events.

    Raises:
        ValueError: a name that is not lowercase letters, digits and ``_``, or that a
            position uses for itself (`RESERVED`: ``actor``, ``to_dict``...); a listed
            section that ``removes`` or accumulates; a colour that another
            value already has (`add_colours`).
    """
    if not _NAME.fullmatch(spec.name) or spec.name in RESERVED:
        raise ValueError(f"a section may not be called {spec.name!r}: give it a name of "
                         f"lowercase letters, digits and _ that is not one of a position's "
                         f"own ({', '.join(sorted(RESERVED))})")
    if not spec.keyed and (spec.removes or spec.accumulate is not None):
        raise ValueError(f"section {spec.name!r} is listed: only a keyed section removes "
                         f"or accumulates entries")
    with _REGISTERING:  # else two threads' registrations could each drop the other's
        add_colours(spec.colours, spec.name)
        _TABLE[spec.name] = spec
        _changed()
    return spec


def _changed() -> None:
    """Make again what is read of the table at every position made (`sections`, `empties`)."""
    global _SPECS, _EMPTIES
    _SPECS = tuple(_TABLE.values())
    _EMPTIES = {spec.name: spec.empty for spec in _SPECS}


def sections() -> tuple[SectionSpec, ...]:
    """Every section registered, in order: how a position lists and writes them."""
    return _SPECS


def empties() -> dict[str, Any]:
    """Every registered section with nothing in it, by name, in order (a new dict)."""
    return dict(_EMPTIES)


def section_spec(name: str) -> SectionSpec:
    """The spec of the section ``name``.

    Raises:
        KeyError: no section of that name is registered (with how to register one).
    """
    found = _TABLE.get(name)
    if found is None:
        raise KeyError(f"no section {name!r} is registered: a kind writing it needs "
                       f"cybertimeline.register_section(cybertimeline.SectionSpec(name="
                       f"{name!r}, ...)) (known: {', '.join(_TABLE)})")
    return found


def entries_in(spec: SectionSpec, entries: Any) -> Iterator[Any]:
    """The entries of a section, keyed or listed."""
    return iter(entries.values() if spec.keyed else entries)


def when(entry: Any) -> str:
    """An entry's date (``date``, else ``since``) as text."""
    return str(getattr(entry, "date", None) or getattr(entry, "since", ""))
