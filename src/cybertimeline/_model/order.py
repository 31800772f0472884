"""The canonical order of events (rule 1): a total order, whatever order they came in."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cybertimeline._model.event import BaseEvent


__all__ = ["canonical_key"]


def canonical_key(event: BaseEvent) -> tuple[dt.date, dt.date, str]:
    """``(latest, earliest, id)``: the canonical order of events, a total order."""
    return (event.date.latest, event.date.earliest, event.id)
