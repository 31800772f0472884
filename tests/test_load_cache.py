"""The load cache of folder stores (issue 16): a load of unchanged files parses none and answers
as a parse would; any change, damage or doubt means a plain load."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import cybertimeline as ct
from cybertimeline._cli import main
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


def test_a_same_size_edit_that_keeps_time_and_inode_is_parsed_again(
        tmp_path: Path, parses: list[Path]) -> None:
    """``cp -p``, or a tarball extracted again: the same size, time and even inode, other
    bytes. The key is the files' content, so the edit is seen."""
    store = _aged_copy(tmp_path)
    ct.load(store)
    edited = next(p for p in sorted(store.rglob("*.toml"))
                  if 'summary = "' in p.read_text(encoding="utf-8"))
    before = edited.stat()
    text = edited.read_text(encoding="utf-8")
    at = text.index('summary = "') + len('summary = "')
    changed = text[:at] + ("Z" if text[at] != "Z" else "Y") + text[at + 1:]
    with open(edited, "r+b") as handle:  # in place: the same inode
        handle.write(changed.encode("utf-8"))
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = edited.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size, before.st_mtime_ns, before.st_ino)
    event_id = text[:at].rsplit('id = "', 1)[1].split('"', 1)[0]
    assert ct.load(store).event(event_id).summary == changed[at:].split('"', 1)[0]
    assert len(parses) == 2


def test_a_file_changed_while_the_load_parsed_is_not_kept_under_the_older_listing(
        tmp_path: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """An event appended to a file between the folder's listing and its parse, then
    removed by hand (size and time put back): the next load shows the file as it is."""
    from cybertimeline._stores import folder
    from cybertimeline._stores.toml_files import read_toml_file as real

    store = _small_store(tmp_path / "store")
    events = store / "events.toml"
    original, state = events.read_bytes(), events.stat()
    extra = (b'\n[[event]]\nid = "can-2"\nkind = "statement"\ndate = "2021"\n'
             b'actor = "CAN"\ntopic = "international-cooperation"\nstance = "supports"\n'
             b'\n[[event.sources]]\ntitle = "A source"\n')
    def appended_meanwhile(path: Path, *args: Any, **kwargs: Any) -> None:
        if path == events and not parses:
            events.write_bytes(original + extra)
            os.utime(events, ns=(state.st_atime_ns, state.st_mtime_ns))
        real(path, *args, **kwargs)

    monkeypatch.setattr(folder, "read_toml_file", appended_meanwhile)
    assert len(ct.load(store)) == 2
    monkeypatch.undo()
    monkeypatch.setenv("CYBERTIMELINE_CACHE", str(tmp_path / "cache"))
    with open(events, "r+b") as handle:  # the append undone by hand
        handle.truncate(len(original))
    os.utime(events, ns=(state.st_atime_ns, state.st_mtime_ns))
    assert [e.id for e in ct.load(store).events()] == ["can-1"]


def test_a_folder_named_like_a_toml_file_is_reported_after_a_cached_load(
        tmp_path: Path, parses: list[Path]) -> None:
    """An empty ``x.toml/`` holds no file, but a load reports it: so must the next."""
    store = _aged_copy(tmp_path)
    ct.load(store)
    (store / "x.toml").mkdir()
    with pytest.raises(ct.ValidationError, match="folder named like a TOML file"):
        ct.load(store)


def test_another_version_of_an_installed_distribution_is_a_plain_load(
        tmp_path: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """pycountry builds the registry: a cache kept with one version is not read by another."""
    site = tmp_path / "site"
    (site / "pycountry-1.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(site))
    load_cache._library_stamp.cache_clear()
    store = _aged_copy(tmp_path)
    ct.load(store)
    (site / "pycountry-1.0.dist-info").rename(site / "pycountry-2.0.dist-info")
    load_cache._library_stamp.cache_clear()
    ct.load(store)
    assert len(parses) == 2
    load_cache._library_stamp.cache_clear()


def test_a_cache_file_runs_no_code_when_read(tmp_path: Path, parses: list[Path]) -> None:
    """A pickle that would run a command, put (privately) where the cache is: read as data,
    nothing runs; the load parses and answers as always."""
    store = _aged_copy(tmp_path)
    expected = _answers(ct.load(store))
    (kept,) = _cache_files(tmp_path)
    marker = tmp_path / "code-ran"

    class Hostile:
        def __reduce__(self) -> tuple[Any, ...]:
            return (os.system, (f"touch {marker}",))

    kept.write_bytes(pickle.dumps(Hostile()) + pickle.dumps(Hostile()))
    assert _answers(ct.load(store)) == expected
    assert not marker.exists()


@pytest.mark.slow
@pytest.mark.parametrize("variable", ["XDG_CACHE_HOME", "CYBERTIMELINE_CACHE"])
@pytest.mark.parametrize("where", ["/dev/null", "/dev/null/cybertimeline", "a file"])
def test_a_cache_folder_that_cannot_be_one_is_a_plain_load(
        tmp_path: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], variable: str, where: str) -> None:
    """A cache location that is a device, below a file, or a file: commands work."""
    if where == "a file":
        where = str(tmp_path / "file")
        Path(where).write_text("not a folder", encoding="utf-8")
    monkeypatch.delenv("CYBERTIMELINE_CACHE")
    monkeypatch.setenv(variable, where)
    store = _aged_copy(tmp_path)
    for _ in range(2):
        assert len(ct.load(store)) == len(ct.load())
        assert main(["--events", str(store), "position", "CAN", "--as-of", "2020"]) == 0
        assert "Canada" in capsys.readouterr().out


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX FIFOs and links")
def test_a_fifo_or_a_link_where_the_cache_is_never_blocks_nor_is_followed(
        tmp_path: Path) -> None:
    """A FIFO named as the cache file, or a link to another file: the load neither waits
    nor follows, and parses."""
    store = _aged_copy(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    code = ("import sys, cybertimeline as ct; from cybertimeline._stores import load_cache\n"
            "print(load_cache._cache_file(__import__('pathlib').Path(sys.argv[1])))")
    environment = {**os.environ, "CYBERTIMELINE_CACHE": str(cache)}
    name = subprocess.run([sys.executable, "-c", code, str(store)], env=environment,
                          capture_output=True, text=True, check=True).stdout.strip()
    os.mkfifo(name)
    load = [sys.executable, "-m", "cybertimeline", "--events", str(store), "position", "CAN",
            "--as-of", "2020"]
    done = subprocess.run(load, env=environment, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    os.unlink(name)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"x")
    os.symlink(elsewhere, name)
    done = subprocess.run(load, env=environment, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert elsewhere.read_bytes() == b"x"


def test_a_relative_cache_home_or_a_cache_inside_the_store_is_not_used(
        tmp_path: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A relative ``XDG_CACHE_HOME`` is ignored (XDG says so), and a cache named inside the
    store is not written there."""
    store = _aged_copy(tmp_path)
    monkeypatch.delenv("CYBERTIMELINE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    ct.load(store)
    assert not (tmp_path / "relative").exists()
    assert (tmp_path / "home" / ".cache" / "cybertimeline").is_dir()
    monkeypatch.setenv("CYBERTIMELINE_CACHE", str(store / ".cache"))
    ct.load(store)
    assert not (store / ".cache").exists()


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
    monkeypatch.setattr(load_cache, "_library_stamp", lambda: ("another", "", []))
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
