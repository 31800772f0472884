"""An actor's stored writes in one section, as columns: what a position reads of a roll call.

A store keeps each event's writes as rows (`WriteRow`: a ballot is one). The
entries of a columnar section (`COLUMNAR`: one per event, with its key and
detail) are read once, as columns in canonical order (`Entries`); a query for
one actor then reads only that actor's rows, ``(entry, value)``, into a
`Written`, and never decodes the events behind them until an answer asks for
one (its sources, say).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

from cybertimeline._model.sources import sources_json

if TYPE_CHECKING:
    import numpy.typing as npt

    from cybertimeline._model.event import BaseEvent

__all__ = ["Cited", "Entries", "EntryRow", "Ints", "OnKey", "SourcesReader", "Written", "below",
           "listed", "pick", "taken"]

EntryRow = tuple[int, str, dt.date, dt.date, str, str, str | None, str]
"""An entry as a store reads it: ``(event row, event id, latest day, recorded day, EDTF
date, key, detail, sources)``, the event's sources as `sources_json` writes them."""
SourcesReader = Callable[[list[int], list[str]], list[str]]
"""What reads the sources of entries later: given their events' row numbers and ids, in
order, their sources as JSON, in the same order."""


def pick(column: Sequence[Any], places: Sequence[int]) -> list[Any]:
    """``[column[p] for p in places]``, at the speed of C."""
    if not places:
        return []
    if len(places) == 1:
        return [column[places[0]]]
    return list(operator.itemgetter(*places)(column))


def _texts(*columns: Sequence[object]) -> bool:
    """Whether every value of ``columns`` is text (joined: at the speed of C, and faster than
    a set of their types; a query's text is never of a subclass)."""
    try:
        for column in columns:
            "".join(column)  # type: ignore[arg-type]
    except TypeError:
        return False
    return True


class Entries:
    """The entries of every stored event in one columnar section, in canonical order, as
    columns: ``ids``, ``latest``, ``recorded``, ``dates`` describe each entry's event (its
    id, the last day of its date, the day it entered the record, its EDTF text); ``keys``
    and ``details`` the entry (a vote: the resolution and the body); ``sources`` the
    event's sources as JSON (`sources_json`; `sources_of` reads one).

    ``rank`` maps each event's row number in its store to its entry's place. A store may
    leave the sources to be read when first asked for (`of_zipped`'s ``sources``).
    """

    __slots__ = ("_by_key", "_distinct", "_key_counts", "_key_ids", "_key_names",
                 "_read_sources", "_sources", "dates", "details", "ids", "keys", "latest", "rank",
                 "recorded")

    def __init__(self, rows: Iterable[EntryRow] = ()) -> None:
        listed = list(rows)
        self.rank: dict[int, int] = {r[0]: place for place, r in enumerate(listed)}
        self.ids: list[str] = [r[1] for r in listed]
        self.latest: list[dt.date] = [r[2] for r in listed]
        self.recorded: list[dt.date] = [r[3] for r in listed]
        self.dates: list[str] = [r[4] for r in listed]
        self.keys: list[str] = [r[5] for r in listed]
        self.details: list[str | None] = [r[6] for r in listed]
        self._sources: list[str] | None = [r[7] for r in listed]
        self._read_sources: SourcesReader | None = None
        self._by_key: dict[str, list[int]] | None = None
        self._key_names: list[str] | None = None
        self._key_ids: npt.NDArray[Any] | None = None
        self._key_counts: npt.NDArray[Any] | None = None
        self._distinct: bool | None = None

    @classmethod
    def of_columns(cls, rows: Sequence[tuple[Any, ...]]) -> Entries:
        """Entries of a columnar section (`COLUMNAR`: each has a detail) from rows as a store
        reads them, days as ISO text: ``(event row, event id, latest, recorded, EDTF date,
        key, detail, sources)``, in canonical order.

        Raises:
            ValueError, TypeError: a row is not of that shape.
        """
        if not rows:
            return cls()
        columns = list(zip(*rows, strict=True))
        if len(columns) != 8:
            raise ValueError(f"an entry of {len(columns)} columns, not 8")
        return cls.of_zipped(columns)

    @property
    def sources(self) -> list[str]:
        """Each entry's event's sources as JSON (`sources_json`), read when first asked
        for where the store left them for later.

        Raises:
            ValueError, TypeError: the store's rows were changed by something else (the
                reader's errors, which name the store).
        """
        found = self._sources
        if found is None:
            assert self._read_sources is not None
            found = self._read_sources(list(self.rank), self.ids)
            if len(found) != len(self.ids) or not _texts(found):
                raise ValueError("the sources read are not one text per entry")
            self._sources = found
        return found

    def sources_at(self, ranks: Sequence[int]) -> list[str]:
        """The sources of the entries at ``ranks`` as JSON: where the store left them, read
        for these alone (a text cites the 20 votes it shows of thousands).

        Raises:
            ValueError, TypeError: as `sources`.
        """
        held = self._sources
        if held is not None:
            return pick(held, ranks)
        assert self._read_sources is not None
        found = self._read_sources(pick(list(self.rank), ranks), pick(self.ids, ranks))
        if len(found) != len(ranks) or not _texts(found):
            raise ValueError("the sources read are not one text per entry")
        return found

    def sources_of(self, ranks: Sequence[int]) -> list[str | Cited]:
        """The sources of the entries at ``ranks``: their text where it is held, else a
        `Cited` each, which reads them when first cited (an entry made is not cited yet)."""
        held = self._sources
        if held is not None:
            return pick(held, ranks)
        return [Cited(self, rank) for rank in ranks]

    @classmethod
    def of_zipped(cls, columns: Sequence[Sequence[Any]]) -> Entries:
        """`of_columns` of rows already turned into columns (``zip(*rows)``)."""
        if not columns:
            return cls()
        seqs, ids, latest, recorded, dates, keys, details, sources = columns[:8]
        return cls._made(seqs, ids, latest, list(recorded), list(dates), keys, details,
                         list(sources), None)

    @classmethod
    def of_elided(cls, columns: Sequence[Sequence[Any]],
                  sources: SourcesReader | None = None) -> Entries:
        """Entries from columns as a query reads them where most entries' three days are
        one: ``(event row, event id, latest day, dated, key, detail)``, then the sources
        unless ``sources`` reads them when first asked for (most answers never cite them);
        ``dated`` is None where the recorded day and the EDTF date are the latest day, else
        both as ``"recorded date"``. More columns may follow (a query's values, say).

        Raises:
            ValueError, TypeError: a column is not of that shape.
        """
        if not columns:
            return cls()
        seqs, ids, latest, dated, keys, details = columns[:6]
        # The few entries whose recorded day or date differ: their places found in C.
        places = ([] if dated.count(None) == len(dated) else list(itertools.compress(
            itertools.count(), map(operator.is_not, dated, itertools.repeat(None)))))
        found = cls._made(seqs, ids, latest, None, None, keys, details,
                          None if sources else list(columns[6]), sources)
        for place in places:
            text = dated[place]
            if text.__class__ is not str:
                raise TypeError("an entry's recorded day and date are not text")
            recorded, found.dates[place] = text.split(" ", 1)  # ValueError: no pair
            found.recorded[place] = dt.date.fromisoformat(recorded)
        return found

    @classmethod
    def _made(cls, seqs: Sequence[Any], ids: Sequence[Any], latest: Sequence[Any],
              recorded: list[Any] | None, dates: list[Any] | None, keys: Sequence[Any],
              details: Sequence[Any], held: list[Any] | None, sources: SourcesReader | None
              ) -> Entries:
        """Entries of these columns; ``recorded`` and ``dates`` None where they are the
        latest days (`of_elided` sets those that differ)."""
        found = cls()
        found.rank = dict(zip(seqs, range(len(seqs)), strict=True))
        found.ids, found.keys, found.details = list(ids), list(keys), list(details)
        found._sources, found._read_sources = held, sources
        if not _texts(found.ids, found.keys, found.details, held or (), latest,
                      dates or (), recorded or ()):
            raise TypeError("an entry's id, date, key, detail, sources or days are not text")
        # Each day read on its own: faster than finding the distinct ones first.
        found.latest = list(map(dt.date.fromisoformat, latest))
        found.dates = list(latest) if dates is None else dates
        found.recorded = (list(found.latest) if recorded is None else
                          [day if text is same else dt.date.fromisoformat(text)
                           for day, text, same in zip(found.latest, recorded, latest,
                                                      strict=True)])
        return found

    def key_names(self) -> list[str]:
        """The distinct keys, sorted: what `key_ids` number."""
        if self._key_names is None:
            self._key_names = sorted(set(self.keys))
        return self._key_names

    def distinct_keys(self) -> bool:
        """Whether no two entries share a key (each roll call votes on its own resolution):
        then no actor's writes do either."""
        if self._distinct is None:
            self._distinct = len(set(self.keys)) == len(self.keys)
        return self._distinct

    def key_ids(self) -> npt.NDArray[Any]:
        """Each entry's key as its place in `key_names`, an array (numpy is imported here)."""
        if self._key_ids is None:
            import numpy as np

            place = {key: i for i, key in enumerate(self.key_names())}
            self._key_ids = np.array([place[key] for key in self.keys], dtype=np.int32)
        return self._key_ids

    def key_counts(self) -> npt.NDArray[Any]:
        """How many entries each key id (`key_ids`) has."""
        if self._key_counts is None:
            import numpy as np

            self._key_counts = np.bincount(self.key_ids(), minlength=len(self.key_names()))
        return self._key_counts

    def __len__(self) -> int:
        return len(self.ids)

    def settled(self, day: dt.date | None) -> int:
        """How many entries' events settle on or before ``day`` (all of them for None)."""
        return len(self.ids) if day is None else bisect.bisect_right(self.latest, day)

    def ranks_of(self, key: str) -> list[int]:
        """The places of the entries of ``key`` (a resolution), in order."""
        if self._by_key is None:
            by_key: dict[str, list[int]] = {}
            for rank, found in enumerate(self.keys):
                by_key.setdefault(found, []).append(rank)
            self._by_key = by_key
        return self._by_key.get(key, [])


class Cited:
    """The sources of one entry left in its store: read, with those of every entry read
    with it, when first cited (`Entries.sources`)."""

    __slots__ = ("_entries", "_rank")

    def __init__(self, entries: Entries, rank: int) -> None:
        self._entries = entries
        self._rank = rank

    def text(self) -> str:
        """The sources as JSON (`sources_json`).

        Raises:
            TimelineError: the store cannot give them (the reader's errors).
        """
        return self._entries.sources[self._rank]

    @staticmethod
    def texts(sources: Sequence[str | Cited]) -> list[str]:
        """Each of ``sources`` as JSON: text as it is; those left in a store read at once,
        for these entries alone (`Entries.sources_at`).

        Raises:
            TimelineError, ValueError, TypeError: as `text`.
        """
        found = [text if isinstance(text, str) else "" for text in sources]
        waiting: dict[int, tuple[Entries, list[int], list[int]]] = {}
        for place, cited in enumerate(sources):
            if isinstance(cited, Cited):
                _, places, ranks = waiting.setdefault(id(cited._entries),
                                                      (cited._entries, [], []))
                places.append(place)
                ranks.append(cited._rank)
        for entries, places, ranks in waiting.values():
            for place, text in zip(places, entries.sources_at(ranks), strict=True):
                found[place] = text
        return found


Ints: TypeAlias = "Sequence[int] | npt.NDArray[Any]"
"""Whole numbers in order: a list, or an array where many are held (one actor's writes)."""


def listed(values: Ints) -> list[int]:
    """``values`` as a list (an array's items would be indexed one by one)."""
    return values.tolist() if not isinstance(values, Sequence) else list(values)


def taken(values: Ints, places: Sequence[int]) -> list[int]:
    """``values[p]`` for each of ``places``: of an array, without listing it whole."""
    if isinstance(values, Sequence):
        return pick(values, places)
    return values[places].tolist()  # type: ignore[no-any-return]


def below(values: Ints, limit: int) -> int:
    """How many of the increasing ``values`` are below ``limit`` (`bisect.bisect_left`)."""
    if isinstance(values, Sequence):
        return bisect.bisect_left(values, limit)
    return int(values.searchsorted(limit))


class Written:
    """One actor's writes in one section, in canonical order: the places of their entries
    in ``entries`` (``ranks``, increasing) and the actor's value in each (a vote's option).

    ``keys``, ``latest``... give each write's column of its entry.
    """

    __slots__ = ("_codes", "_keys", "_latest", "_values", "entries", "key_ids", "ranks")

    def __init__(self, entries: Entries | None = None, ranks: Ints = (),
                 values: Sequence[str | None] = (), key_ids: npt.NDArray[Any] | None = None,
                 *, codes: tuple[npt.NDArray[Any], Sequence[str | None]] | None = None
                 ) -> None:
        """``key_ids``, if given, is each write's key as its place in
        ``entries.key_names()``, an array (from every actor's ballots); ``codes``, if
        given instead of ``values``, each write's value as a code and what each code means
        (read when the values are first asked for). ``ranks`` may be an array too: one
        actor's writes are kept as arrays until an answer reads them."""
        self.entries = Entries() if entries is None else entries
        self.ranks: Ints = ranks
        self._values: Sequence[str | None] | None = values if codes is None else None
        self._codes = codes
        self.key_ids = key_ids
        self._keys: list[str] | None = None
        self._latest: list[dt.date] | None = None

    @property
    def values(self) -> Sequence[str | None]:
        """The actor's value in each write (a vote's option)."""
        if self._values is None:
            assert self._codes is not None
            codes, meaning = self._codes
            self._values = pick(meaning, codes.tolist())  # the codes kept: a thread may be here
        return self._values

    @property
    def coded(self) -> tuple[npt.NDArray[Any], Sequence[str | None]] | None:
        """Each write's value as a code and what each code means, where the writes are a
        column of every actor's ballots (`Ballots.written`); else None."""
        return self._codes

    @classmethod
    def gather(cls, entries: Entries, seqs: Sequence[int], values: Sequence[str | None]
               ) -> Written:
        """An actor's writes from the event rows ``seqs`` they are of and its value in each,
        and the section's entries (`Entries`), put in canonical order (rows read in the
        order of their events' rows are in it already, where the events were appended in
        order: no sort).

        Raises:
            KeyError: a row names an event that has no entry.
            ValueError: there are not as many values as rows.
        """
        if len(seqs) != len(values):
            raise ValueError(f"{len(values)} values of {len(seqs)} writes")
        places = list(map(entries.rank.__getitem__, seqs))
        if any(map(operator.gt, places, itertools.islice(places, 1, None))):
            order = sorted(range(len(places)), key=places.__getitem__)
            return cls(entries, pick(places, order), pick(values, order))
        return cls(entries, places, list(values))

    def __len__(self) -> int:
        return len(self.ranks)

    @property
    def keys(self) -> list[str]:
        """The key of each write (a vote: its resolution)."""
        if self._keys is None:
            self._keys = pick(self.entries.keys, listed(self.ranks))
        return self._keys

    @property
    def latest(self) -> list[dt.date]:
        """The last day of each write's event."""
        if self._latest is None:
            self._latest = pick(self.entries.latest, listed(self.ranks))
        return self._latest

    def event_id(self, place: int) -> str:
        return self.entries.ids[self.ranks[place]]

    def date(self, place: int) -> str:
        return self.entries.dates[self.ranks[place]]

    def detail(self, place: int) -> str | None:
        return self.entries.details[self.ranks[place]]

    def sources(self, place: int) -> str | Cited:
        return self.entries.sources_of([self.ranks[place]])[0]

    def kept(self, keep: Callable[[str, dt.date], bool]) -> Written:
        """The writes whose event ``keep(id, recorded day)`` keeps (the known set)."""
        ids, recorded = self.entries.ids, self.entries.recorded
        ranks = listed(self.ranks)
        chosen = [place for place, rank in enumerate(ranks) if keep(ids[rank], recorded[rank])]
        return Written(self.entries, pick(ranks, chosen), pick(self.values, chosen),
                       None if self.key_ids is None else self.key_ids[chosen])

    def settled(self, day: dt.date | None) -> int:
        """How many writes' events settle on or before ``day`` (all of them for None)."""
        if day is None:
            return len(self.ranks)
        # The entries are in canonical order, so by their last days: the writes settled are
        # those of the entries settled.
        return below(self.ranks, self.entries.settled(day))

    def __repr__(self) -> str:
        return f"<Written: {len(self)} writes>"


class OnKey:
    """Every actor's writes on one key of one section (every state's vote on a resolution):
    the entries of that key in canonical order, and each entry's ``(actor, value)`` pairs."""

    __slots__ = ("entries", "pairs")

    def __init__(self, entries: Entries, pairs: Sequence[Sequence[tuple[str, str | None]]]
                 ) -> None:
        self.entries = entries
        self.pairs = pairs

    @classmethod
    def of_events(cls, events: Iterable[BaseEvent], section: str, key: str) -> OnKey:
        """The writes on ``key`` in ``section`` that ``events`` (in canonical order) make."""
        rows: list[EntryRow] = []
        pairs: list[list[tuple[str, str | None]]] = []
        for event in events:
            if event.entry_key(section) != key:
                continue
            written = [row for row in event.written() if row[1] == section]
            rows.append((len(rows), event.id, event.date.latest, event.recorded_on,
                         str(event.date), key, written[0][4] if written else None,
                         sources_json(event.sources)))
            pairs.append([(whose, value) for whose, _, _, value, _ in written])
        return cls(Entries(rows), pairs)

    def last(self, day: dt.date | None, keep: Callable[[str, dt.date], bool] | None = None
             ) -> dict[str, tuple[int, str | None]]:
        """For each actor, the place of its last write among the entries settled by ``day``
        (and kept by ``keep``, the known set), and its value there."""
        entries = self.entries
        found: dict[str, tuple[int, str | None]] = {}
        for rank in range(entries.settled(day)):
            if keep is not None and not keep(entries.ids[rank], entries.recorded[rank]):
                continue
            for whose, value in self.pairs[rank]:
                found[whose] = (rank, value)
        return found
