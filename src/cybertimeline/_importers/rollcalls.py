"""Reading a voting data set: its roll calls, and every vote of each, streamed.

The votes file is read row by row (it need not be grouped by roll call); each
vote is kept as two small integers until its roll call's event is built, so
the whole UN record (870,109 votes) takes a few megabytes.
"""

from __future__ import annotations

import array
import itertools
import reprlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from cybertimeline._importers.layouts import VoteLayout
from cybertimeline._importers.tables import Table, open_table
from cybertimeline._importers.voters import VoterMap
from cybertimeline._model.dates import Date
from cybertimeline._model.events import VoteOption
from cybertimeline.errors import DateError, Problem, ValidationError

__all__ = ["Ballots", "Progress", "RollCall", "read_ballots", "read_issues", "read_roll_calls",
           "roll_call_from_row", "sorted_ids"]

Progress = Callable[[str, int, int], None]
"""Told ``(what, done, total)`` as an import goes: ``("reading votes", bytes read, size)``."""

_TRUE = frozenset({"1", "true", "yes", "y"})
_MAX_DIGITS = 9
"""A session number has at most this many digits (the UN has held fewer than 100)."""


@attrs.frozen
class RollCall:
    """One recorded vote of the data set, without its votes."""

    id: str
    line: int
    date: Date
    session: int | None
    resolution: str
    amendment: bool = False
    paragraph: bool = False
    important: bool = False
    title: str = ""
    description: str = ""
    link: str = ""
    meeting: str = ""
    topics: tuple[str, ...] = ()


def roll_call_from_row(layout: VoteLayout, path: Path, line: int,
                       row: Mapping[str, str]) -> RollCall:
    """A roll call from its row (in the roll-call file, or a vote's row in a one-file layout).

    Raises:
        ValidationError: its date is not a date, at its line.
    """
    columns = layout.roll_call_columns

    def cell(name: str) -> str:
        column = columns.get(name)
        return row.get(column, "") if column else ""

    try:
        day = Date.parse(cell("date"))
    except DateError as exc:
        raise ValidationError([Problem(message=f"roll call {cell('roll_call')}: 'date': {exc}",
                                       file=path, line=line)]) from None
    session = cell("session")
    if session.isdigit() and not (session.isascii() and len(session) <= _MAX_DIGITS):
        raise ValidationError([Problem(
            message=f"roll call {cell('roll_call')}: 'session' {reprlib.repr(session)} is no "
                    f"session number (at most {_MAX_DIGITS} ASCII digits): fix the row",
            file=path, line=line)])
    return RollCall(
        id=cell("roll_call"), line=line, date=day,
        session=int(session) if session.isdigit() else None,
        resolution=cell("resolution"), amendment=cell("amend").lower() in _TRUE,
        paragraph=cell("para").lower() in _TRUE, important=cell("important").lower() in _TRUE,
        title=cell("title"), description=cell("description"), link=cell("link"),
        meeting=cell("meeting"))


def read_roll_calls(path: Path, layout: VoteLayout) -> dict[str, RollCall]:
    """Every roll call of a roll-call file, by id (a small file: 6,203 rows for the UN record).

    Raises:
        ValidationError: a column is missing, a date is not a date, or an id comes twice.
    """
    found: dict[str, RollCall] = {}
    with open_table(path) as table:
        required = ("roll_call", "session", "date", "resolution")
        table.require([layout.roll_call_columns[c] for c in required],
                      f"a roll-call file of the {layout.name} layout")
        for line, row in table.rows():
            roll_call = roll_call_from_row(layout, path, line, row)
            if roll_call.id in found:
                raise ValidationError([Problem(
                    message=f"roll call {roll_call.id} again (first at line "
                            f"{found[roll_call.id].line}): each roll call once",
                    file=path, line=line)])
            found[roll_call.id] = roll_call
    return found


def read_issues(path: Path, layout: VoteLayout) -> dict[str, tuple[str, ...]]:
    """The topics of each roll call, from an issues file (``rcid,short_name,issue``)."""
    topics: dict[str, list[str]] = {}
    with open_table(path) as table:
        table.require(["rcid", "short_name"], "an issues file (rcid, short_name, issue)")
        for line, row in table.rows():
            code = row["short_name"]
            topic = layout.topics.get(code)
            if topic is None:
                known = ", ".join(f"{c} ({t})" for c, t in layout.topics.items())
                raise ValidationError([Problem(
                    message=f"unknown issue {code!r}: the {layout.name} layout knows {known}",
                    file=path, line=line)])
            topics.setdefault(row["rcid"], []).append(topic)
    return {rcid: tuple(dict.fromkeys(found)) for rcid, found in topics.items()}


Held = tuple["array.array[int]", bytearray, bytearray]
"""A roll call's votes as `Ballots` holds them: voters' numbers, options, who has voted."""


@attrs.define
class Ballots:
    """The votes read, kept small: per roll call, actor numbers and option numbers."""

    actors: list[str] = attrs.field(factory=list)
    _numbers: dict[str, int] = attrs.field(factory=dict)
    _votes: dict[str, Held] = attrs.field(factory=dict)
    """Per roll call: its `held` votes."""

    @property
    def count(self) -> int:
        """How many votes are held."""
        return sum(len(voters) for voters, _, _ in self._votes.values())

    def number(self, actor: str) -> int:
        """The number that stands for ``actor`` in `add`."""
        number = self._numbers.get(actor)
        if number is None:
            number = self._numbers[actor] = len(self.actors)
            self.actors.append(actor)
        return number

    def held(self, roll_call: str) -> Held:
        """What holds a roll call's votes (its voters' numbers, their options, and a flag per
        actor number that has voted in it), made empty if it has none yet."""
        held = self._votes.get(roll_call)
        if held is None:
            held = self._votes[roll_call] = (array.array("H"), bytearray(), bytearray(256))
        return held

    def add(self, roll_call: str, number: int, option: int) -> bool:
        """Record a vote of the actor of ``number``; False if the roll call already has one
        of this actor."""
        voters, options, seen = self.held(roll_call)
        if len(seen) <= number:
            seen.extend(bytes(number + 1 - len(seen)))
        if seen[number]:
            return False
        seen[number] = 1
        voters.append(number)
        options.append(option)
        return True

    def of(self, roll_call: str, names: tuple[VoteOption, ...]) -> dict[str, VoteOption]:
        """The votes of a roll call: actor -> option."""
        held = self._votes.get(roll_call)
        if held is None:
            return {}
        return dict(zip(map(self.actors.__getitem__, held[0]), map(names.__getitem__, held[1]),
                        strict=True))


@attrs.define
class _Unmapped:
    code: str
    name: str
    line: int
    votes: int = 0


def read_ballots(table: Table, layout: VoteLayout, voters: VoterMap,
                 roll_calls: dict[str, RollCall], admit: Callable[[RollCall], bool],
                 progress: Progress | None = None) -> Ballots:
    """Every vote of the roll calls ``admit`` lets in, mapped to actors.

    In a one-file layout, each roll call is read from its first vote's row and
    added to ``roll_calls``.

    Raises:
        ValidationError: a vote of a roll call the roll-call file lacks; a vote value the
            layout does not know; two votes of one actor in a roll call; and every code
            that maps to no actor, with how to map it.
    """
    table.require(list(layout.columns), f"a votes file of the {layout.name} layout")
    reading = _VoteReading(table, layout, voters, roll_calls, admit)
    reading.read(progress)
    if progress is not None:
        progress("reading votes", table.size, table.size)
    _raise_problems(table.path, layout, reading.problems, reading.unmapped)
    return reading.ballots


_MISSING: Any = object()
_STOP = 50
"""A read stops at this many problems (each vote of an unknown roll call is one)."""


class _VoteReading:
    """One read of a votes file: `read` runs once a vote (870,109 for the UN record) and
    takes each row whose roll call, voter and value it has met as they are written (no
    cell stripped, no dict, no call); `row` reads every other row as the layout says."""

    def __init__(self, table: Table, layout: VoteLayout, voters: VoterMap,
                 roll_calls: dict[str, RollCall], admit: Callable[[RollCall], bool]) -> None:
        self.table, self.layout, self.voters = table, layout, voters
        self.roll_calls, self.admit = roll_calls, admit
        index = {column: i for i, column in enumerate(table.header)}  # the last of a name
        at = {name: index[column] for name, column in layout.vote_columns.items()}
        self.at = at["roll_call"], at["code"], at["country"], at["vote"]
        names = tuple(dict.fromkeys(layout.options.values()))
        self.options = {value: names.index(option) for value, option in layout.options.items()}
        self.ballots = Ballots()
        self.unmapped: dict[str, _Unmapped] = {}
        self.cached: dict[tuple[str, str], int | None] = {}
        """Voter ``(code, name)`` -> its actor's number in ``ballots`` (None: no actor), for
        the voters whose actor does not depend on the day."""
        self.admitted: dict[str, bool] = {}
        self.problems: list[Problem] = []
        # What `read` takes rows by, keyed by cells as written (each stands for what `row`
        # found of them stripped): an admitted roll call's votes (None: not admitted), and
        # a voter's actor number where it does not depend on the day.
        self.held_by_cell: dict[str, Held | None] = {}
        self.actor_by_cells: dict[tuple[str, str], int] = {}

    def read(self, progress: Progress | None) -> None:
        """Read every row, each by `row` but where all it holds is known; ``progress`` told
        every 20,000 rows how far the file is read."""
        roll_at, code_at, name_at, vote_at = self.at
        held_of, actor_of, option_of = (self.held_by_cell.get, self.actor_by_cells.get,
                                        self.options.get)
        width, row, table = len(self.table.header), self.row, self.table
        with table.reading() as reader:
            while True:
                before = reader.line_num
                for cells in itertools.islice(reader, 20_000):
                    if len(cells) == width:
                        held = held_of(cells[roll_at], _MISSING)
                        if held is None:  # a roll call not chosen
                            continue
                        actor = actor_of((cells[code_at], cells[name_at]))
                        option = option_of(cells[vote_at])
                        if held is not _MISSING and actor is not None and option is not None:
                            voters, options, seen = held
                            try:
                                if not seen[actor]:
                                    seen[actor] = 1
                                    voters.append(actor)
                                    options.append(option)
                                    continue
                            except IndexError:  # an actor `seen` has no flag for yet
                                pass
                    if row(reader.line_num, cells):
                        return
                if reader.line_num == before:  # nothing more was read
                    return
                if progress is not None:
                    progress("reading votes", table.position, table.size)

    def row(self, line: int, cells: list[str]) -> bool:
        """Read one row as written at ``line``, as `Table.cells` gives it and the layout says;
        True when the read must stop (`_STOP` problems)."""
        stripped = self._stripped(line, cells)
        if stripped is None:
            return False
        whole = len(cells) == len(stripped)
        roll_at, code_at, name_at, vote_at = self.at
        roll_call_id = stripped[roll_at]
        wanted = self.admitted.get(roll_call_id)
        if wanted is None:  # the roll call's first vote (or one the roll-call file lacks)
            wanted = self._admit(line, dict(zip(self.table.header, stripped, strict=True)))
        if roll_call_id in self.admitted and whole:
            self.held_by_cell[cells[roll_at]] = (self.ballots.held(roll_call_id) if wanted
                                                 else None)
        if not wanted:
            return len(self.problems) >= _STOP
        key = (stripped[code_at], stripped[name_at])
        actor = self.cached[key] if key in self.cached else self._voter(
            key, self.roll_calls[roll_call_id])
        if actor is None:
            self.unmapped.setdefault(key[0] or key[1], _Unmapped(*key, line)).votes += 1
            return False
        if key in self.cached and whole:
            self.actor_by_cells[cells[code_at], cells[name_at]] = actor
        option = self.options.get(stripped[vote_at])
        if option is None or not self.ballots.add(roll_call_id, actor, option):
            self.problems.append(_vote_problem(
                self.table.path, line, self.layout, stripped[vote_at], option, roll_call_id,
                self.ballots.actors[actor], key))
        return len(self.problems) >= _STOP

    def _stripped(self, line: int, cells: list[str]) -> list[str] | None:
        """The row's cells as `Table.cells` gives them (None: a blank row, skipped).

        Raises:
            ValidationError: the row has more cells than the header.
        """
        width = len(self.table.header)
        if len(cells) > width:
            raise ValidationError([Problem(
                message=f"{len(cells)} cells where the header has {width}: quote the cells "
                        f"that hold commas", file=self.table.path, line=line)])
        stripped = [c.strip() for c in cells] + [""] * (width - len(cells))
        return stripped if any(stripped) else None

    def _admit(self, line: int, row: Mapping[str, str]) -> bool:
        """Whether the votes of a row's roll call are read, kept in ``admitted``; a roll call
        the roll-call file lacks is a problem (at each of its votes), and in a one-file
        layout it is read from this row into ``roll_calls``."""
        layout = self.layout
        roll_call_id = row[layout.vote_columns["roll_call"]]
        roll_call = self.roll_calls.get(roll_call_id)
        if roll_call is None:
            if not layout.one_file:
                self.problems.append(Problem(
                    message=f"a vote of roll call {roll_call_id!r}, which the roll-call file "
                            f"does not have", file=self.table.path, line=line))
                return False
            roll_call = self.roll_calls[roll_call_id] = roll_call_from_row(
                layout, self.table.path, line, row)
        wanted = self.admitted[roll_call_id] = self.admit(roll_call)
        return wanted

    def _voter(self, key: tuple[str, str], roll_call: RollCall) -> int | None:
        """The number in ``ballots`` of the actor of a voter ``(code, name)`` on the roll
        call's day (None: no actor), kept in ``cached`` for the voters whose actor does not
        depend on the day."""
        code, name = key
        actor = self.voters.actor(code, name, roll_call.date.earliest)
        number = None if actor is None else self.ballots.number(actor)
        if not self.voters.dated(code):
            self.cached[key] = number
        return number


def _raise_problems(path: Path, layout: VoteLayout, problems: list[Problem],
                    unmapped: Mapping[str, _Unmapped]) -> None:
    """Raise the problems found, and one per voter code that maps to no actor, if any."""
    found = [*problems, *(_unmapped_problem(path, gap, layout) for gap in unmapped.values())]
    if found:
        raise ValidationError(found)


def _vote_problem(path: Path, line: int, layout: VoteLayout, value: str, option: int | None,
                  roll_call_id: str, actor: str, key: tuple[str, str]) -> Problem:
    """A vote value the layout does not know (``option`` None), or a second vote of an actor."""
    if option is None:
        known = ", ".join(repr(v) for v in layout.options)
        return Problem(message=f"vote {value!r} is not one of {known}", file=path, line=line)
    code, name = key
    return Problem(message=f"roll call {roll_call_id}: a second vote of {actor} (code {code!r}, "
                           f"{name!r}): two rows map to one actor; map one of them elsewhere",
                   file=path, line=line)


def _unmapped_problem(path: Path, gap: _Unmapped, layout: VoteLayout) -> Problem:
    key = gap.code or gap.name
    what = f"code {gap.code!r} ({gap.name})" if gap.code else f"{gap.name!r}, without a code,"
    return Problem(
        message=f"{what} maps to no actor ({gap.votes} votes; first here): map it with "
                f"--map '{key}=ACTOR' (in Python, codes={{{key!r}: 'ACTOR'}}), ACTOR being an "
                f"actor id or name; the {layout.name} layout's table is in "
                f"docs/how-to/import-votes.md", file=path, line=gap.line)


def sorted_ids(ids: Iterable[str]) -> list[str]:
    """Roll-call ids in order: numerically where they are numbers."""
    def key(text: str) -> tuple[int, int, str, str]:
        if text.isascii() and text.isdigit():  # as numbers, however many digits
            number = text.lstrip("0")
            return 0, len(number), number, text
        return 1, 0, text, text

    return sorted(ids, key=key)
