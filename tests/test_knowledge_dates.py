"""When the record learned of an event (rules 7 to 9 of ``docs/concepts.md``), end to end."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import cybertimeline as ct
from cybertimeline._cli import main

D = ct.Date.parse
SOURCE = [ct.Source(title="Chart of signatures and ratifications of Treaty 185")]
KINDS = {"folder": "store", "jsonl": "store.jsonl", "sqlite": "store.sqlite"}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, today: str) -> None:
        self.today = dt.date.fromisoformat(today)

    def __call__(self) -> dt.date:
        return self.today


def _ratification(event_id: str, date: str, **fields: Any) -> ct.Ratification:
    return ct.Ratification(id=event_id, date=D(date), actor="CAN",
                           instrument="budapest-convention", sources=SOURCE, **fields)


@pytest.mark.parametrize("kind", ["memory", *KINDS])
def test_a_correction_appended_later_keeps_the_earlier_belief(kind: str, tmp_path: Path) -> None:
    """r1 appended in March, r2 superseding it in September, neither with ``recorded``: as
    known in May, the record still says what r1 said, in every store and after a reload."""
    clock = Clock("2024-03-20")
    if kind == "memory":
        tl = ct.Timeline(clock=clock)
    else:
        tl = ct.create(tmp_path / KINDS[kind], clock=clock)
    tl.append(_ratification("r1", "2024-03-15"))
    clock.today = dt.date(2024, 9, 1)
    tl.append(_ratification("r2", "2024-03-18", supersedes="r1"))
    again = tl if kind == "memory" else ct.load(tmp_path / KINDS[kind])
    for timeline in (tl, again):
        then = timeline.position("CAN", as_of="2024-12-31", known_at="2024-05-31")
        now = timeline.position("CAN", as_of="2024-12-31")
        assert str(then.treaties["budapest-convention"].consented) == "2024-03-15"
        assert str(now.treaties["budapest-convention"].consented) == "2024-03-18"
        # r1 is public on its date; the store stamps the day it received each; the
        # correction is recorded on the day of its append (rules 2 and 7)
        assert timeline.event("r1").recorded is None
        assert timeline.event("r1").recorded_on == dt.date(2024, 3, 15)
        assert timeline.event("r1").stamped == D("2024-03-20")
        assert timeline.event("r2").recorded == D("2024-09-01")
        assert timeline.event("r2").stamped == D("2024-09-01")


def test_an_explicit_recorded_is_kept_on_append() -> None:
    """``recorded`` given by the caller is stored as given, whatever the clock says."""
    tl = ct.Timeline(clock=Clock("2030-01-01"))
    tl.append(_ratification("r1", "2024-03-15", recorded=D("2024-04-02")))
    assert tl.event("r1").recorded == D("2024-04-02")


def test_an_append_of_what_has_not_happened_yet_is_refused() -> None:
    """A ratification dated after the append day cannot be known yet (rule 9); an entry into
    force announced ahead can; nothing is written by the refusal."""
    tl = ct.Timeline(clock=Clock("2024-01-10"))
    with pytest.raises(ct.ValidationError, match=r"after today \(2024-01-10\).* cannot be known"):
        tl.append(_ratification("early", "2024-03-15"))
    assert len(tl) == 0
    tl.append(ct.EntryIntoForce(id="in-force", date=D("2024-07-01"), actor="CAN",
                                instrument="budapest-convention", sources=SOURCE))
    assert tl.event("in-force").stamped == D("2024-01-10")
    assert tl.event("in-force").recorded_on == dt.date(2024, 7, 1)


def test_the_atlas_is_not_known_before_its_publication() -> None:
    """The bundled atlas statements carry its publication date: as known in June 2021,
    Korea's position holds none of them."""
    tl = ct.load()
    then = tl.position("KOR", as_of="2021-12-31", known_at="2021-06-01")
    assert not then.stances
    atlas = [e for e in tl.events(actor="KOR", kind="statement")
             if any("Atlas" in s.title for s in e.sources)]
    assert atlas
    assert all(e.recorded_on > dt.date(2021, 6, 1) for e in atlas)


def test_validate_counts_the_events_relying_on_each_default(
        capsys: pytest.CaptureFixture[str]) -> None:
    """``validate`` says how many events give ``recorded``, take it from a source's
    ``published``, or from their date (rule 7); the three add up to the events."""
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    tl = ct.load()
    counts = {basis: sum(e.recorded_basis == basis for e in tl.events(include_corrected=True))
              for basis in ("recorded", "published", "date")}
    assert sum(counts.values()) == len(tl)
    assert (f"{counts['recorded']} given as 'recorded', {counts['published']} from a "
            f"source's 'published', {counts['date']} from the event's date") in out


def test_every_correction_in_the_bundled_dataset_says_when_the_record_changed() -> None:
    """Rule 8 holds for the curated data, and rule 9 too (it loads)."""
    tl = ct.load()
    corrections = [e for e in tl.events(include_corrected=True) if e.corrects is not None]
    assert corrections
    assert all(e.recorded is not None for e in corrections)
