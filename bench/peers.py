"""What a user would otherwise pick: the peers the benchmark measures cybertimeline against.

* the load floor: orjson parse plus direct attrs construction of the same events;
* pandas as an analyst would use it: one long frame of (actor, section, key) rows,
  filtered, grouped and ``last()``-ed; ``merge_asof`` for a treaty chart;
* pandas in its best form for a whole position: the frame split per actor once,
  categorical columns, ``searchsorted`` on the settled day, the last row per key;
* the ``eventsourcing`` library: one aggregate per actor, rebuilt with
  ``repository.get(id, version=v)`` after a timestamp-to-version look-up (the way
  its documentation emulates point-in-time reads, with a searchable index of
  timestamps); and the same with snapshots, which ``get`` starts from;
* our own naive full fold: every known event settled by the date, folded from scratch.
"""

from __future__ import annotations

import bisect
import datetime as dt
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pandas as pd
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

import cybertimeline as ct
from cybertimeline._model.events import KINDS

__all__ = [
    "EventsourcingPeer",
    "NaiveFold",
    "PandasBest",
    "PandasPeer",
    "direct_event",
    "floor_load",
    "tomllib_load",
]

_CLASSES: dict[str, Any] = dict(KINDS)
"""Every kind of the model, by its tag (Succession too)."""


def direct_event(record: dict[str, Any]) -> ct.Event:
    """An event built straight from its dict with attrs (its validators run, nothing else)."""
    cls = _CLASSES[record.pop("kind")]
    record["date"] = ct.Date.parse(record["date"])
    if "recorded" in record:
        record["recorded"] = ct.Date.parse(record["recorded"])
    record["sources"] = tuple(
        ct.Source(**({**s, "published": ct.Date.parse(s["published"])} if "published" in s
                     else s))
        for s in record["sources"]
    )
    if "tally" in record:
        record["tally"] = ct.Tally(**record["tally"])
    event: ct.Event = cls(**record)
    return event


def floor_load(path: Path) -> list[ct.Event]:
    """The JSON Lines file parsed with orjson, each event line built directly with attrs."""
    events = []
    with path.open("rb") as handle:
        for line in handle:
            record = orjson.loads(line)
            if "kind" in record:
                events.append(direct_event(record))
    return events


def tomllib_load(folder: Path) -> list[dict[str, Any]]:
    """Every ``[[event]]`` table of every TOML file under ``folder``, parsed by tomllib."""
    tables: list[dict[str, Any]] = []
    for path in sorted(folder.rglob("*.toml")):
        with path.open("rb") as handle:
            tables += tomllib.load(handle).get("event", [])
    return tables


class NaiveFold:
    """Our own projection folded from scratch over every known event settled by the date."""

    def __init__(self, timeline: ct.Timeline) -> None:
        self.known = list(timeline.events())  # the known set, in canonical order
        self.latest = [e.date.latest for e in self.known]

    def position(self, actor: str, day: dt.date) -> ct.Position:
        """``ct.fold(ct.PositionProjection(actor), known events settled by day)``."""
        end = bisect.bisect_right(self.latest, day)
        return ct.fold(ct.PositionProjection(actor), self.known[:end])


def _rows(events: Iterable[ct.Event]) -> Iterable[tuple[str, str, str, str, dt.date, str]]:
    for e in events:
        if isinstance(e, ct.Vote):
            for actor, option in e.votes.items():
                yield actor, "votes", e.resolution, option, e.date.latest, e.id
        elif isinstance(e, ct.Statement):
            yield e.actor, "stances", e.topic, e.stance, e.date.latest, e.id
        elif isinstance(e, ct.TreatyAct):
            yield e.actor, "treaties", e.instrument, e.kind, e.date.latest, e.id


class PandasPeer:
    """pandas as an analyst would do it: one long frame, filtered, grouped, last row taken."""

    def __init__(self, timeline: ct.Timeline) -> None:
        frame = pd.DataFrame.from_records(
            list(_rows(timeline.events())),
            columns=["actor", "section", "key", "value", "latest", "id"],
        )
        frame["latest"] = pd.to_datetime(frame["latest"])
        self.frame = frame  # already in canonical order: timeline.events() gives it so
        acts = frame[frame["section"] == "treaties"]
        self.acts = acts.sort_values("latest", kind="stable").reset_index(drop=True)

    def position(self, actor: str, day: dt.date) -> pd.DataFrame:
        """That actor's rows up to the date, grouped by (section, key), the last of each."""
        frame = self.frame
        rows = frame[(frame["actor"] == actor) & (frame["latest"] <= pd.Timestamp(day))]
        return rows.groupby(["section", "key"], sort=False).last()

    def chart(self, instrument: str, day: dt.date, actors: Sequence[str]) -> pd.DataFrame:
        """Every actor's last act on the instrument as of the date, with ``merge_asof``."""
        acts = self.acts[self.acts["key"] == instrument]
        left = pd.DataFrame({"actor": list(actors), "date": pd.Timestamp(day)})
        return pd.merge_asof(left, acts, left_on="date", right_on="latest", by="actor")


class PandasBest:
    """pandas in its best form for an actor's whole position as of a day.

    The long frame split per actor once, for all actors (not timed, like our own
    load); categorical columns; each actor's settled days as a sorted array.
    A query is a ``searchsorted`` for the prefix, then the last row of each
    (section, key): every entry of the position, in one frame.
    """

    def __init__(self, timeline: ct.Timeline) -> None:
        frame = pd.DataFrame.from_records(
            list(_rows(timeline.events())),
            columns=["actor", "section", "key", "value", "latest", "id"],
        )
        for column in ("actor", "section", "key", "value"):
            frame[column] = frame[column].astype("category")
        frame["latest"] = pd.to_datetime(frame["latest"])
        self.frames: dict[str, pd.DataFrame] = {}
        self.days: dict[str, np.ndarray[Any, Any]] = {}
        # Rows are in canonical order, so each actor's settled days are sorted.
        for actor, rows in frame.groupby("actor", observed=True, sort=False):
            rows = rows.drop(columns="actor").reset_index(drop=True)
            self.frames[str(actor)] = rows
            self.days[str(actor)] = rows["latest"].to_numpy()

    def position(self, actor: str, day: dt.date) -> pd.DataFrame:
        """Every entry of the actor's position as of ``day``: one row per (section, key)."""
        end = int(np.searchsorted(self.days[actor], np.datetime64(day, "ns"), side="right"))
        return self.frames[actor].iloc[:end].drop_duplicates(["section", "key"], keep="last")

    def position_dict(self, actor: str, day: dt.date) -> dict[tuple[str, str], tuple[Any, ...]]:
        """`position` as plain Python, what ``Position.to_dict`` is compared with: each
        ``(section, key)``'s value, event id and day."""
        found = self.position(actor, day)
        return dict(zip(zip(found["section"], found["key"], strict=True),
                        zip(found["value"], found["id"], found["latest"], strict=True),
                        strict=True))


class ActorRecord(Aggregate):
    """One actor's record in the eventsourcing library: votes, treaty acts, stances."""

    @event("Opened")
    def __init__(self, actor: str) -> None:
        self.actor = actor
        self.votes: dict[str, str] = {}
        self.treaties: dict[str, list[str]] = {}
        self.stances: dict[str, str] = {}

    @event("Voted")
    def vote(self, resolution: str, option: str) -> None:
        self.votes[resolution] = option

    @event("Acted")
    def act(self, instrument: str, kind: str) -> None:
        self.treaties.setdefault(instrument, []).append(kind)

    @event("Stated")
    def state(self, topic: str, stance: str) -> None:
        self.stances[topic] = stance


class EventsourcingPeer:
    """One eventsourcing aggregate per actor (in its in-memory POPO store).

    A point-in-time read looks up the aggregate version at the date in an
    index of (day, version), as the library's "searchable timestamps" example
    does, then asks ``repository.get(id, version=v)``, which replays the stored
    events up to that version.
    """

    def __init__(self, timeline: ct.Timeline, actors: Iterable[str],
                 snapshot_every: int | None = None) -> None:
        """With ``snapshot_every``, a snapshot of each aggregate every that many versions:
        ``get(id, version=v)`` then starts from the latest snapshot at or before ``v``."""
        env = {"IS_SNAPSHOTTING_ENABLED": "y"} if snapshot_every else {}
        self.app: Application[Any] = Application(env=env)
        self.ids: dict[str, Any] = {}
        self.days: dict[str, list[dt.date]] = {}
        for actor in actors:
            record = ActorRecord(actor=actor)
            days = []
            for e in timeline.events(actor=actor):
                if isinstance(e, ct.Vote) and actor in e.votes:
                    record.vote(e.resolution, e.votes[actor])
                elif isinstance(e, ct.Statement):
                    record.state(e.topic, e.stance)
                elif isinstance(e, ct.TreatyAct):
                    record.act(e.instrument, e.kind)
                else:
                    continue
                days.append(e.date.latest)
            self.app.save(record)
            self.ids[actor] = record.id
            self.days[actor] = days
            if snapshot_every:
                for version in range(snapshot_every, record.version + 1, snapshot_every):
                    self.app.take_snapshot(record.id, version=version)

    def position(self, actor: str, day: dt.date) -> ActorRecord:
        """The aggregate as it stood on ``day``."""
        version = 1 + bisect.bisect_right(self.days[actor], day)  # version 1: opened
        record: ActorRecord = self.app.repository.get(self.ids[actor], version=version)
        return record
