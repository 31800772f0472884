"""A deterministic, realistic corpus of cyber-diplomacy events, with scale knobs.

At ``fraction=1.0`` it holds what the benchmark issue asks for:

* 6,000 recorded votes of the UN General Assembly since 1946, each with the
  option of 193 states (mostly day precision, as roll calls are);
* 20,000 treaty actions on 200 instruments: signatures, then consents to be
  bound (ratification, accession, acceptance, approval), entries into force and
  a few withdrawals, for plausible (state, instrument) pairs, in that order;
* 50,000 statements on 40 topics, with a mix of day, month and year precision
  (about 55 / 30 / 15 per cent), and a few later corrections (supersessions
  and retractions) so that the known set is not trivial.

The same seed and fraction always give the same events, in the same order.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pycountry

import cybertimeline as ct

__all__ = ["Corpus", "generate", "states"]

FULL_VOTES = 6_000
FULL_TREATY_ACTIONS = 20_000
FULL_STATEMENTS = 50_000
INSTRUMENTS = 200
TOPICS = 40
STATES = 193
SEED = 20_240_808

_OPTIONS: tuple[str, ...] = ("yes", "no", "abstain", "absent")
_OPTION_WEIGHTS = (70, 8, 15, 7)
_STANCES: tuple[str, ...] = ("supports", "opposes", "neutral", "mixed")
_CONSENTS: tuple[str, ...] = ("ratification", "accession", "acceptance", "approval")
_CONSENT_WEIGHTS = (60, 30, 5, 5)
_CLASSES: dict[str, type[ct.Event]] = {
    "signature": ct.Signature,
    "ratification": ct.Ratification,
    "accession": ct.Accession,
    "acceptance": ct.Acceptance,
    "approval": ct.Approval,
    "entry_into_force": ct.EntryIntoForce,
    "withdrawal": ct.Withdrawal,
}


def states() -> list[str]:
    """193 ISO alpha-3 codes, always the same ones (a seeded sample of pycountry's)."""
    codes = sorted(country.alpha_3 for country in pycountry.countries)
    return sorted(random.Random(SEED).sample(codes, STATES))


class Corpus:
    """The generated events and the instruments a registry must declare for them."""

    def __init__(self, events: list[ct.Event], instruments: list[ct.Instrument]) -> None:
        self.events = events
        self.instruments = instruments

    @property
    def registry(self) -> ct.Registry:
        """The built-in registry extended with the corpus's instruments."""
        return ct.Registry.builtin().extended(instruments=self.instruments)

    def timeline(self) -> ct.Timeline:
        """The events in an in-memory timeline (validated, as every timeline is)."""
        return ct.Timeline(self.events, registry=self.registry)


def _date(rng: random.Random, day: dt.date, weights: tuple[int, int, int]) -> ct.Date:
    """``day`` at day, month or year precision, chosen with these weights."""
    precision = rng.choices(("day", "month", "year"), weights)[0]
    if precision == "day":
        return ct.Date.parse(day.isoformat())
    if precision == "month":
        return ct.Date.parse(f"{day.year:04d}-{day.month:02d}")
    return ct.Date.parse(f"{day.year:04d}")


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _source(title: str, url: str) -> tuple[ct.Source, ...]:
    return (ct.Source(title=title, url=url),)


def _votes(rng: random.Random, count: int, voters: list[str]) -> Iterator[ct.Event]:
    first, last = dt.date(1946, 1, 10), dt.date(2024, 12, 20)
    days = sorted(_day(rng, first, last) for _ in range(count))
    for number, day in enumerate(days):
        session = day.year - 1945
        resolution = f"A/RES/{session}/{number + 1}"
        votes = dict(zip(voters, rng.choices(_OPTIONS, _OPTION_WEIGHTS, k=len(voters)),
                         strict=True))
        cast = list(votes.values())
        tally = ct.Tally(yes=cast.count("yes"), no=cast.count("no"),
                         abstain=cast.count("abstain"))
        yield ct.Vote(
            id=f"unga-vote-{number + 1:05d}",
            date=_date(rng, day, (96, 3, 1)),
            body="UNGA",
            resolution=resolution,
            votes=votes,
            tally=tally,
            topic=f"topic-{rng.randrange(TOPICS):02d}",
            sources=_source(f"Voting record of {resolution}",
                            f"https://digitallibrary.un.org/record/{900000 + number}"),
        )


def _instruments(count: int) -> list[ct.Instrument]:
    return [
        ct.Instrument(id=f"treaty-{n:03d}", title=f"Convention number {n}",
                      opened=ct.Date.parse(f"{1950 + n % 70:04d}"))
        for n in range(count)
    ]


def _treaty_actions(
    rng: random.Random, count: int, voters: list[str], instruments: list[ct.Instrument]
) -> Iterator[ct.Event]:
    made = 0
    pair = 0
    while made < count:
        instrument = instruments[pair % len(instruments)]
        actor = rng.choice(voters)
        pair += 1
        opened = 1950 + int(str(instrument.opened)) % 70 if instrument.opened else 1950
        day = _day(rng, dt.date(opened, 1, 1), dt.date(2024, 6, 30))
        steps: list[tuple[str, dt.date]] = []
        if rng.random() < 0.7:
            steps.append(("signature", day))
            day += dt.timedelta(days=rng.randrange(90, 2000))
        if rng.random() < 0.8:
            steps.append((rng.choices(_CONSENTS, _CONSENT_WEIGHTS)[0], day))
            day += dt.timedelta(days=rng.randrange(30, 120))
            steps.append(("entry_into_force", day))
            if rng.random() < 0.03:
                steps.append(("withdrawal", day + dt.timedelta(days=rng.randrange(400, 6000))))
        for kind, when in steps:
            if made >= count:
                break
            made += 1
            yield _CLASSES[kind](  # type: ignore[call-arg]
                id=f"act-{made:06d}",
                date=_date(rng, when, (70, 20, 10)),
                actor=actor,
                instrument=instrument.id,
                sources=_source(f"Chart of signatures and ratifications of {instrument.id}",
                                f"https://treaties.example.org/{instrument.id}"),
            )


def _statements(rng: random.Random, count: int, voters: list[str]) -> Iterator[ct.Event]:
    first, last = dt.date(1990, 1, 1), dt.date(2024, 12, 31)
    made: list[ct.Statement] = []
    for number in range(count):
        day = _day(rng, first, last)
        statement = ct.Statement(
            id=f"statement-{number + 1:06d}",
            date=_date(rng, day, (55, 30, 15)),
            actor=rng.choice(voters),
            topic=f"topic-{rng.randrange(TOPICS):02d}",
            stance=rng.choice(_STANCES),  # type: ignore[arg-type]
            quote=f"Statement number {number + 1}.",
            sources=_source("Statements to the Ad Hoc Committee",
                            f"https://statements.example.org/{number + 1}"),
        )
        made.append(statement)
        yield statement
    # About one statement in 200 is corrected later: half superseded, half retracted.
    for number, target in enumerate(rng.sample(made, len(made) // 200)):
        recorded = target.date.latest + dt.timedelta(days=rng.randrange(10, 400))
        if number % 2:
            yield ct.Retraction(
                id=f"retraction-{number + 1:05d}", date=ct.Date.parse(recorded.isoformat()),
                recorded=ct.Date.parse(recorded.isoformat()), retracts=target.id,
                reason="Misattributed in the first report.",
                sources=_source("Erratum", f"https://statements.example.org/erratum/{number}"),
            )
        else:
            yield ct.Statement(
                id=f"correction-{number + 1:05d}", date=target.date,
                recorded=ct.Date.parse(recorded.isoformat()), supersedes=target.id,
                actor=target.actor, topic=target.topic,
                stance=rng.choice(_STANCES),  # type: ignore[arg-type]
                sources=_source("Corrected record",
                                f"https://statements.example.org/corrected/{number}"),
            )


def generate(fraction: float = 1.0, seed: int = SEED) -> Corpus:
    """The corpus at ``fraction`` of full size (votes, treaty actions and statements alike).

    The 193 states and 200 instruments stay; only the numbers of events scale.
    """
    voters = states()
    instruments = _instruments(INSTRUMENTS)
    votes = max(1, round(FULL_VOTES * fraction))
    actions = max(1, round(FULL_TREATY_ACTIONS * fraction))
    statements = max(1, round(FULL_STATEMENTS * fraction))
    events: list[ct.Event] = []
    events += _votes(random.Random(seed), votes, voters)
    events += _treaty_actions(random.Random(seed + 1), actions, voters, instruments)
    events += _statements(random.Random(seed + 2), statements, voters)
    return Corpus(events, instruments)


def fraction_for(total_events: int) -> float:
    """The fraction whose corpus holds about ``total_events`` events."""
    full = FULL_VOTES + FULL_TREATY_ACTIONS + FULL_STATEMENTS * 1.005
    return total_events / full
