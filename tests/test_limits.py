"""Limits: input too large for memory gets a clear error, and loading never runs code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cybertimeline as ct
from cybertimeline._stores import base as _store
from cybertimeline._stores import jsonl as _jsonl
from cybertimeline._stores import pipeline as _pipeline
from cybertimeline._stores import toml_files as _folder

EVENT = {"id": "can-1", "kind": "statement", "date": "2020", "actor": "CAN",
         "topic": "budapest-convention", "stance": "supports", "sources": [{"title": "t"}]}


def toml_event(event_id: str) -> str:
    return (f'[[event]]\nid = "{event_id}"\nkind = "statement"\ndate = "2020"\nactor = "CAN"\n'
            'topic = "budapest-convention"\nstance = "supports"\n\n'
            '[[event.sources]]\ntitle = "t"\n\n')


def test_a_file_over_the_size_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A TOML file larger than the limit is reported, not read into memory."""
    monkeypatch.setattr(_folder, "MAX_FILE_BYTES", 100)
    (tmp_path / "big.toml").write_text(toml_event("can-1"), encoding="utf-8")
    with pytest.raises(ct.ValidationError, match="more than the limit of 100"):
        ct.load(tmp_path)


def test_a_folder_over_the_event_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More events than a folder store may hold in memory: the error points to SQLite."""
    monkeypatch.setattr(_pipeline, "MAX_EVENTS", 2)
    text = "".join(toml_event(f"can-{n}") for n in range(3))
    (tmp_path / "events.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ct.ValidationError, match="limit of a store read whole into memory"):
        ct.load(tmp_path)


def test_a_jsonl_line_over_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One enormous line in a JSON Lines store is refused with its line number."""
    monkeypatch.setattr(_jsonl, "MAX_LINE_BYTES", 50)
    path = tmp_path / "store.jsonl"
    path.write_text('{"format": 1}\n' + json.dumps(EVENT) + "\n", encoding="utf-8")
    with pytest.raises(ct.ValidationError) as caught:
        ct.load(path)
    assert caught.value.problems[0].line == 2
    assert "longer than 50 bytes" in caught.value.problems[0].message


def test_a_jsonl_store_over_the_event_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Streaming stops at the event limit with a clear error."""
    monkeypatch.setattr(_pipeline, "MAX_EVENTS", 1)
    path = tmp_path / "store.jsonl"
    lines = [json.dumps(EVENT | {"id": f"can-{n}"}) for n in range(3)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ct.ValidationError, match="limit of a store read whole into memory"):
        ct.load(path)
    assert _store.MAX_EVENTS > 1_000_000  # the real limit is generous


def test_text_longer_than_the_limit_is_refused(tmp_path: Path) -> None:
    """A summary of a million characters is a mistake, reported at its line."""
    text = toml_event("can-1").replace('stance = "supports"\n',
                                       'stance = "supports"\nsummary = "' + "x" * 1_000_000 + '"\n')
    (tmp_path / "events.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ct.ValidationError) as caught:
        ct.load(tmp_path)
    (problem,) = caught.value.problems
    assert problem.line == 8
    assert "longer than the limit" in problem.message


def test_loading_never_executes_code_from_the_data(tmp_path: Path) -> None:
    """Strings that look like code, pickles or YAML tags are only ever text."""
    marker = tmp_path / "pwned"
    payload = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    event = (toml_event("can-1")
             .replace('title = "t"', f'title = "!!python/object/apply:os.system {payload}"')
             .replace('stance = "supports"\n', f'stance = "supports"\nsummary = "{payload}"\n'))
    (tmp_path / "events.toml").write_text(event, encoding="utf-8")
    loaded = ct.load(tmp_path).event("can-1")
    assert loaded.summary == payload
    assert not marker.exists()
