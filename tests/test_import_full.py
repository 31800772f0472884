"""The whole UN roll-call record (6,203 roll calls, 870,109 votes), imported at full scale.

These run where the record is found (see `tests.real_data`: ``$CYBERTIMELINE_UNVOTES``, or
``shared/data/unvotes`` beside the repository or a folder above it, as in CI), and are
skipped elsewhere, saying how to run them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import attrs
import pytest

import cybertimeline as ct
from cybertimeline import importers
from tests.real_data import ABSENT, unvotes_folder

FOLDER = unvotes_folder()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(FOLDER is None, reason=ABSENT)]
TODAY = dt.date(2026, 1, 15)


def files() -> tuple[Path, Path, Path]:
    assert FOLDER is not None
    return (FOLDER / "un_votes.csv.gz", FOLDER / "un_roll_calls.csv.gz",
            FOLDER / "un_roll_call_issues.csv.gz")


@pytest.fixture(scope="module", params=["all.sqlite", "all.jsonl"])
def whole(request, tmp_path_factory) -> tuple[ct.Timeline, importers.ImportReport]:
    votes, roll_calls, issues = files()
    path = tmp_path_factory.mktemp("whole") / request.param
    report = importers.import_votes(ct.create(path, clock=lambda: TODAY), votes, roll_calls,
                                    issues=issues)
    return ct.load(path, clock=lambda: TODAY), report


def test_every_roll_call_and_every_vote_is_imported(whole):
    """6,203 roll calls become 6,203 vote events holding the 870,109 votes of the record."""
    timeline, report = whole
    assert report.read == len(report.added) == 6203
    events = list(timeline.events(kind="vote"))
    assert len(events) == 6203
    assert sum(len(e.votes) for e in events if isinstance(e, ct.Vote)) == 870_109


def test_every_tally_equals_the_count_of_its_votes(whole):
    """Each stored tally counts the votes its event lists."""
    timeline, _ = whole
    for event in timeline.events(kind="vote"):
        assert isinstance(event, ct.Vote)
        counts = Counter(event.votes.values())
        assert event.tally == ct.Tally(yes=counts["yes"], no=counts["no"],
                                       abstain=counts["abstain"])


def test_the_two_cybercrime_resolutions_read_as_the_un_records_them(whole):
    """Roll call 9087 is A/RES/74/247, 79-60-33; roll call 6138 is A/RES/73/187."""
    timeline, _ = whole
    vote = timeline.event("unvotes-9087")
    assert isinstance(vote, ct.Vote)
    assert (vote.resolution, str(vote.date)) == ("A/RES/74/247", "2019-12-27")
    assert vote.tally == ct.Tally(yes=79, no=60, abstain=33)
    other = timeline.event("unvotes-6138")
    assert isinstance(other, ct.Vote)
    assert other.resolution == "A/RES/73/187"
    assert timeline.position("CAN", as_of="2020").votes["A/RES/74/247"].option == "no"


def test_a_second_import_adds_nothing(whole):
    """Importing the whole record again writes nothing."""
    timeline, _ = whole
    votes, roll_calls, issues = files()
    report = importers.import_votes(timeline, votes, roll_calls, issues=issues)
    assert (report.added, report.corrected, report.unchanged) == ((), (), 6203)
    assert len(timeline) == 6203


def test_codes_the_table_maps_are_each_refused_without_it(tmp_path):
    """Without the layout's table, the record's historical and odd codes are each refused,
    with their votes, their first line and how to map them; nothing is written."""
    votes, roll_calls, _ = files()
    bare = attrs.evolve(importers.UNVOTES, codes=())
    timeline = ct.create(tmp_path / "bare.sqlite")
    with pytest.raises(ct.ValidationError) as info:
        importers.import_votes(timeline, votes, roll_calls, layout=bare)
    refused = {p.message.split(" maps to")[0] for p in info.value.problems}
    assert refused == {
        "code 'CS' (Czechoslovakia)", "code 'DD' (German Democratic Republic)",
        "code 'YD' (Yemen People's Republic)", "code 'YU' (Yugoslavia)",
        "'Federal Republic of Germany', without a code,", "'Yemen Arab Republic', without a code,",
        "'Zanzibar', without a code,"}
    assert all(p.line and "--map" in p.message for p in info.value.problems)
    assert len(ct.load(tmp_path / "bare.sqlite")) == 0


def test_the_import_reproduces_every_vote_of_the_bundled_dataset(whole):
    """Each recorded vote the bundled dataset took from the record (its sources name the
    roll call) is, state by state, what the importer makes of that roll call; but for
    the votes of former states (Serbia and Montenegro on 60/45), which the dataset leaves
    out and says so in the event's summary: a former state would read as "not a
    signatory" of the charts declared complete long after it ceased to exist."""
    timeline, _ = whole
    curated = [e for e in ct.load().events(kind="vote") if isinstance(e, ct.Vote)]
    checked, committee = 0, 0
    for vote in curated:
        found = {m for s in vote.sources for m in re.findall(r"rcid (\d+)", s.locator or "")}
        if not found:
            assert vote.body != "UNGA", vote.id  # the plenary's come from the record
            committee += 1  # a committee vote, from the UN's own record
            continue
        (roll_call,) = found
        imported = timeline.event(f"unvotes-{roll_call}")
        assert isinstance(imported, ct.Vote)
        assert (imported.resolution, imported.date) == (vote.resolution, vote.date), vote.id
        former = {a: o for a, o in imported.votes.items() if a in importers.FORMER_STATES}
        assert all(importers.FORMER_STATES[a].name in (vote.summary or "") for a in former)
        current = {a: o for a, o in imported.votes.items() if a not in former}
        assert current == dict(vote.votes), vote.id
        checked += 1
    assert checked == len(curated) - committee == 11
