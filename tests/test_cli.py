"""The command line, through ``main(argv)`` and once through a real process."""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

import cybertimeline as ct
from cybertimeline._cli import _parser, main

VALID_EVENT = """
[[event]]
id = "can-ratifies"
kind = "ratification"
date = "2015-07-08"
actor = "CAN"
instrument = "budapest-convention"

[[event.sources]]
title = "Chart"
"""

INVALID_EVENT = """
[[event]]
id = "bad"
kind = "ratification"
date = "2015-07-08"
actor = "CAN"
instrument = "budapest-convention"
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def store(tmp_path: Path) -> Path:
    (tmp_path / "events.toml").write_text(VALID_EVENT, encoding="utf-8")
    return tmp_path


@pytest.fixture(autouse=True)
def _no_store_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CYBERTIMELINE_EVENTS", raising=False)


def test_validate(capsys: pytest.CaptureFixture[str]) -> None:
    """validate reports the bundled store's events as valid."""
    code, out, _ = run(capsys, "validate")
    assert code == 0
    assert "events, all valid" in out


def test_validate_invalid_store_exits_1(capsys: pytest.CaptureFixture[str], store: Path) -> None:
    """An invalid store exits 1 with one line per problem, naming file and line."""
    (store / "bad.toml").write_text(INVALID_EVENT, encoding="utf-8")
    code, out, err = run(capsys, "--events", str(store), "validate")
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert lines
    assert all(line.startswith("error: ") for line in lines)
    assert "bad.toml" in err
    assert "Traceback" not in err


def test_missing_store_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A store that does not exist exits 1."""
    code, _, err = run(capsys, "--events", str(tmp_path / "nowhere"), "validate")
    assert code == 1
    assert err.count("\n") == 1


def test_environment_variable_names_the_store(
    capsys: pytest.CaptureFixture[str], store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CYBERTIMELINE_EVENTS selects the store when --events is not given."""
    monkeypatch.setenv("CYBERTIMELINE_EVENTS", str(store))
    code, out, _ = run(capsys, "validate")
    assert code == 0
    assert out.startswith(f"{store}: 1 event,")


def test_events_after_the_command(capsys: pytest.CaptureFixture[str], store: Path) -> None:
    """--events is also accepted after the command."""
    code, out, _ = run(capsys, "validate", "--events", str(store))
    assert code == 0
    assert str(store) in out


def test_position_text(capsys: pytest.CaptureFixture[str]) -> None:
    """position prints the actor's treaties with dates and numbered sources."""
    code, out, _ = run(capsys, "position", "CAN", "--as-of", "2016-01-01")
    assert code == 0
    assert out.startswith("Canada (CAN) as of 2016-01-01")
    assert "party" in out
    assert "ratification 2015-07-08" in out
    assert "\nSources\n  [1] " in out


def test_position_json(capsys: pytest.CaptureFixture[str]) -> None:
    """position --format json gives Position.to_dict."""
    code, out, _ = run(capsys, "position", "CAN", "--as-of", "2014-12-31", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["treaties"]["budapest-convention"]["status"] == "signatory"


def test_bad_date_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unparsable --as-of is bad usage: exit 2, one line on stderr."""
    code, out, err = run(capsys, "position", "CAN", "--as-of", "2019-13")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "2019-13" in err


def test_unknown_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown command or a missing argument is bad usage."""
    assert run(capsys, "frobnicate")[0] == 2
    assert run(capsys, "position")[0] == 2
    assert run(capsys, "diff", "CAN", "2015")[0] == 2


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """--help prints the usage and exits 0."""
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "changelog" in out


def test_unknown_actor_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown actor exits 1 with one line on stderr."""
    code, _, err = run(capsys, "position", "XYZ", "--as-of", "2019")
    assert code == 1
    assert err.startswith("error: unknown actor 'XYZ'")
    assert err.count("\n") == 1


def test_changelog_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    """changelog prints Markdown sections per date, newest first."""
    code, out, _ = run(capsys, "changelog", "CAN", "--since", "2014", "--until", "2016")
    assert code == 0
    assert out.index("## 2015-11-01") < out.index("## 2015-07-08") < out.index("## Sources")
    assert "Ratified the Convention on Cybercrime" in out


def test_changelog_json(capsys: pytest.CaptureFixture[str]) -> None:
    """changelog --format json gives Changelog.to_dict."""
    code, out, _ = run(capsys, "changelog", "KOR", "--since", "2019", "--until", "2022",
                       "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["actors"] == ["KOR"]
    assert "votes.A/RES/74/247" in {c["path"] for c in data["changes"]}


def test_timeline_text(capsys: pytest.CaptureFixture[str]) -> None:
    """timeline ACTOR prints aligned rows with dates, kinds and source counts."""
    code, out, _ = run(capsys, "timeline", "CAN", "--until", "2016")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["DATE", "KIND", "ACTOR", "ID", "SOURCES", "SUMMARY"]
    ids = [e.id for e in ct.load().events(actor="CAN", until="2016")]
    assert lines[-1] == f"{len(ids)} events"
    column = lines[0].index(" ID ") + 1
    assert [line[column:].split()[0] for line in lines[1:-1]] == ids  # aligned


def test_timeline_csv_and_jsonl(capsys: pytest.CaptureFixture[str]) -> None:
    """timeline --format csv and jsonl carry id, kind and date for each event."""
    code, out, _ = run(capsys, "timeline", "CAN", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    vote = next(r for r in rows if r["id"] == "unga-vote-74-247")
    assert vote["kind"] == "vote"
    assert vote["option"] == "no"
    assert vote["date"] == "2019-12-27"
    code, out, _ = run(capsys, "timeline", "--kind", "ratification", "--format", "jsonl")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert records
    assert {r["kind"] for r in records} == {"ratification"}
    assert all({"id", "kind", "date"} <= set(r) for r in records)


def test_timeline_json(capsys: pytest.CaptureFixture[str]) -> None:
    """timeline --format json is a list of rows."""
    code, out, _ = run(capsys, "timeline", "KOR", "--format", "json")
    assert code == 0
    assert isinstance(json.loads(out), list)


def test_diff(capsys: pytest.CaptureFixture[str]) -> None:
    """diff lists paths whose value differs between two dates, with dates and sources."""
    code, out, _ = run(capsys, "diff", "CAN", "2014", "2016")
    assert code == 0
    assert "treaties.budapest-convention.status" in out
    assert "signatory" in out
    assert "party" in out
    code, out, _ = run(capsys, "diff", "CAN", "2014", "2016", "--format", "json")
    data = json.loads(out)
    assert data["from"] == "2014"
    assert data["to"] == "2016"
    assert {"path", "before", "after", "events"} <= set(data["changes"][0])


def test_status(capsys: pytest.CaptureFixture[str]) -> None:
    """status charts every actor's standing towards an instrument, with totals."""
    code, out, _ = run(capsys, "status", "budapest-convention", "--as-of", "2016-01-01")
    assert code == 0
    row = next(line for line in out.splitlines() if line.strip().startswith("CAN "))
    assert "party" in row
    assert "2015-07-08 (ratification)" in row
    code, out, _ = run(capsys, "status", "budapest-convention", "--as-of", "2016-01-01",
                       "--format", "json")
    data = json.loads(out)
    assert data["actors"]["CAN"]["status"] == "party"
    assert sum(data["counts"].values()) == len(data["actors"])


def test_status_unknown_instrument_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown instrument exits 1."""
    assert run(capsys, "status", "no-such-treaty", "--as-of", "2016")[0] == 1


def test_export_timelinejs(capsys: pytest.CaptureFixture[str]) -> None:
    """export writes TimelineJS JSON with the event ids as unique ids."""
    code, out, _ = run(capsys, "export", "CAN", "--format", "timelinejs")
    assert code == 0
    data = json.loads(out)
    assert "can-ratifies-budapest" in {e["unique_id"] for e in data["events"]}


def test_export_csv(capsys: pytest.CaptureFixture[str]) -> None:
    """export --format csv writes the same rows as timeline."""
    code, out, _ = run(capsys, "export", "CAN", "KOR", "--format", "csv", "--until", "2016")
    assert code == 0
    assert [r["id"] for r in csv.DictReader(io.StringIO(out))][:2] == [
        "can-signs-budapest", "can-signs-budapest-protocol-1"]


def test_real_process() -> None:
    """python -m cybertimeline runs as a process: output, exit codes and one-line errors."""
    ok = subprocess.run([sys.executable, "-m", "cybertimeline", "changelog", "CAN", "--since",
                         "2014", "--until", "2016"], capture_output=True, text=True, check=False,
                        timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "## 2015-07-08" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "cybertimeline", "position", "CAN", "--as-of",
                          "2019-13"], capture_output=True, text=True, check=False, timeout=120)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
    assert "Traceback" not in bad.stderr


def test_import_copies_between_every_kind_of_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`--events SRC import --into DST` copies a folder to SQLite, JSON Lines and a folder."""
    bundled = Path(__file__).resolve().parents[1] / "events"
    route = [str(bundled), str(tmp_path / "a.sqlite"), str(tmp_path / "b.jsonl"),
             str(tmp_path / "c")]
    for source, destination in itertools.pairwise(route):
        code, out, err = run(capsys, "--events", source, "import", "--into", destination)
        assert code == 0, err
        assert out.startswith(f"{destination}: {len(ct.load())} events copied")
    code, out, _ = run(capsys, "--events", route[-1], "position", "CAN", "--as-of", "2016",
                       "--format", "json")
    assert json.loads(out)["treaties"]["budapest-convention"]["status"] == "party"


def test_import_never_overwrites(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Importing onto an existing store exits 1 and leaves it alone."""
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.toml").write_text("# mine\n", encoding="utf-8")
    code, _, err = run(capsys, "--events", str(Path(__file__).resolve().parents[1] / "events"),
                       "import", "--into", str(tmp_path / "taken"))
    assert code == 1
    assert "already exists" in err
    assert (tmp_path / "taken" / "keep.toml").read_text(encoding="utf-8") == "# mine\n"


def test_a_changelog_whose_since_is_after_its_until_is_bad_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`changelog --since 2022 --until 2019` exits 2 and says to swap the dates."""
    code, _, err = run(capsys, "changelog", "CAN", "--since", "2022", "--until", "2019")
    assert code == 2
    assert "swap them" in err


def test_an_unknown_kind_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    """`timeline --kind nope` exits 2 and lists the kinds."""
    code, _, err = run(capsys, "timeline", "--kind", "nope")
    assert code == 2
    assert "ratification" in err


def test_status_shows_withdrawals_in_their_own_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A withdrawal's date is under WITHDRAWN, not under IN FORCE."""
    store = tmp_path / "store.jsonl"
    timeline = ct.create(store)
    source = (ct.Source(title="t"),)
    for kind, date in ((ct.Accession, "2010-01-05"), (ct.Withdrawal, "2012-03-01")):
        timeline.append(kind(id=f"rus-{kind.kind}", date=ct.Date.parse(date), actor="RUS",
                             instrument="budapest-convention", sources=source))
    code, out, _ = run(capsys, "--events", str(store), "status", "budapest-convention",
                       "--as-of", "2013")
    assert code == 0
    header, row = out.splitlines()[1:3]
    assert row[header.index("WITHDRAWN"):].startswith("2012-03-01")
    assert row[header.index("IN FORCE"):header.index("WITHDRAWN")].strip() == ""


def test_a_diff_with_its_dates_the_wrong_way_round_is_bad_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`diff CAN 2016 2014` exits 2 and asks for the earlier date first."""
    code, _, err = run(capsys, "diff", "CAN", "2016", "2014")
    assert code == 2
    assert "earlier date first" in err


def test_import_into_a_path_of_no_store_kind_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`--into out.txt` is neither a folder, JSON Lines nor SQLite: exit 1, nothing created."""
    code, _, err = run(capsys, "--events", str(Path(__file__).resolve().parents[1] / "events"),
                       "import", "--into", str(tmp_path / "out.txt"))
    assert code == 1
    assert "'.txt' is none of these" in err
    assert not (tmp_path / "out.txt").exists()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the installed version and exits 0."""
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out == f"cybertimeline {ct.__version__}\n"


def _actions(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.Action]]:
    """Every argument of the parser and of its commands, with the command's name."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += [(name, a) for a in sub._actions]
        else:
            found.append(("", action))
    return found


def test_every_argument_has_help() -> None:
    """Each option and positional of every command says what it is in --help."""
    arguments = [(name, action) for name, action in _actions(_parser())
                 if not isinstance(action, argparse._HelpAction)]
    assert len(arguments) > 40
    for name, action in arguments:
        if action.help == argparse.SUPPRESS:
            continue
        assert action.help, f"{name} {action.option_strings or action.dest}: no help"


def test_every_command_that_reads_actors_takes_them_alike() -> None:
    """position, changelog, timeline, search, diff, compare, export, plot, heatmap and
    agreement: ACTOR [ACTOR ...] each."""
    found = {name: action for name, action in _actions(_parser()) if action.dest == "actors"}
    assert set(found) == {"position", "changelog", "timeline", "diff", "export", "plot",
                          "agreement", "search", "compare", "heatmap"}
    for name, action in found.items():
        assert action.metavar == "ACTOR", name
        assert action.nargs in ("+", "*"), name
        assert "by id or name (CAN, can, 'Republic of Korea', EU...)" in str(action.help), name


def test_several_actors_give_one_answer_each(capsys: pytest.CaptureFixture[str]) -> None:
    """position and diff answer for each actor in turn; JSON is then a list."""
    tl = ct.load()
    code, out, _ = run(capsys, "position", "CAN", "JPN", "--as-of", "2016")
    assert code == 0
    assert out.rstrip("\n") == "\n\n".join(str(tl.position(a, as_of="2016"))
                                           for a in ("CAN", "JPN"))
    code, out, _ = run(capsys, "diff", "CAN", "JPN", "2014", "2016", "--format", "json")
    assert [d["actor"] for d in json.loads(out)] == ["CAN", "JPN"]
    code, out, _ = run(capsys, "diff", "CAN", "2014", "2016", "--format", "json")
    assert json.loads(out)["actor"] == "CAN"


def test_timeline_lists_the_events_of_several_actors(capsys: pytest.CaptureFixture[str]) -> None:
    """timeline CAN JPN lists the events of either, each once, as export does."""
    tl = ct.load()
    expected = sorted({e.id: e for a in ("CAN", "JPN") for e in tl.events(a)}.values(),
                      key=ct.canonical_key)
    code, out, _ = run(capsys, "timeline", "CAN", "JPN", "--format", "jsonl")
    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] == [e.id for e in expected]
    _, exported, _ = run(capsys, "export", "CAN", "JPN", "--format", "jsonl")
    assert exported == out


def test_import_copies_the_bundled_dataset(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`import --into mine.sqlite` copies the bundled dataset, from any directory."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "import", "--into", "mine.sqlite")
    assert code == 0, err
    assert out.startswith(f"mine.sqlite: {len(ct.load())} events copied from ")
    assert len(ct.load(tmp_path / "mine.sqlite")) == len(ct.load())


def test_import_names_its_source_one_way(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A store named after `import` is bad usage that says to use --events; nothing is made."""
    code, out, err = run(capsys, "import", "events", "--into", str(tmp_path / "copy.sqlite"))
    assert code == 2
    assert out == ""
    assert f"cybertimeline --events events import --into {tmp_path / 'copy.sqlite'}" in err
    assert not (tmp_path / "copy.sqlite").exists()


@pytest.mark.parametrize("argv", [
    ["changelog", "CAN", "--since", "2016", "--until", "2014"],
    ["timeline", "CAN", "--since", "2016", "--until", "2014"],
    ["export", "CAN", "--since", "2016", "--until", "2014"],
    ["plot", "CAN", "--since", "2016", "--until", "2014", "-o", "x.svg"],
])
def test_reversed_dates_are_an_error_on_the_command_line_and_in_python(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """Each command with --since and --until refuses them the wrong way round (exit 2), and so
    does the Python call it makes (ValidationError), both saying to swap them."""
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "swap them" in err
    tl = ct.load()
    calls = {
        "changelog": lambda: tl.changelog("CAN", since="2016", until="2014"),
        "timeline": lambda: tl.listing("CAN", since="2016", until="2014"),
        "export": lambda: tl.to_timelinejs("CAN", since="2016", until="2014"),
        "plot": lambda: tl.plot("CAN", since="2016", until="2014"),
    }
    if argv[0] == "plot":
        pytest.importorskip("matplotlib")
    with pytest.raises(ct.ValidationError, match="swap them"):
        calls[argv[0]]()


def test_an_import_naming_its_source_where_events_goes_is_bad_usage(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    """`import old.sqlite --into new.jsonl` exits 2, writes nothing, and shows the command
    that names the source with --events."""
    code, _, err = run(capsys, "import", "old.sqlite", "--into", str(tmp_path / "new.jsonl"))
    assert code == 2
    assert f"cybertimeline --events old.sqlite import --into {tmp_path / 'new.jsonl'}" in err
    assert not (tmp_path / "new.jsonl").exists()
