"""Search and filters across events, instruments by name, and the listings of what a store
holds: on the bundled dataset, checked against plain Python over the same events."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._cli import main
from cybertimeline._timeline.search import plain, terms, words_of


@pytest.fixture(scope="module")
def tl() -> ct.Timeline:
    return ct.load()


def ids(events) -> list[str]:
    return [e.id for e in events]


def test_text_search_finds_every_event_whose_words_hold_every_term(tl):
    """``search`` equals a plain scan of titles, summaries, quotes and source titles."""
    def said(event: ct.Event) -> str:
        parts = [getattr(event, f, None) for f in ("title", "summary", "quote")]
        parts += [p for s in event.sources for p in (s.title, s.quote)]
        return " ".join(p for p in parts if p).lower()

    for text in ("budapest", "Budapest Convention", "ratification deposit", "AD HOC committee"):
        expected = [e.id for e in tl.events() if all(w in said(e) for w in text.lower().split())]
        assert expected, text
        assert ids(tl.search(text).events) == expected, text
        assert ids(tl.events(text=text)) == expected, text


def test_a_quoted_phrase_is_one_term_and_accents_do_not_matter(tl):
    assert terms('"Budapest Convention" Sweden') == ("budapest convention", "sweden")
    assert plain("Türkiye  ÉTATS") == "turkiye etats"
    assert set(ids(tl.search('"budapest convention" sweden').events)) <= set(
        ids(tl.search("budapest sweden").events))
    assert ids(tl.search("TÜRKIYE").events) == ids(tl.search("turkiye").events)


def test_a_search_without_a_word_is_refused(tl):
    with pytest.raises(ct.ValidationError, match="no word"):
        tl.search("  ")
    with pytest.raises(ct.ValidationError, match="no word"):
        tl.search('""')


@pytest.mark.parametrize(("filters", "keep"), [
    ({"topic": "ict-security"},
     lambda e: getattr(e, "topic", None) == "ict-security" or "ict-security" in e.tags),
    ({"instrument": "Budapest Convention"},
     lambda e: getattr(e, "instrument", None) == "budapest-convention"),
    ({"instrument": ["ETS 185", "UNTOC"]},
     lambda e: getattr(e, "instrument", None) in {"budapest-convention", "untoc"}),
    ({"resolution": "A/RES/74/247"}, lambda e: getattr(e, "resolution", None) == "A/RES/74/247"),
    ({"body": "UNGA"}, lambda e: getattr(e, "body", None) == "UNGA"),
    ({"tag": "cybercrime"}, lambda e: "cybercrime" in e.tags),
    ({"recorded_since": "2023", "recorded_until": "2024-06"},
     lambda e: dt.date(2023, 1, 1) <= e.recorded_on <= dt.date(2024, 6, 30)),
])
def test_each_filter_keeps_what_it_says(tl, filters, keep):
    expected = [e.id for e in tl.events() if keep(e)]
    assert expected
    assert ids(tl.events(**filters)) == expected


def test_a_group_keeps_the_events_about_its_members_as_of_until(tl):
    members = set(tl.members("EU", as_of="2019"))
    expected = [e.id for e in tl.events(kind="ratification", until="2019")
                if members & set(e.involved)]
    assert ids(tl.events(kind="ratification", until="2019", group="EU")) == expected
    assert "GBR" in members
    assert "GBR" not in tl.members("EU", as_of="2021")


def test_filters_combine_with_actor_kind_dates_and_known_at(tl):
    found = ids(tl.events("CAN", "vote", since="2019", until="2019", topic="cybercrime",
                          known_at="2026"))
    expected = [e.id for e in tl.events("CAN", "vote", since="2019", until="2019",
                                        known_at="2026")
                if getattr(e, "topic", None) == "cybercrime" or "cybercrime" in e.tags]
    assert found == expected


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_search_never_fails_on_any_text_and_finds_only_matches(tl, text):
    wanted = terms(text)
    if not wanted:
        with pytest.raises(ct.ValidationError):
            tl.search(text)
        return
    for event in tl.search(text).events:
        assert all(t in words_of(event) for t in wanted)


def test_search_finds_an_event_appended_after_the_words_were_read(tmp_path):
    tl = ct.create(tmp_path / "store.sqlite", clock=lambda: dt.date(2026, 1, 1))
    tl.append(ct.Statement(id="a", date=ct.Date.parse("2020"), actor="CAN", topic="x",
                           stance="supports", summary="Alpha words",
                           sources=[ct.Source(title="S")]))
    assert ids(tl.search("alpha").events) == ["a"]
    tl.append(ct.Statement(id="b", date=ct.Date.parse("2021"), actor="CAN", topic="x",
                           stance="supports", summary="Alpha again, Zebra",
                           sources=[ct.Source(title="S")]))
    assert ids(tl.search("alpha").events) == ["a", "b"]
    assert ids(tl.search("zebra").events) == ["b"]


def test_instruments_resolve_by_name_and_common_abbreviation(tl):
    resolve = tl.registry.resolve_instrument
    assert {resolve(n) for n in ("Budapest Convention", "budapest", "ETS 185", "ETS No. 185",
                                 "Convention on Cybercrime", "budapest-convention")} == {
        "budapest-convention"}
    assert resolve("Palermo Convention") == resolve("untoc") == "untoc"
    assert resolve("Second Additional Protocol") == "budapest-protocol-2"
    assert resolve("A/RES/74/247") == "A/RES/74/247"
    with pytest.raises(ct.UnknownInstrumentError, match="budapest-convention"):
        resolve("Budapst Convention")
    assert (tl.status("Budapest Convention", as_of="2016").statuses
            == tl.status("budapest-convention", as_of="2016").statuses)


def test_status_of_a_group(tl):
    chart = tl.status("budapest-convention", as_of="2016", group="EU")
    members = set(tl.members("EU", as_of="2016"))
    assert set(chart.statuses) <= members
    assert set(chart.statuses) == members & set(
        tl.status("budapest-convention", as_of="2016").statuses)
    assert set(tl.status("budapest-convention", as_of="2016", group="EU",
                         all_actors=True).statuses) == members


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_command_line_filters_and_search(capsys, tl):
    code, out, _ = run(capsys, "timeline", "--topic", "ict-security", "--kind", "vote",
                       "--format", "json")
    assert code == 0
    assert [r["id"] for r in json.loads(out)] == ids(tl.events(kind="vote",
                                                               topic="ict-security"))
    code, out, _ = run(capsys, "search", "Budapest Convention", "SWE", "--format", "json")
    assert code == 0
    assert [r["id"] for r in json.loads(out)] == ids(tl.search("Budapest Convention",
                                                               "SWE").events)
    code, out, _ = run(capsys, "timeline", "--instrument", "ETS 185", "--group", "EU",
                       "--until", "2010", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ids(tl.events(instrument="budapest-convention",
                                                    group="EU", until="2010"))
    code, _, err = run(capsys, "timeline", "--instrument", "Budapst")
    assert code == 1
    assert "did you mean 'budapest-convention'" in err
    code, out, _ = run(capsys, "status", "Budapest Convention", "--as-of", "2016",
                       "--group", "EU", "--format", "json")
    assert code == 0
    assert set(json.loads(out)["actors"]) <= set(tl.members("EU", as_of="2016"))
    code, out, _ = run(capsys, "changelog", "--group", "EU", "--since", "2021", "--until",
                       "2021", "--format", "json")
    assert code == 0
    assert set(json.loads(out)["actors"]) == set(tl.members("EU", as_of="2021"))


def test_command_line_lists_actors_and_instruments(capsys, tl):
    code, out, _ = run(capsys, "actors", "--format", "json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    involved = {a for e in tl.events() for a in e.involved}
    assert set(rows) == involved
    assert rows["CAN"]["name"] == "Canada"
    assert rows["CAN"]["events"] == sum(1 for e in tl.events() if "CAN" in e.involved)
    code, out, _ = run(capsys, "actors", "--all", "--format", "csv")
    assert len(out.splitlines()) == len(tl.registry.actors) + 1
    code, out, _ = run(capsys, "instruments")
    assert code == 0
    assert out.splitlines()[0].split() == ["ID", "SHORT", "EVENTS", "TITLE"]
    assert any(line.startswith("budapest-convention") and "Budapest Convention" in line
               for line in out.splitlines())


def test_hostile_text_in_a_search_is_printed_safely(capsys, tmp_path: Path):
    tl = ct.create(tmp_path / "s.jsonl", clock=lambda: dt.date(2026, 1, 1))
    tl.append(ct.Statement(id="h", date=ct.Date.parse("2020"), actor="CAN", topic="x",
                           stance="supports", summary="evil \x1b[31m red",
                           sources=[ct.Source(title="S")]))
    code, out, _ = run(capsys, "--events", str(tmp_path / "s.jsonl"), "search", "evil")
    assert code == 0
    assert "\x1b" not in out
    assert "\\u001b" in out


def test_changelog_takes_the_filters_and_a_group(tl):
    """A changelog by instrument keeps the changes with an act on it; by group, its
    members' changes."""
    whole = tl.changelog(since="2023", until="2023")
    found = tl.changelog(since="2023", until="2023", instrument="Second Additional Protocol")
    expected = [c for c in whole.changes
                if any(getattr(e, "instrument", None) == "budapest-protocol-2"
                       for e in c.events)]
    assert found.changes == tuple(expected)
    assert found.changes
    assert len(found.changes) < len(whole.changes)
    eu = tl.changelog(since="2021", until="2021", group="EU")
    assert set(eu.actors) == set(tl.members("EU", as_of="2021"))
    assert {c.actor for c in eu.changes} <= set(eu.actors)
    text = tl.changelog(since="2019", until="2019", text="cybercrime")
    assert all(any("cybercrime" in words_of(e) for e in c.events) for c in text.changes)


def test_command_line_changelog_filters(capsys, tl):
    code, out, _ = run(capsys, "changelog", "--since", "2023", "--until", "2023",
                       "--instrument", "CETS 224", "--format", "json")
    assert code == 0
    printed = json.loads(out)
    assert len(printed["changes"]) == len(tl.changelog(
        since="2023", until="2023", instrument="budapest-protocol-2").changes)


def test_a_plot_takes_an_instrument_by_name(tl):
    pytest.importorskip("matplotlib")
    by_name = tl.plot(["CAN", "KOR"], "Budapest Convention")
    assert by_name.instrument == "budapest-convention"
    assert by_name.spans == tl.plot(["CAN", "KOR"], "budapest-convention").spans
