"""A corpus of bad inputs: each gets the library's own error, one clear line per problem.

Every case in ``tests/data/bad/`` is a store folder and an ``expected.txt`` whose
lines read ``FILE:LINE: FRAGMENT`` (``-`` for no line): the problems the store
must produce, in order, each naming its file and line and saying what to fix.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import cybertimeline as ct
from cybertimeline._cli import main

BAD = Path(__file__).parent / "data" / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def expected(case: str) -> list[tuple[str, int | None, str]]:
    found = []
    for row in (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        name, line, fragment = row.split(":", 2)
        found.append((name, None if line == "-" else int(line), fragment.strip()))
    return found


def test_the_corpus_is_large_enough() -> None:
    """At least 25 kinds of bad input are covered."""
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES)
def test_each_bad_store_raises_every_problem_with_file_and_line(case: str) -> None:
    """Loading fails with a ValidationError listing each problem at its file and line."""
    with pytest.raises(ct.ValidationError) as caught:
        ct.load(BAD / case)
    problems = caught.value.problems
    got = [(p.file.name if p.file else None, p.line, p.message) for p in problems]
    want = expected(case)
    assert len(got) == len(want), got
    for (file, line, message), (want_file, want_line, fragment) in zip(got, want, strict=True):
        assert (file, line) == (want_file, want_line), got
        assert fragment in message, got


@pytest.mark.parametrize("case", CASES)
def test_validate_prints_one_line_per_problem_and_exits_1(
    case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cybertimeline validate` exits 1 and prints each problem on one line, as the API has it."""
    with pytest.raises(ct.ValidationError) as caught:
        ct.load(BAD / case)
    code = main(["--events", str(BAD / case), "validate"])
    err = capsys.readouterr().err
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == len(caught.value.problems)
    for line, problem in zip(lines, caught.value.problems, strict=True):
        assert str(problem) in line
    assert "Traceback" not in err


def test_a_bad_store_through_a_real_process_gives_no_traceback() -> None:
    """The installed command reports a bad store in plain lines and exit code 1."""
    env = {k: v for k, v in os.environ.items() if k != "CYBERTIMELINE_EVENTS"}
    result = subprocess.run(
        [sys.executable, "-m", "cybertimeline", "--events", str(BAD / "several-problems-at-once"),
         "validate"],
        capture_output=True, text=True, env=env, check=False,
    )
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 3
    assert "Traceback" not in result.stderr


def test_one_pass_of_validate_reports_every_problem_of_a_file(tmp_path: Path) -> None:
    """An unknown kind, a bad date, a missing source, an unknown voter and a short tally: all
    in one run, each at its own line, so that a file needs one round of corrections."""
    (tmp_path / "a.toml").write_text(
        '[[event]]\nid = "Can_Signs"\nkind = "signatur"\ndate = "July 2019"\nactor = "CNA"\n'
        'instrument = "budapest-convention"\n\n'
        '[[event]]\nid = "kor-1"\nkind = "statement"\ndate = "2019-7-1"\nactor = "KOR"\n'
        'topic = "budapest-convention"\nstance = "supports"\n\n'
        '[[event]]\nid = "v1"\nkind = "vote"\ndate = "2019-12-27"\nbody = "UNGA"\n'
        'resolution = "A/RES/74/247"\nsorce = "x"\n\n[event.votes]\nCAN = "nay"\nXXX = "no"\n\n'
        '[event.tally]\nyes = 1\n\n[[event.sources]]\ntitle = "t"\n', encoding="utf-8")
    with pytest.raises(ct.ValidationError) as caught:
        ct.load(tmp_path)
    found = [(p.line, p.message) for p in caught.value.problems]
    expected = [(2, "'Can_Signs' is not a valid id"), (3, "unknown kind 'signatur'"),
                (4, "'July 2019' is not an EDTF date"), (5, "unknown actor 'CNA'"),
                (8, "needs 'sources'"), (11, "'2019-7-1' is not an EDTF date"),
                (22, "unknown field 'sorce'"), (25, "'nay' is not allowed"),
                (26, "unknown actor 'XXX'"), (28, "'no' is missing")]
    assert len(found) == len(expected), found
    for (line, message), (want_line, fragment) in zip(found, expected, strict=True):
        assert line == want_line, found
        assert fragment in message, found
