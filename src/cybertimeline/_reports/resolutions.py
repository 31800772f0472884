"""A resolution's own view: its date, title, body, tally and every state's vote, as a table
for reading and as a long table (state, resolution, option) for pandas and CSV."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from cybertimeline._model import markup
from cybertimeline._model.dates import Date, DateLike
from cybertimeline._model.events import VOTE_OPTIONS, Adoption, Event, Tally, Vote
from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.markup import Markup, badge
from cybertimeline._model.order import canonical_key
from cybertimeline._model.registry import Registry
from cybertimeline._model.wording import Citations, counted
from cybertimeline._reports.answers import Answers
from cybertimeline.errors import UnknownEventError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RESOLUTION_ROW_FIELDS", "ResolutionView", "resolution"]

_E = TypeVar("_E", Vote, Adoption)

RESOLUTION_ROW_FIELDS = ("state", "name", "resolution", "title", "date", "option", "event")
"""The columns of a resolution's long table: one row per state's vote."""


def _frozen(votes: Mapping[str, str]) -> Mapping[str, str]:
    return FrozenDict(dict(sorted(votes.items())))


@attrs.frozen(kw_only=True, repr=False)
class ResolutionView:
    """A resolution as the record has it: when and by whom it was voted, under what title,
    the tally, and every state's vote (of a group's members only, with ``group``).

    ``str()`` gives the text ``cybertimeline votes`` prints; `rows` the long table (state,
    resolution, option), `to_frame` the same for pandas; Jupyter shows a table.

    Attributes:
        resolution: The UN symbol (``A/RES/74/247``).
        date: The date of the recorded vote (or of the adoption, without one).
        title: The resolution's title, where the record gives it.
        body: The body that voted or adopted it.
        tally: The totals, as recorded (of every voter, whatever ``group``).
        votes: Each state's option, by actor id, sorted.
        group: The group whose members' votes are listed, if asked.
        events: The vote and adoption events it rests on.
    """

    resolution: str
    date: Date
    title: str | None = None
    body: str | None = None
    tally: Tally | None = None
    votes: Mapping[str, str] = attrs.field(converter=_frozen, factory=FrozenDict)
    group: str | None = None
    events: tuple[Event, ...] = ()
    registry: Registry = attrs.field(factory=Registry.builtin, eq=False)

    def counts(self) -> dict[str, int]:
        """How many of the listed states voted each option."""
        found = Counter(self.votes.values())
        return {option: found[option] for option in VOTE_OPTIONS if found[option]}

    def rows(self) -> list[dict[str, str | None]]:
        """The long table: one row per state, ``RESOLUTION_ROW_FIELDS``."""
        vote = next((e for e in reversed(self.events) if isinstance(e, Vote)), None)
        return [{"state": state, "name": self.registry.name(state),
                 "resolution": self.resolution, "title": self.title, "date": str(self.date),
                 "option": option, "event": None if vote is None else vote.id}
                for state, option in self.votes.items()]

    def to_frame(self) -> pd.DataFrame:
        """The long table as a pandas DataFrame (needs pandas)."""
        import pandas

        return pandas.DataFrame(self.rows(), columns=list(RESOLUTION_ROW_FIELDS))

    def to_dict(self) -> dict[str, Any]:
        """``{"resolution", "date", "title", "body", "tally", "group", "counts", "votes",
        "events"}``."""
        tally = None if self.tally is None else attrs.asdict(self.tally)
        return {"resolution": self.resolution, "date": str(self.date), "title": self.title,
                "body": self.body, "tally": tally, "group": self.group,
                "counts": self.counts(), "votes": dict(self.votes),
                "events": [e.id for e in self.events]}

    def _head(self) -> str:
        title = f": {self.title}" if self.title else ""
        body = f", {self.registry.name(self.body)}" if self.body else ""
        return f"{self.resolution}{title} ({self.date}{body})"

    def _tally_line(self) -> str:
        if self.tally is None:
            return "no recorded vote (adopted without a vote)" if not self.votes else (
                "no tally recorded")
        return (f"tally: {self.tally.yes} in favour, {self.tally.no} against, "
                f"{self.tally.abstain} abstentions")

    def __repr__(self) -> str:
        return (f"<ResolutionView of {self.resolution} ({self.date}): "
                f"{counted(len(self.votes), 'vote')}>")

    def __str__(self) -> str:
        cites = Citations()
        lines = [self._head(), f"  {self._tally_line()}"]
        if self.group is not None:
            lines.append(f"  the votes of {self.registry.name(self.group)}'s members:")
        for option in VOTE_OPTIONS:
            voters = [s for s, o in self.votes.items() if o == option]
            if voters:
                lines.append(f"  {option} ({len(voters)}): {' '.join(voters)}")
        lines.append(f"  sources: {cites.cite([s for e in self.events for s in e.sources])}")
        return "\n".join([*lines, *cites.block()])

    def _repr_html_(self) -> str:
        cites = Citations()
        rows = [[state, self.registry.name(state), badge(option)]
                for state, option in self.votes.items()]
        parts: list[object] = [
            Markup(f"<p><strong>{markup.escape(self._head())}</strong><br>"
                   f"{markup.escape(self._tally_line())}</p>"),
            markup.table(["State", "Name", "Vote"], rows, wrap=("Name",)),
            markup.cited(cites, [s for e in self.events for s in e.sources]),
            markup.sources_list(cites)]
        return markup.block("resolution", *parts)


def resolution(
    answers: Answers,
    symbol: str,
    *,
    known_at: DateLike | None = None,
    group: str | None = None,
) -> ResolutionView:
    """The view of the resolution ``symbol``: its latest recorded vote (and adoption), as
    known at ``known_at``; with ``group``, only its members' votes (members on the day of
    the vote).

    Raises:
        UnknownEventError: no vote or adoption of ``symbol`` is known (also a KeyError).
        UnknownActorError: ``group`` is not known.
    """
    found = _events_of(answers, symbol, known_at)
    vote = _latest(found, Vote)
    adoption = _latest(found, Adoption)
    main: Vote | Adoption = vote if vote is not None else found[-1]
    votes: Mapping[str, str] = {} if vote is None else vote.votes
    if group is not None:
        group = answers.registry.resolve(group)
        members = set(answers.members(group, as_of=main.date, known_at=known_at))
        votes = {s: o for s, o in votes.items() if s in members}
    title = next((e.title for e in reversed(found) if isinstance(e, Vote) and e.title), None)
    return ResolutionView(resolution=symbol, date=main.date, title=title, body=main.body,
                          tally=_tally(vote, adoption), votes=votes, group=group,
                          events=tuple(found), registry=answers.registry)


def _events_of(answers: Answers, symbol: str, known_at: DateLike | None
               ) -> list[Vote | Adoption]:
    """The votes and adoptions of ``symbol`` known at ``known_at``, in canonical order.

    Raises:
        UnknownEventError: there is none.
    """
    found = [e for e in answers.events(kind=("vote", "adoption"), known_at=known_at)
             if isinstance(e, Vote | Adoption) and e.resolution == symbol]
    if not found:
        raise UnknownEventError(f"no vote or adoption of {symbol!r} is known in this store "
                                f"(give the symbol as the record writes it: A/RES/74/247)")
    found.sort(key=canonical_key)
    return found


def _latest(found: list[Vote | Adoption], kind: type[_E]) -> _E | None:
    """The last event of ``kind`` in ``found``, or None."""
    return next((e for e in reversed(found) if isinstance(e, kind)), None)


def _tally(vote: Vote | None, adoption: Adoption | None) -> Tally | None:
    """The tally of the recorded vote, else the one the adoption records."""
    if vote is not None and vote.tally is not None:
        return vote.tally
    return None if adoption is None else adoption.tally
