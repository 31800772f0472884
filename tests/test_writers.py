"""Concurrent writers: a store never loses an acknowledged event, nor duplicates one.

Writers killed, disks full, stores replaced: `tests/test_faults.py`."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

import cybertimeline as ct

WRITER = Path(__file__).parent / "helpers" / "writer.py"
STORES = {"folder": "store", "jsonl": "store.jsonl", "sqlite": "store.sqlite"}


def start_writer(store: Path, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(store), *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def read_lines(process: subprocess.Popen[str], into: list[str]) -> threading.Thread:
    """Collect the writer's acknowledgements as they come, in a thread."""
    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            into.append(line.strip())

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("kind", sorted(STORES))
def test_concurrent_writers_lose_nothing_and_one_wins_a_contested_id(
    kind: str, tmp_path: Path
) -> None:
    """Four processes append at once: every event lands once; a contested id goes to one writer."""
    store = tmp_path / STORES[kind]
    ct.create(store)
    writers = [start_writer(store, f"p{n}", 0, 12, "contested") for n in range(4)]
    outputs = []
    for process in writers:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        outputs.append(out.split())
    timeline = ct.load(store)
    ids = [e.id for e in timeline.events()]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(["contested", *(f"p{n}-{i}" for n in range(4) for i in range(12))])
    verdicts = [out[0] for out in outputs]
    assert sorted(verdicts) == ["lost", "lost", "lost", "won"]
    winner = f"p{verdicts.index('won')}"
    assert timeline.event("contested").summary == f"written by {winner}"
