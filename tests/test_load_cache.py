"""The load cache of folder stores (issue 16): a load of unchanged files parses none and answers
as a parse would; any change, damage or doubt means a plain load."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

import cybertimeline as ct
from cybertimeline._stores import load_cache, pipeline
from cybertimeline._stores.base import Contents

BUNDLED = Path(__file__).resolve().parents[1] / "events"
AN_HOUR_AGO = time.time_ns() - 3600 * 10**9


@pytest.fixture
def parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The cache kept in a folder of this test's own; each full parse of a folder, counted."""
    monkeypatch.setenv("CYBERTIMELINE_CACHE", str(tmp_path / "cache"))
    counted: list[Path] = []
    original = pipeline.Loader.contents

    def counting(self: pipeline.Loader) -> Contents:
        counted.append(Path(self.location))
        return original(self)

    monkeypatch.setattr(pipeline.Loader, "contents", counting)
    return counted


def _aged_copy(tmp_path: Path) -> Path:
    """The bundled dataset, copied, its files last changed an hour ago."""
    store = Path(shutil.copytree(BUNDLED, tmp_path / "events"))
    for path in store.rglob("*"):
        os.utime(path, ns=(AN_HOUR_AGO, AN_HOUR_AGO))
    return store


def _cache_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cache"
    return sorted(folder.iterdir()) if folder.exists() else []


def _answers(tl: ct.Timeline) -> object:
    return ([(e, tl.origin(e.id)) for e in tl.events()],
            [tl.position(actor, as_of="2025-12-31").to_dict() for actor in ("CAN", "KOR", "USA")],
            tl.position("KOR", as_of="2021-12-31", known_at="2021-06-01").to_dict(),
            tl.changelog("CAN", since="2014", until="2016").to_dict())


def test_a_second_load_parses_nothing_and_answers_as_a_parse(
        tmp_path: Path, parses: list[Path]) -> None:
    store = _aged_copy(tmp_path)
    parsed = ct.load(store)
    assert len(parses) == 1
    assert len(_cache_files(tmp_path)) == 1
    kept = ct.load(store)
    assert len(parses) == 1
    assert _answers(kept) == _answers(parsed)
    assert kept.registry == parsed.registry


def test_a_changed_file_is_parsed_again(tmp_path: Path, parses: list[Path]) -> None:
    """An edit that keeps the file's size is seen by its time."""
    store = _aged_copy(tmp_path)
    ct.load(store)
    edited = next(p for p in sorted(store.rglob("*.toml"))
                  if 'summary = "' in p.read_text(encoding="utf-8"))
    text = edited.read_text(encoding="utf-8")
    at = text.index('summary = "') + len('summary = "')
    changed = text[:at] + ("Z" if text[at] != "Z" else "Y") + text[at + 1:]
    edited.write_text(changed, encoding="utf-8")
    os.utime(edited, ns=(AN_HOUR_AGO, AN_HOUR_AGO + 10**9))
    assert edited.stat().st_size == len(text.encode("utf-8"))
    tl = ct.load(store)
    assert len(parses) == 2
    event_id = text[:at].rsplit('id = "', 1)[1].split('"', 1)[0]
    assert tl.event(event_id).summary == changed[at:].split('"', 1)[0]


def test_a_new_file_is_parsed(tmp_path: Path, parses: list[Path]) -> None:
    store = _aged_copy(tmp_path)
    before = len(ct.load(store))
    (store / "extra.toml").write_text(
        'format = 1\n\n[[event]]\nid = "can-extra"\nkind = "statement"\ndate = "2020"\n'
        'actor = "CAN"\ntopic = "international-cooperation"\nstance = "supports"\n'
        'summary = "An extra statement."\n\n[[event.sources]]\ntitle = "A source"\n'
        'url = "https://example.org/"\n', encoding="utf-8")
    assert len(ct.load(store)) == before + 1
    assert len(parses) == 2


def test_files_changed_just_now_are_not_kept(tmp_path: Path, parses: list[Path]) -> None:
    """A file changed within the file system's time granularity could change again unseen."""
    store = Path(shutil.copytree(BUNDLED, tmp_path / "events", copy_function=shutil.copy))
    ct.load(store)
    assert _cache_files(tmp_path) == []
    ct.load(store)
    assert len(parses) == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05K\x01."])
def test_a_damaged_cache_is_a_plain_load(
        tmp_path: Path, parses: list[Path], damage: bytes) -> None:
    store = _aged_copy(tmp_path)
    expected = _answers(ct.load(store))
    (kept,) = _cache_files(tmp_path)
    kept.write_bytes(damage)
    assert _answers(ct.load(store)) == expected
    assert len(parses) == 2
    assert kept.read_bytes() != damage  # written again
    ct.load(store)
    assert len(parses) == 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX owners and modes")
def test_a_cache_others_can_write_is_never_read(tmp_path: Path, parses: list[Path]) -> None:
    store = _aged_copy(tmp_path)
    ct.load(store)
    (kept,) = _cache_files(tmp_path)
    assert kept.stat().st_mode & 0o777 == 0o600
    kept.chmod(0o666)
    ct.load(store)
    assert len(parses) == 2
    (tmp_path / "cache").chmod(0o777)
    ct.load(store)
    assert len(parses) == 3


def test_another_library_version_is_a_plain_load(
        tmp_path: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    store = _aged_copy(tmp_path)
    ct.load(store)
    monkeypatch.setattr(load_cache, "_library_stamp", lambda: ("another", ()))
    ct.load(store)
    assert len(parses) == 2


def test_off_keeps_nothing(tmp_path: Path, parses: list[Path],
                           monkeypatch: pytest.MonkeyPatch) -> None:
    store = _aged_copy(tmp_path)
    monkeypatch.setenv("CYBERTIMELINE_CACHE", "off")
    ct.load(store)
    ct.load(store)
    assert len(parses) == 2
    assert _cache_files(tmp_path) == []


def test_an_invalid_folder_is_never_kept_and_always_reported(
        tmp_path: Path, parses: list[Path]) -> None:
    store = _aged_copy(tmp_path)
    broken = store / "broken.toml"
    broken.write_text('format = 1\n[[event]]\nid = "x"\nkind = "nonsense"\n', encoding="utf-8")
    os.utime(broken, ns=(AN_HOUR_AGO, AN_HOUR_AGO))
    for _ in range(2):
        with pytest.raises(ct.ValidationError, match=r"broken\.toml"):
            ct.load(store)
    assert _cache_files(tmp_path) == []


def test_validate_parses_afresh(tmp_path: Path, parses: list[Path]) -> None:
    store = _aged_copy(tmp_path)
    tl = ct.load(store)
    tl.validate()
    assert len(parses) == 2


def _small_store(folder: Path) -> Path:
    """A store of one statement, its files last changed an hour ago."""
    folder.mkdir()
    (folder / "events.toml").write_text(
        'format = 1\n\n[[event]]\nid = "can-1"\nkind = "statement"\ndate = "2020"\n'
        'actor = "CAN"\ntopic = "international-cooperation"\nstance = "supports"\n'
        '\n[[event.sources]]\ntitle = "A source"\n', encoding="utf-8")
    os.utime(folder / "events.toml", ns=(AN_HOUR_AGO, AN_HOUR_AGO))
    return folder


def test_only_the_most_recently_used_folders_are_kept(
        tmp_path: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every folder ever loaded would otherwise keep a file in the cache for good."""
    monkeypatch.setattr(load_cache, "MAX_KEPT", 2)
    first, second, third = (_small_store(tmp_path / name) for name in ("a", "b", "c"))
    for store in (first, second, first, third):  # `first` used again after `second`
        ct.load(store)
        time.sleep(0.05)  # file times of coarse clocks still tell them apart
    assert len(_cache_files(tmp_path)) == 2
    assert parses == [first, second, third]
    ct.load(first)
    ct.load(third)
    assert parses == [first, second, third]
    ct.load(second)
    assert parses == [first, second, third, second]
