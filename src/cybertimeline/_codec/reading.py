"""Dicts to events, saying what is wrong with every field of a dict that is not one.

Reading tries the fast converter first; only a dict that fails it is read by
the detailed converter, whose error tree cattrs turns into messages and paths
(`cattrs.transform_error`); then each remaining field is checked on its own, so
that one pass over a file reports all its problems.
"""

from __future__ import annotations

import difflib
import re
import reprlib
from collections.abc import Mapping
from typing import Any

import attrs
import cattrs

from cybertimeline._codec.converters import detailed, fast, unknown_key
from cybertimeline._model.event import BaseEvent
from cybertimeline._model.events import KINDS, Event
from cybertimeline.errors import FieldError, Problem, ValidationError

__all__ = ["FieldProblem", "cattrs_problems", "event_from_dict", "event_label",
           "structure_event"]

FieldProblem = tuple[str | None, str]
"""What is wrong, and the path of the field (``date``, ``sources[1].title``) where known."""

# Separates a field's name from the message in the descriptions cattrs gathers: the
# field of a FieldError is not on cattrs' path (it is raised by the class, not a hook).
_FIELD_MARK = "\x1f"
_KEY = re.compile(r"\['([^']*)'\]")  # cattrs writes table keys quoted: votes['CAN']


def event_label(data: object) -> str:
    """How a problem names the event it is about: ``event 'can-ratifies'``."""
    if isinstance(data, Mapping) and "id" in data:
        return f"event {reprlib.repr(data['id'])}"
    return "event"


def _describe(exc: BaseException, _type: object) -> str:
    if isinstance(exc, FieldError):
        return f"{exc.field}{_FIELD_MARK}{exc}"
    if isinstance(exc, ValidationError):
        return "; ".join(p.message for p in exc.problems)
    if isinstance(exc, KeyError):
        return f"{exc} is missing"
    return str(exc)


def cattrs_problems(exc: BaseException, field: str | None = None) -> list[FieldProblem]:
    """The problems in a converter's error, each with the path of its field.

    ``field`` is the path of what was being read, if it was one field of an event.
    """
    found: list[FieldProblem] = []
    for line in cattrs.transform_error(exc, path="$", format_exception=_describe):
        message, _, at = line.rpartition(" @ $")
        path = ".".join(p for p in (field, at.lstrip(".")) if p)
        path = _KEY.sub(r"[\1]", path.replace(".[", "["))
        if _FIELD_MARK in message:
            own, message = message.split(_FIELD_MARK, 1)
            if path.rsplit(".", 1)[-1] != own:
                path = f"{path}.{own}" if path else own
        if path and f"'{path.rsplit('.', 1)[-1]}'" not in message:
            message = f"'{path}': {message}"
        found.append((path or None, message))
    return found


def field_problems(data: object) -> list[FieldProblem]:
    """What is wrong with the shape of an event dict: its kind, unknown or missing fields."""
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
    names, allowed, required = _fields_of(KINDS[kind])
    if allowed.issuperset(data) and required.issubset(data):
        return []
    problems: list[FieldProblem] = []
    for key in data:
        if key not in allowed:
            problems.append((str(key), unknown_key(key, names, f"{kind} event")))
    for name in sorted(required - data.keys()):
        problems.append((None, f"a {kind} event needs '{name}': it is missing"))
    return problems


def _fields_of(cls: type[BaseEvent]) -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """A kind's fields in order, the keys its event dict may have (those and "kind"), and
    the keys it must have (kept by class: a kind registered later has its own)."""
    found = _FIELDS.get(cls)
    if found is None:
        names = tuple(a.alias for a in attrs.fields(cls))
        found = _FIELDS[cls] = (names, frozenset({"kind", *names}), frozenset(
            a.alias for a in attrs.fields(cls) if a.default is attrs.NOTHING))
    return found


_FIELDS: dict[type[BaseEvent], tuple[tuple[str, ...], frozenset[str], frozenset[str]]] = {}


def structure_event(data: Mapping[str, Any]) -> tuple[Event | None, list[FieldProblem]]:
    """Build an event from a dict; on failure, every problem, each with its field.

    When the kind is unknown or a field is missing or unknown, the fields that
    are there are still checked one by one.
    """
    problems = field_problems(data)
    if problems:
        return None, problems + _each_field(data, problems)
    try:
        return fast().structure(data, Event), []  # type: ignore[arg-type]
    except Exception:  # the detailed converter below says what is wrong
        pass
    try:
        return detailed().structure(data, Event), []  # type: ignore[arg-type]
    except Exception as exc:  # every failure becomes a reported problem
        problems = cattrs_problems(exc)
    return None, problems + _each_field(data, problems)


def _each_field(data: object, found: list[FieldProblem]) -> list[FieldProblem]:
    """The problems of each field on its own, but for those already reported.

    Structuring stops at the first field that fails, and attrs checks no field
    when one fails; this checks the others. Field validators look at their own
    field only; the checks across fields (marked so in the classes) run when a
    whole event is built. With an unknown kind, the fields every event has.
    """
    if not isinstance(data, Mapping):
        return []
    kind = data.get("kind")
    cls = KINDS[kind] if isinstance(kind, str) and kind in KINDS else BaseEvent
    reported = {field.split(".")[0].split("[")[0] for field, _ in found if field}
    reported |= {message for field, message in found if field is None}
    more: list[FieldProblem] = []
    for attribute in attrs.fields(cls):
        name = str(attribute.alias)
        if name not in data or name in reported or attribute.type is None:
            continue
        try:
            value = detailed().structure(data[name], attribute.type)
            converter: Any = attribute.converter
            if converter is not None:
                value = converter(value)
            if attribute.validator is not None:
                attribute.validator(None, attribute, value)
        except Exception as exc:  # what failed, with the path of the field
            more += cattrs_problems(exc, name)
    return more


def event_from_dict(data: Mapping[str, Any]) -> Event:
    """Build an event from a dict such as `event_to_dict` gives.

    Raises:
        ValidationError: every problem with the dict, each naming its field.
    """
    event, problems = structure_event(data)
    if event is None:
        raise ValidationError(Problem(message=message) for _field, message in problems)
    return event
