"""The one rule of the timeline's caches (docs/architecture.md, "Caches"): whatever a timeline
keeps that is derived from the events belongs to one version of the store's index and is
dropped whole when the version moves. So no cached answer is ever of an older version: after
an append here, or another writer's (a second connection, a second process) to a shared SQLite
store, every answer equals a fresh timeline's on the same events."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from tests import strategies as s
from tests.store_contract import TODAY, stamped

ROOT = Path(__file__).resolve().parent.parent
RECORD = (ct.Source(title="Official record"),)
STORES = {"memory": None, "folder": "store", "jsonl": "store.jsonl", "sqlite": "store.sqlite"}

APPENDS: tuple[ct.Event, ...] = (
    # China signs: its position, the chart, its events and its changelog move.
    ct.Signature(id="chn-signs", date=ct.Date.parse("2019-03-01"), actor="CHN",
                 instrument="budapest-convention", recorded=ct.Date.parse("2019-03-01"),
                 sources=RECORD),
    # A second vote on a resolution: the latest counts (votes_on), a roll call more
    # (agreement, the ballots matrix), France's vote (the EU's positions), words to search.
    ct.Vote(id="unga-vote-74-247-again", date=ct.Date.parse("2019-12-28"), body="UNGA",
            resolution="A/RES/74/247", title="Zanzibar resolution, voted again",
            votes={"CHN": "no", "USA": "no", "FRA": "abstain"}, sources=RECORD),
    # A new member: the EU's members and its positions.
    ct.Membership(id="isl-joins-eu", date=ct.Date.parse("2020-06-01"), actor="ISL", group="EU",
                  action="join", sources=RECORD),
    # A retraction: the known set, the corrections, China's events and changelog.
    ct.Retraction(id="chn-code-retracted", date=ct.Date.parse("2021-01-01"),
                  retracts="chn-first-committee-2015-code-of-conduct",
                  reason="Misattributed", sources=RECORD),
)


def answers(timeline: ct.Timeline) -> dict[str, Any]:
    """Every question whose answer a timeline builds from what it keeps, as plain data."""
    return {
        "position": timeline.position("CHN", as_of="2020-01-01").to_dict(),
        "position known_at": timeline.position("CHN", as_of="2020-01-01",
                                               known_at="2030-01-01").to_dict(),
        "position possible": timeline.position("CHN", as_of="2019",
                                               possible=True).to_dict(),
        "positions": {a: p.to_dict() for a, p in timeline.positions(
            group="EU", as_of="2021-01-01").items()},
        "status": timeline.status("budapest-convention", as_of="2020-01-01",
                                  all_actors=True).to_dict(),
        "members": timeline.members("EU", as_of="2021-01-01"),
        "events": [e.id for e in timeline.events("CHN")],
        "search": [e.id for e in timeline.search("zanzibar").events],
        "votes_on": {a: v.to_dict() for a, v in timeline.votes_on("A/RES/74/247").items()},
        "agreement": timeline.agreement("CHN", "USA").to_dict(),
        "changelog": timeline.changelog("CHN", since="2019-01-01").to_dict(),
        "corrections": [e.id for e in timeline.corrections()],
    }


@pytest.fixture(scope="module")
def bundled() -> ct.Timeline:
    return ct.load()


def _open(kind: str, bundled: ct.Timeline, folder: Path) -> ct.Timeline:
    """The bundled events in a new store of this kind (in memory for ``memory``)."""
    name = STORES[kind]
    if name is None:
        return ct.Timeline(bundled.events(include_corrected=True), registry=bundled.registry,
                           clock=lambda: TODAY)
    ct.copy_into(bundled, folder / name).close()
    return ct.load(folder / name, clock=lambda: TODAY)


def _fresh(bundled: ct.Timeline, appended: Sequence[ct.Event]) -> dict[str, Any]:
    """The answers of a timeline that never kept anything: built now, on the same events."""
    events = [*bundled.events(include_corrected=True), *map(stamped, appended)]
    return answers(ct.Timeline(events, registry=bundled.registry))


def test_every_append_changes_every_answer(bundled: ct.Timeline) -> None:
    """What makes the tests below able to fail: each question's answer after the appends
    differs from its answer before, so a cache of the older version would be seen."""
    before, after = _fresh(bundled, []), _fresh(bundled, APPENDS)
    assert [k for k in before if before[k] == after[k]] == []


@pytest.mark.parametrize("kind", [
    "memory", "sqlite",
    *(pytest.param(kind, marks=pytest.mark.slow) for kind in ("folder", "jsonl"))])
def test_after_each_append_every_cached_answer_is_of_the_new_version(
        kind: str, bundled: ct.Timeline, tmp_path: Path) -> None:
    """Ask everything (filling every cache), append, ask again: each time the answers are a
    fresh timeline's on the same events, and asking twice gives the same."""
    with _open(kind, bundled, tmp_path) as timeline:
        assert answers(timeline) == answers(timeline) == _fresh(bundled, [])
        for count, event in enumerate(APPENDS, start=1):
            timeline.append(event)
            assert answers(timeline) == _fresh(bundled, APPENDS[:count]), event.id


def test_another_connections_appends_show_in_every_cached_answer(
        bundled: ct.Timeline, tmp_path: Path) -> None:
    """A reader of a shared SQLite store that keeps every cache full: after each append of
    another connection, each of its answers is the new version's."""
    with _open("sqlite", bundled, tmp_path) as reader, \
            ct.load(tmp_path / "store.sqlite", clock=lambda: TODAY) as writer:
        assert answers(reader) == _fresh(bundled, [])
        for count, event in enumerate(APPENDS, start=1):
            writer.append(event)
            assert answers(reader) == _fresh(bundled, APPENDS[:count]), event.id


@pytest.mark.slow
def test_another_processs_appends_show_in_every_cached_answer(
        bundled: ct.Timeline, tmp_path: Path) -> None:
    """The same when the writer is another process: its appends, then this process's own
    (to the same handle that keeps the caches), each show in every answer."""
    with _open("sqlite", bundled, tmp_path) as reader:
        assert answers(reader) == _fresh(bundled, [])
        script = ("import sys, datetime as dt, cybertimeline as ct\n"
                  "from tests.test_caches import APPENDS\n"
                  "with ct.load(sys.argv[1], clock=lambda: dt.date(2040, 1, 1)) as other:\n"
                  "    other.extend([e for e in APPENDS if e.id in sys.argv[2:]])\n")
        subprocess.run([sys.executable, "-c", script, str(tmp_path / "store.sqlite"),
                        *(e.id for e in APPENDS[:3])],
                       check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                       timeout=120)
        assert answers(reader) == _fresh(bundled, APPENDS[:3])
        reader.append(APPENDS[3])
        assert answers(reader) == _fresh(bundled, APPENDS)


@pytest.mark.parametrize("name", ["store", "store.jsonl"])
def test_a_store_read_again_is_searched_in_its_new_words(tmp_path: Path, name: str) -> None:
    """A store of files edited by hand is read again at the next append: a search then reads
    the events as they now are. (The words of text search were kept apart from the other
    caches, by the index's version number alone, which starts again when the store is read
    again: the old words answered.)"""
    path = tmp_path / name
    with ct.create(path, clock=lambda: TODAY) as timeline:
        timeline.append(_statement("can-1", "alpha"))
        assert [e.id for e in timeline.events(text="alpha")] == ["can-1"]
        edited = path if name.endswith(".jsonl") else next((path / "appended").iterdir())
        edited.write_text(edited.read_text(encoding="utf-8").replace("alpha", "omega"),
                          encoding="utf-8")
        moment = edited.stat()
        os.utime(edited, ns=(moment.st_atime_ns, moment.st_mtime_ns + 1_000_000_000))
        timeline.append(_statement("can-2", "gamma"))
        assert [e.id for e in timeline.events(text="alpha")] == []
        assert [e.id for e in timeline.events(text="omega")] == ["can-1"]


def _statement(event_id: str, quote: str) -> ct.Statement:
    return ct.Statement(id=event_id, date=ct.Date.parse("2020-05"), actor="CAN",
                        topic="budapest-convention", stance="supports", quote=quote,
                        sources=RECORD)


# -- any interleaving -----------------------------------------------------------------------

QUERY_DAYS = st.none() | s.days(1995, 2030)
Question = Callable[[ct.Timeline], Any]


@st.composite
def questions(draw: st.DrawFn) -> Question:
    """One question of those a timeline answers from what it keeps."""
    as_of, known_at = draw(QUERY_DAYS), draw(QUERY_DAYS)
    actor = draw(st.sampled_from(s.ACTORS))
    instrument, group = draw(st.sampled_from(s.INSTRUMENTS)), draw(st.sampled_from(s.GROUPS))
    text = draw(st.sampled_from(["a", "e", "source"]))
    resolution = draw(st.sampled_from(s.RESOLUTIONS))
    choices: list[Question] = [
        lambda t: t.position(actor, as_of=as_of, known_at=known_at).to_dict(),
        lambda t: {a: p.to_dict() for a, p in t.positions(list(s.ACTORS), as_of=as_of,
                                                          known_at=known_at).items()},
        lambda t: t.status(instrument, as_of=as_of, known_at=known_at).to_dict(),
        lambda t: t.members(group, as_of=as_of, known_at=known_at),
        lambda t: [e.id for e in t.events(actor, known_at=known_at, until=as_of)],
        lambda t: [e.id for e in t.events(known_at=known_at, text=text)],
        lambda t: {a: v.to_dict() for a, v in t.votes_on(resolution, as_of=as_of,
                                                         known_at=known_at).items()},
        lambda t: t.agreement(*s.STATES[:3], known_at=known_at).to_dict(),
        lambda t: t.changelog(actor, known_at=known_at).to_dict(),
    ]
    return draw(st.sampled_from(choices))


@given(events=s.timelines(max_size=10), data=st.data())
@settings(max_examples=max(5, settings().max_examples // 4))
def test_any_interleaving_of_appends_and_questions_answers_as_a_fresh_timeline(
        events: list[ct.Event], data: st.DataObject, tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Appends (to memory and to SQLite, which a second handle reads) and questions in any
    order: every answer, from whatever each timeline kept, is that of a timeline built
    afresh on the events appended so far."""
    path = tmp_path_factory.mktemp("interleaved") / "store.sqlite"
    clock: Callable[[], dt.date] = lambda: TODAY  # noqa: E731 - one clock for all three
    with ct.create(path, clock=clock) as stored, ct.load(path, clock=clock) as reader:
        timelines = [ct.Timeline(clock=clock), stored, reader]
        appended: list[ct.Event] = []
        for event in [None, *events]:
            if event is not None:
                timelines[0].append(event)
                stored.append(event)
                appended.append(stamped(event))
            fresh = ct.Timeline(appended)
            for question in data.draw(st.lists(questions(), max_size=3)):
                expected = question(fresh)
                for timeline in timelines:
                    assert question(timeline) == expected
