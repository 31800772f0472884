"""The folder store: loading whole or not at all, errors with file and line, create and append."""

from __future__ import annotations

import datetime as dt
import shutil
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest

import cybertimeline as ct

STORES = Path(__file__).parent / "data" / "stores"
D = ct.Date.parse
SOURCE = ct.Source(title="Chart of signatures and ratifications of Treaty 185")


def _problems(path: Path) -> list[tuple[str, int | None, str]]:
    with pytest.raises(ct.ValidationError) as info:
        ct.load(path)
    return [(p.file.name if p.file else "", p.line, p.message) for p in info.value.problems]


def test_load_reads_every_toml_file_under_the_folder():
    """Every ``*.toml`` under the folder, subfolders too, is read; hidden folders are not."""
    tl = ct.load(STORES / "good")
    assert {e.id for e in tl.events()} == {
        "can-signs-budapest", "can-ratifies-budapest", "can-budapest-in-force",
        "spo-fbi-meetings", "kor-signs-test-treaty"}
    assert len(tl) == 5


def test_loaded_events_keep_where_they_came_from():
    """Each loaded event knows its file and the line of its ``[[event]]`` header."""
    tl = ct.load(STORES / "good")
    origin = tl.origin("can-ratifies-budapest")
    assert origin.file == STORES / "good" / "canada.toml"
    assert origin.line == 14


def test_load_from_a_string_path():
    """A folder may be given as text as well as a Path."""
    assert len(ct.load(str(STORES / "good"))) == 5


def test_a_bad_store_reports_every_problem_with_file_and_line():
    """A bad store fails with one ValidationError listing each problem in each file, by line."""
    problems = _problems(STORES / "bad")
    where = [(file, line) for file, line, _ in problems]
    assert where == [("a.toml", 14), ("a.toml", 23), ("b.toml", 7), ("b.toml", 12)]
    messages = [m for _, _, m in problems]
    assert "2019-02-30" in messages[0]
    assert "ratificaton" in messages[1]
    assert "loves" in messages[2]
    assert "sources" in messages[3]


def test_a_bad_store_returns_nothing_half_loaded():
    """When one event is bad, no timeline is returned at all (the good event is not loaded)."""
    result = None
    with pytest.raises(ct.ValidationError):
        result = ct.load(STORES / "bad")
    assert result is None


def test_the_error_message_names_file_and_line():
    """The rendered error shows ``file:line`` for each problem."""
    with pytest.raises(ct.ValidationError) as info:
        ct.load(STORES / "bad")
    text = str(info.value)
    assert "4 problems" in text
    assert "a.toml:14" in text
    assert "b.toml:12" in text


def test_duplicate_ids_across_files_name_both_places():
    """A duplicate id names the file and line of both events."""
    ((file, line, message),) = _problems(STORES / "duplicate")
    assert (file, line) == ("two.toml", 3)
    assert "can-signs-budapest" in message
    assert "one.toml:1" in message


def test_dangling_corrections_are_errors():
    """A ``supersedes`` or ``retracts`` that names no event is an error at its own line."""
    problems = _problems(STORES / "dangling")
    assert [(f, line) for f, line, _ in problems] == [("events.toml", 8), ("events.toml", 18)]
    assert "ahc-session-scheduled" in problems[0][2]
    assert "no-such-event" in problems[1][2]


def test_supersession_cycles_are_errors():
    """Events that supersede each other in a cycle fail the load once, naming the cycle."""
    ((file, _line, message),) = _problems(STORES / "cycle")
    assert file == "events.toml"
    assert "cycle" in message
    assert "first" in message
    assert "second" in message


def test_unknown_actors_and_instruments_are_errors():
    """Unknown actors (in any actor field, vote keys too) and instruments fail the load."""
    problems = _problems(STORES / "unknown-actor")
    messages = " | ".join(m for _, _, m in problems)
    assert "unknown actor 'CNA'" in messages
    assert "unknown instrument 'budapest-conventoin'" in messages
    assert "unknown actor 'XXX'" in messages
    assert all(f == "events.toml" and line is not None for f, line, _ in problems)


def test_invalid_toml_names_its_line(tmp_path):
    """A file that is not TOML is reported with its line."""
    (tmp_path / "broken.toml").write_text('[[event]]\nid = "x"\nkind = \n', encoding="utf-8")
    ((file, line, message),) = _problems(tmp_path)
    assert file == "broken.toml"
    assert line == 3
    assert "TOML" in message


def test_a_missing_folder_is_a_timeline_error(tmp_path):
    """Loading a folder that does not exist raises TimelineError."""
    with pytest.raises(ct.TimelineError, match="no such store"):
        ct.load(tmp_path / "nowhere")


def test_problems_from_all_files_are_collected(tmp_path):
    """Problems in several files, of several sorts, come together in one error."""
    shutil.copytree(STORES / "bad", tmp_path / "store")
    shutil.copy(STORES / "duplicate" / "one.toml", tmp_path / "store" / "c.toml")
    shutil.copy(STORES / "duplicate" / "two.toml", tmp_path / "store" / "d.toml")
    problems = _problems(tmp_path / "store")
    assert {f for f, _, _ in problems} == {"a.toml", "b.toml", "d.toml"}
    assert len(problems) == 5


# -- create and append ----------------------------------------------------------------------


TODAY = dt.date(2026, 1, 15)
"""The day the tests' appends happen (the clock they give the timeline)."""


def _ratification(**changes):
    fields: dict[str, Any] = {"id": "can-ratifies-budapest", "date": D("2015-07-08"),
                              "actor": "CAN", "instrument": "budapest-convention",
                              "sources": [SOURCE]}
    return ct.Ratification(**(fields | changes))


def test_create_makes_an_empty_store(tmp_path):
    """``ct.create`` makes an empty folder store that loads with no events."""
    tl = ct.create(tmp_path / "mine")
    assert len(tl) == 0
    assert list(tl.events()) == []
    assert (tmp_path / "mine").is_dir()
    assert len(ct.load(tmp_path / "mine")) == 0


def test_create_refuses_a_folder_with_files(tmp_path):
    """``ct.create`` will not take over a folder that already holds files."""
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ct.TimelineError):
        ct.create(tmp_path)


def test_append_writes_appended_id_toml_and_reload_finds_it(tmp_path):
    """An appended event is written to ``appended/event-<id>.toml`` and a fresh load finds it."""
    tl = ct.create(tmp_path / "mine", clock=lambda: TODAY)
    event = _ratification()
    tl.append(event)
    path = tmp_path / "mine" / "appended" / "event-can-ratifies-budapest.toml"
    assert path.is_file()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == ct.FORMAT_VERSION
    assert data["event"][0]["id"] == "can-ratifies-budapest"
    stored = attrs.evolve(event, stamped=ct.Date.from_date(TODAY))
    assert data["event"][0]["stamped"] == TODAY.isoformat()
    assert "recorded" not in data["event"][0]
    assert list(tl.events()) == [stored]
    reloaded = ct.load(tmp_path / "mine")
    assert list(reloaded.events()) == [stored]
    assert reloaded.position("CAN").treaties["budapest-convention"].status == "ratified"


def test_append_to_a_curated_folder(tmp_path):
    """Appending to a loaded folder keeps its curated files and adds the new event."""
    shutil.copytree(STORES / "good", tmp_path / "store")
    before = (tmp_path / "store" / "canada.toml").read_bytes()
    tl = ct.load(tmp_path / "store")
    tl.append(ct.Withdrawal(id="can-withdraws", date=D("2030-01-01"), actor="CAN",
                            instrument="budapest-convention", sources=[SOURCE]))
    assert (tmp_path / "store" / "canada.toml").read_bytes() == before
    reloaded = ct.load(tmp_path / "store")
    assert reloaded.position("CAN").treaties["budapest-convention"].status == "withdrawn"
    assert reloaded.position("CAN", as_of="2029-12-31").treaties[
        "budapest-convention"].status == "party"


def test_appended_event_may_use_the_store_registry(tmp_path):
    """An appended event may name an actor declared in the store's actors.toml."""
    shutil.copytree(STORES / "good", tmp_path / "store")
    tl = ct.load(tmp_path / "store")
    tl.append(ct.Statement(id="spo-says", date=D("2020-03"), actor="SPO",
                           topic="budapest-convention", stance="supports", sources=[SOURCE]))
    assert ct.load(tmp_path / "store").position("SPO").stances[
        "budapest-convention"].stance == "supports"


def test_a_declaration_appended_keeps_the_curated_files_and_adds_coverage(tmp_path):
    """An instrument declared with an extend goes to appended/, not into the curated
    instruments.toml; read back, it has the curated fields and the declared coverage, though
    instruments.toml is read after it."""
    shutil.copytree(STORES / "good", tmp_path / "store")
    curated = (tmp_path / "store" / "instruments.toml").read_bytes()
    tl = ct.load(tmp_path / "store")
    chart = ct.Coverage(complete_until="2012-12-31", sources=[SOURCE])
    treaty = attrs.evolve(tl.registry.instrument("test-treaty"), coverage=[chart])
    tl.extend([], declare=[treaty])
    assert (tmp_path / "store" / "instruments.toml").read_bytes() == curated
    assert [p.name for p in (tmp_path / "store" / "appended").iterdir()] == ["declared.toml"]
    reloaded = ct.load(tmp_path / "store")
    assert reloaded.registry.instrument("test-treaty") == treaty
    assert reloaded.position("CAN", as_of="2012").treaty("test-treaty").status == "none"


@pytest.mark.parametrize(
    ("event", "says"),
    [
        (_ratification(actor="XYZ"), "unknown actor 'XYZ'"),
        (_ratification(instrument="no-such-treaty"), "unknown instrument"),
        (_ratification(id="x", supersedes="nothing-here"), "nothing-here"),
        (ct.Retraction(id="r", date=D("2020"), sources=[SOURCE], retracts="ghost",
                       reason="wrong"), "ghost"),
    ],
)
def test_append_of_an_invalid_event_raises_and_writes_nothing(tmp_path, event, says):
    """An event that does not fit the store is refused and no file is written."""
    tl = ct.create(tmp_path / "mine")
    with pytest.raises(ct.ValidationError, match=says):
        tl.append(event)
    assert not list((tmp_path / "mine").rglob("*.toml"))
    assert len(tl) == 0
    assert len(ct.load(tmp_path / "mine")) == 0


def test_append_of_a_duplicate_id_raises_and_writes_nothing(tmp_path):
    """A second event with a stored id is refused, and the first stays as it was."""
    tl = ct.create(tmp_path / "mine")
    tl.append(_ratification())
    path = tmp_path / "mine" / "appended" / "event-can-ratifies-budapest.toml"
    before = path.read_bytes()
    with pytest.raises(ct.ValidationError, match="duplicate id"):
        tl.append(_ratification(date=D("2016-01-01")))
    assert path.read_bytes() == before
    assert [str(e.date) for e in ct.load(tmp_path / "mine").events()] == ["2015-07-08"]


def test_appends_from_two_timelines_on_one_store_are_both_kept(tmp_path):
    """Two timelines open on the same store each see the other's appends; none is lost."""
    first = ct.create(tmp_path / "mine")
    second = ct.load(tmp_path / "mine")
    first.append(_ratification())
    second.append(_ratification(id="can-signs", date=D("2001-11-23")))
    assert {e.id for e in second.events()} == {"can-ratifies-budapest", "can-signs"}
    with pytest.raises(ct.ValidationError, match="duplicate id"):
        second.append(_ratification())
    assert len(ct.load(tmp_path / "mine")) == 2


def test_the_bundled_dataset_is_read_only():
    """Appending to the bundled dataset raises TimelineError and writes nothing."""
    tl = ct.load()
    count = len(tl)
    with pytest.raises(ct.TimelineError, match="read-only"):
        tl.append(_ratification(id="test-only-never-written"))
    assert len(tl) == count
    assert len(ct.load()) == count
