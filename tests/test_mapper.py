"""One mapper from stored payloads to events (issue 25): every store reads a payload through
`map_payload`, so the same bad payload is the same problem, in the same words, whichever
store holds it; and any payload maps to the codec's event or to named problems, never to
an exception."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._codec.converters import event_to_dict
from cybertimeline._codec.reading import event_from_dict
from cybertimeline._codec.versions import FORMAT_VERSION
from cybertimeline._stores.mapper import map_payload
from tests import strategies as cts
from tests.postgres_server import require
from tests.store_contract import statement, validate_problems

BAD = {"kind": "statement", "id": "bad-1", "date": "2021-13-01", "actor": "CAN",
       "topic": "budapest-convention", "stanse": "supports", "sources": [{"title": "t"}]}
"""A payload with a day that is none, an unknown field (a typo) and a missing one."""


def _folder(tmp_path: Path) -> str:
    folder = tmp_path / "events"
    folder.mkdir()
    (folder / "bad.toml").write_text(tomli_w.dumps({"event": [BAD]}), encoding="utf-8")
    return str(folder)


def _jsonl(tmp_path: Path) -> str:
    path = tmp_path / "bad.jsonl"
    path.write_text(f'{{"format": {FORMAT_VERSION}}}\n{json.dumps(BAD)}\n', encoding="utf-8")
    return str(path)


def _sqlite(tmp_path: Path) -> str:
    path = tmp_path / "bad.sqlite"
    with ct.create(path) as timeline:
        timeline.append(statement("bad-1"))
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("UPDATE events SET payload = ? WHERE id = 'bad-1'", (json.dumps(BAD),))
    finally:
        db.close()
    return str(path)


def _postgres(tmp_path: Path) -> str:
    cluster = require()
    url = cluster.new_store_url()
    with ct.create(url) as timeline:
        timeline.append(statement("bad-1"))
    schema = url.rsplit("schema=", 1)[1]
    with cluster.superuser() as db:
        db.execute(f'UPDATE "{schema}".events SET payload = %s WHERE id = %s',
                   (json.dumps(BAD), "bad-1"))
    return url


STORES: dict[str, Callable[[Path], str]] = {
    "folder": _folder, "jsonl": _jsonl, "sqlite": _sqlite, "postgres": _postgres}
"""Each store that can hold a payload the library did not write, and how to put ``BAD`` in."""


@pytest.mark.parametrize("kind", list(STORES))
def test_a_bad_payload_reads_the_same_from_every_store(kind: str, tmp_path: Path) -> None:
    expected = [message for _, message in map_payload(BAD).problems]
    assert any("'date'" in m for m in expected)
    assert any("stanse" in m for m in expected)
    assert any("'stance'" in m and "missing" in m for m in expected), expected
    found = validate_problems(STORES[kind](tmp_path))
    for message in expected:  # the mapper's words, after where the store says it is
        assert any(m.endswith(message) for m in found), (message, found)
    if kind in ("sqlite", "postgres"):  # a row names itself, as a file's line does
        assert all(m.startswith("row ") and "('bad-1')" in m
                   for m in found if m.endswith(expected[0])), found


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_query_meeting_a_bad_row_says_what_the_mapper_says(kind: str,
                                                             tmp_path: Path) -> None:
    expected = map_payload(BAD).text()
    with ct.load(STORES[kind](tmp_path)) as timeline, pytest.raises(ct.ValidationError) as caught:
        timeline.event("bad-1")
    assert expected in str(caught.value)
    assert "validate" in str(caught.value)


# -- any payload: the codec's event, or named problems ------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8)


@st.composite
def _damaged(draw: st.DrawFn) -> dict[str, Any]:
    """A valid event's dict with one field changed, removed or added."""
    data = dict(event_to_dict(draw(cts.events(light=True))))
    key = draw(st.sampled_from(sorted(data)) | st.text(max_size=8))
    change = draw(st.sampled_from(["replace", "remove"]))
    if change == "remove":
        data.pop(key, None)
    else:
        data[key] = draw(_JSON)
    return data


_PAYLOADS = st.one_of(
    st.builds(event_to_dict, cts.events(light=True)),
    _damaged(),
    _JSON,
    st.text(max_size=30),
    st.builds(json.dumps, _damaged()),
    st.binary(max_size=30),
)
_VERSIONS = st.one_of(st.just(FORMAT_VERSION), st.integers(-1, 3), st.none(), st.booleans(),
                      st.text(max_size=3))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=_PAYLOADS, version=_VERSIONS)
def test_any_payload_maps_to_the_codecs_event_or_to_named_problems(
        payload: object, version: object) -> None:
    mapped = map_payload(payload, version)  # never raises
    if mapped.event is not None:
        assert mapped.problems == ()
        assert type(version) is int
        assert version == FORMAT_VERSION
        data = json.loads(payload) if isinstance(payload, str | bytes) else payload
        assert mapped.event == event_from_dict(data)  # type: ignore[arg-type]
        return
    assert mapped.problems, payload
    assert all(isinstance(message, str) and message for _, message in mapped.problems)
    if isinstance(mapped.data, dict) and type(version) is int and version == FORMAT_VERSION:
        with pytest.raises(ct.ValidationError):  # the codec refuses it too
            event_from_dict(mapped.data)
