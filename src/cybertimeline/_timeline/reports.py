"""Reports built on a timeline's positions: changelogs, exports, frames.

``Timeline`` inherits these methods; each lives with its own module.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import pandas as pd

    from cybertimeline._reports.changelog import Changelog
    from cybertimeline._reports.plot import Swimlanes
    from cybertimeline._timeline.timeline import DateLike, Timeline


class Reports:
    """The report methods of `Timeline`.

    ``self`` is always a `Timeline`; mypy does not accept that as a
    ``self`` annotation on a base class, hence the casts.
    """

    def changelog(
        self,
        actors: str | Iterable[str] | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
        known_at: DateLike | None = None,
    ) -> Changelog:
        """What changed in actors' positions from ``since`` to ``until``, day by day.

        The changelog starts from each actor's position on the day before
        ``since`` (its first day) and lists every change to it, dated by the
        day its events settled, with the events and sources behind it;
        applying the changes gives the position at ``until`` (its last day).
        It also lists the corrections (supersessions and retractions)
        recorded in the period.

        Args:
            actors: One actor, several, or None for every actor with an event in the period.
            since: The first date of the period; the start of the record if None.
            until: The last date of the period; the end of the record if None.
            known_at: The record as it stood on this day.

        Raises:
            UnknownActorError: an actor is not known.
            DateError: a date is not valid EDTF.
        """
        from cybertimeline._reports.changelog import build_changelog

        return build_changelog(cast("Timeline", self), actors, since, until, known_at)

    def to_timelinejs(
        self,
        actors: str | Iterable[str] | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
        known_at: DateLike | None = None,
        title: str | None = None,
    ) -> dict[str, Any]:
        """The known events as TimelineJS JSON (``json.dumps`` it and open it in TimelineJS).

        Each event is a slide: ``unique_id`` is the event id, ``group`` its
        actor, ``start_date`` and ``end_date`` are filled only as far as the
        date is known (a year, a month, a day), ``display_date`` shows
        qualifiers (uncertain, approximate), and the text is the summary
        followed by the sources.

        Raises:
            UnknownActorError: an actor is not known.
        """
        from cybertimeline._reports.timelinejs import timelinejs

        return timelinejs(cast("Timeline", self), actors, since, until, known_at, title)

    def to_pandas(
        self,
        actor: str | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
        known_at: DateLike | None = None,
    ) -> pd.DataFrame:
        """The known events as a pandas DataFrame, one row per event, in canonical order.

        The columns are those of ``cybertimeline timeline --format csv``
        (see `cybertimeline.ROW_FIELDS`); ``earliest``, ``latest`` and
        ``recorded`` are datetimes. With ``actor``, ``option`` is that
        actor's vote.

        Raises:
            ImportError: pandas is not installed (``pip install 'cybertimeline[pandas]'``).
            UnknownActorError: the actor is not known.
        """
        from cybertimeline._reports.frames import events_frame

        return events_frame(cast("Timeline", self), actor, since, until, known_at)

    def positions_frame(
        self,
        actors: str | Iterable[str],
        dates: Iterable[DateLike],
        known_at: DateLike | None = None,
        possible: bool = False,
    ) -> pd.DataFrame:
        """An as-of panel: one row per actor and date, one column per fact of the positions.

        Columns are paths: ``treaties.<instrument>.status``,
        ``votes.<resolution>`` (the option), ``stances.<topic>``
        (the stance) and ``memberships.<group>`` (the role); a cell is empty
        where the position has no such fact. The index is ``(actor, as_of)``,
        ``as_of`` being the last day of each date (a timestamp). ``actors`` is
        one actor id or several (for a group's members, pass
        ``tl.members(group, as_of=...)``).

        Raises:
            ImportError: pandas is not installed (``pip install 'cybertimeline[pandas]'``).
            UnknownActorError: an actor is not known.
        """
        from cybertimeline._reports.frames import positions_frame

        return positions_frame(cast("Timeline", self), actors, dates, known_at, possible)

    def plot(
        self,
        actors: str | Iterable[str],
        instrument: str | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
        known_at: DateLike | None = None,
        *,
        topics: Iterable[str] | None = None,
        title: str | None = None,
    ) -> Swimlanes:
        """A swimlane chart: one lane per actor, from ``since`` to ``until``.

        Each lane shows the actor's status towards ``instrument`` as coloured
        spans (``signatory``, ``ratified``, ``party``, ``withdrawn``), exactly
        as `position` gives it for each day, and hatched where an act
        dated to a span of days may already have happened (``possible=True``).
        Below it, the actor's votes (its option), statements (its stance) and,
        for a body, its sessions (their status) are marks: a point for a day, a
        bar over the whole span for a partial date such as ``2019-07``.

        ``tl.plot(["CAN", "KOR"], instrument="budapest-convention").save("b.svg")``
        writes the chart; in Jupyter the chart shows itself.

        Args:
            actors: One actor id, or several: one lane each, in this order.
            instrument: The instrument whose status is drawn; no status band if None.
            since: The chart's first day (this date's first); whole years around the events
                if None.
            until: The chart's last day (this date's last); whole years around the events if None.
            known_at: Draw the record as it stood on this day (a dashed line marks it).
            topics: Only votes and statements on these topics (a topic, an instrument or
                a resolution); every one if None.
            title: The chart's title; the instrument and the dates if None.

        Returns:
            A ``Swimlanes``: ``save(path)``, ``figure``, and the ``spans``
            and ``marks`` drawn.

        Raises:
            ImportError: matplotlib is not installed (``pip install 'cybertimeline[plot]'``).
            UnknownActorError: an actor or the instrument is not known.
            TimelineError: there is nothing to draw in the period.
        """
        from cybertimeline._reports.plot import swimlanes

        return swimlanes(cast("Timeline", self), actors, instrument, since, until, known_at,
                         topics, title)
