"""Opening stores: the bundled dataset, a folder, a JSON Lines or SQLite file, a new store."""

from __future__ import annotations

from pathlib import Path

from cybertimeline._stores.base import Store
from cybertimeline._stores.folder import FolderStore, bundled_events_path
from cybertimeline._stores.jsonl import SUFFIXES as JSONL_SUFFIXES
from cybertimeline._stores.jsonl import JsonlStore
from cybertimeline._stores.sqlite import SUFFIXES as SQLITE_SUFFIXES
from cybertimeline._stores.sqlite import SqliteStore
from cybertimeline._timeline.timeline import Clock, Timeline, utc_today
from cybertimeline.errors import TimelineError

__all__ = ["create", "load", "open_store"]


def open_store(path: str | Path, *, new: bool = False) -> Store:
    """The store at ``path``: SQLite for ``.sqlite``/``.sqlite3``/``.db``, JSON Lines for
    ``.jsonl``/``.ndjson``, else a folder of TOML files. With ``new``, create it first."""
    target = Path(path)
    suffix = target.suffix.lower()
    if new and suffix and suffix not in (*SQLITE_SUFFIXES, *JSONL_SUFFIXES):
        raise TimelineError(
            f"{target}: a new store is a folder (a path without a suffix), a JSON Lines file "
            f"({', '.join(JSONL_SUFFIXES)}) or a SQLite file ({', '.join(SQLITE_SUFFIXES)}); "
            f"{suffix!r} is none of these"
        )
    if suffix in SQLITE_SUFFIXES:
        return SqliteStore.create(target) if new else SqliteStore(target)
    if suffix in JSONL_SUFFIXES:
        return JsonlStore.create(target) if new else JsonlStore(target)
    return FolderStore.create(target) if new else FolderStore(target)


def load(path: str | Path | None = None, *, clock: Clock = utc_today) -> Timeline:
    """Open a store: the bundled dataset when ``path`` is None, else a folder of TOML files,
    a JSON Lines file (``.jsonl``) or a SQLite file (``.sqlite``, ``.db``).

    A folder or JSON Lines file is loaded whole or not at all: every problem in
    every file is collected and raised together. A SQLite store is opened, not
    read: queries read only the rows they need. ``clock`` gives the day that
    `Timeline.append` stamps on an event without ``recorded`` (today, UTC).

    Raises:
        ValidationError: the store holds invalid events; each problem names file and line.
        TimelineError: there is no store at ``path``.
    """
    if path is None:
        return Timeline(store=FolderStore(bundled_events_path(), read_only=True), clock=clock)
    return Timeline(store=open_store(path), clock=clock)


def create(path: str | Path, *, clock: Clock = utc_today) -> Timeline:
    """Make a new, empty store at ``path`` and open it: SQLite for ``.sqlite`` or ``.db``,
    JSON Lines for ``.jsonl``, else a folder (new or empty). ``clock`` as for `load`.

    Raises:
        TimelineError: something already exists at ``path``.
    """
    return Timeline(store=open_store(path, new=True), clock=clock)
