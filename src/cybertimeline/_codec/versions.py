"""The version of the file format, and the path that brings older files up to it."""

from __future__ import annotations

import reprlib
from collections.abc import Callable, Mapping
from typing import Any

from cybertimeline.errors import ValidationError

__all__ = ["FORMAT_VERSION", "check_version", "upcast"]

FORMAT_VERSION = 1
"""The version of the event file format this library writes."""

# Upcasters turn a dict written in format N into format N + 1; a format change
# adds one here so old files keep loading.
_UPCASTERS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def check_version(version: object) -> str | None:
    """What is wrong with a declared format version, or None if this library reads it."""
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        return f"format {reprlib.repr(version)} is not a format version: write format = 1"
    if version > FORMAT_VERSION:
        return (f"format {version} is newer than this library reads ({FORMAT_VERSION}): "
                f"upgrade cybertimeline")
    return None


def upcast(data: Mapping[str, Any], version: int) -> dict[str, Any]:
    """Bring an event dict written in format ``version`` up to `FORMAT_VERSION`.

    Raises:
        ValidationError: the version is not one this library can read.
    """
    problem = check_version(version)
    if problem is not None:
        raise ValidationError([problem])
    result = dict(data)
    for step in range(version, FORMAT_VERSION):
        result = _UPCASTERS[step](result)
    return result
