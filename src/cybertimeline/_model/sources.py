"""Where a fact comes from."""

from __future__ import annotations

from typing import Any

import attrs

from cybertimeline._model.dates import Date, optional_date
from cybertimeline._model.fields import non_empty_text

__all__ = ["Source"]


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
