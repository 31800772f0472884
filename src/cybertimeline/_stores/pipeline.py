"""The load pipeline every file store shares: raw records and their places in, contents out.

A store reads its format (TOML tables, JSON lines) and hands each record to a
`Loader` with where it was found; the loader upcasts and reads events and
registry entries, checks them across the whole store, and gives the contents,
or raises every problem found, each at its file and line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import attrs

from cybertimeline._codec.converters import actor_from_dict, instrument_from_dict
from cybertimeline._codec.reading import cattrs_problems, event_label
from cybertimeline._codec.versions import FORMAT_VERSION, check_version
from cybertimeline._model.events import Event
from cybertimeline._model.registry import Actor, Instrument, Registry
from cybertimeline._stores.base import MAX_EVENTS, Contents
from cybertimeline._stores.checks import (
    MAX_PROBLEMS,
    Budget,
    Named,
    Origin,
    check_events,
    check_registry,
    failed_name_problems,
    raw_names,
)
from cybertimeline._stores.mapper import map_payload
from cybertimeline.errors import Problem, ValidationError

__all__ = ["MAX_PROBLEMS", "Loader"]

Entry = Literal["actor", "instrument"]
_BUILD: Mapping[Entry, Callable[[str, Mapping[str, Any]], Actor | Instrument]] = {
    "actor": actor_from_dict, "instrument": instrument_from_dict}


class Loader:
    """Builds a store's contents from the records its files hold; collects every problem.

    ``location`` names the store in the problem raised when it holds too many events.
    """

    def __init__(self, location: Path) -> None:
        self.location = location
        self.problems: list[Problem] = []
        self._located: list[tuple[Event, Origin]] = []
        self._failed: list[tuple[str, list[Named], Origin]] = []
        self._actors: list[Actor] = []
        self._instruments: list[Instrument] = []
        self._registry_origins: dict[str, Origin] = {}

    def __len__(self) -> int:
        """How many events have been read so far."""
        return len(self._located) + len(self._failed)

    def problem(self, message: str, file: Path | None = None, line: int | None = None) -> None:
        """Record a problem that is not about one event (a file that does not parse...)."""
        self.add(Problem(message=message, file=file, line=line))

    def add(self, problem: Problem) -> None:
        """Record a problem; past `MAX_PROBLEMS`, stop the load with those found so far.

        Raises:
            ValidationError: the store holds more than `MAX_PROBLEMS` problems.
        """
        self.problems.append(problem)
        if len(self.problems) >= MAX_PROBLEMS:
            raise ValidationError([*self.problems, Problem(
                message=f"stopped after {MAX_PROBLEMS} problems: fix these and validate again",
                file=self.location)])

    def version(self, value: object, origin: Origin) -> int | None:
        """The format version a file declares, or None (a problem recorded) if unreadable."""
        problem = check_version(value)
        if problem is not None:
            self.add(origin.problem(problem))
            return None
        assert isinstance(value, int)
        return value

    def event(self, data: object, origin: Origin, version: object = FORMAT_VERSION
              ) -> Event | None:
        """Read one event written in format ``version`` (`map_payload`): a dict, or JSON;
        its problems are recorded. The event, if it is one."""
        if len(self) >= MAX_EVENTS:
            raise ValidationError([Problem(
                message=f"holds more than {MAX_EVENTS} events, the limit of a store read "
                        f"whole into memory: split it into several stores, or write its "
                        f"events into a SQLite store (ct.create('store.sqlite'), then "
                        f"Timeline.extend in batches), which is not read whole",
                file=self.location)])
        mapped = map_payload(data, version)
        for problem in mapped.located(origin):
            self.add(problem)
        if mapped.event is not None:
            self._located.append((mapped.event, origin))
        else:
            self._failed.append((event_label(mapped.data), raw_names(mapped.data), origin))
        return mapped.event

    def registry_entry(self, entry: Entry, key: str, data: object, origin: Origin, *,
                       replaces: bool = False) -> None:
        """Read one actor or instrument declared at ``origin``; its problems are recorded.

        An entry declared twice in the store is a problem naming both places, unless
        the later one ``replaces`` it (an append's declaration): then the later one's
        fields count, and an instrument keeps the coverage of both.
        """
        first = self._registry_origins.setdefault(f"{entry}:{key}", origin)
        if first is not origin:
            if not replaces:
                self.add(origin.problem(f"{entry} {key!r} is declared twice: first at "
                                        f"{first}; keep one of them"))
                return
            self._registry_origins[f"{entry}:{key}"] = origin
        if not isinstance(data, Mapping):
            self.add(origin.problem(f"{entry} {key!r} must be a table"))
            return
        try:
            built = _BUILD[entry](key, data)
        except Exception as exc:  # every failure becomes a reported problem
            for _field, message in cattrs_problems(exc):
                self.add(origin.problem(f"{entry} {key!r}: {message}"))
            return
        if isinstance(built, Actor):
            self._actors.append(built)
        else:
            self._instruments.append(built)

    def contents(self) -> Contents:
        """The contents read, checked as a whole.

        Raises:
            ValidationError: every problem found, in the order of files and lines.
        """
        registry = Registry.builtin().extended(self._actors, _merged(self._instruments))
        problems = [*self.problems, *check_registry(registry, self._registry_origins)]
        # Problems past the cap are never computed: each check stops where it is reached.
        budget = Budget(max(0, MAX_PROBLEMS - len(problems)))
        problems += check_events(self._located, registry, budget=budget)
        problems += failed_name_problems(self._failed, registry, budget)
        if problems:
            problems.sort(key=lambda p: (str(p.file or ""), p.line or 0))
            if len(problems) >= MAX_PROBLEMS:
                problems[MAX_PROBLEMS:] = [Problem(
                    message=f"stopped after {MAX_PROBLEMS} problems: fix these and validate "
                            f"again", file=self.location)]
            raise ValidationError(problems)
        return Contents.in_memory(self._located, registry)


def _merged(instruments: Iterable[Instrument]) -> list[Instrument]:
    """One instrument per id: the last declaration's fields, with the coverage of every
    declaration (a chart once declared complete stays declared, whichever file says it)."""
    found: dict[str, Instrument] = {}
    for instrument in instruments:
        earlier = found.get(instrument.id)
        if earlier is not None:
            coverage = tuple(dict.fromkeys((*earlier.coverage, *instrument.coverage)))
            instrument = attrs.evolve(instrument, coverage=coverage)
        found[instrument.id] = instrument
    return list(found.values())
