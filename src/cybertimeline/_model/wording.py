"""Names of actors, instruments and topics, headlines of events, numbered citations.

What every text rendering shares: the command line, positions, changelogs and exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from cybertimeline._model.registry import Registry
from cybertimeline._model.sources import Source

if TYPE_CHECKING:
    from cybertimeline._model.event import BaseEvent
    from cybertimeline._model.events import Tally

__all__ = ["STATUS_WORDS", "Citations", "Words", "aligned", "counted", "headline"]


STATUS_WORDS = {"none": "not a signatory", "unknown": "no data", "not_yet_open": "not yet open"}
"""How text output writes the statuses of an instrument an actor never acted on (rules 10 and
11)."""

_NOUNS = ("process", "convention", "treaty", "committee", "group", "resolution")


class Words:
    """Names of actors, instruments and topics as a report writes them."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def actor(self, actor: str) -> str:
        """``Canada (CAN)``, ``the European Union (EU)``."""
        found = self.registry.actors.get(actor)
        if found is None:
            return actor
        if found.type in ("state", "territory"):
            return f"{found.name} ({actor})"
        return f"the {found.name} ({actor})"

    def heading(self, actor: str) -> str:
        """``Canada (CAN)``, ``European Union (EU)``: an actor's name for a heading."""
        return f"{self.registry.name(actor)} ({actor})"

    def instrument(self, instrument: str) -> str:
        """``the Convention on Cybercrime (ETS No. 185; Budapest Convention)``, or a UN symbol."""
        found = self.registry.instruments.get(instrument)
        if found is None:
            return instrument
        if found.short and found.title.endswith(")"):
            return f"the {found.title[:-1]}; {found.short})"
        return f"the {found.label}"

    def topic(self, topic: str) -> str:
        """An instrument's name, or a topic slug in words (``un-cybercrime-treaty``: the UN
        cybercrime treaty)."""
        if topic in self.registry.instruments:
            return self.instrument(topic)
        words = []
        for word in topic.split("-"):
            known = self.registry.actors.get(word.upper())
            upper = word.upper() in ("UN", "ICT", "ICTS") or (
                known and known.type not in ("state", "territory"))
            words.append(word.upper() if upper else word)
        return "the " + " ".join(words) if words[-1] in _NOUNS else \
            " ".join(words)

    def tally(self, tally: Tally | None) -> str:
        """`` by a recorded vote of 79 to 60, with 33 abstentions``, or nothing."""
        if tally is None:
            return ""
        return (f" by a recorded vote of {tally.yes} to {tally.no}, "
                f"with {tally.abstain} abstentions")

    def short(self, actor: str) -> str:
        """The actor's name where it is short enough for a headline, else its id."""
        name = self.registry.name(actor)
        return name if len(name) <= 40 else actor

    def short_instrument(self, instrument: str) -> str:
        """An instrument's short name (``Budapest Convention``), or its title, or the symbol."""
        return self.registry.short_label(instrument)


_FIELD = re.compile(r"\{(\w+)(?:\|([^}]*))?\}")


def headline(event: BaseEvent, registry: Registry) -> str:
    """A short headline for an event, from its kind's template: ``Canada ratifies the
    Budapest Convention``.

    ``{field}`` is the event's field (or property: ``{subject}``), actors by name,
    instruments by short name;
    ``{verb}`` its verb, ``{field|text}`` the field or ``text`` where it is empty.
    """
    words = Words(registry)

    def fill(match: re.Match[str]) -> str:
        name, default = match.groups()
        if name == "verb":
            return event.verb()
        value = getattr(event, name)
        if value is None or value == ():
            return default or ""
        if name in event.actor_fields:
            actors = [value] if isinstance(value, str) else list(value)
            return " and ".join(words.short(a) for a in actors)
        if isinstance(value, str) and value in registry.instruments:
            return words.short_instrument(value)
        return str(value)

    return " ".join(_FIELD.sub(fill, event.headline).split())


class Citations:
    """Sources numbered in order of first citation; one number per document."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[Any, ...], int] = {}
        self._sources: list[Source] = []

    def cite(self, sources: Iterable[Source]) -> str:
        """``[1][2]`` for these sources, numbering new documents."""
        numbers = []
        for source in sources:
            document = (source.title, source.publisher, source.url)
            if document not in self._numbers:
                self._numbers[document] = len(self._sources) + 1
                self._sources.append(source)
            numbers.append(self._numbers[document])
        return "".join(f"[{n}]" for n in dict.fromkeys(numbers))

    def __bool__(self) -> bool:
        return bool(self._sources)

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources cited so far, in the order of their numbers."""
        return tuple(self._sources)

    def lines(self, markdown: bool = True) -> list[str]:
        """One line per source: ``[1] Publisher. Title (published). <url>``."""
        result = []
        for number, source in enumerate(self._sources, start=1):
            title = f"*{source.title}*" if markdown else source.title
            parts = [p for p in (source.publisher, title) if p]
            text = ". ".join(parts)
            text += f" ({source.published})" if source.published else ""
            text += f". <{source.url}>" if source.url else ""
            result.append(f"[{number}] {text}")
        return result

    def block(self) -> list[str]:
        """``Sources`` and a line per source, indented: the end of a text rendering."""
        return ["Sources", *(f"  {line}" for line in self.lines(markdown=False))] if self else []


def aligned(rows: list[list[str]]) -> list[str]:
    """Rows with every column but the last padded to its widest cell."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return ["  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[-1]])
            .rstrip() for row in rows]


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``1 event``, ``2 events``; ``2 treaties`` with ``plural="treaties"``."""
    return f"{number} {noun}" if number == 1 else f"{number} {plural or noun + 's'}"
