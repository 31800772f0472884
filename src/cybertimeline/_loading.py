"""Opening stores: the bundled dataset, a folder, a new store."""

from __future__ import annotations

from pathlib import Path

from ._folder import FolderStore, bundled_events_path
from ._timeline import Timeline

__all__ = ["create", "load"]


def load(path: str | Path | None = None) -> Timeline:
    """Load a store whole: the bundled dataset when ``path`` is None, else a folder of TOML files.

    Loading is all or nothing: every problem in every file is collected and
    raised together.

    Raises:
        ValidationError: the store holds invalid events; each problem names file and line.
        TimelineError: there is no store at ``path``.
    """
    if path is None:
        return Timeline(store=FolderStore(bundled_events_path(), read_only=True))
    return Timeline(store=FolderStore(path))


def create(path: str | Path) -> Timeline:
    """Make a new, empty store at ``path`` (a new or empty folder) and open it.

    Raises:
        TimelineError: ``path`` exists and is not an empty folder.
    """
    return Timeline(store=FolderStore.create(path))
