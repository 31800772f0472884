"""Where a fact comes from."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import orjson

from cybertimeline._model.dates import Date, optional_date
from cybertimeline._model.fields import non_empty_text
from cybertimeline.errors import FieldError

__all__ = ["Source", "knowledge_day", "some_source", "sources", "sources_json", "sources_of_json",
           "sources_of_many"]


@attrs.frozen(kw_only=True)
class Source:
    """A source an event rests on.

    Attributes:
        title: The document's title (required).
        publisher: Who published it: a treaty office, a government, a news outlet.
        url: Where it was read.
        published: When it was published (an EDTF date).
        locator: Where in it: page, paragraph, section.
        quote: A short verbatim quote the event rests on.
    """

    title: str = attrs.field(validator=non_empty_text)
    publisher: str | None = None
    url: str | None = None
    published: Date | None = attrs.field(default=None, converter=optional_date)
    locator: str | None = None
    quote: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The source as JSON: every field, None where absent."""
        return {
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "published": None if self.published is None else str(self.published),
            "locator": self.locator,
            "quote": self.quote,
        }


def sources(value: Iterable[Source | Mapping[str, Any]]) -> tuple[Source, ...]:
    """Sources from `Source` objects or tables with a title."""
    if isinstance(value, str | Mapping):
        raise TypeError("'sources' must be a list of sources")
    found = []
    for item in value:
        if isinstance(item, Source):
            found.append(item)
        elif isinstance(item, Mapping):
            found.append(Source(**item))
        else:
            raise TypeError(f"a source must be a ct.Source or a table with a title, "
                            f"not {type(item).__name__}")
    return tuple(found)


def sources_json(value: Iterable[Source]) -> str:
    """Sources as a store keeps them beside an event's writes: a compact JSON array of
    their fields (those given)."""
    return json.dumps([{k: v for k, v in s.to_dict().items() if v is not None} for s in value],
                      ensure_ascii=False, separators=(",", ":"))


_READ: dict[str, tuple[Source, ...]] = {}
"""Sources read from JSON (`sources_of_json`), by their text."""


def sources_of_json(text: str) -> tuple[Source, ...]:
    """The sources `sources_json` wrote; read once per distinct text.

    Raises:
        ValueError, TypeError: the text is not such an array (or a source is invalid).
    """
    return sources_of_many([text])[0]


def sources_of_many(texts: Sequence[str]) -> list[tuple[Source, ...]]:
    """`sources_of_json` of each text, the new ones read as one JSON array (one call).

    Raises:
        ValueError, TypeError: a text is not such an array (or a source is invalid).
    """
    found = {text: _READ[text] for text in dict.fromkeys(texts) if text in _READ}
    new = [text for text in dict.fromkeys(texts) if text not in found]
    if new:
        made = _read_new(new)
        if len(_READ) + len(new) > 65536:  # a bound, not a cache policy
            _READ.clear()
        _READ.update(made)
        found.update(made)
    return [found[text] for text in texts]


def _read_new(texts: list[str]) -> dict[str, tuple[Source, ...]]:
    """The sources of each text, which `sources_json` wrote: an array of objects of text."""
    # Each text alone: joined, two changed texts could complete each other.
    read = [orjson.loads(text) for text in texts]
    if not all(_of_sources_shape(value) for value in read):  # no codec checks the fields' types
        raise TypeError("stored sources of another shape")
    return {text: sources(value) for text, value in zip(texts, read, strict=True)}


def _of_sources_shape(value: object) -> bool:
    return type(value) is list and all(
        type(item) is dict and all(type(v) is str for v in item.values()) for item in value)


def some_source(_instance: Any, attribute: attrs.Attribute[Any], value: tuple[Source, ...]
                ) -> None:
    """At least one source."""
    if not value:
        raise FieldError(attribute.name,
                         "at least one source is needed: add a [[...sources]] table")


def knowledge_day(recorded: Date | None, sources: Iterable[Source], end: dt.date) -> dt.date:
    """The day something entered the record (rule 7): ``recorded``, else the earliest
    ``published`` of its sources (each at its last day), else ``end``."""
    if recorded is not None:
        return recorded.earliest
    published = [s.published.latest for s in sources if s.published is not None]
    return min(published) if published else end
