"""Whether an event surely reads back as itself, told from its fields without a round trip.

A store holds only what it can load, so an append refuses an event that would not
read back as itself (`cybertimeline._timeline.writing.check_writable`): one built in
Python with a field of another type than its class declares (a summary that is a
number), which its constructor lets pass and the file format does not. Encoding each
event and decoding it again says so, at the cost of building every event twice. An
event whose every field holds a plain value of its declared type (exact text within
the format's length, whole numbers, dates that print and parse as themselves, tuples
and tables of these, the options a `Literal` lists, nested tables of the same) and
that converting again leaves as it is reads back as itself: the decoder builds the
same values, through the same constructor, whose checks the event passed when it
was built. `reads_back` says True only then; for anything else (a type this module
does not know, a subclass of text, a kind not registered) it says False, and the
caller makes the round trip, which says what is wrong.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from cybertimeline._model.dates import Date
from cybertimeline._model.event import BaseEvent
from cybertimeline._model.events import KINDS
from cybertimeline._model.fields import MAX_TEXT_LENGTH
from cybertimeline._model.frozen import FrozenDict

__all__ = ["reads_back"]

Check = Callable[[Any], bool]
_TABLES = (dict, FrozenDict)


def reads_back(event: BaseEvent) -> bool:
    """Whether ``event`` surely decodes from its own encoding as an equal event (False:
    not sure, make the round trip)."""
    cls = type(event)
    if KINDS.get(cls.kind) is not cls:
        return False
    try:
        check = _class_check(type(event))
        return check is not None and check(event)
    except Exception:  # a value that fails even to be looked at: the round trip says why
        return False


def _text(value: Any) -> bool:
    return value.__class__ is str and len(value) <= MAX_TEXT_LENGTH


def _whole(value: Any) -> bool:
    return value.__class__ is int


def _truth(value: Any) -> bool:
    return value.__class__ is bool


def _date(value: Any) -> bool:
    return value.__class__ is Date and Date.parse(str(value)) == value


_SIMPLE: dict[Any, Check] = {str: _text, int: _whole, bool: _truth, Date: _date}


def _texts(values: Any) -> bool:
    """Each of ``values`` is exact text within the length (at the speed of C)."""
    return {str}.issuperset(map(type, values)) and max(map(len, values), default=0) <= (
        MAX_TEXT_LENGTH)


@functools.cache
def _check(type_: Any) -> Check | None:
    """The check of a value of ``type_``, or None for a type this module does not know."""
    simple = _SIMPLE.get(type_)
    if simple is not None:
        return simple
    origin, args = typing.get_origin(type_), typing.get_args(type_)
    if origin is typing.Literal:
        return _literal(args)
    if origin in (typing.Union, types.UnionType):
        return _optional(args)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _tuple(args[0])
    if origin in (Mapping, dict) and len(args) == 2:
        return _table(*args)
    if attrs.has(type_) and not issubclass(type_, BaseEvent):
        return _class_check(type_)
    return None


def _literal(args: tuple[Any, ...]) -> Check | None:
    if not all(arg.__class__ is str for arg in args):
        return None
    allowed = frozenset(args)
    return lambda value: value.__class__ is str and value in allowed


def _optional(args: tuple[Any, ...]) -> Check | None:
    if len(args) != 2 or args[1] is not type(None):
        return None
    inner = _check(args[0])
    if inner is None:
        return None
    return lambda value: value is None or inner(value)


def _tuple(item: Any) -> Check | None:
    if item is str:
        return lambda value: value.__class__ is tuple and _texts(value)
    inner = _check(item)
    if inner is None:
        return None
    return lambda value: value.__class__ is tuple and all(map(inner, value))


def _table(key: Any, item: Any) -> Check | None:
    if key is not str:
        return None
    literal = typing.get_args(item) if typing.get_origin(item) is typing.Literal else None
    if literal is not None and all(arg.__class__ is str for arg in literal):
        allowed = frozenset(literal)  # a vote's table: 193 options checked in C

        def options(value: Any) -> bool:
            return (value.__class__ in _TABLES and _texts(value)
                    and {str}.issuperset(map(type, value.values()))
                    and allowed.issuperset(value.values()))

        return options
    inner = _check(item)
    if inner is None:
        return None
    return lambda value: (value.__class__ in _TABLES and _texts(value)
                          and all(map(inner, value.values())))


def _class_check(cls: type[Any]) -> Check | None:
    """The check of an instance of the attrs class ``cls`` (made once per class)."""
    if cls not in _CLASS_CHECKS:
        _CLASS_CHECKS[cls] = _made_check(cls)
    return _CLASS_CHECKS[cls]


_CLASS_CHECKS: dict[type[Any], Check | None] = {}


def _made_check(cls: type[Any]) -> Check | None:
    """The check of an instance of the attrs class ``cls``: each field's value of its type,
    unchanged by its converter (the decoder's constructor converts it again) and passing
    its validator, then the class's checks across fields."""
    fields = []
    for field in attrs.fields(attrs.resolve_types(cls)):
        check = _check(field.type)
        converter = field.converter
        if check is None or not field.init or isinstance(converter, attrs.Converter):
            return None  # attrs' Converter takes the instance too: not one to call alone
        fields.append((field, check, converter))
    post_init = getattr(cls, "__attrs_post_init__", None)

    def instance(value: Any) -> bool:
        if value.__class__ is not cls:
            return False
        for field, check, converter in fields:
            held = getattr(value, field.name)
            if not check(held) or (converter is not None and converter(held) != held):
                return False
            if field.validator is not None:  # raises if the value was set past the checks
                field.validator(value, field, held)
        if post_init is not None:
            post_init(value)
        return True

    return instance
