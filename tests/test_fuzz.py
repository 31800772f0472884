"""Fuzzing: whatever text, TOML or JSON comes in, only the library's own errors come out.

The default run is short; a long one is ``FUZZ_EXAMPLES=20000 make fuzz``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import string
import tempfile
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cybertimeline as ct

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
fuzz = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

VALID = {
    "id": "can-ratifies-budapest", "kind": "ratification", "date": "2015-07-08",
    "actor": "CAN", "instrument": "budapest-convention",
    "sources": [{"title": "Chart of signatures and ratifications"}],
}

scalars = (st.text(max_size=30) | st.integers() | st.floats(allow_nan=False) | st.booleans()
           | st.dates() | st.datetimes())
keys = st.sampled_from([*VALID, "votes", "tally", "supersedes", "recorded", "stance", "topic",
                        "retracts", "reason", "body", "status"]) | st.text(max_size=10)
toml_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8),
                                                                      children, max_size=4),
    max_leaves=12,
)


def load_text(text: str | bytes, name: str = "events.toml") -> None:
    """Load a store holding one file with this content; only the library's errors may escape."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        with contextlib.suppress(ct.TimelineError):
            ct.load(path if name.endswith(".jsonl") else directory)


@fuzz
@given(st.text())
def test_date_parse_raises_only_date_errors(text: str) -> None:
    """Any string is a date or a DateError (also a ValueError), nothing else."""
    try:
        date = ct.Date.parse(text)
    except ct.DateError as exc:
        error: Exception | None = exc
    else:
        error = None
        assert str(date) == text
        assert date.earliest <= date.latest
    assert error is None or (isinstance(error, ValueError) and str(error))


@fuzz
@given(st.text())
def test_date_parse_loose_raises_only_date_errors(text: str) -> None:
    """Free text goes through python-dateutil; failures become DateError."""
    with contextlib.suppress(ct.DateError):
        ct.Date.parse_loose(text)


@fuzz
@given(st.text(alphabet=string.printable + "[]=\"'{}.#\n\u00e9\u2019"))
def test_arbitrary_text_gives_only_library_errors(text: str) -> None:
    """Any text in a .toml file loads, or fails with the library's error."""
    load_text(text)


@fuzz
@given(st.binary(max_size=200))
def test_arbitrary_bytes_give_only_library_errors(data: bytes) -> None:
    """Bytes that are not UTF-8, or not TOML, fail with the library's error."""
    load_text(data)


@fuzz
@given(st.dictionaries(keys, toml_values, max_size=8))
def test_arbitrary_toml_events_give_only_library_errors(event: dict[str, Any]) -> None:
    """Any TOML table as an event loads, or fails with the library's error."""
    load_text(tomli_w.dumps({"event": [event]}))


@fuzz
@given(st.dictionaries(keys, toml_values, max_size=4), st.sampled_from(sorted(VALID)))
def test_a_valid_event_with_one_field_broken_gives_only_library_errors(
    changes: dict[str, Any], dropped: str
) -> None:
    """A valid event with fields changed, added or dropped loads or fails cleanly."""
    event = {k: v for k, v in VALID.items() if k != dropped} | changes
    load_text(tomli_w.dumps({"event": [event]}))


@fuzz
@given(st.dictionaries(st.text(max_size=8), toml_values, max_size=6))
def test_arbitrary_toml_documents_give_only_library_errors(document: dict[str, Any]) -> None:
    """Any TOML document, as events or as a registry file, loads or fails cleanly."""
    text = tomli_w.dumps(document)
    load_text(text)
    load_text(text, "actors.toml")
    load_text(text, "instruments.toml")


@fuzz
@given(st.lists(st.text() | st.just('{"kind": "vote"}'), max_size=5))
def test_arbitrary_json_lines_give_only_library_errors(lines: list[str]) -> None:
    """Any lines in a .jsonl file load or fail with the library's error."""
    load_text("\n".join(lines) + "\n", "store.jsonl")


def test_a_native_toml_date_is_accepted() -> None:
    """TOML dates written unquoted load as days (checked here so the fuzzers' scalars matter)."""
    with tempfile.TemporaryDirectory() as directory:
        event = VALID | {"date": dt.date(2015, 7, 8)}
        (Path(directory) / "events.toml").write_text(tomli_w.dumps({"event": [event]}),
                                                     encoding="utf-8")
        assert str(ct.load(directory).event("can-ratifies-budapest").date) == "2015-07-08"


@fuzz
@given(st.dictionaries(keys, toml_values, max_size=4), st.sampled_from(sorted(VALID)))
def test_the_fast_converter_accepts_only_what_the_detailed_one_accepts(
    changes: dict[str, Any], dropped: str
) -> None:
    """The fast path of decoding never lets in an event the detailed converter would refuse."""
    from cybertimeline._codec import converters as _codec

    event = {k: v for k, v in VALID.items() if k != dropped} | changes
    try:
        fast: object = _codec.fast().structure(event, ct.Event)  # type: ignore[arg-type]
    except Exception:  # refusing is always allowed
        return
    assert fast == _codec.detailed().structure(event, ct.Event)  # type: ignore[arg-type]
