"""How often states vote alike: agreement between pairs of actors over roll calls, from every
actor's ballots as one matrix.

Three measures, each over the roll calls on which both actors cast a vote (yes, no or
abstain; a roll call on which either was absent, or had no vote because it was not yet a
member, counts for neither):

* ``agree``: the share of identical votes, an abstention beside a yes or a no counting as
  half an agreement (Voeten's agreement index, as in Bailey, Strezhnev and Voeten, 2017);
* ``identical``: the share of identical votes, an abstention only matching an abstention;
* ``s``: Signorino and Ritter's S score, ``1 - 2 d / n``: ``d`` the summed distance between
  the two votes on the scale yes 1, abstain 0.5, no 0 (its maximum distance 1), over ``n``
  roll calls; from -1 (always opposed) to 1 (always alike). Over the same roll calls it is
  ``2 agree - 1``.

The counts are matrix products of one-hot ballots (states x roll calls), so every pair of
many states comes at once; numpy is imported when one is asked for.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol, get_args

import attrs

from cybertimeline._model.ballots import Ballots
from cybertimeline._model.dates import Date, DateLike
from cybertimeline._model.markup import Markup, block, escape, table
from cybertimeline._model.registry import Registry
from cybertimeline._model.wording import aligned, counted
from cybertimeline._reports.answers import Answers
from cybertimeline.errors import ValidationError

if TYPE_CHECKING:
    import numpy.typing as npt
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["AGREEMENT_FIELDS", "MEASURES", "Agreement", "BallotAnswers", "Measure", "PairScore",
           "agreement", "roll_calls", "session_of"]

Measure = Literal["agree", "identical", "s"]
MEASURES: tuple[Measure, ...] = get_args(Measure)
Period = Literal["year", "session"]
PERIODS: tuple[Period, ...] = get_args(Period)

_SCALE = {"yes": 1.0, "abstain": 0.5, "no": 0.0}
"""The votes that count, on the scale of the S score; any other option (``absent``) does not."""

AGREEMENT_FIELDS = ("a", "b", "period", "score", "votes")
"""The keys of a row of `Agreement.rows` (and the CSV columns of ``agreement``)."""

_POPCOUNT: Any = None
"""The number of bits set in each byte (a numpy array, made when first needed)."""

_SYMBOL = re.compile(r"(?:A/RES/|R/)(\d+)/")
_SPECIAL = re.compile(r"E?SS/")


def session_of(resolution: str, day: dt.date) -> int:
    """The General Assembly's regular session of a roll call, as Voeten's data numbers it.

    A regular session opens in September and sits into the next year: from its day, the
    session of that September, or of the September before (the first sat through 1946).
    A special or emergency special session (``SS/``, ``ESS/``) counts in the regular
    session of its year's September. Where a resolution's symbol names a session
    (``A/RES/74/247``, ``R/1/66``) within one of the day's, the symbol's.
    """
    regular = max(1, day.year - 1946 + (day.month >= 9))
    if _SPECIAL.match(resolution):
        return day.year - 1945
    found = _SYMBOL.match(resolution)
    if found is not None and abs(int(found[1]) - regular) <= 1:
        return int(found[1])
    return regular


class BallotAnswers(Answers, Protocol):
    """What agreement asks of a timeline beyond reports' questions: the known roll calls."""

    def _known_ballots(self, known_at: DateLike | None) -> Ballots:
        ...


@attrs.frozen
class PairScore:
    """The agreement of two actors over one period (every roll call asked about, if
    ``period`` is None): the score (None where they never both voted) and on how many roll
    calls both voted."""

    a: str
    b: str
    period: int | None
    score: float | None
    votes: int

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class Agreement:
    """Pairwise agreement of actors' votes: a score per pair (and per period, with ``by``).

    ``str()`` gives a table, Jupyter an HTML table; `to_frame` a pandas frame (a row per
    pair and period), `matrix` the actors x actors table, `plot` the scores over time.
    """

    actors: tuple[str, ...]
    measure: Measure
    by: Period | None
    since: Date | None
    until: Date | None
    known_at: Date | None
    topics: tuple[str, ...]
    roll_calls: int
    """How many roll calls were asked about (before any pair's absences)."""
    scores: tuple[PairScore, ...]
    registry: Registry = attrs.field(eq=False, repr=False)

    @property
    def value(self) -> float | None:
        """The one score of one pair over the whole window (without ``by``)."""
        if len(self.scores) != 1 or self.by is not None:
            raise TypeError("value is the score of one pair over the whole window: "
                            "use scores, to_frame() or matrix() for more")
        return self.scores[0].score

    def __iter__(self) -> Iterator[PairScore]:
        return iter(self.scores)

    def __len__(self) -> int:
        return len(self.scores)

    def to_dict(self) -> dict[str, Any]:
        return {"actors": list(self.actors), "measure": self.measure, "by": self.by,
                "since": _text(self.since), "until": _text(self.until),
                "known_at": _text(self.known_at), "topics": list(self.topics),
                "roll_calls": self.roll_calls, "scores": [s.to_dict() for s in self.scores]}

    def rows(self) -> list[dict[str, Any]]:
        """A row per pair and period: ``a``, ``b``, ``period``, ``score``, ``votes``."""
        return [s.to_dict() for s in self.scores]

    def to_frame(self) -> pd.DataFrame:
        """A pandas frame, a row per pair and period: ``a``, ``b``, ``period``, ``score``
        (NaN where the pair never both voted), ``votes``."""
        import pandas as pd

        return pd.DataFrame(self.rows(), columns=list(AGREEMENT_FIELDS))

    def matrix(self) -> pd.DataFrame:
        """The actors x actors table of scores (1 on the diagonal where an actor voted at
        all), over the whole window: without ``by`` only."""
        import numpy as np
        import pandas as pd

        if self.by is not None:
            raise TypeError("matrix() is over the whole window: ask without by")
        frame = pd.DataFrame(np.nan, index=list(self.actors), columns=list(self.actors))
        for s in self.scores:
            frame.loc[s.a, s.b] = frame.loc[s.b, s.a] = np.nan if s.score is None else s.score
        return frame

    def plot(self, title: str | None = None) -> Figure:
        """The scores over time, a line per pair (needs matplotlib and ``by``)."""
        if self.by is None:
            raise TypeError("plot() draws scores over time: ask with by='year' or 'session'")
        from cybertimeline._reports.drawing import require_matplotlib

        require_matplotlib()
        from matplotlib.figure import Figure

        figure = Figure(figsize=(8, 4.5))
        axes = figure.subplots()
        for (a, b), points in _by_pair(self.scores).items():
            kept = [(s.period or 0, s.score) for s in points if s.score is not None]
            axes.plot([p for p, _ in kept], [v for _, v in kept], marker=".", label=f"{a}-{b}")
        axes.set_xlabel(self.by)
        axes.set_ylabel(_MEASURE_NAMES[self.measure])
        axes.set_ylim(-1.05 if self.measure == "s" else -0.05, 1.05)
        axes.grid(alpha=0.3)
        if len(_by_pair(self.scores)) <= 12:
            axes.legend(fontsize="small")
        axes.set_title(title or self._title())
        figure.tight_layout()
        return figure

    def _title(self) -> str:
        window = ("all roll calls" if self.since is None and self.until is None
                  else f"roll calls from {self.since}" if self.until is None
                  else f"roll calls to {self.until}" if self.since is None
                  else f"roll calls from {self.since} to {self.until}")
        topics = f", on {', '.join(self.topics)}" if self.topics else ""
        return f"{_MEASURE_NAMES[self.measure]}, {window}{topics}"

    def _table(self) -> tuple[list[str], list[list[str]]]:
        header = ["A", "B", *([self.by.upper()] if self.by else []), "SCORE", "VOTES"]
        rows = [[s.a, s.b, *([str(s.period)] if self.by else []),
                 "-" if s.score is None else f"{s.score:.3f}", str(s.votes)]
                for s in self.scores]
        return header, rows

    def __str__(self) -> str:
        header, rows = self._table()
        head = (f"{self._title()}: {counted(len(self.actors), 'actor')}, "
                f"{counted(self.roll_calls, 'roll call')}")
        return "\n".join([head, *(f"  {line}" for line in aligned([header, *rows]))])

    def _repr_html_(self) -> str:
        header, rows = self._table()
        head = Markup(f"<p><strong>{escape(self._title())}</strong>: "
                      f"{escape(counted(self.roll_calls, 'roll call'))}</p>")
        return block("agreement", head, table(header, rows))


_MEASURE_NAMES = {"agree": "agreement (abstention as half)", "identical": "identical votes",
                  "s": "S score"}


def _text(date: Date | None) -> str | None:
    return None if date is None else str(date)


def _by_pair(scores: Iterable[PairScore]) -> dict[tuple[str, str], list[PairScore]]:
    found: dict[tuple[str, str], list[PairScore]] = {}
    for s in scores:
        found.setdefault((s.a, s.b), []).append(s)
    return found


def agreement(
    timeline: BallotAnswers,
    *actors: str,
    group: str | None = None,
    since: DateLike | None = None,
    until: DateLike | None = None,
    known_at: DateLike | None = None,
    topic: str | Collection[str] | None = None,
    measure: Measure = "agree",
    by: Period | None = None,
) -> Agreement:
    """How often actors voted alike, pair by pair, over the known roll calls.

    Args:
        actors: Two actors or more (ids or names), or none with ``group``.
        group: Every member of this group (``EU``) as of ``until`` (of the record, without
            it): a matrix of its members.
        since: Only roll calls from this date's first day.
        until: Only roll calls to this date's last day.
        known_at: The record as it stood on this day.
        topic: Only roll calls on this topic (or one of these), as their events' ``topic``
            or tags give it (``human-rights``, ``ict-security``).
        measure: ``agree`` (abstention as half), ``identical`` or ``s`` (the S score).
        by: ``year`` or ``session`` (the General Assembly's regular session): a score per
            pair and period.

    Raises:
        UnknownActorError: an actor or the group is not known.
        ValidationError: fewer than two actors, an unknown measure or period, or ``since``
            after ``until``.
    """
    chosen = _chosen(timeline, actors, group, until, known_at)
    if measure not in MEASURES:
        raise ValidationError([f"unknown measure {measure!r}: give one of "
                               f"{', '.join(MEASURES)}"])
    if by is not None and by not in PERIODS:
        raise ValidationError([f"unknown period {by!r}: give one of {', '.join(PERIODS)}"])
    start = None if since is None else Date.coerce(since)
    end = None if until is None else Date.coerce(until)
    if start is not None and end is not None and start.earliest > end.latest:
        raise ValidationError([f"since ({since}) is after until ({until}): swap them"])
    topics = (() if topic is None else (topic,) if isinstance(topic, str)
              else tuple(sorted(topic)))
    ballots = timeline._known_ballots(known_at)
    ranks = roll_calls(timeline, ballots, start, end, known_at, topics)
    periods = _periods(ballots, ranks, by)
    scores = _scores(ballots, chosen, ranks, periods, measure)
    return Agreement(actors=tuple(chosen), measure=measure, by=by, since=start, until=end,
                     known_at=None if known_at is None else Date.coerce(known_at),
                     topics=topics, roll_calls=len(ranks), scores=tuple(scores),
                     registry=timeline.registry)


def _chosen(timeline: Answers, actors: Sequence[str], group: str | None,
            until: DateLike | None, known_at: DateLike | None) -> list[str]:
    if actors and group is not None:
        raise TypeError("give actors or a group, not both")
    if group is not None:
        chosen = list(timeline.members(group, as_of=until, known_at=known_at))
        if len(chosen) < 2:
            raise ValidationError([f"{group} has {counted(len(chosen), 'member')} as of "
                                   f"{until or 'the end of the record'} in this store: "
                                   f"agreement needs two actors or more"])
        return chosen
    chosen = list(dict.fromkeys(timeline.registry.resolve(a) for a in actors))
    if len(chosen) < 2:
        raise ValidationError(["agreement needs two actors or more (or a group)"])
    return chosen


def roll_calls(timeline: Answers, ballots: Ballots, start: Date | None, end: Date | None,
                known_at: DateLike | None, topics: Sequence[str]) -> npt.NDArray[Any]:
    """The ranks of the roll calls asked about: in the window, on the topics."""
    import bisect

    import numpy as np

    latest = ballots.entries.latest
    first = 0 if start is None else bisect.bisect_left(latest, start.earliest)
    last = len(latest) if end is None else bisect.bisect_right(latest, end.latest)
    ranks = np.arange(first, max(first, last))
    if topics:
        wanted = set(topics)
        ids = {e.id for e in timeline.events(kind="vote", since=start, until=end,
                                             known_at=known_at)
               if wanted & {getattr(e, "topic", None), *e.tags}}
        entry_ids = ballots.entries.ids
        ranks = np.array([r for r in ranks.tolist() if entry_ids[r] in ids], dtype=np.intp)
    return ranks


def _periods(ballots: Ballots, ranks: npt.NDArray[Any], by: Period | None
             ) -> list[tuple[int | None, npt.NDArray[Any]]]:
    """The roll calls of each period, in order of periods (all of them as one, without
    ``by``)."""
    if by is None:
        return [(None, ranks)]
    entries = ballots.entries
    grouped: dict[int, list[int]] = {}
    for rank in ranks.tolist():
        day = entries.latest[rank]
        label = day.year if by == "year" else session_of(entries.keys[rank], day)
        grouped.setdefault(label, []).append(rank)
    import numpy as np

    return [(label, np.array(found, dtype=np.intp)) for label, found in sorted(grouped.items())]


def _scores(ballots: Ballots, actors: Sequence[str], ranks: npt.NDArray[Any],
            periods: Sequence[tuple[int | None, npt.NDArray[Any]]], measure: Measure
            ) -> list[PairScore]:
    import numpy as np

    columns = [ballots.column.get(a) for a in actors]
    present = [c for c in columns if c is not None]
    codes = np.zeros((len(ballots), len(actors)), dtype=ballots.codes.dtype)
    if present:
        codes[:, [i for i, c in enumerate(columns) if c is not None]] = (
            ballots.codes[:, present])
    options = {option: [code + 1 for code, v in enumerate(ballots.values) if v == option]
               for option in _SCALE}
    found: list[PairScore] = []
    for label, chosen in periods:
        counts = _pair_counts(codes[chosen].T, options)
        for i in range(len(actors)):
            for j in range(i + 1, len(actors)):
                n, same, half, opposed = (int(c[i, j]) for c in counts)
                found.append(PairScore(actors[i], actors[j], label,
                                       _score(measure, n, same, half, opposed), n))
    return found


def _pair_counts(cells: npt.NDArray[Any], options: dict[str, list[int]]
                 ) -> tuple[npt.NDArray[Any], ...]:
    """For every pair of rows of ``cells`` (actors x roll calls, codes): on how many roll
    calls both voted, voted alike, one abstained beside a yes or no, they were opposed.

    Each actor's yes, abstain and no are bit sets (8 roll calls a byte); a count is the
    popcount of an AND, row against every row. No matrix product: BLAS's threads make a
    small product slow on a busy machine, and these counts are exact integers.
    """
    import numpy as np

    global _POPCOUNT
    if _POPCOUNT is None:
        table = np.array([bin(b).count("1") for b in range(256)], dtype=np.uint8)
        # numpy 2 counts bits itself; numpy 1.26 looks each byte up.
        _POPCOUNT = getattr(np, "bitwise_count", table.__getitem__)
    yes, abstain, no = (np.packbits(np.isin(cells, options[o]), axis=1)
                        for o in ("yes", "abstain", "no"))
    voted, decided = yes | abstain | no, yes | no
    k = len(cells)
    both, same, half, opposed = (np.zeros((k, k), dtype=np.int64) for _ in range(4))

    def count(bits: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return _POPCOUNT(bits).sum(axis=1, dtype=np.int64)  # type: ignore[no-any-return]

    for i in range(k):
        both[i] = count(voted[i] & voted)
        same[i] = count(yes[i] & yes) + count(abstain[i] & abstain) + count(no[i] & no)
        half[i] = count(abstain[i] & decided) + count(decided[i] & abstain)
        opposed[i] = count(yes[i] & no) + count(no[i] & yes)
    return both, same, half, opposed


def _score(measure: Measure, n: int, same: int, half: int, opposed: int) -> float | None:
    if n == 0:
        return None
    if measure == "identical":
        return float(same / n)
    if measure == "agree":
        return float((same + half / 2) / n)
    return float(1 - 2 * (half / 2 + opposed) / n)

