"""PostgreSQL under concurrency and faults: writers at once, writers killed inside their
transaction, the server restarted mid-append. Nothing acknowledged is lost, nothing is
written twice, and the store's count of events always equals its rows.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import cybertimeline as ct
from cybertimeline._stores import postgres as _postgres
from tests.postgres_server import Cluster, require
from tests.store_contract import statement
from tests.test_writers import WRITER, read_lines

PG_WRITER = Path(__file__).parent / "helpers" / "pg_writer.py"


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    return require()


def start(script: Path, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(script), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stored_ids(cluster: Cluster, url: str) -> list[str]:
    """Every id in the store's table, read directly, after checking the head's count of them."""
    schema = url.rsplit("schema=", 1)[1]
    with cluster.superuser() as db:  # one statement: one snapshot, while writers commit
        ids, counted, indexed = db.execute(
            f'SELECT array(SELECT id FROM "{schema}".events), '
            f'(SELECT events FROM "{schema}".head), '
            f'(SELECT count(*) FROM (SELECT seq FROM "{schema}".event_actors UNION '
            f'SELECT seq FROM "{schema}".writes) AS indexed)').fetchone()
    assert counted == len(ids) == indexed, "the head's count or the actor index disagrees"
    return list(ids)


def wait_for_line(process: subprocess.Popen[str], seconds: float = 60) -> str:
    """The next line the process prints, or a failure after ``seconds``."""
    found: list[str] = []
    pump = threading.Thread(target=lambda: found.append(process.stdout.readline()  # type: ignore[union-attr]
                                                        .strip()), daemon=True)
    pump.start()
    pump.join(seconds)
    assert found, f"no line from the process in {seconds} s: {process.stderr}"
    return found[0]


def test_four_writers_at_once_lose_nothing_and_one_wins_a_contested_id(cluster: Cluster) -> None:
    """Four processes append at once: every event lands once; a contested id goes to one."""
    url = cluster.new_store_url()
    ct.create(url)
    writers = [start(WRITER, url, f"p{n}", 0, 25, "contested") for n in range(4)]
    outputs = []
    for process in writers:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        outputs.append(out.split())
    ids = stored_ids(cluster, url)
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(["contested", *(f"p{n}-{i}" for n in range(4) for i in range(25))])
    verdicts = [out[0] for out in outputs]
    assert sorted(verdicts) == ["lost", "lost", "lost", "won"]
    winner = f"p{verdicts.index('won')}"
    assert ct.load(url).event("contested").summary == f"written by {winner}"


def test_expected_lets_exactly_one_of_racing_writers_through(cluster: Cluster) -> None:
    """Eight threads append with the same ``expected``: the server lets one in, refuses the rest."""
    url = cluster.new_store_url()
    ct.create(url).append(statement("can-0"))
    handles = [ct.load(url) for _ in range(8)]
    barrier = threading.Barrier(len(handles))
    outcomes: list[str] = []

    def race(number: int, timeline: ct.Timeline) -> None:
        barrier.wait()
        try:
            timeline.append(statement(f"can-{number + 1}"), expected=1)
            outcomes.append("appended")
        except ct.ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=race, args=(n, h)) for n, h in enumerate(handles)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["appended", *["conflict"] * 7]
    assert len(stored_ids(cluster, url)) == 2


def test_a_lane_holds_exactly_the_events_of_the_revision_it_was_read_at(
        cluster: Cluster) -> None:
    """While another process appends, every lane a reader fetches has the events of one
    committed state: as many as the count read with it (rows past that state's last
    sequence number are left out), with the corrections of that state."""
    url = cluster.new_store_url()
    ct.create(url)
    index = _postgres.PostgresStore(url)._index
    process = start(WRITER, url, "w", 0, 150)
    checks = 0
    try:
        while process.poll() is None or checks == 0:
            lane = index.lane("CAN")
            assert len(lane) == index._count, "a lane from another state than its count"
            checks += 1
    finally:
        _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert len(index.lane()) == 150
    assert checks > 1


def test_a_writer_killed_inside_its_transaction_leaves_nothing_and_no_lock(
        cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGKILL after the rows are copied in, before COMMIT: they vanish, and the lock with them."""
    url = cluster.new_store_url()
    timeline = ct.create(url)
    timeline.append(statement("can-0"))
    process = start(PG_WRITER, "hang", url, "can-1")
    try:
        assert wait_for_line(process) == "inside"
        assert [e.id for e in ct.load(url).events()] == ["can-0"]  # not committed: not seen
        monkeypatch.setattr(_postgres, "LOCK_TIMEOUT_SECONDS", 0.5)
        with pytest.raises(ct.ConflictError, match="another writer held the store"):
            ct.load(url).append(statement("can-2"))  # it holds the lock: it is mid-transaction
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    monkeypatch.undo()
    timeline.append(statement("can-2"))  # the server dropped the dead writer's lock
    assert sorted(stored_ids(cluster, url)) == ["can-0", "can-2"]


@pytest.mark.slow
def test_a_server_restart_inside_an_append_writes_nothing_and_both_handles_reconnect(
        cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server crashes (immediate stop) while an append is inside its transaction: the append
    raises, nothing of it is stored, and the writer's and a reader's next calls reconnect."""
    url = cluster.new_store_url()
    writer, reader = ct.create(url), ct.load(url)
    writer.append(statement("can-0"))
    inside, resume = threading.Event(), threading.Event()
    original = _postgres.PostgresStore._insert

    def insert_then_wait(self: _postgres.PostgresStore, db: object, events: object) -> None:
        original(self, db, events)  # type: ignore[arg-type]
        inside.set()
        resume.wait(60)

    monkeypatch.setattr(_postgres.PostgresStore, "_insert", insert_then_wait)
    failures: list[BaseException] = []

    def append() -> None:
        try:
            writer.append(statement("can-1"))
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=append)
    thread.start()
    assert inside.wait(60)
    cluster.restart("immediate")
    resume.set()
    thread.join(60)
    monkeypatch.undo()
    assert len(failures) == 1, failures
    assert isinstance(failures[0], ct.TimelineError), failures
    assert "lost the connection to the PostgreSQL server" in str(failures[0])
    assert sorted(stored_ids(cluster, url)) == ["can-0"]
    assert [e.id for e in reader.events()] == ["can-0"]
    writer.append(statement("can-1"))
    assert [e.id for e in reader.events()] == ["can-0", "can-1"]


@pytest.mark.slow
def test_server_restarts_during_appends_lose_no_acknowledged_event(cluster: Cluster) -> None:
    """A writer appends (retrying what a restart cut) while the server crashes three times:
    every acknowledged id is stored, each once, and in the end all of them are."""
    url = cluster.new_store_url()
    ct.create(url)
    process = start(PG_WRITER, "retry", url, "w", 300)
    acknowledged: list[str] = []
    pump = read_lines(process, acknowledged)
    chance = random.Random("restart")
    for round_ in range(3):
        deadline = time.monotonic() + 60
        while len(acknowledged) <= round_ * 20 and time.monotonic() < deadline:
            time.sleep(0.05)  # appending, past start-up (or past the last restart)
        time.sleep(chance.random() * 0.3)
        cluster.restart("immediate")
        missing = [i for i in acknowledged if i not in set(stored_ids(cluster, url))]
        assert not missing, f"lost acknowledged events: {missing}"
    _, err = process.communicate(timeout=300)
    pump.join(10)
    assert process.returncode == 0, err
    ids = stored_ids(cluster, url)
    assert sorted(ids) == sorted(f"w-{n}" for n in range(300))
    assert len(acknowledged) == 300


@pytest.mark.slow
def test_a_killed_writer_never_loses_an_acknowledged_event(cluster: Cluster) -> None:
    """SIGKILL at random moments, eight times: the store holds every acknowledged event."""
    url = cluster.new_store_url()
    ct.create(url)
    chance = random.Random("kill-postgres")
    acknowledged: list[str] = []
    for round_ in range(8):
        process = start(WRITER, url, "w", round_ * 10_000, 10_000)
        lines: list[str] = []
        pump = read_lines(process, lines)
        deadline = time.monotonic() + 60
        while not lines and time.monotonic() < deadline:  # past start-up, into the appends
            time.sleep(0.05)
        time.sleep(chance.random() * 0.3)
        process.send_signal(signal.SIGKILL)
        process.wait()
        pump.join(timeout=10)
        acknowledged += lines
        stored = set(stored_ids(cluster, url))
        missing = [i for i in acknowledged if i not in stored]
        assert not missing, f"lost acknowledged events: {missing}"
    assert len(acknowledged) > 8, "the writer never got to append: the test measured nothing"
