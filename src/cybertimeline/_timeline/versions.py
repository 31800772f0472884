"""Answering from one version of a store's events, while other writers may move it on.

A timeline reads its store's `Contents` (the index, the registry, where each event
was read) and keeps what it derives from them in the `Derived` of the index's
current version (`cybertimeline._timeline.caches`: the one owner of such caches).
A store that sees other writers (SQLite, PostgreSQL) may move on between two
reads of one answer: `Versions.consistent` reads a part again with the `Derived`
of its version, and `one_version` asks a whole question again, until both ends
of the answer saw the same version.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, Protocol, TypeVar, cast

from cybertimeline._model.registry import Registry
from cybertimeline._stores.base import Contents, Store
from cybertimeline._stores.checks import Origin
from cybertimeline._stores.index import Index
from cybertimeline._timeline.caches import Derived

__all__ = ["Versions", "in_one_read", "one_version"]

L = TypeVar("L")
R = TypeVar("R")
P = ParamSpec("P")


class Versions:
    """A store, what a timeline last read of it, and the `Derived` of the current version."""

    index: Index
    """The store's index: its events, and its version (it moves with every write the index
    sees)."""
    registry: Registry
    """The actors and instruments the store declares."""
    origins: dict[str, Origin]
    """Where each event was read from (file and line), for a store of files."""

    def __init__(self, store: Store, contents: Contents) -> None:
        self.store = store
        self.reset(contents)

    def reset(self, contents: Contents) -> None:
        """Read from these contents now (the store's answer to a write): derive afresh."""
        self.index, self.registry = contents.index, contents.registry
        self.origins = contents.origins
        self._derived = Derived(contents.index, contents.registry)

    def moved(self, version: int) -> bool:
        """Whether an answer begun at ``version`` must be read again: the store sees other
        writers and one wrote since."""
        return self.store.sees_other_writers and self.index.version != version

    def current(self) -> Derived:
        """What is derived from the events, dropped whole and derived afresh (lazily) when
        the index's version has moved since it was made: the one rule of every cache."""
        if self.index.version != self._derived.version:
            self._derived = Derived(self.index, self.registry)
        return self._derived

    def consistent(self, read: Callable[[Derived], L]) -> tuple[Derived, L]:
        """What ``read`` gives (a lane, an actor's writes, a matrix), and what is derived
        from the same version of the store's events.

        A store that sees other writers may move on between the two (an event and its
        correction, one read without the other): then both are read again, so that no
        answer mixes two versions.
        """
        while True:
            derived = self.current()
            found = read(derived)
            if not self.store.sees_other_writers or self.index.version == derived.version:
                return derived, found


class Reads(Protocol):
    """What `one_version` and `in_one_read` wrap: a method of an object with `Versions`."""

    _versions: Versions


T = TypeVar("T", bound=Reads)


def one_version(method: Callable[Concatenate[T, P], R]) -> Callable[Concatenate[T, P], R]:
    """The method, answering from one version of the store's events: a store that sees
    other writers may move on while an answer is read in several parts (a position, then
    the charts it rests on): then the whole answer is read again."""

    def answer(self: T, *args: P.args, **kwargs: P.kwargs) -> R:
        while True:
            version = self._versions.index.version
            found = method(self, *args, **kwargs)
            if not self._versions.moved(version):
                return found

    # The method's name, docstring and signature, for help() and the reference.
    return cast("Callable[Concatenate[T, P], R]", functools.wraps(method)(answer))


def in_one_read(method: Callable[Concatenate[T, P], R]) -> Callable[Concatenate[T, P], R]:
    """The method, reading the store in one read transaction (`Index.reading`): a question
    of many parts (members, then their ballots, then the events kept) of one version."""

    def answer(self: T, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._versions.index.reading():
            return method(self, *args, **kwargs)

    return cast("Callable[Concatenate[T, P], R]", functools.wraps(method)(answer))
