"""A timeline's writes: events stamped, checked against everything stored, and written.

`write` is `Timeline.extend`: each event stamped with the day the store receives
it (rule 7; refused if it cannot be known yet, rule 9), refused if it would not
read back as itself (told from its fields' types where they are plain, else by a
round trip through the codec), then handed to the store with the check the store runs
against its contents as they are when it writes (under its lock): the registry,
every event's references, the treaties' sequences (rule 12).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import attrs

from cybertimeline._model.dates import Date
from cybertimeline._model.registry import Registry
from cybertimeline._stores.base import Accept, Contents, Declaration, Store, declared
from cybertimeline._stores.checks import Origin, check_events, check_registry
from cybertimeline._stores.sequences import acts_of, sequence_problems
from cybertimeline.errors import Problem, ValidationError

if TYPE_CHECKING:
    from cybertimeline._model.events import Event

__all__ = ["write"]


def write(store: Store, events: Iterable[Event], clock: Callable[[], dt.date],
          expected: int | None, declare: Iterable[Declaration]) -> Contents | None:
    """Write ``events`` (each stamped with the ``clock``'s day) and ``declare`` to the store,
    all or none: the store's contents after the write, or None if there was nothing to write.

    Raises:
        ValidationError: an event does not fit the store; nothing was written.
        ConflictError: the store no longer holds ``expected`` events.
        ReadOnlyError: the store is read-only.
    """
    today = clock()  # one append, received on one day
    batch = [stamped(e, today) for e in events]
    entries = list(declare)
    if not batch and not entries:
        return None
    return store.extend(batch, _acceptance(batch, entries), expected, entries)


def _acceptance(batch: list[Event], entries: list[Declaration]) -> Accept:
    """The check the store runs against its contents when it writes the batch."""

    def accept(contents: Contents) -> None:
        registry = declared(contents.registry, entries)
        problems = [*check_registry(registry),
                    *check_events([(e, Origin()) for e in batch], registry,
                                  contents.index, contents.origins)]
        if not problems:
            problems = _sequences(batch, contents, registry)
        if problems:
            raise ValidationError(problems)

    return accept


def stamped(event: Event, today: dt.date) -> Event:
    """The event stamped with the day the store receives it (its own history), and a
    correction without ``recorded`` recorded on that day too (rule 7); checked as the
    store will hold it (`check_writable`).

    Raises:
        ValidationError: the event cannot be known ``today`` (rule 9), or cannot be stored.
    """
    if event.recorded is None and not event.announced_ahead and today < event.date.earliest:
        raise ValidationError([
            f"event {event.id!r} is dated {event.date}, after today ({today}), the day "
            f"of the append: a {event.kind} cannot be known before it happened "
            f"(rule 9); append it once it has happened, or correct its date"])
    day = Date.from_date(today)
    if event.corrects is not None and event.recorded is None:
        made = attrs.evolve(event, recorded=day, stamped=day)
    else:
        made = _restamped(event, day)
    check_writable(made)
    return made


def _restamped(event: Event, day: Date) -> Event:
    """The event with ``stamped`` set to ``day``, its fields copied as they are (as pickle
    would, a cached hash dropped), without `attrs.evolve`'s conversions and checks of each
    (a vote's table of 193 options): `check_writable` runs every check of the class on
    the copy, and those of the format."""
    copied = copy.copy(event)
    object.__setattr__(copied, "stamped", day)
    return copied


def _sequences(batch: list[Event], contents: Contents, registry: Registry) -> list[Problem]:
    """The sequence problems of appended treaty acts (rule 12), read with the acts already
    stored of the same actors (and their parents' acts); corrected acts left out."""
    new = acts_of(batch)
    if not new:
        return []
    stored = [e for actor in {a.actor for a in new} for e in contents.index.lane(actor).events]
    corrected = {e.corrects for e in (*stored, *batch) if e.corrects is not None}
    others = [a for a in acts_of(stored) if a.id not in corrected]
    return sequence_problems([a for a in new if a.id not in corrected], others, registry,
                             _unplaced)


def _unplaced(_event_id: str, message: str) -> Problem:
    """A problem of an event being appended: it has no file and line yet."""
    return Problem(message=message)


def check_writable(event: Event) -> None:
    """Refuse an event that would not read back as itself: a store holds only what it can load.

    Events built in Python skip the checks of the file format (a summary that is
    a number, say); writing one would make the store unloadable.

    An event whose fields are plain values of their declared types surely reads back
    as itself (`reads_back`): only the others are encoded and decoded to find out.

    Raises:
        ValidationError: the event cannot be stored.
    """
    from cybertimeline._codec.plain import reads_back

    if reads_back(event):
        return
    try:
        from cybertimeline._codec.converters import event_to_dict
        from cybertimeline._codec.reading import event_from_dict

        again = event_from_dict(event_to_dict(event))
    except ValidationError as exc:
        raise ValidationError(
            [f"event {event.id!r} cannot be stored: {p.message}" for p in exc.problems]
        ) from None
    except Exception as exc:  # an event with fields of the wrong types
        raise ValidationError([f"event {event.id!r} cannot be stored: {exc}"]) from None
    if again != event:
        raise ValidationError([f"event {event.id!r} cannot be stored: it does not read back "
                               f"as itself (check the types of its fields)"])
