"""A folder store's contents kept between runs, so that a load of unchanged files parses none.

Parsing and checking TOML is most of what a command on a folder store waits for (about
0.3 s for the bundled dataset); unpickling what the last load produced takes about 10 ms.
The cache is derived and disposable: it is used only when every file of the folder (path,
size, time, inode) and every module of the library are as they were when it was written,
and any doubt (a missing, stale, damaged or foreign file) means a plain load.

It lives in the user's cache folder (``$XDG_CACHE_HOME/cybertimeline``, by default
``~/.cache/cybertimeline``), never in the store's folder: a pickle runs code when loaded,
so one is read only from a folder and a file that the user owns and nobody else can
write. ``CYBERTIMELINE_CACHE`` names another folder, or ``off`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import stat
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from cybertimeline._stores.base import Contents

__all__ = ["CACHE_VARIABLE", "MAX_KEPT", "cache_folder", "cached", "keep"]

CACHE_VARIABLE = "CYBERTIMELINE_CACHE"
"""The environment variable naming the cache folder, or ``off``."""

RACY_SECONDS = 2.0
"""Files changed this recently are not cached: a change within a file system's time
granularity could leave size and time as they were (git's "racily clean" files)."""

MAX_KEPT = 16
"""How many folders' contents the cache keeps, the least recently used removed first."""

_FORMAT = 2
_LIBRARY = Path(__file__).resolve().parents[1]

Files = frozenset[tuple[str, int, int, int]]
"""Every file of a folder with its size, time and inode, as ``folder._tree`` lists them."""


def cache_folder() -> Path | None:
    """Where the cache is kept, or None when ``CYBERTIMELINE_CACHE=off``."""
    chosen = os.environ.get(CACHE_VARIABLE, "")
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cybertimeline"


def cached(root: Path, files: Files | None) -> Contents | None:
    """What the last load of ``root`` produced, if its files and the library are unchanged."""
    path = _cache_file(root)
    if path is None or files is None:
        return None
    try:
        with open(path, "rb") as handle:
            if not (_private(os.fstat(handle.fileno())) and _private(os.stat(path.parent))):
                return None
            if pickle.load(handle) != (_FORMAT, _library_stamp(), files):
                return None  # the contents after it are never read
            located, registry = pickle.load(handle)
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: pruned last
        return Contents.in_memory(located, registry)
    except Exception:  # a damaged or outdated cache is no cache
        return None


def keep(root: Path, files: Files | None, contents: Contents) -> None:
    """Keep ``contents`` for the next load of ``root``, unless a file changed just now.

    Failing to write (a read-only home, a full disk) is not an error: the cache is
    only ever a shortcut.
    """
    path = _cache_file(root)
    if path is None or files is None or _racy(files):
        return
    located = [(contents.index.get(event_id), origin)
               for event_id, origin in contents.origins.items()]
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(os.stat(path.parent)):
            return
        handle = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(handle, "wb") as output:
            pickle.dump((_FORMAT, _library_stamp(), files), output, pickle.HIGHEST_PROTOCOL)
            pickle.dump((located, contents.registry), output, pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        _prune(path.parent)
    except Exception:  # see above
        temporary.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    """Remove all but the `MAX_KEPT` most recently used folders' caches: each folder ever
    loaded (a temporary one, one since deleted) would otherwise keep a file for good."""
    kept = sorted(folder.glob("folder-*.pickle"), key=lambda p: p.stat().st_mtime_ns)
    for stale in kept[:-MAX_KEPT]:
        stale.unlink(missing_ok=True)


def _cache_file(root: Path) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    try:
        where = str(root.resolve())
    except OSError:
        return None
    return folder / f"folder-{hashlib.sha256(where.encode()).hexdigest()[:32]}.pickle"


def _private(state: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (always true where there are no
    owners to check)."""
    if not hasattr(os, "getuid"):
        return True
    return state.st_uid == os.getuid() and not state.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _racy(files: Iterable[tuple[str, int, int, int]]) -> bool:
    recent = time.time_ns() - int(RACY_SECONDS * 1e9)
    return any(mtime_ns > recent for _, _, mtime_ns, _ in files)


@functools.cache
def _library_stamp() -> tuple[str, tuple[tuple[str, int, int], ...]]:
    """The Python version and every file of the library with its size and time: pickled
    objects are only read back by the code that wrote them. Taken once per process, as
    the code it runs is the one it loaded."""
    found = []
    for folder, folders, names in os.walk(_LIBRARY):
        folders[:] = [f for f in folders if f != "__pycache__"]
        for name in names:
            state = os.stat(os.path.join(folder, name))
            found.append((os.path.join(folder, name), state.st_size, state.st_mtime_ns))
    return sys.version, tuple(sorted(found))
