"""Opening stores as timelines: the bundled dataset, a folder, JSON Lines or SQLite; copies."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from cybertimeline._stores.atomic import publish, temporary_name
from cybertimeline._stores.base import FileStore, must_be_new, sized_json
from cybertimeline._stores.files import storage_error
from cybertimeline._stores.opening import bundled_store, open_store, store_kind
from cybertimeline._stores.suffixes import is_url
from cybertimeline._timeline.timeline import Clock, Timeline, utc_today
from cybertimeline.errors import TimelineError

if TYPE_CHECKING:
    from cybertimeline._model.events import Event

__all__ = ["building", "copy_into", "create", "load"]


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
    The copy is lossless: loading it gives the same events and registry. It is
    built under a hidden temporary name beside the destination and given its
    name only once whole, so a copy that fails or is killed leaves nothing that
    looks like a store; a destination that appears meanwhile is never replaced.

    Raises:
        TimelineError: something already exists at ``destination`` (or appeared there
            during the copy), or the copy cannot be written.
        ValidationError: an event is over the size limit of every store.
    """
    events = list(source.events(include_corrected=True))
    for event in events:
        sized_json([event])
    if is_url(destination):
        return _copy_to_server(events, source, str(destination))
    with building(destination) as (store, _):
        store.fill(events, source.registry)
    return Timeline(store=open_store(destination))


@contextlib.contextmanager
def building(destination: str | Path, *,
             clock: Clock = utc_today) -> Iterator[tuple[FileStore, Timeline]]:
    """A new store of files, built under a hidden temporary name beside ``destination`` and
    given its name only when the block ends without error; removed if it raises.

    Nobody else can write to the store while it is built (it has no name they know),
    so removing it when the block fails removes nothing that was confirmed to anyone;
    a store that appeared at ``destination`` meanwhile is never replaced.

    Raises:
        TimelineError: something is at ``destination`` already or appeared there meanwhile,
            or the store cannot be written.
    """
    target = Path(destination)
    kind = store_kind(destination, new=True)
    must_be_new(target)
    temporary = temporary_name(target)
    try:
        store = open_store(temporary, new=True, kind=kind)
        timeline = Timeline(store=store, clock=clock)
        try:
            yield store, timeline
        finally:
            timeline.close()
        publish(temporary, target)
    except FileExistsError:
        raise TimelineError(f"{target}: already exists (it appeared while the store was "
                            f"built); nothing was replaced: choose a new path, or run again "
                            f"to add to it") from None
    except OSError as exc:
        raise storage_error(target, "write the new store", exc) from None
    finally:
        _remove(temporary)


def _copy_to_server(events: list[Event], source: Timeline, url: str) -> Timeline:
    """Copy into a new store on a PostgreSQL server: its tables made and filled in one
    transaction, so a copy that fails commits nothing, and drops nothing."""
    from cybertimeline._stores.postgres import PostgresStore  # psycopg: only for servers

    PostgresStore.create(url, (events, source.registry)).close()
    return Timeline(store=PostgresStore(url))


def _remove(temporary: Path) -> None:
    """Remove what is left of a copy under its temporary name."""
    import shutil  # here: shutil imports the archive modules, which no query needs

    if temporary.is_dir() and not temporary.is_symlink():
        shutil.rmtree(temporary, ignore_errors=True)
    for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm"),
                     Path(f"{temporary}-journal"), Path(f"{temporary}.lock"),
                     Path(f"{temporary}.pending")):
        if not leftover.is_dir():
            leftover.unlink(missing_ok=True)
