"""Events (and registry entries) to plain dicts and back, for TOML and JSON.

One factory makes both converters: a fast one for valid input, and a
detailed one that names every problem, used when the fast one fails (see
`cybertimeline._codec.reading`). Both are built on first use.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import reprlib
import types
import typing
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any

import attrs
import cattrs
from cattrs.errors import IterableValidationNote
from cattrs.gen import make_dict_structure_fn
from cattrs.strategies import configure_tagged_union

from cybertimeline._model.dates import Date
from cybertimeline._model.event import BaseEvent
from cybertimeline._model.events import KINDS, Event, VoteOption, on_kinds_changed
from cybertimeline._model.fields import MAX_TEXT_LENGTH
from cybertimeline._model.registry import Actor, Instrument, Registry
from cybertimeline.errors import DateError

__all__ = [
    "actor_from_dict",
    "detailed",
    "entry_to_dict",
    "event_to_dict",
    "fast",
    "instrument_from_dict",
    "make_converter",
    "registry_to_dicts",
    "unknown_key",
]

attrs.resolve_types(BaseEvent)  # real types on the fields: reading checks each on its own


def _structure_date(value: object, _type: object) -> Date:
    if isinstance(value, dt.datetime):
        raise DateError(f"{value.isoformat()} has a time of day: write only the date, quoted")
    if isinstance(value, dt.date):
        return Date.from_date(value)
    if not isinstance(value, str):
        raise DateError(f"a date must be text such as \"2015-07-08\", not {type(value).__name__}")
    return Date.parse(value)


def _structure_str(value: object, _type: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__} {reprlib.repr(value)}")
    if len(value) > MAX_TEXT_LENGTH:
        raise ValueError(f"text of {len(value)} characters is longer than the limit of "
                         f"{MAX_TEXT_LENGTH}: shorten it")
    return value


def _structure_int(value: object, _type: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"expected a whole number, got {type(value).__name__} {reprlib.repr(value)}"
        )
    return value


def _structure_bool(value: object, _type: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {type(value).__name__} "
                        f"{reprlib.repr(value)}")
    return value


def _structure_literal(value: object, literal: Any) -> object:
    if value not in literal.__args__:
        options = ", ".join(repr(option) for option in literal.__args__)
        raise ValueError(f"{reprlib.repr(value)} is not allowed: use one of {options}")
    return value


def _is_literal(type_: Any) -> bool:
    return typing.get_origin(type_) is typing.Literal


def _is_tuple(type_: Any) -> bool:
    return typing.get_origin(type_) is tuple


def _is_table_class(type_: Any) -> bool:
    return attrs.has(type_) and not issubclass(type_, BaseEvent)


def _strict_tables(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """Structure nested tables (sources, tally) only from tables, naming unknown or missing keys."""

    def factory(cls: Any) -> Callable[[Any, Any], Any]:
        base = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=False)
        fields = {a.alias: a for a in attrs.fields(cls)}
        required = [name for name, a in fields.items() if a.default is attrs.NOTHING]

        def structure(value: object, type_: Any) -> Any:
            if not isinstance(value, Mapping):
                names = ", ".join(fields)
                raise TypeError(f"expected a table of {names}, got {type(value).__name__}")
            what = cls.__name__.lower()
            problems = [unknown_key(key, fields, what) for key in value if key not in fields]
            problems += [f"'{name}' is missing" for name in required if name not in value]
            if problems:
                raise ValueError("; ".join(problems))
            return base(value, type_)

        return structure

    return factory


def unknown_key(key: object, fields: Collection[str], what: str) -> str:
    """Why a key is refused, with the field it may have meant."""
    close = difflib.get_close_matches(str(key), list(fields), n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"a {what} has {', '.join(fields)}"
    return f"unknown field {key!r} in a {what}: {hint}"


MAX_ITEM_ERRORS = 100
"""How many bad items of one list are reported: a list of 450,000 bad items costs what
its first 100 cost, not an exception for each."""


def _not_checked(where: str, index: Any, item: Any) -> ValueError:
    """What is said where a list or table stops being checked."""
    stop = ValueError(f"the items from here on are not checked: only the first "
                      f"{MAX_ITEM_ERRORS} bad items of a list or table are reported")
    stop.add_note(IterableValidationNote(f"@ {where}", index, item))
    return stop


def _structure_sequence(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(type_: Any) -> Callable[[Any, Any], Any]:
        (item, _ellipsis) = typing.get_args(type_)

        def structure(value: object, _type: Any) -> tuple[Any, ...]:
            if not isinstance(value, list | tuple):
                raise TypeError(f"expected a list, got {type(value).__name__}")
            items: list[Any] = []
            errors: list[Exception] = []
            for index, element in enumerate(value):
                if len(errors) >= MAX_ITEM_ERRORS:  # the list is bad: no more exceptions
                    errors.append(_not_checked(f"index {index}", index, item))
                    break
                try:
                    items.append(converter.structure(element, item))
                except Exception as exc:
                    exc.__traceback__ = None  # its frames: kilobytes per bad item
                    exc.add_note(IterableValidationNote(f"@ index {index}", index, item))
                    errors.append(exc)
            if errors:
                raise cattrs.IterableValidationError("invalid items", errors, type_)
            return tuple(items)

        return structure

    return factory


def _is_mapping(type_: Any) -> bool:
    return typing.get_origin(type_) in (Mapping, dict) and len(typing.get_args(type_)) == 2


def _structure_mapping(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """Tables (a vote's votes), each bad value reported, up to `MAX_ITEM_ERRORS` of them."""

    def factory(type_: Any) -> Callable[[Any, Any], Any]:
        key_type, value_type = typing.get_args(type_)

        def structure(value: object, _type: Any) -> dict[Any, Any]:
            if not isinstance(value, Mapping):
                raise TypeError(f"expected a table, got {type(value).__name__}")
            items: dict[Any, Any] = {}
            errors: list[Exception] = []
            for key, element in value.items():
                if len(errors) >= MAX_ITEM_ERRORS:
                    errors.append(_not_checked(f"key {key!r}", key, value_type))
                    break
                try:
                    items[converter.structure(key, key_type)] = converter.structure(
                        element, value_type)
                except Exception as exc:
                    exc.__traceback__ = None
                    exc.add_note(IterableValidationNote(
                        f"Structuring mapping value @ key {key!r}", key, value_type))
                    errors.append(exc)
            if errors:
                raise cattrs.IterableValidationError("invalid items", errors, type_)
            return items

        return structure

    return factory


def _structure_votes(value: object, _type: object) -> dict[str, str]:
    """The votes table in one step (a vote names up to 193 actors); the event checks the options."""
    if not isinstance(value, Mapping) or not {str}.issuperset(map(type, value)):
        raise ValueError("not a table of actor ids to vote options")
    return dict(value)


def _fast_sequence(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """Lists (not text, not tables) as tuples, without collecting each item's error."""

    def factory(type_: Any) -> Callable[[Any, Any], Any]:
        (item, _ellipsis) = typing.get_args(type_)
        structure_item = converter.get_structure_hook(item)

        def structure(value: object, _type: Any) -> tuple[Any, ...]:
            if not isinstance(value, list | tuple):
                raise TypeError(f"expected a list, got {type(value).__name__}")
            return tuple(structure_item(element, item) for element in value)

        return structure

    return factory


def _is_optional(type_: Any) -> bool:
    args = typing.get_args(type_)
    return len(args) == 2 and args[1] is type(None) and typing.get_origin(type_) in (
        typing.Union, types.UnionType)


def _fast_optional(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """``X | None`` with X's hook looked up once, not at every value."""

    def factory(type_: Any) -> Callable[[Any, Any], Any]:
        inner = typing.get_args(type_)[0]
        structure_inner = converter.get_structure_hook(inner)

        def structure(value: object, _type: Any) -> Any:
            return None if value is None else structure_inner(value, inner)

        return structure

    return factory


def _is_votes(type_: Any) -> bool:
    return bool(type_ == Mapping[str, VoteOption])


def make_converter(*, detailed: bool = True) -> cattrs.Converter:
    """A converter between events (and registry entries) and dicts of TOML/JSON values.

    Dates become EDTF text; defaults are left out (TOML has no null); the
    union `Event` is tagged with ``kind``. It accepts exactly what the
    file format allows. ``detailed=False`` gives a converter about twice as
    fast whose errors say little: try it first, and the detailed one, which
    names every problem and its field, when it fails.
    """
    converter = cattrs.Converter(
        omit_if_default=True, forbid_extra_keys=True, detailed_validation=detailed
    )
    converter.register_structure_hook(Date, _structure_date)
    converter.register_unstructure_hook(Date, str)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_unstructure_hook(tuple, list)
    if detailed:
        converter.register_structure_hook_func(_is_literal, _structure_literal)
        converter.register_structure_hook_factory(_is_tuple, _structure_sequence(converter))
        converter.register_structure_hook_factory(_is_mapping, _structure_mapping(converter))
        converter.register_structure_hook_factory(_is_table_class, _strict_tables(converter))
    else:
        # The events' own validators check the vote options and enumerations.
        converter.register_structure_hook_func(_is_votes, _structure_votes)
        converter.register_structure_hook_func(_is_literal, _structure_literal)
        converter.register_structure_hook_factory(_is_tuple, _fast_sequence(converter))
        converter.register_structure_hook_factory(_is_optional, _fast_optional(converter))
    _tag_kinds(converter)
    return converter


def _tag_kinds(converter: cattrs.Converter) -> None:
    """`Event` as the union of every kind known now (`KINDS`), tagged with ``kind``.

    cattrs fixes a tagged union's members when it is configured, so a kind registered
    later (`register_kind`) makes the converters again (`_rebuild`).
    """
    classes = tuple(KINDS.values())
    for cls in classes:
        attrs.resolve_types(cls)
    union: Any = typing.Union[classes]  # noqa: UP007 (a union made at run time)
    kind_of = {cls: cls.kind for cls in classes}
    configure_tagged_union(union, converter, tag_name="kind", tag_generator=kind_of.__getitem__)
    if union != Event:  # `Event` names the built-in kinds only: it is read as the whole union
        converter.register_structure_hook(Event, converter.get_structure_hook(union))
        converter.register_unstructure_hook(Event, converter.get_unstructure_hook(union))


@functools.cache
def detailed() -> cattrs.Converter:
    """The converter whose errors name every problem and its field."""
    return make_converter()


@functools.cache
def fast() -> cattrs.Converter:
    """The converter for valid input: about twice as fast, its errors say little."""
    return make_converter(detailed=False)


def _rebuild() -> None:
    detailed.cache_clear()
    fast.cache_clear()


on_kinds_changed(_rebuild)


def event_to_dict(event: Event) -> dict[str, Any]:
    """The event as a dict of TOML/JSON values, ``id`` and ``kind`` first."""
    data: dict[str, Any] = detailed().unstructure(event, unstructure_as=Event)
    head = {"id": data.pop("id"), "kind": data.pop("kind")}
    return head | data


def registry_to_dicts(registry: Registry) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``("actor" | "instrument", id, fields)`` for each entry not built in as it is."""
    builtin = Registry.builtin()
    for actor in registry.actors.values():
        if builtin.actors.get(actor.id) != actor:
            yield entry_to_dict(actor)
    for instrument in registry.instruments.values():
        if builtin.instruments.get(instrument.id) != instrument:
            yield entry_to_dict(instrument)


def entry_to_dict(entry: Actor | Instrument) -> tuple[str, str, dict[str, Any]]:
    """``("actor" | "instrument", id, fields)``: a registry entry as its table in
    ``actors.toml`` or ``instruments.toml`` writes it."""
    data = detailed().unstructure(entry)
    return ("actor" if isinstance(entry, Actor) else "instrument"), data.pop("id"), data


def actor_from_dict(actor_id: str, data: Mapping[str, Any]) -> Actor:
    """An `Actor` from its table in ``actors.toml``."""
    return detailed().structure({"id": actor_id, **data}, Actor)


def instrument_from_dict(instrument_id: str, data: Mapping[str, Any]) -> Instrument:
    """An `Instrument` from its table in ``instruments.toml``."""
    return detailed().structure({"id": instrument_id, **data}, Instrument)
