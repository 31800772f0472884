"""Writing safely: files that a crash leaves old or whole, never half, and one writer at a time."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from cybertimeline.errors import ConflictError

__all__ = ["LOCK_TIMEOUT_SECONDS", "fsync_directory", "locked", "publish", "temporary_name",
           "write_atomically", "write_new"]

LOCK_TIMEOUT_SECONDS = 60.0
"""How long a writer waits for another to finish before giving up with ConflictError."""


@contextlib.contextmanager
def locked(lock_file: Path, location: str) -> Iterator[None]:
    """Hold the store's lock (a lock file beside it) while writing.

    Raises:
        ConflictError: another writer held it for ``LOCK_TIMEOUT_SECONDS``.
    """
    import filelock  # slow to import (logging): loaded by the first write

    lock = filelock.FileLock(lock_file)
    try:
        lock.acquire(timeout=LOCK_TIMEOUT_SECONDS)
    except filelock.Timeout:
        raise ConflictError(f"{location}: another writer held the lock for "
                            f"{LOCK_TIMEOUT_SECONDS:.0f} s; try again") from None
    try:
        yield
    finally:
        lock.release()


def _temporary(directory: Path) -> tuple[int, Path]:
    # os.open applies the umask to 0o666, so the file gets the usual permissions
    # (tempfile.mkstemp would make it readable by its owner only).
    while True:
        path = directory / f".{os.urandom(8).hex()}.tmp"
        try:
            return os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666), path
        except FileExistsError:
            continue


def fsync_directory(directory: Path) -> None:
    """Make a directory's entries durable (a file just linked or renamed into it)."""
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def write_atomically(path: Path, chunks: str | Iterable[str], *, replace: bool = True) -> None:
    """Write text to ``path`` so that a crash leaves either the old file or the whole new one.

    With ``replace=False`` an existing file is never overwritten: FileExistsError.
    The folder must exist: a store's folder deleted meanwhile is not made again.
    """
    fd, temporary = _temporary(path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.writelines([chunks] if isinstance(chunks, str) else chunks)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails if the name is taken
            temporary.unlink()
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def write_new(directory: Path, stem: str, text: str) -> Path:
    """Write ``text`` atomically to a new file ``STEM.toml`` (``STEM-2.toml``... if taken)
    in ``directory``, made if missing (its parent must exist)."""
    directory.mkdir(exist_ok=True)
    for number in range(1, 10_000):
        path = directory / (f"{stem}.toml" if number == 1 else f"{stem}-{number}.toml")
        if path.exists():
            continue
        try:
            write_atomically(path, text, replace=False)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"{directory}: no free name for {stem}.toml")


def temporary_name(destination: Path) -> Path:
    """A hidden name beside ``destination`` for building it: it ends in neither ``.jsonl``
    nor ``.sqlite``, and a folder store skips hidden names, so it never looks like a store."""
    return destination.parent / f".{destination.name}.{os.urandom(6).hex()}.partial"


def publish(temporary: Path, destination: Path) -> None:
    """Give a finished file or folder its name at once, never replacing what is there.

    A file is linked (which fails if the name is taken) and its temporary name
    removed; a folder is renamed, which fails unless the destination is missing
    or an empty folder.

    Raises:
        FileExistsError: something appeared at ``destination`` meanwhile.
    """
    if temporary.is_dir():
        try:
            os.rename(temporary, destination)
        except OSError as exc:
            if destination.exists():
                raise FileExistsError(exc.errno, "already exists", str(destination)) from None
            raise
    else:
        os.link(temporary, destination)
        temporary.unlink()
    fsync_directory(destination.parent)
