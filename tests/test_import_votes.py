"""Importing UN roll-call votes, on an excerpt of the real record (tests/data/unvotes)."""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
from collections import Counter
from pathlib import Path

import attrs
import pytest

import cybertimeline as ct
from cybertimeline import importers
from cybertimeline._cli import main

DATA = Path(__file__).parent / "data" / "unvotes"
VOTES, ROLL_CALLS, ISSUES = (DATA / f"{name}.csv" for name in
                             ("un_votes", "un_roll_calls", "un_roll_call_issues"))
TODAY = dt.date(2026, 1, 15)
STORES = ("store", "store.jsonl", "store.sqlite")


def store(tmp_path: Path, name: str = "store.sqlite", today: dt.date = TODAY) -> ct.Timeline:
    return ct.create(tmp_path / name, clock=lambda: today)


def vote(timeline: ct.Timeline, event_id: str) -> ct.Vote:
    found = timeline.event(event_id)
    assert isinstance(found, ct.Vote)
    return found


@pytest.fixture(scope="module")
def excerpt() -> ct.Timeline:
    timeline = ct.Timeline(clock=lambda: TODAY)
    importers.import_votes(timeline, VOTES, ROLL_CALLS, issues=ISSUES)
    return timeline


@pytest.mark.parametrize("name", STORES)
def test_each_roll_call_becomes_one_vote_event_in_any_store(tmp_path, name):
    """The 13 roll calls of the excerpt become 13 vote events, in a folder, JSON Lines or
    SQLite store, and read back from it."""
    report = importers.import_votes(store(tmp_path, name), VOTES, ROLL_CALLS, issues=ISSUES)
    assert report.read == len(report.added) == 13
    again = ct.load(tmp_path / name)
    assert sorted(e.id for e in again.events(kind="vote")) == sorted(report.added)


def test_roll_call_9087_reads_as_resolution_74_247_with_its_official_tally(excerpt):
    """Roll call 9087 is A/RES/74/247 of 27 December 2019, adopted 79-60-33."""
    found = vote(excerpt, "unvotes-9087")
    assert found.resolution == "A/RES/74/247"
    assert str(found.date) == "2019-12-27"
    assert found.tally == ct.Tally(yes=79, no=60, abstain=33)
    assert (found.votes["CAN"], found.votes["RUS"], found.votes["KOR"]) == ("no", "yes", "no")


def test_the_import_agrees_with_the_curated_vote_of_the_bundled_dataset(excerpt):
    """Every state's vote on 74/247 is what the bundled dataset records from the same
    roll call (its Serbia, Namibia and Czechia included)."""
    curated = ct.load().event("unga-vote-74-247")
    assert isinstance(curated, ct.Vote)
    assert dict(vote(excerpt, "unvotes-9087").votes) == dict(curated.votes)


def test_short_symbols_read_as_un_symbols(excerpt):
    """The data set's R/73/187 is A/RES/73/187 (roll call 6138)."""
    assert vote(excerpt, "unvotes-6138").resolution == "A/RES/73/187"


def test_every_tally_counts_the_votes_it_lists(excerpt):
    """The tally of each event is computed from its votes."""
    for event in excerpt.events(kind="vote"):
        assert isinstance(event, ct.Vote)
        counts = Counter(event.votes.values())
        assert event.tally == ct.Tally(yes=counts["yes"], no=counts["no"],
                                      abstain=counts["abstain"])


@pytest.mark.parametrize(("roll_call", "actors"), [
    ("3", {"CSK", "YUG", "CHN", "RUS"}),                  # 1946: CS, YU, TW, RU
    ("2791", {"DDR", "YMD", "DEU", "YEM"}),               # DD, YD; FRG and YAR have no code
    ("874", {"ZANZIBAR", "TZA"}),                         # Zanzibar beside Tanganyika
    ("4305", {"YUG"}), ("4445", {"SCG"}), ("5044", {"SRB"}),  # YU by date
    ("9087", {"NAM", "SRB"}),                             # NA, not a missing value
])
def test_historical_and_odd_codes_map_by_the_table(excerpt, roll_call, actors):
    """Historical codes, codes that changed meaning and rows without a code map as the
    layout's table says."""
    assert actors <= set(vote(excerpt, f"unvotes-{roll_call}").votes)


def test_former_states_are_declared_with_their_votes(excerpt):
    """The former states the votes name are declared in the store, by their ISO 3166-3
    codes and names."""
    assert excerpt.registry.actor("CSK").name == "Czechoslovakia"
    assert excerpt.registry.resolve("German Democratic Republic") == "DDR"
    assert excerpt.registry.actor("ZANZIBAR").type == "state"


def test_amendment_and_paragraph_votes_are_marked_and_kept_apart(excerpt):
    """A vote on an amendment or a paragraph says so, and is not the vote on the resolution."""
    assert vote(excerpt, "unvotes-3").resolution == "R/1/66 (amendment, roll call 3)"
    assert vote(excerpt, "unvotes-2475").resolution == (
        "A/RES/37/235C (amendment to a paragraph, roll call 2475)")
    assert vote(excerpt, "unvotes-812").resolution == "roll call 812 (paragraph, no symbol)"
    assert {"amendment", "paragraph"} <= set(vote(excerpt, "unvotes-2475").tags)
    votes = excerpt.position("CAN", as_of="1998").votes
    assert "A/RES/52/22 (amendment, roll call 6014)" in votes
    assert "A/RES/52/22" not in votes


def test_sources_cite_the_data_set_and_the_roll_call(excerpt):
    """Each event cites the data set, its roll call, resolution and session."""
    (source,) = vote(excerpt, "unvotes-6138").sources
    assert source.title == "United Nations General Assembly Voting Data"
    assert source.url == "https://hdl.handle.net/1902.1/12379"
    assert source.locator == "roll call 6138, resolution R/73/187, session 73"


def test_topics_come_from_the_issues_file(excerpt):
    """A roll call of one issue has it as its topic; every issue is a tag."""
    assert vote(excerpt, "unvotes-6068").topic == "arms-control"
    both = vote(excerpt, "unvotes-5532")
    assert both.topic is None
    assert {"colonialism", "economic-development"} <= set(both.tags)


@pytest.mark.parametrize(("filters", "expected"), [
    ({"resolution": "A/RES/74/247"}, {"9087"}),
    ({"resolution": ["R/73/187", "A/RES/52/22"]}, {"6138", "6014"}),
    ({"sessions": 73}, {"6138", "6068"}),
    ({"sessions": (70, None)}, {"5532", "6068", "6138", "9087"}),
    ({"sessions": (None, 17)}, {"3", "812"}),
    ({"since": "2018-12-17", "until": "2019"}, {"6138", "9087"}),
    ({"topic": "hr"}, {"5044"}),
    ({"topic": ["arms-control", "colonialism"]}, {"812", "5532", "6068"}),
])
def test_filters_choose_roll_calls(tmp_path, filters, expected):
    """Resolution, session range, dates and topic each choose the roll calls imported."""
    timeline = store(tmp_path)
    report = importers.import_votes(timeline, VOTES, ROLL_CALLS, issues=ISSUES, **filters)
    assert {e.id.removeprefix("unvotes-") for e in timeline.events()} == expected
    assert report.read == len(expected)


def test_a_topic_filter_needs_the_issues_file(tmp_path):
    """Filtering by topic without the issues file is refused, naming the option."""
    with pytest.raises(ct.TimelineError, match="--issues"):
        importers.import_votes(store(tmp_path), VOTES, ROLL_CALLS, topic="hr")


@pytest.mark.parametrize("name", STORES)
def test_importing_the_same_record_twice_adds_nothing(tmp_path, name):
    """A second import of the same files writes nothing."""
    importers.import_votes(store(tmp_path, name), VOTES, ROLL_CALLS, issues=ISSUES)
    before = (tmp_path / name).stat().st_mtime_ns if name != "store" else None
    again = ct.load(tmp_path / name, clock=lambda: TODAY)
    report = importers.import_votes(again, VOTES, ROLL_CALLS, issues=ISSUES)
    assert (report.added, report.corrected, report.unchanged) == ((), (), 13)
    assert len(ct.load(tmp_path / name)) == 13
    if before is not None:
        assert (tmp_path / name).stat().st_mtime_ns == before


def _changed_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = VOTES.read_text(encoding="utf-8")
    assert text.count(old) == 1
    changed = tmp_path / "changed.csv"
    changed.write_text(text.replace(old, new), encoding="utf-8")
    return changed


def test_a_changed_record_becomes_a_correction_recorded_on_the_import_day(tmp_path):
    """Canada's vote on 74/247 changed in a later release: the new import supersedes the
    stored roll call, and what was believed before stays queryable (rule 2)."""
    importers.import_votes(store(tmp_path, today=dt.date(2026, 1, 1)), VOTES, ROLL_CALLS)
    changed = _changed_copy(tmp_path, "9087,Canada,CA,no", "9087,Canada,CA,abstain")
    later = ct.load(tmp_path / "store.sqlite", clock=lambda: dt.date(2026, 3, 1))
    report = importers.import_votes(later, changed, ROLL_CALLS)
    assert report.corrected == ("unvotes-9087-r2",)
    assert report.unchanged == 12
    fixed = vote(later, "unvotes-9087-r2")
    assert fixed.supersedes == "unvotes-9087"
    assert fixed.recorded_on == dt.date(2026, 3, 1)
    assert fixed.tally == ct.Tally(yes=79, no=59, abstain=34)
    then = later.position("CAN", as_of="2020", known_at="2026-02-01")
    assert then.votes["A/RES/74/247"].option == "no"
    assert later.position("CAN", as_of="2020").votes["A/RES/74/247"].option == "abstain"
    again = importers.import_votes(later, changed, ROLL_CALLS)
    assert (again.added, again.corrected) == ((), ())


@pytest.mark.parametrize("name", STORES)
def test_an_unmapped_code_is_refused_with_how_to_map_it(tmp_path, name):
    """A code the table and ISO do not know fails the import, naming the code, its votes,
    the line and the fix; nothing is written."""
    importers.import_votes(store(tmp_path, name), VOTES, ROLL_CALLS, resolution="R/73/187")
    bad = _changed_copy(tmp_path, "9087,Canada,CA,no", "9087,Canada,CA,no\n9087,Atlantis,XQ,yes")
    timeline = ct.load(tmp_path / name)
    with pytest.raises(ct.ValidationError) as info:
        importers.import_votes(timeline, bad, ROLL_CALLS)
    (problem,) = info.value.problems
    assert problem.file == bad
    assert problem.line is not None
    assert bad.read_text(encoding="utf-8").splitlines()[problem.line - 1] == (
        "9087,Atlantis,XQ,yes")
    assert "code 'XQ' (Atlantis) maps to no actor (1 votes" in problem.message
    assert "--map 'XQ=ACTOR'" in problem.message
    assert [e.id for e in ct.load(tmp_path / name).events()] == ["unvotes-6138"]
    mapped = importers.import_votes(timeline, bad, ROLL_CALLS, codes={"XQ": "Taiwan"})
    assert vote(ct.load(tmp_path / name), "unvotes-9087").votes["TWN"] == "yes"
    assert len(mapped.added) == 12


def test_a_mapping_overrides_the_table(tmp_path):
    """``codes`` comes before the layout's table: TW may be kept apart from China."""
    timeline = store(tmp_path)
    importers.import_votes(timeline, VOTES, ROLL_CALLS, resolution="R/1/66",
                           codes={"TW": "TWN"})
    votes = vote(timeline, "unvotes-3").votes
    assert "TWN" in votes
    assert "CHN" not in votes


def test_two_rows_of_one_actor_in_a_roll_call_are_refused(tmp_path):
    """Mapping two codes to one actor in the same roll call fails at the second row."""
    with pytest.raises(ct.ValidationError, match="a second vote of CHN"):
        importers.import_votes(store(tmp_path), VOTES, ROLL_CALLS, codes={"TW": "CHN",
                                                                          "US": "CHN"})


def test_gzipped_files_are_read_as_the_data_set_ships_them(tmp_path):
    """``.csv.gz`` files are read as they are."""
    for path in (VOTES, ROLL_CALLS):
        with path.open("rb") as plain, gzip.open(tmp_path / f"{path.name}.gz", "wb") as packed:
            shutil.copyfileobj(plain, packed)
    timeline = store(tmp_path)
    report = importers.import_votes(timeline, tmp_path / "un_votes.csv.gz",
                                    tmp_path / "un_roll_calls.csv.gz")
    assert report.read == 13


UNDL_HEADER = ("undl_id,ms_code,ms_name,ms_vote,date,session,resolution,draft,committee_report,"
               "meeting,title,agenda_title,subjects,vote_note,total_yes,total_no,"
               "total_abstentions,total_non_voting,total_ms,undl_link")


def test_the_un_digital_library_layout_is_found_from_its_columns(tmp_path):
    """A file of the UN Digital Library's voting data (a row per Member State's vote) is
    read by its layout: X is a non-vote, absent from the tally."""
    rows = [("3847739", "CAN", "CANADA", "N"), ("3847739", "RUS", "RUSSIAN FEDERATION", "Y"),
            ("3847739", "IND", "INDIA", "A"), ("3847739", "AGO", "ANGOLA", "X"),
            ("3847739", "SRB", "SERBIA", "N")]
    lines = [UNDL_HEADER] + [
        f"{i},{code},{name},{vote},2019-12-27,74,A/RES/74/247,A/C.3/74/L.11/Rev.1,A/74/400,"
        f"A/74/PV.52,Countering the use of ICTs for criminal purposes,Crime prevention,,,"
        f"79,60,33,21,193,https://digitallibrary.un.org/record/{i}" for i, code, name, vote in rows]
    undl = tmp_path / "undl.csv"
    undl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    timeline = store(tmp_path)
    report = importers.import_votes(timeline, undl)
    found = vote(timeline, "undl-3847739")
    assert report.read == 1
    assert found.resolution == "A/RES/74/247"
    assert dict(found.votes) == {"CAN": "no", "RUS": "yes", "IND": "abstain", "AGO": "absent",
                                "SRB": "no"}
    assert found.tally == ct.Tally(yes=1, no=2, abstain=1)
    assert found.sources[0].url == "https://digitallibrary.un.org/record/3847739"
    assert "meeting A/74/PV.52" in (found.sources[0].locator or "")


def test_a_file_of_no_known_layout_is_refused(tmp_path):
    """A votes file whose columns fit no layout names the layouts' columns."""
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ct.TimelineError, match="no known layout"):
        importers.import_votes(store(tmp_path), odd)


def test_a_new_layout_is_a_small_mapping(tmp_path):
    """A layout of other column names and vote values is a VoteLayout, nothing more."""
    layout = attrs.evolve(importers.UNVOTES, name="mine", id_prefix="mine",
                          vote_columns={"roll_call": "rc", "code": "iso2", "country": "state",
                                        "vote": "v"},
                          options={"Y": "yes", "N": "no", "A": "abstain"})
    mine = tmp_path / "mine.csv"
    mine.write_text("rc,state,iso2,v\n9087,Canada,CA,N\n9087,Russia,RU,Y\n", encoding="utf-8")
    timeline = store(tmp_path)
    importers.import_votes(timeline, mine, ROLL_CALLS, layout=layout)
    assert dict(vote(timeline, "mine-9087").votes) == {"CAN": "no", "RUS": "yes"}


def test_progress_is_told_each_stage():
    """An import tells its progress callback how reading, building and writing go."""
    stages: list[tuple[str, int, int]] = []
    importers.import_votes(ct.Timeline(clock=lambda: TODAY), VOTES, ROLL_CALLS,
                           progress=lambda *stage: stages.append(stage))
    assert {s[0] for s in stages} >= {"reading votes", "writing"}
    assert stages[-1] == ("writing", 13, 13)


def test_the_command_imports_and_a_second_run_adds_nothing(tmp_path, capsys):
    """``cybertimeline import-votes`` imports into a new store; run again, it adds nothing;
    piped, it shows no progress bar."""
    into = str(tmp_path / "all.sqlite")
    assert main(["import-votes", str(VOTES), str(ROLL_CALLS), "--into", into]) == 0
    first = capsys.readouterr()
    assert "13 records read, 13 added" in first.out
    assert first.err == ""
    assert main(["import-votes", str(VOTES), str(ROLL_CALLS), "--into", into]) == 0
    assert "0 added, 0 corrected, 13 unchanged" in capsys.readouterr().out
    assert main(["--events", into, "position", "Republic of Korea", "--as-of", "2020"]) == 0
    assert "A/RES/74/247" in capsys.readouterr().out


def test_the_command_takes_filters_and_mappings(tmp_path, capsys):
    """--session, --resolution and --map reach the importer."""
    into = str(tmp_path / "some.jsonl")
    assert main(["import-votes", str(VOTES), str(ROLL_CALLS), "--into", into,
                 "--session", "1-17", "--map", "TW=TWN"]) == 0
    assert "2 records read" in capsys.readouterr().out
    assert "TWN" in vote(ct.load(into), "unvotes-3").votes


def test_a_failed_command_leaves_no_new_store(tmp_path, capsys):
    """An import that fails into a new path exits 1, says why, and leaves nothing there."""
    bad = _changed_copy(tmp_path, "9087,Canada,CA,no", "9087,Atlantis,XQ,yes")
    into = tmp_path / "new.sqlite"
    assert main(["import-votes", str(bad), str(ROLL_CALLS), "--into", str(into)]) == 1
    assert "--map 'XQ=ACTOR'" in capsys.readouterr().err
    assert not into.exists()
    assert list(tmp_path.iterdir()) == [bad]


@pytest.mark.parametrize("bad", ["--session 74-70", "--session x", "--map TW"])
def test_bad_arguments_are_usage_errors(tmp_path, capsys, bad):
    """A reversed or unreadable session range, or a mapping without '=', exits 2."""
    args = ["import-votes", str(VOTES), str(ROLL_CALLS), "--into", str(tmp_path / "x.sqlite"),
            *bad.split()]
    assert main(args) == 2
    assert "error" in capsys.readouterr().err


@pytest.mark.parametrize("name", STORES)
def test_a_failed_import_never_removes_what_another_import_wrote(tmp_path, capsys, monkeypatch,
                                                                name):
    """Two imports into one new path: the one that fails leaves the other's events there."""
    from cybertimeline._importers import votes as votes_module

    real, into = votes_module.import_votes, tmp_path / name
    calls = []

    def first_waits_for_a_second(timeline, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # meanwhile, a colleague imports into the same new path
            assert main(["import-votes", str(VOTES), str(ROLL_CALLS), "--into", str(into),
                         "--session", "1-17"]) == 0
        return real(timeline, *args, **kwargs)

    monkeypatch.setattr(votes_module, "import_votes", first_waits_for_a_second)
    bad = _changed_copy(tmp_path, "9087,Canada,CA,no", "9087,Atlantis,XQ,yes")
    assert main(["import-votes", str(bad), str(ROLL_CALLS), "--into", str(into)]) == 1
    assert f"{into}: 2 records read, 2 added" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([bad.name, name])
    assert "unvotes-3" in {e.id for e in ct.load(into).events()}


def test_a_session_of_thousands_of_digits_is_a_problem_not_a_traceback(tmp_path, capsys):
    """int() refuses text of more than 4,300 digits: the row is named (issue 26, item 9)."""
    rows = ROLL_CALLS.read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].replace("3,1,0", "3," + "9" * 5000 + ",0", 1)
    changed = tmp_path / "roll_calls.csv"
    changed.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["import-votes", str(VOTES), str(changed), "--into",
                 str(tmp_path / "x.sqlite")]) == 1
    assert f"{changed}:2: roll call 3: 'session'" in capsys.readouterr().err


def test_a_damaged_compressed_file_is_an_error_not_a_traceback(tmp_path, capsys):
    """Bytes flipped inside a .csv.gz (zlib's error, not gzip's): exit 1 naming the file."""
    data = bytearray(gzip.compress(VOTES.read_bytes()))
    for at in range(200, 260):
        data[at] ^= 0x55
    damaged = tmp_path / "votes.csv.gz"
    damaged.write_bytes(bytes(data))
    assert main(["import-votes", str(damaged), str(ROLL_CALLS), "--into",
                 str(tmp_path / "x.sqlite")]) == 1
    assert str(damaged) in capsys.readouterr().err


def test_a_vote_of_an_unknown_roll_call_and_an_unknown_value_fail_at_their_lines(tmp_path):
    """A vote of a roll call the roll-call file lacks fails at each such row; a vote value the
    layout does not know names the values it does; nothing is read."""
    bad = _changed_copy(tmp_path, "9087,Canada,CA,no",
                        "9087,Canada,CA,maybe\n99999,Canada,CA,no\n99999,Japan,JP,yes")
    lines = bad.read_text(encoding="utf-8").splitlines()
    with pytest.raises(ct.ValidationError) as info:
        importers.read_votes(bad, ROLL_CALLS)
    found = sorted((p.line or 0, p.message) for p in info.value.problems)
    assert [lines[line - 1] for line, _ in found] == [
        "9087,Canada,CA,maybe", "99999,Canada,CA,no", "99999,Japan,JP,yes"]
    assert found[0][1].startswith("vote 'maybe' is not one of 'yes', 'no', 'abstain'")
    assert found[1][1] == ("a vote of roll call '99999', which the roll-call file does not "
                           "have")
