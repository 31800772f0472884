"""Reading a store's files as untrusted input: only regular files, never past a limit.

A FIFO would block a reader forever and ``/dev/zero`` never ends, so a file
is opened without following a symbolic link and without blocking, and read
only if it is a regular file; then no more than the limit is read, whatever
the file claims. A store is also known by its file's identity (device and
inode), so that a writer notices when the store it opened was replaced.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

import attrs

from cybertimeline.errors import TimelineError

__all__ = ["Identity", "Unreadable", "identity", "open_regular", "read_regular", "real_path",
           "refuse_aliases", "storage_error"]

_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_CLOEXEC", 0))


class Unreadable(Exception):  # noqa: N818 - a reason, reported as a problem at its file
    """A file a store will not read; the message says why and what to do."""


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return name
    return "not a regular file"


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading if it is a regular file (a symbolic link is not followed).

    Raises:
        Unreadable: it is no regular file, or cannot be opened.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if os.path.islink(path):
            raise Unreadable("is a symbolic link: a store reads only regular files; put the "
                             "file itself here") from None
        raise Unreadable(f"cannot be read: {exc.strerror}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise Unreadable(f"is {_kind(mode)}, not a regular file: a store reads only "
                         f"regular files")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes.

    Raises:
        Unreadable: it is no regular file, cannot be read, or holds more than ``limit`` bytes.
    """
    with open_regular(path) as handle:
        try:
            # Read what the file says it holds (a buffer of the limit would cost the limit),
            # and past it only if the file grew meanwhile.
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(min(size, limit) + 1)
            if len(data) > size:
                data += handle.read(limit + 1 - len(data))
        except OSError as exc:
            raise Unreadable(f"cannot be read: {exc.strerror}") from None
    if len(data) > limit:
        raise Unreadable(f"is larger than {limit} bytes, more than the limit of {limit}: "
                         f"split it into smaller files")
    return data


def real_path(path: Path) -> Path:
    """``path`` with every symbolic link resolved: one name for one file, whatever it is called."""
    return Path(os.path.realpath(path))


@attrs.frozen
class Identity:
    """Which file a path names (device and inode): it changes when the file is replaced."""

    device: int
    inode: int


def identity(path: Path) -> Identity | None:
    """The identity of the file at ``path`` (links followed), or None if there is none."""
    try:
        found = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return Identity(found.st_dev, found.st_ino)


def refuse_aliases(path: Path) -> None:
    """Raise TimelineError if the file at ``path`` has other names (hard links): its lock,
    named after one of them, could not be shared by writers using the others."""
    links = os.stat(path).st_nlink
    if links > 1:
        raise TimelineError(f"{path}: the file has {links} names (hard links), so writers "
                            f"through different names could not share one lock: keep one name "
                            f"(copy the file) before writing to it")


def storage_error(path: Path | str, action: str, exc: OSError) -> TimelineError:
    """The TimelineError for a failed read or write of a store's file, naming the path."""
    reason = exc.strerror or str(exc)
    return TimelineError(f"{path}: cannot {action}: {reason}")
