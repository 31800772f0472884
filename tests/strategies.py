"""Shared Hypothesis strategies: EDTF dates, sources, events of every kind, whole timelines.

Actors come from a small pool of real ISO codes and built-in ids so that
generated events collide on the same actors and instruments, which is where
positions, supersessions and the canonical order get interesting.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._model.events import KINDS as MODEL_KINDS

STATES = ("CAN", "KOR", "USA", "JPN", "DEU", "FRA")
BODIES = ("UNGA", "AHC")
GROUPS = ("EU", "AHC")
ACTORS = (*STATES, "EU", "UNGA", "AHC")
INSTRUMENTS = ("budapest-convention", "budapest-protocol-2", "untoc", "un-cybercrime-convention")
RESOLUTIONS = ("A/RES/74/247", "A/RES/75/282", "A/RES/79/243")
TOPICS = ("budapest-convention", "un-cybercrime-treaty", "data-retention")
QUALIFIERS = ("", "?", "~", "%")

TREATY_ACTS: tuple[type[Any], ...] = (
    ct.Signature,
    ct.Ratification,
    ct.Accession,
    ct.Acceptance,
    ct.Approval,
    ct.Succession,
    ct.EntryIntoForce,
    ct.Withdrawal,
)
_CLASSES: dict[str, type[Any]] = dict(MODEL_KINDS)
KINDS = tuple(_CLASSES)
"""Every kind of the model (`Event`), in its order: `_by_kind` refuses one it cannot draw,
so a new kind fails here until it has a strategy."""

# Text that TOML and JSON can both carry: no surrogates.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
NON_EMPTY_TEXT = TEXT.filter(lambda s: s.strip() != "")
SLUGS = st.from_regex(r"[a-z0-9][a-z0-9-]{0,11}", fullmatch=True)


# -- dates ----------------------------------------------------------------------------------


@st.composite
def point_texts(draw: st.DrawFn, min_year: int = 1990, max_year: int = 2030) -> str:
    """One end of an EDTF date: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, maybe qualified."""
    year = draw(st.integers(min_year, max_year))
    precision = draw(st.sampled_from(("year", "month", "day")))
    text = f"{year:04d}"
    if precision != "year":
        month = draw(st.integers(1, 12))
        text += f"-{month:02d}"
        if precision == "day":
            day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
            text += f"-{day:02d}"
    return text + draw(st.sampled_from(QUALIFIERS))


def _bounds(text: str) -> tuple[dt.date, dt.date]:
    """The earliest and latest day of a point text, computed here, not by the library."""
    parts = [int(p) for p in text.rstrip("?~%").split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], last)
    day = dt.date(*parts)
    return day, day


@st.composite
def date_texts(
    draw: st.DrawFn, min_year: int = 1990, max_year: int = 2030, intervals: bool = True
) -> str:
    """Canonical EDTF text: a point, or an interval ``A/B`` whose start is not after its end."""
    first = draw(point_texts(min_year, max_year))
    if not intervals or not draw(st.booleans()):
        return first
    second = draw(point_texts(min_year, max_year))
    if _bounds(first)[0] > _bounds(second)[1]:
        first, second = second, first
    return f"{first}/{second}"


def dates(
    min_year: int = 1990, max_year: int = 2030, intervals: bool = True
) -> st.SearchStrategy[ct.Date]:
    """``ct.Date`` values of every precision, with qualifiers and intervals."""
    return date_texts(min_year, max_year, intervals).map(ct.Date.parse)


def days(min_year: int = 1990, max_year: int = 2030) -> st.SearchStrategy[dt.date]:
    """Plain days, for query dates."""
    return st.dates(dt.date(min_year, 1, 1), dt.date(max_year, 12, 31))


def day_dates(min_year: int = 1990, max_year: int = 2030) -> st.SearchStrategy[ct.Date]:
    """Exact days as ``ct.Date`` (what ``recorded`` must be)."""
    return days(min_year, max_year).map(ct.Date.from_date)


def query_dates(min_year: int = 1990, max_year: int = 2030) -> st.SearchStrategy[Any]:
    """What a query accepts: a ``datetime.date``, EDTF text or a ``ct.Date``, partial or not."""
    return st.one_of(
        days(min_year, max_year),
        point_texts(min_year, max_year).map(lambda t: t.rstrip("?~%")),
        dates(min_year, max_year, intervals=False),
    )


# -- sources and events ---------------------------------------------------------------------


def sources() -> st.SearchStrategy[ct.Source]:
    """Sources with a title and any of the optional fields."""
    return st.builds(
        ct.Source,
        title=NON_EMPTY_TEXT,
        publisher=st.none() | TEXT,
        url=st.none() | st.just("https://example.org/doc"),
        published=st.none() | dates(),
        locator=st.none() | TEXT,
        quote=st.none() | TEXT,
    )


SOURCE_POOL = (
    ct.Source(title="Chart of signatures and ratifications of Treaty 185",
              publisher="Council of Europe Treaty Office"),
    ct.Source(title="Press release", publisher="United Nations", published=ct.Date.parse("2019")),
    ct.Source(title="Statement", url="https://example.org/statement"),
)


@st.composite
def _head(
    draw: st.DrawFn, event_id: st.SearchStrategy[str], date: st.SearchStrategy[ct.Date],
    announced: bool, light: bool,
) -> dict[str, Any]:
    """The fields every event has, drawn so that the event is knowable (rule 9).

    ``recorded``, where drawn, is on or after the first day of the date, except for
    kinds announced ahead; where it is left out but a source's ``published`` would
    date the knowledge before the event, an explicit ``recorded`` is drawn instead.
    """
    when = draw(date)
    head: dict[str, Any] = {"id": draw(event_id), "date": when}
    if light:
        # Timelines are about dates, ids and actors: cheap sources keep them fast to generate.
        head["sources"] = draw(st.lists(st.sampled_from(SOURCE_POOL), min_size=1, max_size=2))
    else:
        head["sources"] = draw(st.lists(sources(), min_size=1, max_size=2))
        head["summary"] = draw(st.none() | TEXT)
        head["tags"] = draw(st.lists(SLUGS, max_size=2).map(tuple))
    first = dt.date(1995, 1, 1) if announced else when.earliest
    later = st.dates(first, max(first, dt.date(2035, 12, 31))).map(ct.Date.from_date)
    recorded = draw(st.none() | later)
    published = [s.published.latest for s in head["sources"] if s.published is not None]
    if recorded is None and not announced and published and min(published) < when.earliest:
        recorded = draw(later)
    head["recorded"] = recorded
    return head


@st.composite
def _tallies(draw: st.DrawFn, votes: dict[str, str]) -> ct.Tally | None:
    if not draw(st.booleans()):
        return None
    counts = {o: sum(1 for v in votes.values() if v == o) for o in ("yes", "no", "abstain")}
    return ct.Tally(**{o: n + draw(st.integers(0, 100)) for o, n in counts.items()})


@st.composite
def _votes(draw: st.DrawFn, head: st.SearchStrategy[dict[str, Any]]) -> ct.Vote:
    fields = draw(head)
    votes = draw(st.dictionaries(st.sampled_from(STATES),
                                 st.sampled_from(("yes", "no", "abstain", "absent")),
                                 max_size=4))
    return ct.Vote(
        **fields,
        body=draw(st.sampled_from(BODIES)),
        resolution=draw(st.sampled_from(RESOLUTIONS)),
        votes=votes,
        tally=draw(_tallies(votes)),
        topic=draw(st.none() | st.sampled_from(TOPICS)),
    )


def _adoptions(head: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[ct.Adoption]:
    either = st.one_of(
        st.tuples(st.sampled_from(RESOLUTIONS), st.none()),
        st.tuples(st.none(), st.sampled_from(INSTRUMENTS)),
        st.tuples(st.sampled_from(RESOLUTIONS), st.sampled_from(INSTRUMENTS)),
    )
    tally = st.none() | st.builds(ct.Tally, yes=st.integers(0, 193), no=st.integers(0, 193),
                                  abstain=st.integers(0, 193))
    return st.builds(
        lambda pair, head, **kw: ct.Adoption(resolution=pair[0], instrument=pair[1], **head,
                                             **kw),
        either, head, body=st.sampled_from(BODIES), tally=tally,
    )


def _with_head(cls: type[Any], head: st.SearchStrategy[dict[str, Any]],
               **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.builds(lambda head, **kw: cls(**head, **kw), head, **fields)


def _by_kind(kind: str, common: Callable[[bool], st.SearchStrategy[dict[str, Any]]]
             ) -> st.SearchStrategy[Any]:
    cls = _CLASSES[kind]
    head = common(cls.announced_ahead)
    if cls in TREATY_ACTS:
        # Dates drawn at random break the treaties' sequences (rule 12), which
        # tests/test_sequences.py checks on its own: each generated act says so.
        return _with_head(cls, head, actor=st.sampled_from(ACTORS),
                          instrument=st.sampled_from(INSTRUMENTS),
                          irregular=st.just("generated: its date is drawn at random"))
    if kind == "vote":
        return _votes(head)
    if kind == "adoption":
        return _adoptions(head)
    if kind == "statement":
        return _with_head(ct.Statement, head, actor=st.sampled_from(ACTORS),
                         topic=st.sampled_from(TOPICS),
                         stance=st.sampled_from(("supports", "opposes", "neutral", "mixed")),
                         quote=st.none() | TEXT, venue=st.none() | TEXT)
    if kind == "session":
        return _with_head(ct.Session, head, body=st.sampled_from(BODIES),
                         status=st.sampled_from(("scheduled", "held", "postponed", "cancelled")),
                         title=st.none() | TEXT, location=st.none() | TEXT)
    if kind == "membership":
        return _with_head(ct.Membership, head, actor=st.sampled_from(STATES),
                         group=st.sampled_from(GROUPS), action=st.sampled_from(("join", "leave")),
                         role=st.none() | st.sampled_from(("member", "chair", "observer")))
    if kind == "cooperation":
        return _with_head(ct.Cooperation, head,
                         actors=st.lists(st.sampled_from(ACTORS), min_size=2, max_size=3,
                                         unique=True).map(tuple),
                         form=NON_EMPTY_TEXT)
    if kind == "legislation":
        return _with_head(ct.Legislation, head, actor=st.sampled_from(STATES),
                         title=NON_EMPTY_TEXT)
    if kind == "retraction":
        return _with_head(ct.Retraction, head, retracts=SLUGS, reason=NON_EMPTY_TEXT)
    raise ValueError(kind)


def events(
    kinds: Sequence[str] = KINDS,
    ids: st.SearchStrategy[str] = SLUGS,
    date: st.SearchStrategy[ct.Date] | None = None,
    supersedes: st.SearchStrategy[str | None] | None = None,
    light: bool = False,
) -> st.SearchStrategy[Any]:
    """Events of the given kinds (every kind by default), valid at construction.

    ``light=True`` draws sources from a small pool and leaves out summaries and
    tags, which is faster where only dates, ids and actors matter.
    """
    when = date if date is not None else dates()

    def common(announced: bool) -> st.SearchStrategy[dict[str, Any]]:
        head = _head(ids, when, announced, light)
        if supersedes is None:
            return head
        return st.builds(lambda h, s: {**h, "supersedes": s}, head, supersedes)

    return st.one_of([_by_kind(kind, common) for kind in kinds])


# -- timelines ------------------------------------------------------------------------------

BASE_KINDS = tuple(k for k in KINDS if k != "retraction")


@functools.cache
def _light_events(kinds: tuple[str, ...], min_year: int, max_year: int) -> st.SearchStrategy[Any]:
    """Light events with a placeholder id, built once: timelines draw many of them."""
    return events(kinds=kinds, ids=st.just("placeholder"), date=dates(min_year, max_year),
                  light=True)


@st.composite
def timelines(
    draw: st.DrawFn,
    min_size: int = 0,
    max_size: int = 12,
    corrections: bool = True,
) -> list[Any]:
    """A valid list of events with unique ids: some recorded late, some corrected.

    Corrections (a ``supersedes`` or a ``Retraction``) point at earlier
    events, corrections included, so there are chains but no cycles; each is
    recorded on or after the day its target was recorded.
    """
    size = draw(st.integers(min_size, max_size))
    result: list[Any] = []
    for index in range(size):
        event_id = f"e{index:02d}"
        if corrections and result and draw(st.integers(0, 3)) == 0:
            target = draw(st.sampled_from(result))
            late = draw(st.integers(0, 900))
            day = target.recorded_on + dt.timedelta(days=late)
            if draw(st.booleans()):
                event = draw(_light_events(BASE_KINDS, 1995, 2030))
                event = attrs.evolve(event, id=event_id, supersedes=target.id,
                                     recorded=_knowable(event, day))
            else:
                event = draw(_light_events(("retraction",), 1995, 2030))
                event = attrs.evolve(event, id=event_id, retracts=target.id,
                                     recorded=_knowable(event, day))
        else:
            event = attrs.evolve(draw(_light_events(BASE_KINDS, 2000, 2025)), id=event_id)
        result.append(event)
    return result


def _knowable(event: Any, day: dt.date) -> ct.Date:
    """``day``, or the event's first day if that is later and the event is not announced
    ahead: a correction is recorded on or after its target and when it can be known."""
    if not event.announced_ahead:
        day = max(day, event.date.earliest)
    return ct.Date.from_date(day)
