"""Check that cached positions equal a full replay, on the benchmark's corpus and the dataset.

The Hypothesis tests prove this on small generated timelines; this runs it at
scale, where lanes are thousands of events long and the prefix caches matter:
every answer of ``Timeline.position`` (in memory and on SQLite, before and
after appends, with and without ``known_at`` and ``possible``) is compared,
keys in order, with ``ct.fold(ct.PositionProjection(actor), ...)`` over the
events that the test suite's model of rules 2 and 3 (docs/concepts.md) selects::

    .venv/bin/python -m bench.check_equivalence [--fraction 0.05] [--queries 300]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
from pathlib import Path

from tests import reference as model

import cybertimeline as ct
from bench import corpus

FIELDS = tuple(spec.name for spec in ct.sections() if spec.keyed)


def _day(rng: random.Random, first: int, last: int) -> dt.date:
    start = dt.date(first, 1, 1)
    return start + dt.timedelta(days=rng.randrange((dt.date(last, 12, 31) - start).days))


def check(timeline: ct.Timeline, events: list[ct.Event], actors: list[str],
          rng: random.Random, queries: int, years: tuple[int, int]) -> int:
    """Compare ``queries`` random positions with full replays; return how many differ."""
    known_sets: dict[dt.date | None, list[ct.Event]] = {}
    wrong = 0
    for _ in range(queries):
        actor = rng.choice(actors)
        as_of = rng.choice([None, _day(rng, *years)])
        known_at = rng.choice([None, None, _day(rng, *years)])
        possible = rng.random() < 0.2
        if known_at not in known_sets:
            known_sets[known_at] = model.canonical(model.known_set(events, known_at))
        chosen = [e for e in known_sets[known_at]
                  if as_of is None or (e.date.earliest if possible else e.date.latest) <= as_of]
        replay = ct.fold(ct.PositionProjection(actor), chosen)
        got = timeline.position(actor, as_of=as_of, known_at=known_at, possible=possible)
        # The labels, the complete charts (rule 10) and the instruments not yet open (rule
        # 11) are the timeline's, not the fold's.
        labels: dict[str, object] = {"as_of": None, "known_at": None, "possible": False,
                                     "coverage": {}, "not_yet_open": {}}
        # As JSON text: the order of a section's keys too (votes by date), not only its items.
        same = json.dumps(got.to_dict() | labels) == json.dumps(replay.to_dict()) and all(
            list(got.section(f)) == list(replay.section(f)) for f in FIELDS)
        if not same:
            wrong += 1
            print(f"  differs: {actor} as_of={as_of} known_at={known_at} possible={possible}")
    return wrong


def check_rows(timeline: ct.Timeline) -> int:
    """How many problems `validate` finds in the store's rows (writes, entries, ballots,
    index rows) against its events. The corpus's acts are drawn at random, so the treaties'
    sequences (rule 12) are not checked here."""
    try:
        timeline.validate()
    except ct.ValidationError as exc:
        rows = [p for p in exc.problems if "rule 12" not in p.message
                and "opened for signature" not in p.message and "irregular" not in p.message]
        for problem in rows[:10]:
            print(f"  stored rows: {problem.message}")
        return len(rows)
    return 0


def check_votes_on(timelines: list[ct.Timeline], events: list[ct.Event], rng: random.Random,
                   queries: int) -> int:
    """Compare ``queries`` random `Timeline.votes_on` answers with each voter's replayed
    position; return how many differ."""
    votes = [e for e in events if isinstance(e, ct.Vote)]
    wrong = 0
    for _ in range(queries):
        resolution = rng.choice(votes).resolution
        as_of = rng.choice([None, _day(rng, 1946, 2024)])
        known = model.canonical(model.known_set(events, None))
        chosen = [e for e in known if as_of is None or e.date.latest <= as_of]
        voters = sorted({a for e in chosen if isinstance(e, ct.Vote)
                         and e.resolution == resolution for a in e.votes})
        expected = {}
        for actor in voters:
            entry = ct.fold(ct.PositionProjection(actor), [
                e for e in chosen if actor in e.involved]).votes.get(resolution)
            if entry is not None:
                expected[actor] = entry
        for timeline in timelines:
            if timeline.votes_on(resolution, as_of=as_of) != expected:
                wrong += 1
                print(f"  differs: votes_on {resolution} as_of={as_of} ({timeline.location})")
    return wrong


def main() -> None:
    """Run every check and exit non-zero if any answer differs from a full replay."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=0.05)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    wrong = 0

    generated = corpus.generate(args.fraction)
    events = list(generated.events)
    states = rng.sample(corpus.states(), 8)
    memory = generated.timeline()
    print(f"corpus in memory: {len(events)} events")
    wrong += check(memory, events, states, rng, args.queries, (1946, 2024))
    # A store in memory this small folds an actor's lane; with every actor's ballots held
    # it reads the columns a store of 5,000 events or more makes at its first position.
    columns = generated.timeline()
    columns.prepare_bulk()
    print("corpus in memory, every actor's columns")
    wrong += check(columns, events, states, rng, args.queries, (1946, 2024))

    with tempfile.TemporaryDirectory() as folder:
        stored = ct.copy_into(memory, Path(folder) / "corpus.sqlite")
        print("corpus on SQLite")
        wrong += check(stored, events, states, rng, args.queries // 3, (1946, 2024))
        wrong += check_rows(stored)
        print("corpus on SQLite, every actor's ballots held as a matrix")
        stored.prepare_bulk()
        wrong += check(stored, events, states, rng, args.queries // 3, (1946, 2024))
        print("every actor's vote on a resolution (votes_on), memory and SQLite")
        wrong += check_votes_on([memory, stored], events, rng, args.queries // 10)

    # Appends after queries: cached prefixes must follow, positions handed out must not.
    before = memory.position(states[0], as_of="2000-01-01")
    kept = before.to_dict()
    for number in range(20):
        event = ct.Statement(
            id=f"appended-{number}", date=ct.Date.from_date(_day(rng, 1990, 2024)),
            actor=states[number % 3], topic="topic-00", stance="opposes",
            sources=(ct.Source(title="Appended"),))
        memory.append(event)
        events.append(memory.event(event.id))  # as stored: recorded on the append day
    print("corpus in memory, after appends")
    wrong += check(memory, events, states[:3], rng, args.queries // 3, (1990, 2024))
    if before.to_dict() != kept:
        wrong += 1
        print("  a position handed out before the appends changed")

    dataset = ct.load()
    dataset_events = list(dataset.events(include_corrected=True))
    actors = sorted({a for e in dataset_events for a in getattr(e, "involved", ())})
    print(f"bundled dataset: {len(dataset_events)} events, {len(actors)} actors")
    wrong += check(dataset, dataset_events, actors, rng, args.queries, (1995, 2026))

    print("every answer equals a full replay" if not wrong else f"{wrong} answers differ")
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
