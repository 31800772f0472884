"""UN General Assembly roll-call votes into a store: one vote event per roll call.

Each roll call becomes a `Vote` of the General Assembly (``UNGA``) with every
state's vote, the tally counted from them, the resolution's UN symbol (a vote
on an amendment or a paragraph says so, and is never taken for the vote on the
resolution itself), its topics where the data set gives them, and a source
citing the data set and the roll call.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from cybertimeline._importers.layouts import LAYOUTS, VoteLayout
from cybertimeline._importers.records import ImportReport, plan_import
from cybertimeline._importers.rollcalls import (
    Ballots,
    Progress,
    RollCall,
    read_ballots,
    read_issues,
    read_roll_calls,
    sorted_ids,
)
from cybertimeline._importers.tables import open_table
from cybertimeline._importers.voters import FORMER_STATES, VoterMap
from cybertimeline._model.dates import Date, DateLike, optional_date
from cybertimeline._model.events import Tally, Vote
from cybertimeline._model.registry import Actor, Registry
from cybertimeline._timeline.timeline import Timeline
from cybertimeline.errors import TimelineError

__all__ = ["VoteFilter", "VotesRead", "import_votes", "read_votes"]


def _texts(value: str | Iterable[str] | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    return frozenset([value] if isinstance(value, str) else value)


@attrs.frozen(kw_only=True)
class VoteFilter:
    """Which roll calls to import: all by default.

    Attributes:
        resolutions: Only roll calls on these resolutions (``A/RES/74/247``, or as the
            data set writes it, ``R/73/187``), amendments and paragraphs included.
        first_session: Only roll calls of this session or later.
        last_session: Only roll calls of this session or earlier.
        since: Only roll calls on or after this date's first day.
        until: Only roll calls on or before this date's last day.
        topics: Only roll calls on one of these topics (``human-rights``, or the data
            set's code ``hr``).
    """

    resolutions: frozenset[str] = attrs.field(default=frozenset(), converter=_texts)
    first_session: int | None = None
    last_session: int | None = None
    since: Date | None = attrs.field(default=None, converter=optional_date)
    until: Date | None = attrs.field(default=None, converter=optional_date)
    topics: frozenset[str] = attrs.field(default=frozenset(), converter=_texts)

    def admits(self, roll_call: RollCall, layout: VoteLayout) -> bool:
        """Whether the roll call passes every filter."""
        return (self._on_resolutions(roll_call, layout) and self._in_sessions(roll_call)
                and self._in_dates(roll_call) and self._on_topics(roll_call, layout))

    def _on_resolutions(self, roll_call: RollCall, layout: VoteLayout) -> bool:
        return not self.resolutions or bool(
            {roll_call.resolution, layout.symbol(roll_call.resolution, roll_call.session)}
            & self.resolutions)

    def _in_sessions(self, roll_call: RollCall) -> bool:
        """Within the first and last sessions; a roll call without a session is not, if
        either is set."""
        session = roll_call.session
        if self.first_session is None and self.last_session is None:
            return True
        return session is not None and (
            (self.first_session is None or session >= self.first_session)
            and (self.last_session is None or session <= self.last_session))

    def _in_dates(self, roll_call: RollCall) -> bool:
        """Not surely before ``since`` nor surely after ``until``."""
        return ((self.since is None or roll_call.date.latest >= self.since.earliest)
                and (self.until is None or roll_call.date.earliest <= self.until.latest))

    def _on_topics(self, roll_call: RollCall, layout: VoteLayout) -> bool:
        if not self.topics:
            return True
        wanted = {layout.topics.get(t, t) for t in self.topics}
        return bool(wanted & set(roll_call.topics))


@attrs.frozen
class VotesRead:
    """The vote events read from a data set, and the former states they name."""

    events: tuple[Vote, ...]
    declare: tuple[Actor, ...]
    votes: int
    """How many votes the events hold."""
    without_votes: int = 0
    """How many roll calls chosen were left out, the votes file having no vote of theirs."""


def _resolution(roll_call: RollCall, layout: VoteLayout) -> str:
    """What the vote was on: the symbol, marked where it was on an amendment or a paragraph."""
    symbol = layout.symbol(roll_call.resolution, roll_call.session)
    part = ("amendment to a paragraph" if roll_call.amendment and roll_call.paragraph
            else "amendment" if roll_call.amendment
            else "paragraph" if roll_call.paragraph else None)
    if not symbol:
        return f"roll call {roll_call.id} ({part + ', ' if part else ''}no symbol)"
    return f"{symbol} ({part}, roll call {roll_call.id})" if part else symbol


def _event(roll_call: RollCall, votes: Mapping[str, str], layout: VoteLayout) -> Vote:
    counts = Counter(votes.values())
    tally = Tally(yes=counts["yes"], no=counts["no"], abstain=counts["abstain"])
    resolution = _resolution(roll_call, layout)
    tags = [layout.id_prefix, *roll_call.topics]
    if roll_call.amendment:
        tags.append("amendment")
    if roll_call.paragraph:
        tags.append("paragraph")
    if roll_call.important:
        tags.append("important-vote")
    where = f"roll call {roll_call.id}"
    if roll_call.resolution:
        where += f", resolution {roll_call.resolution}"
    if roll_call.session is not None:
        where += f", session {roll_call.session}"
    if roll_call.meeting:
        where += f", meeting {roll_call.meeting}"
    source = attrs.evolve(layout.source, locator=where, url=roll_call.link or layout.source.url)
    title = " ".join(roll_call.title.split())
    summary = (f"Recorded vote in the General Assembly on {resolution}: {tally.yes} in favour, "
               f"{tally.no} against, {tally.abstain} abstentions"
               + (f" ({title[:200]})" if title else ""))
    return Vote(id=f"{layout.id_prefix}-{roll_call.id}", date=roll_call.date, body="UNGA",
                resolution=resolution, votes=votes, tally=tally,
                topic=roll_call.topics[0] if len(roll_call.topics) == 1 else None,
                title=title[:500] or None, summary=summary, tags=tags, sources=[source])


def _layout(layout: VoteLayout | str | None, votes: Path) -> VoteLayout:
    if isinstance(layout, VoteLayout):
        return layout
    if layout is not None:
        if layout not in LAYOUTS:
            raise TimelineError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}")
        return LAYOUTS[layout]
    with open_table(votes) as table:
        for candidate in LAYOUTS.values():
            if set(candidate.columns) <= set(table.header):
                return candidate
        header = ", ".join(table.header)
    expected = "; ".join(f"{name}: {', '.join(known.columns)}" for name, known in LAYOUTS.items())
    raise TimelineError(f"{votes}: its columns ({header}) are those of no known layout "
                        f"({expected})")


def read_votes(
    votes: str | Path,
    roll_calls: str | Path | None = None,
    *,
    registry: Registry | None = None,
    issues: str | Path | None = None,
    layout: VoteLayout | str | None = None,
    only: VoteFilter | None = None,
    codes: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> VotesRead:
    """The vote events of a voting data set, one per roll call, without writing them.

    Args:
        votes: The votes file (CSV, gzipped or not).
        roll_calls: The roll-call file, for layouts of two files (``unvotes``).
        registry: The actors votes may name (the built-in registry by default).
        issues: The issues file of the ``unvotes`` layout (topics of roll calls).
        layout: A `VoteLayout`, or its name; found from the votes file's columns if None.
        only: Which roll calls to read (`VoteFilter`); all by default.
        codes: Voter codes (or, for rows without a code, names) -> actor ids or names,
            before the layout's table: ``{"TW": "TWN"}``.
        progress: Told how the reading goes.

    Raises:
        ValidationError: a file does not fit the layout, or codes map to no actor: every
            problem at its file and line, with how to fix it.
        TimelineError: a file cannot be read, or fits no layout.
    """
    votes_path = Path(votes)
    chosen = _layout(layout, votes_path)
    registry = registry or Registry.builtin()
    only = only or VoteFilter()
    if chosen.one_file:
        known: dict[str, RollCall] = {}
    elif roll_calls is None:
        raise TimelineError(f"the {chosen.name} layout needs its roll-call file too")
    else:
        known = read_roll_calls(Path(roll_calls), chosen)
    if issues is not None:
        topics = read_issues(Path(issues), chosen)
        known = {k: attrs.evolve(r, topics=topics.get(k, ())) for k, r in known.items()}
    elif only.topics:
        raise TimelineError("filtering by topic needs the issues file (--issues)")
    voters = VoterMap(chosen.codes, chosen.code_system, registry, codes)
    with open_table(votes_path) as table:
        ballots: Ballots = read_ballots(table, chosen, voters, known,
                                        lambda r: only.admits(r, chosen), progress)
    names = tuple(dict.fromkeys(chosen.options.values()))
    wanted = [i for i in sorted_ids(known) if only.admits(known[i], chosen)]
    events = []
    for number, roll_call_id in enumerate(wanted, 1):
        cast = ballots.of(roll_call_id, names)
        if cast:  # a roll call the votes file has no vote of is left out
            events.append(_event(known[roll_call_id], cast, chosen))
        if progress is not None and number % 500 == 0:
            progress("building events", number, len(wanted))
    declare = tuple(FORMER_STATES[a] for a in sorted(voters.used_former))
    return VotesRead(tuple(events), declare, ballots.count, len(wanted) - len(events))


def import_votes(
    timeline: Timeline,
    votes: str | Path,
    roll_calls: str | Path | None = None,
    *,
    issues: str | Path | None = None,
    layout: VoteLayout | str | None = None,
    resolution: str | Iterable[str] | None = None,
    sessions: int | tuple[int | None, int | None] | None = None,
    since: DateLike | None = None,
    until: DateLike | None = None,
    topic: str | Iterable[str] | None = None,
    codes: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a voting data set into ``timeline``'s store: one vote event per roll call.

    Safe to repeat: a roll call already stored as it is adds nothing; one that
    changed becomes a correction that supersedes it (recorded on the import
    day); all is written in one transaction or file, or nothing is.

    Args:
        timeline: The store to write to.
        votes: The votes file, as for `read_votes`.
        roll_calls: The roll-call file, as for `read_votes`.
        issues: The issues file, as for `read_votes`.
        layout: The layout, as for `read_votes`.
        resolution: Only the roll calls on these resolutions.
        sessions: Only the roll calls of this session, or of ``(first, last)`` (either
            may be None).
        since: Only the roll calls on or after this date's first day.
        until: Only the roll calls on or before this date's last day.
        topic: Only the roll calls on these topics (needs ``issues``).
        codes: Voter codes -> actors, as for `read_votes`.
        progress: Told how the import goes: reading, building, writing.

    Raises:
        ValidationError: as `read_votes`, or the events do not fit the store.
        TimelineError: a file cannot be read.
    """
    first, last = (sessions, sessions) if isinstance(sessions, int) else sessions or (None, None)
    only = VoteFilter(resolutions=resolution, first_session=first, last_session=last,
                      since=optional_date(since), until=optional_date(until), topics=topic)
    read = read_votes(votes, roll_calls, registry=timeline.registry, issues=issues,
                      layout=layout, only=only, codes=codes, progress=progress)
    plan = plan_import(timeline, read.events)
    declare = [a for a in read.declare if not timeline.registry.has_actor(a.id)]
    if progress is not None:
        progress("writing", 0, len(plan.events))
    timeline.extend(plan.events, declare=declare)
    if progress is not None:
        progress("writing", len(plan.events), len(plan.events))
    notes = [] if read.events else ["no roll call passed the filters"]
    if read.without_votes:
        notes.append(f"{read.without_votes} roll calls without a vote in {votes} left out")
    return plan.report(timeline, len(read.events), declare, notes)
