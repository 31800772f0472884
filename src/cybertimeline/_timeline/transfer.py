"""Copying a whole store into another of any kind: folder, JSON Lines, SQLite."""

from __future__ import annotations

import shutil
from pathlib import Path

from cybertimeline._stores.base import must_be_new
from cybertimeline._stores.folder import FolderStore
from cybertimeline._stores.jsonl import SUFFIXES as JSONL_SUFFIXES
from cybertimeline._stores.jsonl import write_jsonl
from cybertimeline._stores.sqlite import SqliteStore
from cybertimeline._timeline.loading import open_store
from cybertimeline._timeline.timeline import Timeline

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
    existed = target.exists()  # an empty folder: keep it if the copy fails
    try:
        if target.suffix.lower() in JSONL_SUFFIXES:
            write_jsonl(target, events, source.registry)
        else:
            store = open_store(target, new=True)
            assert isinstance(store, SqliteStore | FolderStore)
            store.extend(events, source.registry)
            if isinstance(store, SqliteStore):
                store.close()
        return Timeline(store=open_store(target))
    except BaseException:
        _remove_copy(target, keep_folder=existed)  # the destination was new: leave no half copy
        raise


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
