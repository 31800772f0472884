"""The contract every store keeps, written once: a store's tests subclass `StoreContract`.

A subclass says how to make a new, empty store of its kind in a folder
(`new_store`) and how to open it again from what it wrote (`reopen`); every
test here then runs against it. ``tests/test_store_contract.py`` subclasses it
for memory, folder, JSON Lines and SQLite stores.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as dt
import signal
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import cybertimeline as ct
from tests import strategies as cts

SOURCE = (ct.Source(title="A test source"),)
TODAY = dt.date(2040, 1, 1)
"""The day the stores' clock gives: after every generated date, so any event may be appended."""


@contextlib.contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    """Fail the test, instead of hanging the suite, if the block runs past ``seconds``
    (a guard against endless loops and blocked reads, not a measure of speed)."""
    def stop(_signal: int, _frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def statement(event_id: str, date: str = "2020-05", actor: str = "CAN", **fields: Any) -> Any:
    return ct.Statement(id=event_id, date=ct.Date.parse(date), actor=actor,
                        topic="budapest-convention", stance="supports", sources=SOURCE,
                        **fields)


def validate_problems(source: str) -> list[str]:
    """What a load, else a validate, of the store at ``source`` finds (it must find some)."""
    with pytest.raises(ct.ValidationError) as caught, ct.load(source) as timeline:
        timeline.validate()
    return [p.message for p in caught.value.problems]


def stamped(event: Any) -> Any:
    """The event as an append on ``TODAY`` stores it: stamped with the day, and a correction
    without ``recorded`` recorded on it (rule 7)."""
    day = ct.Date.from_date(TODAY)
    if event.corrects is not None and event.recorded is None:
        return attrs.evolve(event, recorded=day, stamped=day)
    return attrs.evolve(event, stamped=day)


def dump(timeline: ct.Timeline) -> list[dict[str, Any]]:
    """Every stored event as a dict, corrected ones too, in canonical order."""
    return [ct.event_to_dict(e) for e in timeline.events(include_corrected=True)]


def answers(timeline: ct.Timeline) -> list[Any]:
    """What a timeline says: positions and Budapest charts of a few actors at a few dates."""
    found: list[Any] = []
    for day in ("2005", "2015-06-30", "2030"):
        found += [timeline.position(a, as_of=day).to_dict() for a in ("CAN", "KOR", "EU", "AHC")]
        chart = timeline.status("budapest-convention", as_of=day)
        found.append({a: s.to_dict() for a, s in chart.items()})
    return found


class StoreContract(abc.ABC):
    """The behaviour every store shares; subclass it with `new_store` and `reopen`."""

    shared: bool = True
    """Whether two timelines opened on the store share it (False for memory)."""
    limited: bool = True
    """Whether the store keeps the size limit of one event (memory holds anything)."""

    @abc.abstractmethod
    def new_store(self, directory: Path) -> ct.Timeline:
        """A new, empty store in ``directory``, whose appends happen on ``TODAY``."""

    @abc.abstractmethod
    def reopen(self, directory: Path, timeline: ct.Timeline) -> ct.Timeline:
        """The store read afresh from what it wrote in ``directory``."""

    def test_a_new_store_is_empty(self, tmp_path: Path) -> None:
        """A store just created holds no event and answers with empty positions."""
        store = self.new_store(tmp_path)
        assert len(store) == 0
        assert list(store.events()) == []
        assert store.position("CAN", as_of="2020").is_empty
        assert store.status("budapest-convention", as_of="2020") == {}

    def test_an_appended_event_is_durable(self, tmp_path: Path) -> None:
        """Once append returns, the event is in the store when it is opened again, stamped
        with the append day (the store's history), its ``recorded`` its own (rule 7)."""
        store = self.new_store(tmp_path)
        store.append(statement("can-1"))
        again = self.reopen(tmp_path, store)
        assert [e.id for e in again.events()] == ["can-1"]
        assert again.event("can-1") == stamped(statement("can-1"))
        assert again.event("can-1").stamped == ct.Date.from_date(TODAY)
        assert again.event("can-1").recorded is None
        stance = again.position("CAN", as_of="2021").stances["budapest-convention"]
        assert stance.event.id == "can-1"

    def test_an_invalid_append_writes_nothing(self, tmp_path: Path) -> None:
        """An event naming an unknown actor is refused and nothing is written."""
        store = self.new_store(tmp_path)
        store.append(statement("can-1"))
        with pytest.raises(ct.ValidationError, match="unknown actor 'XXX'"):
            store.append(statement("xxx-1", actor="XXX"))
        assert [e.id for e in self.reopen(tmp_path, store).events()] == ["can-1"]
        assert len(store) == 1

    def test_a_duplicate_id_is_refused(self, tmp_path: Path) -> None:
        """A second event with a stored id is refused, whatever its content; the first stays."""
        store = self.new_store(tmp_path)
        store.append(statement("can-1"))
        with pytest.raises(ct.ValidationError, match="duplicate id 'can-1'"):
            store.append(statement("can-1", date="2021"))
        assert str(self.reopen(tmp_path, store).event("can-1").date) == "2020-05"

    def test_a_correction_of_no_event_is_refused(self, tmp_path: Path) -> None:
        """A supersession naming no stored event is refused."""
        store = self.new_store(tmp_path)
        with pytest.raises(ct.ValidationError, match="'supersedes' names 'nope'"):
            store.append(statement("can-1", supersedes="nope"))
        assert len(store) == 0

    def test_an_append_expecting_an_old_length_conflicts(self, tmp_path: Path) -> None:
        """Optimistic concurrency: an append that expects fewer events than stored fails
        cleanly."""
        store = self.new_store(tmp_path)
        seen = len(store)
        store.append(statement("can-1"), expected=seen)
        with pytest.raises(ct.ConflictError, match="expected 0"):
            store.append(statement("can-2"), expected=seen)
        assert [e.id for e in store.events()] == ["can-1"]
        store.append(statement("can-2"), expected=len(store))
        assert len(store) == 2

    def test_extend_writes_all_events_or_none(self, tmp_path: Path) -> None:
        """``extend`` writes a batch at once, a correction of a new event included; a batch
        with one bad event writes nothing."""
        store = self.new_store(tmp_path)
        fixed = statement("can-2", supersedes="can-1", recorded=ct.Date.parse("2021-01-01"))
        store.extend([statement("can-1"), fixed])
        with pytest.raises(ct.ValidationError, match="unknown actor 'XXX'"):
            store.extend([statement("can-3"), statement("xxx-1", actor="XXX")])
        again = self.reopen(tmp_path, store)
        assert [e.id for e in again.events(include_corrected=True)] == ["can-1", "can-2"]
        assert [e.id for e in again.events()] == ["can-2"]

    def test_a_second_handle_sees_the_first_handles_appends(self, tmp_path: Path) -> None:
        """Two timelines on one store: each append validates against what the other wrote."""
        first = self.new_store(tmp_path)
        if not self.shared:
            return
        second = self.reopen(tmp_path, first)
        first.append(statement("can-1"))
        with pytest.raises(ct.ValidationError, match="duplicate id 'can-1'"):
            second.append(statement("can-1", date="2019"))
        second.append(statement("can-2", date="2019"))
        assert [e.id for e in self.reopen(tmp_path, first).events()] == ["can-2", "can-1"]

    def test_supersession_is_bitemporal(self, tmp_path: Path) -> None:
        """The AHC case: scheduled as known in 2021, held as known from March 2022."""
        store = self.new_store(tmp_path)
        scheduled = ct.Session(id="s1", date=ct.Date.parse("2022-01-17/2022-01-28"),
                               recorded=ct.Date.parse("2021-11-01"), body="AHC",
                               status="scheduled", sources=SOURCE)
        held = ct.Session(id="s2", date=ct.Date.parse("2022-02-28/2022-03-11"),
                          recorded=ct.Date.parse("2022-03-11"), body="AHC", status="held",
                          supersedes="s1", sources=SOURCE)
        store.append(scheduled)
        store.append(held)
        for timeline in (store, self.reopen(tmp_path, store)):
            then = timeline.position("AHC", as_of="2022-12-31", known_at="2021-12-01")
            now = timeline.position("AHC", as_of="2022-12-31")
            assert [(s.event.id, s.status) for s in then.sessions] == [("s1", "scheduled")]
            assert [(s.event.id, s.status) for s in now.sessions] == [("s2", "held")]

    def test_close_releases_the_store(self, tmp_path: Path) -> None:
        """A timeline is a context manager: closing it leaves the store readable again."""
        with self.new_store(tmp_path) as store:
            store.append(statement("can-1"))
        assert [e.id for e in self.reopen(tmp_path, store).events()] == ["can-1"]

    def test_events_built_in_python_take_text_dates_and_tables_for_sources(
            self, tmp_path: Path) -> None:
        """``date="2020"`` and ``sources=[{"title": ...}]`` build the same event as the classes
        do, and it is stored as such."""
        store = self.new_store(tmp_path)
        event = ct.Signature(id="can-1", date="2020", actor="CAN",
                             instrument="budapest-convention",
                             sources=[{"title": "A test source"}], recorded=dt.date(2021, 3, 1))
        assert event == ct.Signature(id="can-1", date=ct.Date.parse("2020"), actor="CAN",
                                     instrument="budapest-convention", sources=SOURCE,
                                     recorded=ct.Date.parse("2021-03-01"))
        store.append(event)
        assert self.reopen(tmp_path, store).event("can-1") == stamped(event)

    def test_an_event_that_would_not_load_back_is_refused_and_not_written(
            self, tmp_path: Path) -> None:
        """A summary that is a number passes the constructor but never reaches a store."""
        store = self.new_store(tmp_path)
        with pytest.raises(ct.ValidationError, match="cannot be stored: 'summary': expected text"):
            store.append(statement("can-1", summary=3))
        assert len(self.reopen(tmp_path, store)) == 0

    def test_extend_declares_actors_with_the_events_that_name_them(
            self, tmp_path: Path) -> None:
        """An actor declared with an extend is in the registry, with the events naming it,
        when the store is opened again."""
        store = self.new_store(tmp_path)
        former = ct.Actor(id="CSK", name="Czechoslovakia", type="state")
        store.extend([statement("csk-1", actor="CSK")], declare=[former])
        again = self.reopen(tmp_path, store)
        assert again.registry.actor("CSK") == former
        assert again.registry.resolve("czechoslovakia") == "CSK"
        assert [e.id for e in again.events(actor="CSK")] == ["csk-1"]

    def test_a_bad_declaration_writes_nothing(self, tmp_path: Path) -> None:
        """A declared actor whose parent is unknown is refused with its events."""
        store = self.new_store(tmp_path)
        orphan = ct.Actor(id="SUB", name="An agency", type="agency", parent="NOWHERE")
        with pytest.raises(ct.ValidationError, match="NOWHERE"):
            store.extend([statement("sub-1", actor="SUB")], declare=[orphan])
        again = self.reopen(tmp_path, store)
        assert len(again) == 0
        assert not again.registry.has_actor("SUB")

    def test_coverage_declared_twice_keeps_both_declarations(self, tmp_path: Path) -> None:
        """An instrument declared again, with a later chart added to its coverage, answers
        from both charts (rule 10), and an extend of declarations alone writes them."""
        store = self.new_store(tmp_path)
        first = ct.Coverage(complete_until="2015-12-31", sources=SOURCE)
        later = ct.Coverage(complete_until="2020-12-31", sources=SOURCE,
                            recorded="2021-01-05")
        treaty = ct.Instrument(id="test-treaty", title="Test Treaty", coverage=[first])
        store.extend([], declare=[treaty])
        store.extend([], declare=[attrs.evolve(treaty, coverage=(first, later))])
        again = self.reopen(tmp_path, store)
        assert again.registry.instrument("test-treaty").coverage == (first, later)
        assert again.position("CAN", as_of="2019").treaty("test-treaty").status == "none"

    # Each store's subclass runs this test: one test method, several executors, on purpose.
    @settings(max_examples=25, suppress_health_check=[HealthCheck.differing_executors])
    @given(events=cts.timelines(max_size=8))
    def test_answers_as_the_memory_timeline(self, events: Sequence[Any]) -> None:
        """Appending to the store, then reopening it, gives the events, positions and charts
        of a timeline in memory."""
        expected = ct.Timeline([stamped(e) for e in events])
        with tempfile.TemporaryDirectory() as folder:
            store = self.new_store(Path(folder))
            for event in events:
                store.append(event)
            again = self.reopen(Path(folder), store)
            assert dump(again) == dump(expected)
            assert answers(again) == answers(expected)

    def test_an_event_over_the_size_limit_is_refused_and_nothing_written(
            self, tmp_path: Path) -> None:
        """An event the API accepts but over 1 MiB as JSON (60 tags of 19,000 characters) is
        refused with a ValidationError naming the limit; the store still loads and appends
        (issue 18, H1)."""
        store = self.new_store(tmp_path)
        if not self.limited:
            return
        tags = tuple(f"{n}-{'t' * 19_000}" for n in range(60))
        with pytest.raises(ct.ValidationError, match="limit of 1048576 bytes of one event"):
            store.append(statement("big", tags=tags))
        with pytest.raises(ct.ValidationError, match="limit of 1048576 bytes"):
            store.extend([statement("small"), statement("big", tags=tags)])
        again = self.reopen(tmp_path, store)
        assert len(again) == 0
        again.append(statement("can-1"))
        assert [e.id for e in self.reopen(tmp_path, store).events()] == ["can-1"]

    def test_validate_finds_nothing_wrong_in_what_the_store_wrote(self, tmp_path: Path) -> None:
        """``validate`` reads the whole store afresh and finds every appended event valid."""
        store = self.new_store(tmp_path)
        store.extend([statement("can-1"), statement("can-2", supersedes="can-1",
                                                    recorded=ct.Date.parse("2021-01-01"))])
        store.validate()
        self.reopen(tmp_path, store).validate()

    @pytest.mark.slow
    @pytest.mark.parametrize("kind", ["supersedes", "retracts"])
    def test_a_chain_of_ten_thousand_corrections_loads_and_appends(
            self, kind: str, tmp_path: Path) -> None:
        """Corrections at any depth: a chain of 10,000 supersessions or retractions is
        written, read back and appended to, with the known set of rule 2 (issue 18, M1, M2).
        The guard only stops a hang: the checks are linear, so this takes seconds."""
        length = 10_000
        recorded = ct.Date.parse("2021-01-01")
        chain: list[Any] = [statement("e0")]
        for n in range(1, length):
            chain.append(statement(f"e{n}", supersedes=f"e{n - 1}", recorded=recorded)
                         if kind == "supersedes" else
                         ct.Retraction(id=f"e{n}", date=ct.Date.parse("2021"), retracts=f"e{n - 1}",
                                       reason="wrong", sources=SOURCE, recorded=recorded))
        with hang_guard(300):
            store = self.new_store(tmp_path)
            store.extend(chain)
            again = self.reopen(tmp_path, store)
            known = [e.id for e in again.events()]
            if kind == "supersedes":
                assert known == [f"e{length - 1}"]
            else:  # each retraction withdraws the one before: every other one holds
                assert len(known) == length // 2
                assert f"e{length - 1}" in known
                assert f"e{length - 2}" not in known
            last = (statement("last", supersedes=f"e{length - 1}", recorded=recorded)
                    if kind == "supersedes" else
                    ct.Retraction(id="last", date=ct.Date.parse("2021"), retracts=f"e{length - 1}",
                                  reason="wrong", sources=SOURCE, recorded=recorded))
            again.append(last)
            assert "last" in {e.id for e in self.reopen(tmp_path, store).events()}
