"""The library's exceptions: every error a user can meet is one of these."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs

__all__ = [
    "AmbiguousActorError",
    "ConflictError",
    "DateError",
    "FieldError",
    "NoStoreError",
    "Problem",
    "ReadOnlyError",
    "TimelineError",
    "UnknownActorError",
    "UnknownEventError",
    "UnknownInstrumentError",
    "ValidationError",
]


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with the input, and where it is.

    Attributes:
        message: What is wrong and, where it helps, how to fix it.
        file: The file it was found in, if it came from one.
        line: The 1-based line in that file, where it could be found.
    """

    message: str
    file: Path | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        where = f"{self.file}:{self.line}" if self.line is not None else str(self.file)
        return f"{where}: {self.message}"


class TimelineError(Exception):
    """The root of every error this library raises."""


class ValidationError(TimelineError):
    """Input that cannot be accepted; carries every problem found, not only the first."""

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem | str]) -> None:
        self.problems = tuple(p if isinstance(p, Problem) else Problem(message=p) for p in problems)
        super().__init__(self._render())

    def _render(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


class FieldError(ValidationError, ValueError):
    """One field of an event (or registry entry) has a value that is not allowed.

    It knows which field, so that a loader can name the field's line in its file.
    """

    field: str

    def __init__(self, field: str, message: str) -> None:
        super().__init__([message])
        self.field = field


class DateError(ValidationError, ValueError):
    """A date that is not valid EDTF (or not a date at all)."""

    def __init__(self, message: str) -> None:
        super().__init__([message])


class UnknownActorError(TimelineError, KeyError):
    """A query named an actor (or group, or instrument) that the timeline does not know."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown actor"


class AmbiguousActorError(UnknownActorError):
    """A name that means several actors (``Korea``); ``candidates`` lists their ids.

    A subclass of `UnknownActorError`: the name does not name one actor.
    """

    candidates: tuple[str, ...]

    def __init__(self, message: str, candidates: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "ambiguous actor"


class UnknownInstrumentError(UnknownActorError):
    """A query named an instrument that the timeline does not know.

    A subclass of `UnknownActorError`, which unknown instruments raised before.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown instrument"


class UnknownEventError(TimelineError, KeyError):
    """A query named an event id that the timeline does not hold."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown event"


class ConflictError(TimelineError):
    """A write lost to another: the store changed since the writer last read it."""


class ReadOnlyError(TimelineError):
    """The store cannot be written to (the bundled dataset)."""


class NoStoreError(TimelineError):
    """There is no store where one was asked for (a PostgreSQL schema without a store's
    tables): `cybertimeline.create` makes one."""
