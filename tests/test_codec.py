"""The codec: events to dicts and back for TOML and JSON, tagged on ``kind``, format-versioned."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest
import tomli_w

import cybertimeline as ct

D = ct.Date.parse
SOURCE = ct.Source(title="Chart 185", publisher="Council of Europe", published=D("2019"))

RATIFICATION = ct.Ratification(
    id="can-ratifies-budapest", date=D("2015-07-08"), actor="CAN",
    instrument="budapest-convention", sources=[SOURCE], summary="Canada ratifies.",
)
VOTE = ct.Vote(
    id="unga-74-247", date=D("2019-12-27"), sources=[SOURCE], body="UNGA",
    resolution="A/RES/74/247", votes={"CAN": "no", "KOR": "no", "RUS": "yes"},
    tally=ct.Tally(yes=79, no=60, abstain=33), topic="un-cybercrime-treaty",
)


def test_event_to_dict_puts_id_and_kind_first():
    """The dict starts with ``id`` and ``kind``; dates are EDTF text."""
    data = ct.event_to_dict(RATIFICATION)
    assert list(data)[:2] == ["id", "kind"]
    assert data["kind"] == "ratification"
    assert data["date"] == "2015-07-08"
    assert data["sources"] == [{"title": "Chart 185", "publisher": "Council of Europe",
                                "published": "2019"}]


def test_event_to_dict_leaves_out_defaults():
    """Fields left at their default are absent (TOML has no null)."""
    data = ct.event_to_dict(RATIFICATION)
    for absent in ("recorded", "supersedes", "tags"):
        assert absent not in data
    assert None not in data.values()


def test_vote_round_trips_with_its_table_and_tally():
    """A vote keeps its votes table and tally through a dict."""
    data = ct.event_to_dict(VOTE)
    assert data["votes"] == {"CAN": "no", "KOR": "no", "RUS": "yes"}
    assert data["tally"] == {"yes": 79, "no": 60, "abstain": 33}
    assert ct.event_from_dict(data) == VOTE


@pytest.mark.parametrize("event", [RATIFICATION, VOTE])
def test_round_trip_through_toml_and_json(event):
    """An event survives TOML (tomli_w, tomllib) and JSON unchanged."""
    toml = tomllib.loads(tomli_w.dumps({"event": [ct.event_to_dict(event)]}))
    assert ct.event_from_dict(toml["event"][0]) == event
    assert ct.event_from_dict(json.loads(json.dumps(ct.event_to_dict(event)))) == event


def test_toml_native_dates_are_accepted():
    """A TOML date written unquoted reads as that day, for ``date`` and ``recorded``."""
    text = """
[[event]]
id = "can-ratifies-budapest"
kind = "ratification"
date = 2015-07-08
recorded = 2015-07-09
actor = "CAN"
instrument = "budapest-convention"
[[event.sources]]
title = "Chart"
published = 2016-01-02
"""
    event = ct.event_from_dict(tomllib.loads(text)["event"][0])
    assert str(event.date) == "2015-07-08"
    assert str(event.recorded) == "2015-07-09"
    assert str(event.sources[0].published) == "2016-01-02"


def test_a_date_with_a_time_of_day_is_refused():
    """A TOML datetime is not a date: the error says to drop the time."""
    data = ct.event_to_dict(RATIFICATION) | {"date": dt.datetime(2015, 7, 8, 12, 0)}  # noqa: DTZ001
    with pytest.raises(ct.ValidationError, match="time of day"):
        ct.event_from_dict(data)


def test_unknown_kind_is_named_with_a_suggestion():
    """An unknown kind is a clear error that suggests the nearest kind."""
    data = ct.event_to_dict(RATIFICATION) | {"kind": "ratificaton"}
    with pytest.raises(ct.ValidationError) as info:
        ct.event_from_dict(data)
    assert "unknown kind 'ratificaton'" in str(info.value)
    assert "'ratification'" in str(info.value)


def test_missing_kind_is_an_error():
    """A dict without ``kind`` says that kind is missing."""
    data = ct.event_to_dict(RATIFICATION)
    del data["kind"]
    with pytest.raises(ct.ValidationError, match="kind"):
        ct.event_from_dict(data)


def test_unknown_field_is_named():
    """An unknown field is named, with the nearest real field suggested."""
    data = ct.event_to_dict(RATIFICATION) | {"instrumnet": "x"}
    with pytest.raises(ct.ValidationError) as info:
        ct.event_from_dict(data)
    assert "unknown field 'instrumnet'" in str(info.value)
    assert "'instrument'" in str(info.value)


def test_unknown_field_in_a_source_is_named():
    """An unknown key inside a source table is an error naming the key."""
    data = ct.event_to_dict(RATIFICATION)
    data["sources"] = [{"title": "Chart", "publsher": "CoE"}]
    with pytest.raises(ct.ValidationError, match="publsher"):
        ct.event_from_dict(data)


def test_missing_required_field_is_named():
    """A missing required field is named."""
    data = ct.event_to_dict(RATIFICATION)
    del data["instrument"]
    with pytest.raises(ct.ValidationError, match="'instrument'"):
        ct.event_from_dict(data)


def test_every_problem_is_reported_at_once():
    """A dict with several bad values reports each of them, not only the first."""
    data = ct.event_to_dict(RATIFICATION) | {"date": "2015-13", "id": "Bad Id"}
    with pytest.raises(ct.ValidationError) as info:
        ct.event_from_dict(data)
    messages = [p.message for p in info.value.problems]
    assert len(messages) >= 2
    assert any("2015-13" in m for m in messages)
    assert any("Bad Id" in m for m in messages)


def test_values_outside_enumerations_are_refused():
    """A stance outside the enumeration is a validation error, not a crash."""
    data = {"id": "s", "kind": "statement", "date": "2019-07", "actor": "CAN",
            "topic": "budapest-convention", "stance": "loves", "sources": [{"title": "x"}]}
    with pytest.raises(ct.ValidationError, match="loves"):
        ct.event_from_dict(data)


def test_wrong_types_are_refused():
    """A number where text belongs, or a bool where a count belongs, is an error."""
    data = ct.event_to_dict(VOTE)
    with pytest.raises(ct.ValidationError):
        ct.event_from_dict(data | {"resolution": 74})
    with pytest.raises(ct.ValidationError):
        ct.event_from_dict(data | {"tally": {"yes": True, "no": 60, "abstain": 33}})


def test_no_source_is_refused_through_the_codec():
    """An event dict with an empty sources list is invalid."""
    with pytest.raises(ct.ValidationError, match="source"):
        ct.event_from_dict(ct.event_to_dict(RATIFICATION) | {"sources": []})


def test_format_version_is_one():
    """This library writes format 1."""
    assert ct.FORMAT_VERSION == 1


def _write_store(root: Path, head: str) -> None:
    root.mkdir()
    body = tomli_w.dumps({"event": [ct.event_to_dict(RATIFICATION)]})
    (root / "events.toml").write_text(head + body, encoding="utf-8")


def test_a_file_of_the_current_format_loads(tmp_path):
    """A file that says ``format = 1`` loads."""
    _write_store(tmp_path / "store", "format = 1\n")
    assert [e.id for e in ct.load(tmp_path / "store").events()] == [RATIFICATION.id]


def test_a_newer_format_is_refused(tmp_path):
    """A file written in a newer format (``format = 2``) is refused with advice to upgrade."""
    _write_store(tmp_path / "store", "format = 2\n")
    with pytest.raises(ct.ValidationError) as info:
        ct.load(tmp_path / "store")
    (problem,) = info.value.problems
    assert "format 2" in problem.message
    assert "upgrade" in problem.message
    assert problem.file is not None
    assert problem.file.name == "events.toml"
    assert problem.line == 1


@pytest.mark.parametrize("bad", ["0", "\"one\"", "true"])
def test_a_format_that_is_no_version_is_refused(tmp_path, bad):
    """A format that is not a positive whole number is refused."""
    _write_store(tmp_path / "store", f"format = {bad}\n")
    with pytest.raises(ct.ValidationError, match="format"):
        ct.load(tmp_path / "store")


def test_make_converter_gives_independent_converters():
    """Each call makes a new converter, which tags the union on ``kind``."""
    first, second = ct.make_converter(), ct.make_converter()
    assert first is not second
    data = first.unstructure(RATIFICATION, unstructure_as=ct.Event)
    assert data["kind"] == "ratification"
    assert second.structure(data, ct.Event) == RATIFICATION  # type: ignore[arg-type]
