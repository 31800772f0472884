"""Opening stores as timelines: the bundled dataset, a folder, JSON Lines or SQLite; copies."""

from __future__ import annotations

import shutil
from pathlib import Path

from cybertimeline._model.events import Event
from cybertimeline._stores.base import must_be_new
from cybertimeline._stores.folder import FolderStore
from cybertimeline._stores.jsonl import JsonlStore
from cybertimeline._stores.opening import bundled_store, open_store
from cybertimeline._stores.postgres import PostgresStore, is_url
from cybertimeline._stores.sqlite import SqliteStore
from cybertimeline._timeline.timeline import Clock, Timeline, utc_today

__all__ = ["copy_into", "create", "load"]


def load(path: str | Path | None = None, *, clock: Clock = utc_today) -> Timeline:
    """Open a store: the bundled dataset when ``path`` is None, else a folder of TOML files,
    a JSON Lines file (``.jsonl``), a SQLite file (``.sqlite``, ``.db``) or a PostgreSQL
    server (``postgresql://user@host/database``, with ``?schema=NAME`` for a schema other
    than ``cybertimeline``; needs ``pip install 'cybertimeline[postgres]'``).

    A folder or JSON Lines file is loaded whole or not at all: every problem in
    every file is collected and raised together. A SQLite or PostgreSQL store is
    opened, not read: queries read only the rows they need. ``clock`` gives the day
    that `Timeline.append` stamps on an event without ``recorded`` (today, UTC).

    Raises:
        ValidationError: the store holds invalid events; each problem names file and line.
        TimelineError: there is no store at ``path``, or its server cannot be reached.
    """
    store = bundled_store() if path is None else open_store(path)
    return Timeline(store=store, clock=clock)


def create(path: str | Path, *, clock: Clock = utc_today) -> Timeline:
    """Make a new, empty store at ``path`` and open it: SQLite for ``.sqlite`` or ``.db``,
    JSON Lines for ``.jsonl``, the tables of a store on a PostgreSQL server for a
    ``postgresql://`` URL (in an existing database), else a folder (new or empty).
    ``clock`` as for `load`.

    Raises:
        TimelineError: something already exists at ``path`` (or in the URL's schema).
    """
    return Timeline(store=open_store(path, new=True), clock=clock)


def copy_into(source: Timeline, destination: str | Path) -> Timeline:
    """Copy every event of ``source`` (corrected ones too) and its registry into a new store.

    The kind of store follows the destination's suffix, as in `create`.
    The copy is lossless: loading it gives the same events and registry.

    Raises:
        TimelineError: something already exists at ``destination``.
    """
    events = list(source.events(include_corrected=True))
    if is_url(destination):
        return _copy_to_server(events, source, str(destination))
    target = Path(destination)
    must_be_new(target)
    existed = target.exists()  # an empty folder: keep it if the copy fails
    try:
        store = open_store(target, new=True)
        assert isinstance(store, SqliteStore | FolderStore | JsonlStore | PostgresStore)
        store.fill(events, source.registry)
        store.close()
        return Timeline(store=open_store(target))
    except BaseException:
        _remove_copy(target, keep_folder=existed)  # the destination was new: leave no half copy
        raise


def _copy_to_server(events: list[Event], source: Timeline, url: str) -> Timeline:
    """Copy into a new store on a PostgreSQL server; if the copy fails, drop its tables."""
    store = PostgresStore.create(url)
    try:
        store.fill(events, source.registry)
    except BaseException:
        store.discard()
        raise
    store.close()
    return Timeline(store=PostgresStore(url))


def _remove_copy(target: Path, *, keep_folder: bool) -> None:
    if target.is_dir():
        for child in target.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
        if not keep_folder:
            target.rmdir()
    else:
        for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
