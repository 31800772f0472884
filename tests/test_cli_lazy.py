"""The command line loads only what the command it runs needs (issue 21: `cybertimeline
position` on the whole UN record within 150 ms, whole process), and its lean parser (the one
command's options) reads every command line exactly as the whole parser does."""

from __future__ import annotations

import contextlib
import gc
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cybertimeline import _cli
from cybertimeline._cli import IMPORT_COMMAND_NAMES, _command_named, _parser, main
from cybertimeline._cli_imports import IMPORT_COMMANDS

ROOT = Path(__file__).parent.parent
VOTES = ROOT / "tests" / "data" / "unvotes"

NEVER_FOR_POSITION = ("cybertimeline._cli_imports", "cybertimeline._importers",
                      "cybertimeline._reports", "pandas", "matplotlib", "tqdm", "psycopg")
"""Modules (and their submodules) that `position` never uses: the importers, every report,
the plotting and data-frame libraries, the progress bars, the PostgreSQL driver."""

NOR_FROM_STORED_ROWS = ("cybertimeline._model.events", "cybertimeline._model.event", "cattrs",
                        "cybertimeline._codec.converters",
                        "cybertimeline._codec.reading", "cybertimeline._projections.chart",
                        "cybertimeline._timeline.search", "cybertimeline._timeline.writing",
                        "cybertimeline._timeline.reporting", "cybertimeline._stores.sequences",
                        "shutil", "tempfile", "html")
"""Nor, for a position read from stored rows (votes: `Entries`, no event payload), any kind of
event or the codec that decodes one (issue 21: a class per kind, made at import, is most of
what the command would otherwise import), the charts, the search filters, the writers, the
checks of treaty sequences, nor the standard modules only a copy (shutil), the bundled
dataset's path (importlib.resources imports tempfile) or HTML output need."""

NOR_ON_A_DATABASE = ("pycountry", "importlib.metadata")
"""Nor, on a database store, pycountry (which imports importlib.metadata): the registry is
stored, and an id (not a name) needs no name index. A folder store whose load is not cached
builds its registry from pycountry."""

_LOADED = """
import json, sys
from cybertimeline._cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _loaded(argv: Sequence[str]) -> tuple[str, list[str]]:
    """What a fresh interpreter prints and the modules it holds after running ``argv``."""
    done = subprocess.run([sys.executable, "-c", _LOADED, *argv], capture_output=True,
                          text=True, check=True,
                          env={"PATH": "", "PYTHONHASHSEED": "0", "CYBERTIMELINE_CACHE": "off"})
    found = json.loads(done.stderr.splitlines()[-1])
    assert found["code"] == 0, done.stderr
    return done.stdout, found["modules"]


def _unwanted(modules: list[str], names: Sequence[str] = NEVER_FOR_POSITION) -> list[str]:
    return [m for m in modules if any(m == name or m.startswith(f"{name}.") for name in names)]


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store of an excerpt of the real roll-call record, as `import-votes` makes."""
    path = tmp_path_factory.mktemp("lazy") / "record.sqlite"
    assert main(["import-votes", str(VOTES / "un_votes.csv"), str(VOTES / "un_roll_calls.csv"),
                 "--issues", str(VOTES / "un_roll_call_issues.csv"), "--into", str(path)]) == 0
    return path


@pytest.mark.parametrize("form", ["text", "json"])
def test_position_on_the_vote_record_loads_no_importer_report_or_frame_library(
        record: Path, form: str) -> None:
    """The benchmark's command, on a SQLite store of UN votes: the answer is there, and
    none of the modules it never uses was imported."""
    out, modules = _loaded(["--events", str(record), "position", "KOR", "--as-of",
                            "2020-01-01", "--format", form])
    assert "A/RES/" in out
    assert "cybertimeline._timeline.timeline" in modules  # it did open the store
    assert _unwanted(modules, NEVER_FOR_POSITION + NOR_ON_A_DATABASE) == []
    if form == "text":
        assert _unwanted(modules, NOR_FROM_STORED_ROWS) == []


def test_an_event_is_decoded_once_asked_for(record: Path) -> None:
    """The lazy imports are reached: `timeline` lists whole events, so it decodes them (the
    kinds and the codec are imported then), and their words name the roll call."""
    out, modules = _loaded(["--events", str(record), "timeline", "KOR", "--since", "2019-12-27",
                            "--until", "2019-12-27"])
    assert "A/RES/74/247" in out
    assert "cybertimeline._model.events" in modules


def test_position_on_the_bundled_dataset_loads_none_either() -> None:
    """The bundled folder store, parsed whole (the load cache is off)."""
    out, modules = _loaded(["position", "CAN", "--as-of", "2016-01-01"])
    assert out.startswith("Canada (CAN) as of 2016-01-01")
    assert _unwanted(modules) == []


def test_the_other_commands_still_import_what_they_use(record: Path) -> None:
    """The lazy imports are reached: votes as CSV writes rows (reports), diff words a diff."""
    out, modules = _loaded(["--events", str(record), "votes", "A/RES/74/247", "--format",
                            "csv"])
    assert out.startswith("state,name,resolution,")
    assert "ALB,Albania,A/RES/74/247," in out
    assert "cybertimeline._reports.rows" in modules
    out, modules = _loaded(["--events", str(record), "diff", "KOR", "2000", "2020"])
    assert "votes.A/RES/74/247" in out
    assert "cybertimeline._projections.sentences" in modules


def test_importing_the_package_imports_none_of_it() -> None:
    """``import cybertimeline`` imports no module of its own, nor attrs: every name loads when
    first asked for (and then is the same object as in its module)."""
    done = subprocess.run([sys.executable, "-c", "import json, sys, cybertimeline; "
                           "print(json.dumps(sorted(sys.modules)))"], capture_output=True,
                          text=True, check=True)
    modules = json.loads(done.stdout)
    assert [m for m in modules if m.startswith(("cybertimeline.", "attr"))] == []
    import cybertimeline as ct
    from cybertimeline._model.events import Vote

    assert ct.Vote is Vote


def test_main_leaves_the_garbage_collector_as_it_found_it(record: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    """`main` pauses the collector, freezes what a command imports and opens and collects
    less often while the command runs; called in a process (a notebook, a test), it leaves
    collection running, at its thresholds, and nothing frozen."""
    thresholds = gc.get_threshold()
    assert (gc.isenabled(), gc.get_freeze_count(), gc.get_threshold()) == (True, 0, thresholds)
    assert main(["--events", str(record), "position", "KOR", "--as-of", "2020-01-01"]) == 0
    assert "A/RES/74/247" in capsys.readouterr().out
    assert (gc.isenabled(), gc.get_freeze_count(), gc.get_threshold()) == (True, 0, thresholds)
    assert main(["--events", str(record), "position", "NOSUCH"]) == 1
    assert (gc.isenabled(), gc.get_freeze_count(), gc.get_threshold()) == (True, 0, thresholds)
    gc.disable()
    try:
        assert main(["--events", str(record), "position", "KOR"]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("columns", [None, "50", "0", "x", "200"])
def test_the_help_is_as_wide_as_shutil_says(columns: str | None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The help's width is found as `shutil.get_terminal_size` finds it (without importing
    shutil on every run)."""
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert _cli._columns() == shutil.get_terminal_size().columns


def test_the_import_commands_are_the_ones_named() -> None:
    assert set(IMPORT_COMMAND_NAMES) == set(IMPORT_COMMANDS)


def _parsed(parser_of: Any, argv: list[str]) -> tuple[str, Any, str]:
    """How a parser takes ``argv``: its namespace, or its usage error, or its exit and help."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            return "parsed", vars(parser_of(argv).parse_args(argv)), out.getvalue()
    except _cli._UsageError as exc:
        return "usage", str(exc), out.getvalue()
    except SystemExit as exit_:
        return "exit", exit_.code, out.getvalue()


def _alike(argv: list[str]) -> None:
    lean = _parsed(lambda given: _parser(_command_named(given)), argv)
    assert lean == _parsed(lambda _: _parser(), argv), argv


def _documented() -> list[list[str]]:
    """Every command line that the documentation shows (usage lines aside)."""
    found = []
    for page in [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]:
        for line in page.read_text(encoding="utf-8").splitlines():
            text = re.sub(r"^\$ ", "", line.strip())
            if text.startswith("cybertimeline ") and not re.search(r"[\[|…]|\.\.\.", text):
                with contextlib.suppress(ValueError):  # unbalanced quotes: prose
                    found.append(shlex.split(text, comments=True)[1:])
    return found


DOCUMENTED = _documented()


def test_the_documentation_shows_many_command_lines() -> None:
    assert len(DOCUMENTED) > 40
    assert {argv[0] for argv in DOCUMENTED if argv} >= {"position", "votes", "import-votes"}


@pytest.mark.parametrize("argv", DOCUMENTED, ids=" ".join)
def test_the_lean_parser_reads_each_documented_command_line_as_the_whole_one(
        argv: list[str]) -> None:
    _alike(argv)


@pytest.mark.parametrize("argv", [
    [], ["--help"], ["position", "--help"], ["import-votes", "--help"], ["--version"],
    ["nosuch"], ["--events"], ["--events", "x"], ["--events", "position", "validate"],
    ["--events=x", "position", "CAN"], ["--events", "x", "--events", "y", "position", "CAN"],
    ["--ev", "x", "position", "CAN"], ["position", "CAN", "--as-of", "20200"],
    ["position", "CAN", "--format", "csv"], ["position", "CAN", "validate"],
    ["-h", "position"], ["position", "--events", "x", "CAN", "--all"],
])
def test_the_lean_parser_reads_odd_command_lines_as_the_whole_one(argv: list[str]) -> None:
    _alike(argv)


WORDS = (*_cli._SUBCOMMANDS, *IMPORT_COMMAND_NAMES, "--events", "--events=s.sqlite", "x",
         "CAN", "--as-of", "2020", "--format", "json", "--help", "--version", "--all", "-o",
         "a.svg", "--into", "--group", "EU", "")


@given(st.lists(st.sampled_from(WORDS), max_size=7))
def test_any_command_line_is_read_alike_by_the_lean_and_the_whole_parser(
        argv: list[str]) -> None:
    _alike(argv)


ODD = "a\n\t\x00\x1b\x7f\x85\u061c\u200e\u202e\u2028\u00a0\u2066…"
"""Letters, newline and tab, controls, bidirectional marks, separators, a printable ellipsis."""


@given(st.text(alphabet=st.characters(codec="utf-8")) | st.text(alphabet=ODD))
def test_printable_escapes_what_the_pattern_names_and_only_that(text: str) -> None:
    """`printable` returns text with nothing unprintable as it is, without its pattern: the
    same text the pattern makes, whatever the text."""
    escaped = re.sub(_cli.UNSAFE, lambda found: f"\\u{ord(found.group()):04x}", text)
    assert _cli.printable(text) == escaped


def test_the_text_of_a_position_reads_the_sources_it_cites_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A position's text shows the latest 20 votes of a state's many and cites their roll
    calls' sources: it reads those 20 from the store (not every vote's), and says what it
    says when every vote's sources were read."""
    import cybertimeline as ct
    from cybertimeline._stores.sqlite_index import SqliteIndex

    record = tmp_path / "votes.sqlite"
    with ct.create(record) as made:
        made.extend([ct.Vote(id=f"v{n}", date=ct.Date.parse(f"{1990 + n}-06-01"), body="UNGA",
                             resolution=f"A/RES/{n}", votes={"KOR": "yes", "CAN": "no"},
                             sources=[ct.Source(title=f"Record {n}")]) for n in range(25)])

    asked: list[int] = []
    read = SqliteIndex.entry_sources

    def counted(index: SqliteIndex, section: str, seqs: list[int], ids: list[str],
                **options: Any) -> list[str]:
        asked.append(len(seqs))
        return read(index, section, seqs, ids, **options)

    monkeypatch.setattr(SqliteIndex, "entry_sources", counted)
    with ct.load(record) as timeline:
        position = timeline.position("KOR", as_of="2020-01-01")
        assert len(position.votes) > 20
        text = position.text()
        assert sum(asked) == 20
        whole = timeline.position("KOR", as_of="2020-01-01")
        assert all(vote.sources for vote in whole.votes.values())  # every one read
        assert whole.text() == text
