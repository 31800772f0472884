"""Stored payloads of the plain kinds read straight into their events, without the converter.

A store reads hundreds of whole events for an actor's first position (its statements
and treaty acts) and every correction when it opens; the converter (cattrs, with its
tagged union and a hook per field) costs as much as the event's own checks. A kind whose
every field is of a plain type (text, optional text, an EDTF date, the options a
`Literal` lists, a tuple of texts, the sources) is read here field by field: each value
must already be exactly what the converter would make of it (exact text within the
length, a date as EDTF text, a known option, a list of source tables with known keys),
and the event is then built by its own constructor, whose checks (validators, rule 9)
run as always. Anything else (a key it does not know, a value of another type, a kind
with a table of votes, a check that fails) gives None, and the caller reads the payload
through the converter, which builds the same event or says what is wrong.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from cybertimeline._model.dates import Date, Precision, _Point
from cybertimeline._model.event import BaseEvent
from cybertimeline._model.events import KINDS
from cybertimeline._model.fields import MAX_TEXT_LENGTH
from cybertimeline._model.sources import Source

__all__ = ["quick_event"]

Read = Callable[[Any], Any]
"""A field's value as the converter would make it; raises `_NotPlainError` otherwise."""


class _NotPlainError(Exception):
    """A value the quick reader leaves to the converter."""


_NOT_PLAIN = _NotPlainError()


def quick_event(data: Mapping[str, Any]) -> BaseEvent | None:
    """The event of a decoded payload (a dict) of a plain kind, built by its constructor;
    None where the converter must read it (it says why, if anything is wrong)."""
    kind = data.get("kind")
    cls = KINDS.get(kind) if kind.__class__ is str else None
    plan = None if cls is None else _plan(cls)
    if plan is None:
        return None
    fields, required = plan
    try:
        values = {}
        for key, value in data.items():
            if key == "kind":
                continue
            name, read = fields[key]  # KeyError: a key it does not have
            values[name] = read(value)
        if not required.issubset(data):
            return None
        event: BaseEvent = cls(**values)  # type: ignore[misc]
    except Exception:  # the converter reads it again and says what is wrong
        return None
    return event


def _text(value: Any) -> str:
    if value.__class__ is not str or len(value) > MAX_TEXT_LENGTH:
        raise _NOT_PLAIN
    return value


def _date(value: Any) -> Date:
    if value.__class__ is not str:
        raise _NOT_PLAIN
    if len(value) == 10 and value[4] == value[7] == "-" and value.isascii() and (
            value[:4] + value[5:7] + value[8:]).isdigit():
        # A day (most events' dates): as `Date.parse` makes it, without its cache's miss.
        day = dt.date.fromisoformat(value)  # ValueError: no such day (year 0, a 13th month)
        return Date(_Point(value, day, day, Precision.DAY, False, False), None)
    return Date.parse(value)


def _texts(value: Any) -> tuple[str, ...]:
    if value.__class__ is not list or not {str}.issuperset(map(type, value)) or max(
            map(len, value), default=0) > MAX_TEXT_LENGTH:
        raise _NOT_PLAIN
    return tuple(value)


def _literal(args: tuple[Any, ...]) -> Read | None:
    if not all(arg.__class__ is str for arg in args):
        return None
    allowed = frozenset(args)

    def read(value: Any) -> Any:
        if value.__class__ is not str or value not in allowed:
            raise _NOT_PLAIN
        return value

    return read


def _optional(inner: Read) -> Read:
    return lambda value: None if value is None else inner(value)


@functools.cache
def _reader(type_: Any) -> Read | None:
    """How a value of ``type_`` is read, or None for a type this module does not read."""
    if type_ is str:
        return _text
    if type_ is Date:
        return _date
    origin, args = typing.get_origin(type_), typing.get_args(type_)
    if origin is typing.Literal:
        return _literal(args)
    if origin in (typing.Union, types.UnionType):
        if len(args) != 2 or args[1] is not type(None):
            return None
        inner = _reader(args[0])
        return None if inner is None else _optional(inner)
    if origin is tuple and args == (str, Ellipsis):
        return _texts
    if origin is tuple and args == (Source, Ellipsis):
        return _sources
    return None


def _fields(cls: type[Any]) -> tuple[dict[str, tuple[str, Read]], frozenset[str]] | None:
    """By key, each field's name and reader; and the keys the payload must have. None if a
    field is of a type this module does not read."""
    attrs.resolve_types(cls)
    fields: dict[str, tuple[str, Read]] = {}
    for field in attrs.fields(cls):
        read = _reader(field.type)
        if read is None or not field.init:
            return None
        fields[field.alias] = (field.alias, read)
    required = frozenset(f.alias for f in attrs.fields(cls) if f.default is attrs.NOTHING)
    return fields, required


_PLANS: dict[type[Any], tuple[dict[str, tuple[str, Read]], frozenset[str]] | None] = {}


def _plan(cls: type[Any]) -> tuple[dict[str, tuple[str, Read]], frozenset[str]] | None:
    """A kind's readers (kept by class: a kind registered later has its own)."""
    try:
        return _PLANS[cls]
    except KeyError:
        found = _PLANS[cls] = _fields(cls) if issubclass(cls, BaseEvent) else None
        return found


_SOURCE = _fields(Source)


def _sources(value: Any) -> tuple[Source, ...]:
    if value.__class__ is not list or _SOURCE is None:
        raise _NOT_PLAIN
    fields, required = _SOURCE
    found = []
    for item in value:
        if item.__class__ is not dict or not required.issubset(item):
            raise _NOT_PLAIN
        values = {}
        for key, field in item.items():
            name, read = fields[key]
            values[name] = read(field)
        found.append(Source(**values))
    return tuple(found)
