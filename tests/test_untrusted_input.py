"""No input bricks or hangs a store (issue 18): files that are not files, huge or crafted
inputs, names that mislead. Each test names the case of the issue it holds to."""

from __future__ import annotations

import json
import os
import tomllib
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._cli import main
from cybertimeline._stores.toml_chunks import EVENT_HEADER, pieces
from tests.store_contract import hang_guard, statement

EVENT = ('[[event]]\nid = "{id}"\nkind = "statement"\ndate = "2020"\nactor = "CAN"\n'
         'topic = "budapest-convention"\nstance = "supports"\n\n[[event.sources]]\ntitle = "t"\n\n')


def folder(tmp_path: Path, *ids: str) -> Path:
    root = tmp_path / "store"
    root.mkdir()
    (root / "events.toml").write_text("".join(EVENT.format(id=i) for i in ids), encoding="utf-8")
    return root


def problems(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(ct.ValidationError) as caught:
        ct.load(path)
    return [(p.file.name if p.file else "", p.message) for p in caught.value.problems]


def test_a_toml_link_to_dev_zero_is_reported_not_read(tmp_path: Path) -> None:
    """A ``*.toml`` symbolic link to /dev/zero is not followed (issue 18, H3)."""
    root = folder(tmp_path, "can-1")
    (root / "zero.toml").symlink_to("/dev/zero")
    with hang_guard(60):
        found = problems(root)
    assert found == [("zero.toml", "is a symbolic link: a store reads only regular files; put "
                                   "the file itself here")]


def test_a_fifo_named_toml_does_not_hang_a_load_or_validate(tmp_path: Path) -> None:
    """A FIFO named ``*.toml`` is reported at once: no read waits for a writer (issue 18, H3)."""
    root = folder(tmp_path, "can-1")
    os.mkfifo(root / "pipe.toml")
    with hang_guard(60):
        assert problems(root) == [("pipe.toml", "is a FIFO (named pipe), not a regular file: "
                                                "a store reads only regular files")]
        assert main(["--events", str(root), "validate"]) == 1


def test_a_jsonl_store_that_is_a_fifo_does_not_hang(tmp_path: Path) -> None:
    """A FIFO given as a JSON Lines store is refused at once (issue 18, H3)."""
    path = tmp_path / "store.jsonl"
    os.mkfifo(path)
    with hang_guard(60), pytest.raises(ct.ValidationError, match="FIFO"):
        ct.load(path)


def test_an_appended_folder_linked_elsewhere_is_refused(tmp_path: Path) -> None:
    """``appended/`` a symbolic link: no append is confirmed that a reload would not see, and
    no id is accepted twice (issue 18, M10)."""
    root = folder(tmp_path, "can-1")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "appended").symlink_to(elsewhere)
    assert problems(root) == [("appended", "is a symbolic link to a folder, which a store does "
                                           "not follow: move the folder itself here")]
    (root / "appended").unlink()
    timeline = ct.load(root)
    (root / "appended").symlink_to(elsewhere)
    with pytest.raises(ct.ValidationError, match="symbolic link to a folder"):
        timeline.append(statement("can-2"))
    assert list(elsewhere.iterdir()) == []


def test_a_toml_file_ending_in_another_case_is_reported(tmp_path: Path) -> None:
    """``events.TOML`` is not silently skipped: the store says to rename it (issue 18, Low)."""
    root = folder(tmp_path, "can-1")
    (root / "more.TOML").write_text(EVENT.format(id="can-2"), encoding="utf-8")
    assert problems(root) == [("more.TOML", "ends in '.TOML', not '.toml', so it would not be "
                                            "read: rename it")]


def test_an_actor_declared_twice_names_both_places(tmp_path: Path) -> None:
    """The same actor in two files is an error naming both, not "the last one wins"
    (issue 18, Low)."""
    root = folder(tmp_path, "can-1")
    for name in ("actors.toml", "more/actors.toml"):
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_text('[actors.XYZ]\nname = "X"\ntype = "agency"\n', encoding="utf-8")
    ((file, message),) = problems(root)
    assert file == "actors.toml"
    assert "actor 'XYZ' is declared twice: first at " in message
    assert str(root / "actors.toml") in message or str(root / "more" / "actors.toml") in message


def test_a_dotted_key_of_many_parts_is_refused_quickly(tmp_path: Path) -> None:
    """100 KB of ``summary.a.a.a...``: refused before tomllib, whose time and memory are
    quadratic in the parts (issue 18, M5)."""
    root = folder(tmp_path, "can-1")
    ct.load(root)  # what a first load sets up once (the built-in registry) is not measured
    (root / "deep.toml").write_text("summary" + ".a" * 50_000 + ' = "x"\n', encoding="utf-8")
    tracemalloc.start()
    try:
        with hang_guard(60):
            found = problems(root)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == [("deep.toml", "has a dotted key or table header of more than 16 parts: "
                                   "write fewer")]
    assert peak < 50 * 100_000


@pytest.mark.slow
def test_a_file_of_bare_event_headers_stays_within_its_memory_bound(tmp_path: Path) -> None:
    """A file of empty ``[[event]]`` tables stops at the problem limit, its memory within the
    documented multiple of its size (issue 18, M5; docs/safety.md)."""
    root = tmp_path / "store"
    root.mkdir()
    text = "[[event]]\n" * 200_000
    (root / "events.toml").write_text(text, encoding="utf-8")
    tracemalloc.start()
    try:
        with pytest.raises(ct.ValidationError, match="stopped after 1000 problems"):
            ct.load(root)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 60 * len(text)


def test_a_jsonl_file_of_junk_lines_stays_within_its_memory_bound(tmp_path: Path) -> None:
    """2 MB of ``1`` lines stop at the problem limit, in bounded memory (issue 18, M5)."""
    path = tmp_path / "store.jsonl"
    path.write_bytes(b"1\n" * 1_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(ct.ValidationError) as caught:
            ct.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(caught.value.problems) == 1001
    assert "stopped after 1000 problems" in caught.value.problems[-1].message
    assert peak < 5 * 2_000_000


def test_an_empty_events_path_is_an_error_not_the_bundled_data(
        capsys: pytest.CaptureFixture[str]) -> None:
    """``--events ""`` is a mistake, said so; ``ct.load("")`` too (issue 18, Low)."""
    assert main(["--events", "", "validate"]) == 1
    assert "an empty path names no store" in capsys.readouterr().err
    with pytest.raises(ct.TimelineError, match="empty path"):
        ct.load("")


@pytest.mark.parametrize("text", ["２０１５", "٢٠١٥", "2015-０１", "߂߀߁߅"])
def test_dates_in_other_digits_are_refused(text: str) -> None:
    """Only ASCII digits make an EDTF date, in files and in ``--as-of`` (issue 18, Low)."""
    with pytest.raises(ct.DateError):
        ct.Date.parse(text)
    assert main(["position", "CAN", "--as-of", text]) == 2


def test_a_folder_deleted_while_open_is_not_made_again(tmp_path: Path) -> None:
    """An append to a folder store deleted since it was opened fails, and leaves no new empty
    store behind (issue 18, Low)."""
    root = folder(tmp_path, "can-1")
    timeline = ct.load(root)
    for child in sorted(root.rglob("*"), reverse=True):
        child.unlink()
    root.rmdir()
    with pytest.raises(ct.TimelineError, match="deleted or replaced since it was opened"):
        timeline.append(statement("can-2"))
    assert not root.exists()


def test_write_failures_are_the_librarys_errors_naming_the_path(tmp_path: Path) -> None:
    """A folder store whose ``appended`` is a file: the append fails with a TimelineError
    naming the store, not an OSError (issue 18, Low)."""
    root = folder(tmp_path, "can-1")
    (root / "appended").write_text("not a folder", encoding="utf-8")
    timeline = ct.load(root)
    with pytest.raises(ct.TimelineError, match=f"{root}: cannot append"):
        timeline.append(statement("can-2"))
    with pytest.raises(ct.TimelineError, match="already exists"):
        ct.create(root)


def test_a_jsonl_registry_line_is_checked_like_a_file(tmp_path: Path) -> None:
    """The same instrument declared twice in JSON Lines is an error naming both lines."""
    path = tmp_path / "store.jsonl"
    line = json.dumps({"instrument": {"id": "x-treaty", "title": "X"}})
    path.write_text(f'{{"format": 1}}\n{line}\n{line}\n', encoding="utf-8")
    with pytest.raises(ct.ValidationError, match=r"instrument 'x-treaty' is declared twice: "
                                                 r"first at .*store.jsonl:2"):
        ct.load(path)


def test_a_folder_too_large_to_be_a_store_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--events /`` walks no whole file system: past a number of entries, a folder is
    refused as no store (issue 18, H3)."""
    from cybertimeline._stores import toml_files as _folder

    root = folder(tmp_path, "can-1")
    for n in range(5):
        (root / f"notes-{n}.txt").write_text("x", encoding="utf-8")
    monkeypatch.setattr(_folder, "MAX_FOLDER_ENTRIES", 3)
    with pytest.raises(ct.ValidationError, match="more than 3 files and folders: is it a store"):
        ct.load(root)


_TRICKY = st.text(alphabet='ab "\'#\n[]=.\\', max_size=30).map(
    lambda text: text.replace("[]", "\n[[event]]\n"))


@settings(max_examples=200)
@given(st.lists(st.dictionaries(st.sampled_from(["id", "summary", "note", "tags"]),
                                st.one_of(_TRICKY, st.lists(_TRICKY, max_size=3)),
                                min_size=1),
                max_size=5),
       st.booleans())
def test_a_toml_file_read_in_pieces_means_what_the_whole_file_means(
        events: list[dict[str, Any]], multiline: bool) -> None:
    """Cutting a file at its ``[[event]]`` headers (outside strings and comments) and
    parsing each piece gives the events a parse of the whole file gives, whatever the
    strings hold (headers, quotes, comments): the pieces are an optimisation, not a dialect."""
    text = tomli_w.dumps({"format": 1, "event": events}, multiline_strings=multiline)
    whole = tomllib.loads(text)["event"]
    cut = list(pieces(text, EVENT_HEADER))
    parts = [tomllib.loads(piece.text) for piece in cut]
    assert [e for part in parts for e in part.get("event", [])] == whole
    lines = text.split("\n")
    assert all(lines[piece.line - 1].startswith("[[event]]") for piece in cut[1:])


def test_a_toml_integer_of_more_than_4300_digits_is_a_problem_at_its_line(
        tmp_path: Path) -> None:
    """Python refuses to read such an integer from text (a ValueError): it is reported, not
    a traceback (issue 26, item 9)."""
    (tmp_path / "events.toml").write_text(
        'format = 1\n\n[[event]]\nid = "x"\nkind = "statement"\ndate = "2020"\n'
        f'actor = "CAN"\ntopic = "t"\nstance = "supports"\nn = {"1" * 5000}\n',
        encoding="utf-8")
    with pytest.raises(ct.ValidationError, match="integer of more than 4,300 digits") as caught:
        ct.load(tmp_path)
    assert caught.value.problems[0].line == 3
