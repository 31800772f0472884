"""A folder store's contents kept between runs, so that a load of unchanged files parses none.

Parsing and checking TOML is most of what a command on a folder store waits for (about
0.3 s for the bundled dataset); reading back what the last load produced takes about
30 ms. The cache is derived and disposable, and any doubt means a plain load:

* it is keyed by **content**: the SHA-256 of every ``*.toml`` file the load read (the
  very bytes it parsed), the name and kind of every other entry of the folder (so an
  empty folder named ``x.toml``, a link or a FIFO changes the key), the library's own
  files (their content) and the installed distributions' names and versions (pycountry
  builds the registry), and the Python version;
* it is **JSON**, turned back into events by the codec: reading it runs no code, so a
  hostile file can at worst say something false, and it is read only from a folder and a
  file that the user owns and nobody else can write, opened without following a link or
  blocking on a FIFO;
* any failure to read or write it (a cache folder that is a file, a read-only file
  system, a full disk) is a plain load, never an error.

It lives in the user's cache folder (``$XDG_CACHE_HOME/cybertimeline``, by default
``~/.cache/cybertimeline``), never in the store's folder. ``CYBERTIMELINE_CACHE`` names
another folder, or ``off`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import stat
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from cybertimeline._codec.converters import (
    actor_from_dict,
    event_to_dict,
    instrument_from_dict,
    registry_to_dicts,
)
from cybertimeline._codec.reading import event_from_dict
from cybertimeline._model.registry import Registry
from cybertimeline._stores.base import Contents
from cybertimeline._stores.checks import Origin

__all__ = ["CACHE_VARIABLE", "MAX_CACHE_BYTES", "MAX_KEPT", "Fingerprint", "cache_folder",
           "cached", "fingerprint", "keep"]

CACHE_VARIABLE = "CYBERTIMELINE_CACHE"
"""The environment variable naming the cache folder, or ``off``."""

MAX_KEPT = 16
"""How many folders' contents the cache keeps, the least recently used removed first."""

MAX_CACHE_BYTES = 1024 * 1024 * 1024
"""A cache file larger than this is neither written nor read: such a store is parsed."""

MAX_ENTRIES = 1_000_000
"""A folder with more entries than this is not cached (a load refuses it anyway)."""

_FORMAT = 3
_SUFFIX = ".json"
_LIBRARY = Path(__file__).resolve().parents[1]
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(
    os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)

Fingerprint = tuple[tuple[str, str, str], ...]
"""Every entry under a folder, hidden names left out: its path relative to the folder, its
kind (``f`` a regular file, ``d`` a folder, ``l`` a link, ``o`` anything else) and, for a
regular ``*.toml`` file, the SHA-256 of its bytes."""


def cache_folder() -> Path | None:
    """Where the cache is kept, or None when ``CYBERTIMELINE_CACHE=off``.

    A relative ``XDG_CACHE_HOME`` is ignored, as the XDG specification says, so the cache
    never lands in whatever folder a command runs from.
    """
    chosen = os.environ.get(CACHE_VARIABLE, "")
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cybertimeline"


def digest(data: bytes) -> str:
    """The digest a fingerprint records for a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def fingerprint(root: Path, limit: int) -> Fingerprint | None:
    """What the folder holds now (`Fingerprint`), reading each regular ``*.toml`` file
    (without following links or blocking, at most ``limit`` bytes); None when any entry
    cannot be listed or read: then nothing is cached."""
    found: list[tuple[str, str, str]] = []
    try:
        for relative, kind, path in _entries(root):
            sha = ""
            if kind == "f" and relative.endswith(".toml"):
                data = _read(path, None, limit)
                if data is None:
                    return None
                sha = digest(data)
            found.append((relative, kind, sha))
            if len(found) > MAX_ENTRIES:
                return None
    except OSError:
        return None
    return tuple(sorted(found))


def _entries(root: Path) -> Iterator[tuple[str, str, str]]:
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(root / relative if relative else root) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                name = f"{relative}/{entry.name}" if relative else entry.name
                if entry.is_symlink():
                    kind = "l"
                elif entry.is_dir(follow_symlinks=False):
                    kind = "d"
                    pending.append(name)
                else:
                    kind = "f" if entry.is_file(follow_symlinks=False) else "o"
                yield name, kind, entry.path


def cached(root: Path, key: Fingerprint | None) -> Contents | None:
    """What the last load of ``root`` produced, if the folder holds what it held then and
    the library is unchanged; None otherwise, or on any doubt."""
    try:
        place = _place(root)
        if place is None or key is None:
            return None
        folder, name = place
        with _opened_folder(folder) as handle:
            data = _read(name, handle, MAX_CACHE_BYTES)
            if data is None:
                return None
            header, _, body = data.partition(b"\n")
            if orjson.loads(header) != {"format": _FORMAT, "key": _key_digest(key)}:
                return None  # the contents after it are never parsed
            contents = _contents(root, orjson.loads(body))
            with contextlib.suppress(OSError):
                os.utime(name, dir_fd=handle)  # recently used: pruned last
        return contents
    except Exception:  # a damaged, foreign or outdated cache is no cache
        return None


def keep(root: Path, key: Fingerprint | None, read: Mapping[Path, str],
         contents: Contents) -> None:
    """Keep ``contents`` for the next load of ``root``, if the files the load parsed
    (``read``: each path and the digest of its bytes) are those of ``key``, taken before
    it: a file changed meanwhile is not kept under the older listing.

    Failing to write (a read-only home, a full disk, a cache folder that is a file) is
    not an error: the cache is only ever a shortcut.
    """
    try:
        place = _place(root)
        if place is None or key is None or not _same(root, key, read):
            return
        body = orjson.dumps(_document(root, contents))
        if len(body) > MAX_CACHE_BYTES:
            return
        header = orjson.dumps({"format": _FORMAT, "key": _key_digest(key)})
        folder, name = place
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with _opened_folder(folder) as handle:
            _write(handle, name, header + b"\n" + body)
            _prune(handle)
    except Exception:  # see above
        return


def _same(root: Path, key: Fingerprint, read: Mapping[Path, str]) -> bool:
    wanted = {relative: sha for relative, kind, sha in key if sha}
    try:
        return wanted == {path.relative_to(root).as_posix(): sha for path, sha in read.items()}
    except ValueError:
        return False


def _document(root: Path, contents: Contents) -> dict[str, Any]:
    events = []
    for event_id, origin in contents.origins.items():
        event = contents.index.get(event_id)
        assert event is not None
        assert origin.file is not None
        events.append((event_to_dict(event), origin.file.relative_to(root).as_posix(),
                       origin.line))
    return {"events": events, "registry": list(registry_to_dicts(contents.registry))}


def _contents(root: Path, document: dict[str, Any]) -> Contents:
    actors, instruments = [], []
    for entry, key, data in document["registry"]:
        if entry == "actor":
            actors.append(actor_from_dict(key, data))
        else:
            instruments.append(instrument_from_dict(key, data))
    located = [(event_from_dict(data), Origin(root / file, line))
               for data, file, line in document["events"]]
    return Contents.in_memory(located, Registry.builtin().extended(actors, instruments))


def _place(root: Path) -> tuple[Path, str] | None:
    """The cache folder and the name of ``root``'s file in it; None when the cache is off
    or would be inside the store (where it would be part of what it describes)."""
    folder = cache_folder()
    if folder is None:
        return None
    where = root.resolve()
    if folder.resolve().is_relative_to(where):
        return None
    return folder, f"folder-{hashlib.sha256(str(where).encode()).hexdigest()[:32]}{_SUFFIX}"


def _cache_file(root: Path) -> Path | None:
    """The file that keeps ``root``'s contents (for tests), or None."""
    place = _place(root)
    return None if place is None else place[0] / place[1]


def _key_digest(key: Fingerprint) -> str:
    whole = hashlib.sha256(orjson.dumps([_library_stamp(), key]))
    return whole.hexdigest()


@contextlib.contextmanager
def _opened_folder(folder: Path) -> Iterator[int]:
    """The cache folder, opened without following a link, if the user owns it and nobody
    else can write it (else OSError)."""
    handle = os.open(folder, os.O_RDONLY | _DIRECTORY | _NOFOLLOW)
    try:
        if not _private(os.fstat(handle)):
            raise PermissionError(f"{folder}: not the user's own private folder")
        yield handle
    finally:
        os.close(handle)


def _read(name: str | Path, folder: int | None, limit: int) -> bytes | None:
    """The bytes of a regular file (never a link, FIFO or device), at most ``limit``; a
    cache file (in ``folder``) must also be the user's own and private."""
    handle = os.open(name, os.O_RDONLY | _NOFOLLOW, dir_fd=folder)
    try:
        state = os.fstat(handle)
        if not stat.S_ISREG(state.st_mode) or state.st_size > limit or (
                folder is not None and not _private(state)):
            return None
        os.set_blocking(handle, True)
        with os.fdopen(os.dup(handle), "rb") as file:
            data = file.read(limit + 1)
        return None if len(data) > limit else data
    finally:
        os.close(handle)


def _write(folder: int, name: str, data: bytes) -> None:
    """Write a new private file under a random name in ``folder``, then rename it ``name``."""
    temporary = f".{name}.{os.urandom(8).hex()}.tmp"
    handle = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY | _NOFOLLOW, 0o600,
                     dir_fd=folder)
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        raise


def _prune(folder: int) -> None:
    """Remove all but the `MAX_KEPT` most recently used folders' caches: each folder ever
    loaded (a temporary one, one since deleted) would otherwise keep a file for good."""
    kept = []
    for name in os.listdir(folder):
        if name.startswith("folder-"):
            with contextlib.suppress(OSError):
                kept.append((os.stat(name, dir_fd=folder, follow_symlinks=False).st_mtime_ns,
                             name))
    for _, stale in sorted(kept)[:-MAX_KEPT]:
        with contextlib.suppress(OSError):
            os.unlink(stale, dir_fd=folder)


def _private(state: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (always true where there are no
    owners to check)."""
    if not hasattr(os, "getuid"):
        return True
    return state.st_uid == os.getuid() and not state.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


@functools.cache
def _library_stamp() -> tuple[str, str, list[str]]:
    """The Python version, the digest of every file of the library, and the name of every
    installed distribution (``pycountry-26.2.16.dist-info``: name and version) on the
    import path: a cache is read back only by the code, and with the data, that wrote it.
    Taken once per process, as the code it runs is the one it loaded."""
    paths = []
    for folder, folders, names in os.walk(_LIBRARY):
        folders[:] = [f for f in folders if f != "__pycache__"]
        paths += [os.path.join(folder, name) for name in names]
    whole = hashlib.sha256()
    for path in sorted(paths):
        whole.update(path.encode() + b"\0")
        with open(path, "rb") as file:
            whole.update(hashlib.sha256(file.read()).digest())
    installed = []
    for entry in sys.path:
        with contextlib.suppress(OSError):
            installed += sorted(name for name in os.listdir(entry or ".")
                                if name.endswith((".dist-info", ".egg-info")))
    return sys.version, whole.hexdigest(), installed
