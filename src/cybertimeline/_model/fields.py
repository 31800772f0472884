"""Converters and validators shared by the event and registry classes.

Each checks one field on its own; checks that need several fields are the
classes' own (``__attrs_post_init__``), marked there as cross-field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from typing import Any

import attrs

from cybertimeline._model.dates import Date
from cybertimeline.errors import FieldError

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
ACTOR_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def non_empty_text(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """The value is a string with something in it."""
    if not isinstance(value, str):
        kind = type(value).__name__
        raise FieldError(attribute.name, f"'{attribute.name}' must be text, not {kind}")
    if not value.strip():
        raise FieldError(attribute.name, f"'{attribute.name}' is empty: write what it is")


MAX_ID_LENGTH = 128
"""Ids longer than this are refused: they are names, not text."""

MAX_TEXT_LENGTH = 20_000
"""Text fields longer than this (in characters) are refused: quotes are short."""


def slug(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """The value is a lowercase slug: ``[a-z0-9][a-z0-9-]*``, at most 128 characters."""
    if isinstance(value, str) and len(value) > MAX_ID_LENGTH:
        raise FieldError(
            attribute.name,
            f"'{attribute.name}' is {len(value)} characters long: keep ids to "
            f"{MAX_ID_LENGTH} or fewer",
        )
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise FieldError(
            attribute.name,
            f"'{attribute.name}' {value!r} is not a valid id: use lowercase letters, digits "
            f"and hyphens, starting with a letter or digit (e.g. 'can-ratifies-budapest')"
        )


def actor_id(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """The value looks like an actor id (``CAN``, ``EU``, ``SPO``)."""
    if not isinstance(value, str) or not ACTOR_ID.fullmatch(value):
        raise FieldError(
            attribute.name,
            f"'{attribute.name}' {value!r} is not an actor id: use an ISO 3166-1 alpha-3 code "
            f"such as 'CAN' or an id declared in actors.toml"
        )


def one_of(choices: Collection[str]) -> Any:
    """The value is one of ``choices``; the error lists them."""

    def check(_instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in choices:
            options = ", ".join(repr(c) for c in choices)
            raise FieldError(
                attribute.name, f"'{attribute.name}' {value!r} is not allowed: use one of {options}"
            )

    return check


def date(value: Date | dt.date | str) -> Date:
    """A `Date` from a Date, a ``datetime.date`` or EDTF text."""
    return Date.coerce(value)


def strings(value: Iterable[str]) -> tuple[str, ...]:
    """A tuple of text from a list of text (not from one text)."""
    if isinstance(value, str):
        raise TypeError("expected a list of text, not a single text")
    return tuple(value)


def a_day(_instance: Any, attribute: attrs.Attribute[Any], value: Date | None) -> None:
    """None, or one exact day."""
    if value is not None and not value.is_day:
        raise FieldError(attribute.name,
                         f"'{attribute.name}' must be one exact day (YYYY-MM-DD), not {value}")


def optional_slug(instance: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """None, or a slug."""
    if value is not None:
        slug(instance, attribute, value)
