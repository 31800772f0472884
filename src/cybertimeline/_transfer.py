"""Copying a whole store into another of any kind: folder, JSON Lines, SQLite."""

from __future__ import annotations

from pathlib import Path

from ._folder import FolderStore
from ._jsonl import SUFFIXES as JSONL_SUFFIXES
from ._jsonl import write_jsonl
from ._loading import open_store
from ._sqlite import SqliteStore
from ._store import must_be_new
from ._timeline import Timeline

__all__ = ["copy_into"]


def copy_into(source: Timeline, destination: str | Path) -> Timeline:
    """Copy every event of ``source`` (corrected ones too) and its registry into a new store.

    The kind of store follows the destination's suffix, as in `create`.
    The copy is lossless: loading it gives the same events and registry.

    Raises:
        TimelineError: something already exists at ``destination``.
    """
    events = list(source.events(include_corrected=True))
    target = Path(destination)
    must_be_new(target)
    if target.suffix.lower() in JSONL_SUFFIXES:
        write_jsonl(target, events, source.registry)
    else:
        store = open_store(target, new=True)
        assert isinstance(store, SqliteStore | FolderStore)
        store.extend(events, source.registry)
    return Timeline(store=open_store(target))
