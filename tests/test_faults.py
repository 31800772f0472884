"""The crash-and-fault test of every store (issue 18): writers killed at random points, a
full disk, a store replaced or deleted under an open writer, one file under two names, a
killed import. No append the library confirmed is ever lost, and no fault is a traceback.

``make test`` runs a few rounds; ``CYBERTIMELINE_FAULT_ROUNDS=50 .venv/bin/pytest
tests/test_faults.py`` runs longer.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import cybertimeline as ct
from tests.store_contract import statement

WRITER = Path(__file__).parent / "helpers" / "writer.py"
ROOT = Path(__file__).parents[1]
STORES = {"folder": "store", "jsonl": "store.jsonl", "sqlite": "store.sqlite"}
ROUNDS = int(os.environ.get("CYBERTIMELINE_FAULT_ROUNDS", "4"))


def start_writer(store: Path, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(store), *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )


def read_lines(process: subprocess.Popen[str], into: list[str],
               first: threading.Event) -> threading.Thread:
    """Collect the writer's acknowledgements as they come, in a thread."""
    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            into.append(line.strip())
            first.set()

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return thread


def stored_ids(store: Path) -> list[str]:
    with ct.load(store) as timeline:
        timeline.validate()
        return [e.id for e in timeline.events()]


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(STORES))
def test_a_killed_writer_never_loses_an_acknowledged_event(kind: str, tmp_path: Path) -> None:
    """SIGKILL at random points of a writer's appends, one event or batches of three: the
    store validates, and holds every acknowledged event, and each batch whole or not at all."""
    store = tmp_path / STORES[kind]
    ct.create(store).close()
    chance = random.Random(f"kill-{kind}")
    acknowledged: list[str] = []
    for round_ in range(ROUNDS):
        batch = 1 + 2 * (round_ % 2)
        process = start_writer(store, f"w{round_}", 0, 10_000, "--batch", batch)
        lines: list[str] = []
        started = threading.Event()
        pump = read_lines(process, lines, started)
        assert started.wait(120), "the writer never appended"
        time.sleep(chance.random() * 0.5)
        process.send_signal(signal.SIGKILL)
        process.wait()
        pump.join(timeout=10)
        acknowledged += lines
        stored = stored_ids(store)
        assert not [i for i in acknowledged if i not in stored], "lost acknowledged events"
        written = sorted(int(i.split("-")[1]) for i in stored if i.startswith(f"w{round_}-"))
        assert written == list(range(len(written))), "appends out of order"
        assert len(written) % batch == 0, "a batch was written in part"


@pytest.mark.parametrize("kind", sorted(STORES))
def test_a_full_disk_fails_an_append_cleanly(kind: str, tmp_path: Path) -> None:
    """No file may grow (RLIMIT_FSIZE): the append that hits it fails with a TimelineError,
    writes nothing, and the same append succeeds once there is room."""
    store = tmp_path / STORES[kind]
    ct.create(store).append(statement("first"))
    size = sum(f.stat().st_size for f in ([store] if store.is_file() else store.rglob("*")))
    limit = 100 if kind == "folder" else size + 6_000
    process = start_writer(store, "w", 0, 60, "--file-limit", limit)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    lines = out.split("\n")
    assert "full TimelineError" in lines
    acknowledged = [line for line in lines if line.startswith("w-")]
    assert acknowledged == [f"w-{n}" for n in range(60)]
    assert sorted(stored_ids(store)) == sorted(["first", *acknowledged])


def replace(store: Path, by: Path) -> None:
    """Put ``by`` where ``store`` is, as a restore from a backup would."""
    if store.is_dir():
        shutil.rmtree(store)
        by.rename(store)
    else:
        os.replace(by, store)


@pytest.mark.parametrize("kind", sorted(STORES))
@pytest.mark.parametrize("fault", ["replaced", "deleted"])
def test_a_store_replaced_or_deleted_under_an_open_writer_confirms_nothing(
        kind: str, fault: str, tmp_path: Path) -> None:
    """A writer whose store was replaced (a backup restored) or deleted gets a TimelineError:
    no append is confirmed into a file nobody will read, and nothing is made again
    (issue 18, M7 and Low)."""
    store = tmp_path / STORES[kind]
    ct.create(store).append(statement("can-1"))
    writer = ct.load(store)
    if fault == "replaced":
        backup = ct.copy_into(ct.load(store), tmp_path / f"backup-{STORES[kind]}")
        backup.close()
        replace(store, tmp_path / f"backup-{STORES[kind]}")
    elif store.is_dir():
        shutil.rmtree(store)
    else:
        store.unlink()
    with pytest.raises(ct.TimelineError, match="deleted or replaced"):
        writer.append(statement("can-2"))
    writer.close()
    if fault == "replaced":
        assert stored_ids(store) == ["can-1"]
    else:
        assert not store.exists()


@pytest.mark.parametrize("kind", ["folder", "jsonl"])
def test_writers_through_two_names_of_one_store_share_its_lock(kind: str, tmp_path: Path) -> None:
    """Two processes append at once, one through a symbolic link: one lock for the one file,
    no line spliced, nothing lost (issue 18, H4)."""
    store = tmp_path / STORES[kind]
    ct.create(store).close()
    alias = tmp_path / f"alias-{STORES[kind]}"
    alias.symlink_to(store)
    writers = [start_writer(path, f"p{n}", 0, 15) for n, path in enumerate([store, alias] * 2)]
    for process in writers:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    assert sorted(stored_ids(store)) == sorted(f"p{n}-{i}" for n in range(4) for i in range(15))


def test_a_hard_linked_jsonl_store_is_not_written(tmp_path: Path) -> None:
    """A JSON Lines file with two names could not share a lock: it is read, not written."""
    store = tmp_path / "store.jsonl"
    ct.create(store).append(statement("can-1"))
    os.link(store, tmp_path / "alias.jsonl")
    with pytest.raises(ct.TimelineError, match="has 2 names"):
        ct.load(store).append(statement("can-2"))
    assert stored_ids(tmp_path / "alias.jsonl") == ["can-1"]


_IMPORT_KILLED = """
import os, sys
from cybertimeline._timeline import loading
from cybertimeline._cli import main

def killed(temporary, destination):  # as if killed once the copy was written, before its name
    os._exit(9)

loading.publish = killed
main(["--events", sys.argv[1], "import", "--into", sys.argv[2]])
"""


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(STORES))
def test_a_killed_import_leaves_nothing_that_looks_like_a_store(
        kind: str, tmp_path: Path) -> None:
    """An import killed midway leaves no partial store at the destination (only a hidden
    temporary), and running it again works (issue 18, M9)."""
    destination = tmp_path / "copies" / STORES[kind]
    destination.parent.mkdir()
    killed = subprocess.run([sys.executable, "-c", _IMPORT_KILLED, str(ROOT / "events"),
                             str(destination)], cwd=ROOT, check=False)
    assert killed.returncode == 9
    assert not destination.exists()
    assert all(p.name.startswith(".") for p in destination.parent.iterdir())
    with pytest.raises(ct.TimelineError):
        ct.load(destination)
    copy = ct.copy_into(ct.load(), destination)
    assert len(copy) == len(ct.load())


@pytest.mark.parametrize("kind", sorted(STORES))
def test_an_import_never_replaces_a_store_that_appeared_meanwhile(
        kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``import --into X`` where X is created (and appended to) while the copy is written:
    the import fails and X keeps its confirmed append (issue 18, M8)."""
    from cybertimeline._stores.atomic import publish
    from cybertimeline._timeline import loading

    destination = tmp_path / STORES[kind]

    def meanwhile(temporary: Path, target: Path) -> None:
        with ct.create(target) as other:
            other.append(statement("appended-meanwhile"))
        publish(temporary, target)

    monkeypatch.setattr(loading, "publish", meanwhile)
    with pytest.raises(ct.TimelineError, match="appeared while the store was built"):
        ct.copy_into(ct.load(), destination)
    assert stored_ids(destination) == ["appended-meanwhile"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
