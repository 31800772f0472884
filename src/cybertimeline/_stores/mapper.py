"""The one way a stored payload becomes an event: decoded, upcast, structured and checked.

Every store reads its events through `map_payload`: the file stores' `Loader`, the
SQL indexes' queries, and every store's `validate`. A payload (JSON text or bytes, or
a dict a file format already decoded) and the format version it was written in give
either an event or the problems that say what is wrong, each with the field it is
about; `Mapped.located` puts them where the payload came from (a file and line, a
store and row), so the same bad payload reads the same from every store.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from cybertimeline._codec.versions import FORMAT_VERSION, check_version, upcast
from cybertimeline._stores.checks import Origin
from cybertimeline.errors import Problem

if TYPE_CHECKING:
    from cybertimeline._model.event import BaseEvent
    from cybertimeline._model.events import Event

__all__ = ["Mapped", "map_payload"]

FieldProblem = tuple[str | None, str]


class Mapped(NamedTuple):
    """What a payload became: its event, or the problems that kept it from being one (a
    tuple: made for every row a query reads)."""

    event: Event | None
    problems: tuple[FieldProblem, ...] = ()
    """Each problem's field (None if about the whole payload) and message, which names
    the event and says what to fix."""
    data: Any = None
    """The payload decoded, as far as it could be: what a failed event's names are read from."""

    def located(self, origin: Origin) -> list[Problem]:
        """The problems, each at ``origin`` (at its field's line where the file allows)."""
        return [origin.problem(message, field) for field, message in self.problems]

    def text(self) -> str:
        """The problems in one line, for an error raised while answering a query."""
        return "; ".join(message for _, message in self.problems)


def _not_json(exc: orjson.JSONDecodeError) -> Mapped:
    return Mapped(None, ((None, f"its payload is not valid JSON: {exc.msg} (column "
                               f"{exc.colno}): fix or remove it"),))


@functools.cache
def _quick_reader() -> Callable[[dict[str, Any]], BaseEvent | None]:
    # The events' classes are loaded when a first event is read whole, not when a store opens.
    from cybertimeline._codec.quick import quick_event

    return quick_event


def _quickly(data: object) -> Mapped | None:
    """A plain kind's event (statements, treaty acts...) without the converter, where it
    can (`quick_event`)."""
    if data.__class__ is not dict:
        return None
    event = _quick_reader()(data)
    return None if event is None else Mapped(event, (), data)  # type: ignore[arg-type]


def map_payload(payload: object, version: object = FORMAT_VERSION) -> Mapped:
    """The event a stored payload holds, or what is wrong with it; never raises.

    ``payload`` is JSON (str or bytes) or already decoded (a dict from a TOML or JSON
    Lines file); ``version`` the format it was written in.
    """
    current = version.__class__ is int and version == FORMAT_VERSION
    if not current and (problem := check_version(version)) is not None:
        return Mapped(None, ((None, problem),))
    data: object = payload
    if isinstance(payload, str | bytes | bytearray | memoryview):
        try:
            data = orjson.loads(payload)
        except orjson.JSONDecodeError as exc:
            return _not_json(exc)
    if current and (quick := _quickly(data)) is not None:
        return quick
    # The codec (cattrs) is loaded when a first event needs it, not when a store opens.
    from cybertimeline._codec.reading import event_label, structure_event

    if not isinstance(data, Mapping):
        return Mapped(None, ((None, f"an event must be a table (a JSON object), not "
                                   f"{type(data).__name__}"),), data)
    if not current:
        assert isinstance(version, int)
        data = upcast(data, version)
    event, problems = structure_event(data)
    if not problems:
        return Mapped(event, (), data)
    label = event_label(data)
    return Mapped(event, tuple((field or None, f"{label}: {message}")
                               for field, message in problems), data)

