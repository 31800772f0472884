"""Defaults that do not trip: a year as an int, today where a date is optional, and a public
namespace that holds the public API only."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline import _cli as cli
from cybertimeline._cli import main


def test_dir_of_the_package_is_its_public_api() -> None:
    """``dir(ct)`` lists ``__all__`` (and ``__version__``), not the helpers the package
    module imports (``Any``, ``TYPE_CHECKING``, ``importlib``, ``annotations``)."""
    public = {name for name in dir(ct) if not name.startswith("_")}
    assert public == set(ct.__all__)
    for helper in ("Any", "TYPE_CHECKING", "importlib", "annotations", "typing"):
        assert not hasattr(ct, helper), helper


def test_every_name_of_all_resolves() -> None:
    for name in ct.__all__:
        assert getattr(ct, name) is not None, name
    assert ct.errors.TimelineError is ct.TimelineError
    assert callable(ct.importers.import_votes)


@given(st.integers(min_value=1, max_value=9999))
def test_a_year_as_an_int_is_that_year(year: int) -> None:
    assert ct.Date.coerce(year) == ct.Date.parse(f"{year:04d}")


@pytest.mark.parametrize("value", [0, -5, 10000, True])
def test_an_int_that_is_no_year_is_refused_clearly(value: int) -> None:
    with pytest.raises(ct.DateError):
        ct.Date.coerce(value)


def test_queries_take_a_year_as_an_int() -> None:
    tl = ct.load()
    assert (tl.position("CAN", as_of=2016).treaties["budapest-convention"].status
            == tl.position("CAN", as_of="2016").treaties["budapest-convention"].status
            == "party")
    assert tl.position("CAN", as_of=2014).treaties["budapest-convention"].status == "signatory"
    assert [e.id for e in tl.events(since=2015, until=2015)] == [
        e.id for e in tl.events(since="2015", until="2015")]


@pytest.mark.parametrize("command", [["position", "CAN"], ["status", "budapest-convention"]])
def test_as_of_defaults_to_today(command: list[str], capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Without ``--as-of`` the command answers as of today (UTC, the timeline's clock): the
    same answer as ``--as-of`` today, and not the answer of an earlier day."""
    monkeypatch.delenv("CYBERTIMELINE_EVENTS", raising=False)
    day = dt.date(2014, 6, 1)
    monkeypatch.setattr(cli, "load", lambda path=None: ct.load(path, clock=lambda: day))
    assert main(command) == 0
    default = capsys.readouterr().out
    assert main([*command, "--as-of", "2014-06-01"]) == 0
    assert capsys.readouterr().out == default
    assert "as of 2014-06-01" in default
    assert main([*command, "--as-of", "2016"]) == 0
    assert capsys.readouterr().out != default


def test_a_question_without_a_date_says_what_it_answers() -> None:
    """Without ``as_of`` a position or chart folds every known event: its heading says so,
    never "as of None"."""
    tl = ct.load()
    for text in (str(tl.position("CAN")), str(tl.status("budapest-convention"))):
        assert "as of None" not in text
        assert "on every known event" in text.splitlines()[0]
