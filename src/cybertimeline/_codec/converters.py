"""Events to plain dicts and back, for TOML and JSON: one cattrs converter, tagged on ``kind``."""

from __future__ import annotations

import datetime as dt
import difflib
import reprlib
import types
import typing
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, IterableValidationNote
from cattrs.gen import make_dict_structure_fn
from cattrs.strategies import configure_tagged_union

from cybertimeline._model.dates import Date
from cybertimeline._model.event import BaseEvent
from cybertimeline._model.events import EVENT_CLASSES, KINDS, Event, VoteOption
from cybertimeline._model.fields import MAX_TEXT_LENGTH
from cybertimeline._model.registry import Actor, Instrument, Registry
from cybertimeline.errors import DateError, FieldError, Problem, ValidationError

__all__ = ["FORMAT_VERSION", "event_from_dict", "event_to_dict", "make_converter"]

FORMAT_VERSION = 1
"""The version of the event file format this library writes."""

# Upcasters turn a dict written in format N into format N + 1; a format change
# adds one here so old files keep loading.
_UPCASTERS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

_KIND_OF: dict[type, str] = {cls: cls.kind for cls in EVENT_CLASSES}

for _cls in (BaseEvent, *EVENT_CLASSES):
    attrs.resolve_types(_cls)  # real types on the fields: _each_field structures them


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
    return attrs.has(type_) and type_ not in _KIND_OF


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
            problems = [_unknown_key(key, fields, what) for key in value if key not in fields]
            problems += [f"'{name}' is missing" for name in required if name not in value]
            if problems:
                raise ValueError("; ".join(problems))
            return base(value, type_)

        return structure

    return factory


def _unknown_key(key: object, fields: Collection[str], what: str) -> str:
    close = difflib.get_close_matches(str(key), list(fields), n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"a {what} has {', '.join(fields)}"
    return f"unknown field {key!r} in a {what}: {hint}"


def _structure_sequence(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(type_: Any) -> Callable[[Any, Any], Any]:
        (item, _ellipsis) = typing.get_args(type_)

        def structure(value: object, _type: Any) -> tuple[Any, ...]:
            if not isinstance(value, list | tuple):
                raise TypeError(f"expected a list, got {type(value).__name__}")
            items, errors = [], []
            for index, element in enumerate(value):
                try:
                    items.append(converter.structure(element, item))
                except Exception as exc:
                    exc.add_note(IterableValidationNote(f"@ index {index}", index, item))
                    errors.append(exc)
            if errors:
                raise cattrs.IterableValidationError("invalid items", errors, type_)
            return tuple(items)

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
    converter.register_unstructure_hook(tuple, list)
    if detailed:
        converter.register_structure_hook_func(_is_literal, _structure_literal)
        converter.register_structure_hook_factory(_is_tuple, _structure_sequence(converter))
        converter.register_structure_hook_factory(_is_table_class, _strict_tables(converter))
    else:
        # The events' own validators check the vote options and enumerations.
        converter.register_structure_hook_func(
            lambda type_: type_ == Mapping[str, VoteOption], _structure_votes
        )
        converter.register_structure_hook_func(_is_literal, _structure_literal)
        converter.register_structure_hook_factory(_is_tuple, _fast_sequence(converter))
        converter.register_structure_hook_factory(_is_optional, _fast_optional(converter))
    configure_tagged_union(Event, converter, tag_name="kind", tag_generator=_KIND_OF.__getitem__)
    return converter


_CONVERTER = make_converter()
_FAST = make_converter(detailed=False)


def event_to_dict(event: Event) -> dict[str, Any]:
    """The event as a dict of TOML/JSON values, ``id`` and ``kind`` first."""
    data: dict[str, Any] = _CONVERTER.unstructure(event, unstructure_as=Event)
    head = {"id": data.pop("id"), "kind": data.pop("kind")}
    return head | data


def upcast(data: Mapping[str, Any], version: int) -> dict[str, Any]:
    """Bring an event dict written in format ``version`` up to `FORMAT_VERSION`.

    Raises:
        ValidationError: the version is not one this library can read.
    """
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValidationError(
            [f"format {reprlib.repr(version)} is not a format version: write format = 1"]
        )
    if version > FORMAT_VERSION:
        raise ValidationError(
            [f"format {version} is newer than this library reads ({FORMAT_VERSION}): "
             f"upgrade cybertimeline"]
        )
    result = dict(data)
    for step in range(version, FORMAT_VERSION):
        result = _UPCASTERS[step](result)
    return result


def event_label(data: object) -> str:
    """How a problem names the event it is about: ``event 'can-ratifies'``."""
    if isinstance(data, Mapping) and "id" in data:
        return f"event {reprlib.repr(data['id'])}"
    return "event"


def field_problems(data: object) -> list[tuple[str | None, str]]:
    """What is wrong with an event dict, as ``(field, message)`` pairs; empty if nothing."""
    if not isinstance(data, Mapping):
        return [(None, f"an event must be a table, not {type(data).__name__}")]
    kind = data.get("kind")
    if kind is None:
        return [(None, "the event has no 'kind': add kind = \"signature\", \"vote\", ...")]
    if not isinstance(kind, str) or kind not in KINDS:
        close = difflib.get_close_matches(str(kind), list(KINDS), n=1) if isinstance(
            kind, str) else []
        hint = f"did you mean {close[0]!r}?" if close else f"use one of {', '.join(KINDS)}"
        return [("kind", f"unknown kind {reprlib.repr(kind)}: {hint}")]
    names, allowed, required = _FIELDS[kind]
    if allowed.issuperset(data) and required.issubset(data):
        return []
    problems: list[tuple[str | None, str]] = []
    for key in data:
        if key not in allowed:
            problems.append((str(key), _unknown_key(key, names, f"{kind} event")))
    for name in sorted(required - data.keys()):
        problems.append((None, f"a {kind} event needs '{name}': it is missing"))
    return problems


# For each kind: its fields in order, the keys an event dict may have (those and "kind"),
# and the keys it must have.
_FIELDS = {
    kind: (
        tuple(a.alias for a in attrs.fields(cls)),
        frozenset({"kind", *(a.alias for a in attrs.fields(cls))}),
        frozenset(a.alias for a in attrs.fields(cls) if a.default is attrs.NOTHING),
    )
    for kind, cls in KINDS.items()
}


def structure_event(data: Mapping[str, Any]) -> tuple[Event | None, list[tuple[str | None, str]]]:
    """Build an event from a dict; on failure, the problems as ``(field, message)`` pairs.

    Every problem is reported at once: when the kind is unknown or a field is
    missing or unknown, the fields that are there are still checked one by one.
    """
    problems = field_problems(data)
    if problems:
        return None, problems + _each_field(data, problems)
    try:
        return _FAST.structure(data, Event), []  # type: ignore[arg-type]
    except Exception:  # the detailed converter below says what is wrong
        pass
    try:
        return _CONVERTER.structure(data, Event), []  # type: ignore[arg-type]
    except Exception as exc:  # every failure becomes a reported problem
        problems = _flatten(exc, None)
    return None, problems + _each_field(data, problems)


def _each_field(data: object, found: list[tuple[str | None, str]]) -> list[tuple[str | None, str]]:
    """The problems of each field on its own, but for those already reported.

    Structuring stops at the first field that fails, and attrs checks no field
    when one fails; this checks the others, so that a file needs one pass of
    corrections, not several. With an unknown kind, the fields every event has.
    """
    if not isinstance(data, Mapping):
        return []
    kind = data.get("kind")
    cls = KINDS[kind] if isinstance(kind, str) and kind in KINDS else BaseEvent
    reported = {field.split(".")[0].split("[")[0] for field, _ in found if field}
    reported |= {message for field, message in found if field is None}
    more: list[tuple[str | None, str]] = []
    for attribute in attrs.fields(cls):
        name = str(attribute.alias)
        if name not in data or name in reported or attribute.type is None:
            continue
        try:
            value = _CONVERTER.structure(data[name], attribute.type)
            converter: Any = attribute.converter
            if converter is not None:
                value = converter(value)
            if attribute.validator is not None:
                attribute.validator(None, attribute, value)
        except FieldError as exc:
            more.append((exc.field, str(exc)))
        except AttributeError:
            continue  # a check that needs the whole event (the tally) runs when it is built
        except Exception as exc:  # what failed, with the path of the field
            more += [(path or name, message) for path, message in _flatten(exc, name)]
    return more


def _flatten(exc: BaseException, field: str | None) -> list[tuple[str | None, str]]:
    """The leaf errors of a cattrs error tree, each with the dotted path of its field."""
    if isinstance(exc, cattrs.ClassValidationError | cattrs.IterableValidationError):
        noted, others = exc.group_exceptions()
        found: list[tuple[str | None, str]] = []
        for sub, note in noted:
            step = note.name if isinstance(note, AttributeValidationNote) else f"[{note.index}]"
            path = step if field is None else (
                f"{field}{step}" if step.startswith("[") else f"{field}.{step}"
            )
            found += _flatten(sub, path)
        for sub in others:
            found += _flatten(sub, field)
        return found
    if isinstance(exc, FieldError):
        return [(exc.field if field is None else f"{field}.{exc.field}", str(exc))]
    if isinstance(exc, ValidationError):
        return [(field, p.message) for p in exc.problems]
    message = str(exc)
    if field and f"'{field.rsplit('.', 1)[-1]}'" not in message:
        message = f"'{field}': {message}"
    return [(field, message)]


def event_from_dict(data: Mapping[str, Any]) -> Event:
    """Build an event from a dict such as `event_to_dict` gives.

    Raises:
        ValidationError: every problem with the dict, each naming its field.
    """
    event, problems = structure_event(data)
    if event is None:
        raise ValidationError(Problem(message=message) for _field, message in problems)
    return event


def registry_to_dicts(registry: Registry) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``("actor" | "instrument", id, fields)`` for each entry not built in as it is."""
    builtin = Registry.builtin()
    for actor in registry.actors.values():
        if builtin.actors.get(actor.id) != actor:
            data = _CONVERTER.unstructure(actor)
            yield "actor", data.pop("id"), data
    for instrument in registry.instruments.values():
        if builtin.instruments.get(instrument.id) != instrument:
            data = _CONVERTER.unstructure(instrument)
            yield "instrument", data.pop("id"), data


def actor_from_dict(actor_id: str, data: Mapping[str, Any]) -> Actor:
    """An `Actor` from its table in ``actors.toml``."""
    return _CONVERTER.structure({"id": actor_id, **data}, Actor)


def instrument_from_dict(instrument_id: str, data: Mapping[str, Any]) -> Instrument:
    """An `Instrument` from its table in ``instruments.toml``."""
    return _CONVERTER.structure({"id": instrument_id, **data}, Instrument)
