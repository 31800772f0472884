"""PostgreSQL keeps what SQLite keeps (schema version 3): entries and writes of every section,
ballots as pairs of ids of ``names``; older stores are upgraded in place, atomically; the ids
of names stay right when writers add them at once.

Every test runs on the throwaway server of ``tests/postgres_server.py``.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

import cybertimeline as ct
from cybertimeline._stores import postgres as pg
from cybertimeline._stores import postgres_schema
from tests.postgres_server import Cluster, require
from tests.store_contract import SOURCE

TABLES = ("entries", "writes", "ballots", "names", "event_actors", "event_instruments")
STATES = ["CAN", "KOR", "RUS", "USA", "CHN", "FRA"]


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    return require()


def _schema(url: str) -> str:
    return '"' + url.rsplit("schema=", 1)[1] + '"'


def _rows(cluster: Cluster, url: str) -> dict[str, set[tuple[Any, ...]]]:
    """Every row of the tables of writes and indexes, and the schema version."""
    s = _schema(url)
    with cluster.superuser() as db:
        found = {table: set(db.execute(f"SELECT * FROM {s}.{table}").fetchall())
                 for table in TABLES}
        found["meta"] = set(db.execute(f"SELECT * FROM {s}.meta").fetchall())
    return found


def _to_version_2(cluster: Cluster, url: str) -> None:
    """What a store of version 2 held: rows of the columnar sections only, no ballots nor
    names, and every actor an event involves in ``event_actors``."""
    s = _schema(url)
    with cluster.superuser() as db:
        db.execute(f"INSERT INTO {s}.event_actors (actor, seq) SELECT DISTINCT whose, seq "
                   f"FROM {s}.writes ON CONFLICT DO NOTHING")
        db.execute(f"DELETE FROM {s}.writes WHERE section <> 'votes'")
        db.execute(f"DELETE FROM {s}.entries WHERE section <> 'votes'")
        db.execute(f"DROP TABLE {s}.ballots, {s}.names")
        db.execute(f"CREATE INDEX writes_by_entry ON {s}.writes (seq, section)")
        db.execute(f"UPDATE {s}.meta SET value = '2' WHERE key = 'schema'")


def _version(cluster: Cluster, url: str) -> str:
    with cluster.superuser() as db:
        row = db.execute(f"SELECT value FROM {_schema(url)}.meta WHERE key = 'schema'").fetchone()
    assert row is not None
    return str(row[0])


def _answers(timeline: ct.Timeline) -> list[Any]:
    """What the shared reads answer: positions (an actor's rows), votes on a key (its
    ballots), positions of many (the matrix), and events of an actor (its lane)."""
    return [
        [timeline.position(a, as_of="2021-06-01").to_dict() for a in STATES],
        {a: v.to_dict() for a, v in timeline.votes_on("A/RES/74/247").items()},
        {a: p.to_dict() for a, p in timeline.positions(STATES, as_of="2019").items()},
        [e.id for e in timeline.events(actor="KOR")],
    ]


@pytest.fixture(scope="module")
def fresh(cluster: Cluster) -> tuple[str, dict[str, set[tuple[Any, ...]]], list[Any]]:
    """A copy of the bundled dataset: its URL, its rows, and its answers."""
    url = cluster.new_store_url()
    ct.copy_into(ct.load(), url).close()
    with ct.load(url) as timeline:
        answers = _answers(timeline)
    assert answers == _answers(ct.load())
    return url, _rows(cluster, url), answers


def _copy(cluster: Cluster) -> str:
    url = cluster.new_store_url()
    ct.copy_into(ct.load(), url).close()
    return url


def _made_older(cluster: Cluster, url: str, version: int, statement: str) -> None:
    """The store at ``url`` made one of ``version`` by ``statement`` (``{s}``: its schema)."""
    s = _schema(url)
    with cluster.superuser() as db:
        db.execute(statement.format(s=s))
        db.execute(f"UPDATE {s}.meta SET value = '{version}' WHERE key = 'schema'")


def _opened_alike(url: str, answers: list[Any]) -> None:
    """Opened (so upgraded), the store answers as the fresh copy does, and validates."""
    with ct.load(url) as timeline:
        assert _answers(timeline) == answers
        timeline.validate()


def test_a_store_of_version_2_is_upgraded_in_place_to_the_rows_an_append_makes(
        cluster: Cluster, fresh: tuple[str, dict[str, set[tuple[Any, ...]]], list[Any]]
) -> None:
    _, rows, answers = fresh
    url = _copy(cluster)
    _to_version_2(cluster, url)
    assert _version(cluster, url) == "2"
    _opened_alike(url, answers)
    assert _version(cluster, url) == str(postgres_schema.SCHEMA_VERSION) == "4"
    assert _rows(cluster, url) == rows  # the very rows a copy into a new store makes
    with ct.load(url) as timeline:  # a second open finds nothing to do
        assert _answers(timeline) == answers


def test_a_store_of_version_3_gets_the_index_of_version_4(
        cluster: Cluster, fresh: tuple[str, dict[str, set[tuple[Any, ...]]], list[Any]]
) -> None:
    """Version 4 adds the entries' canonical index to version 3's rows, which stay."""
    _, rows, answers = fresh
    url = _copy(cluster)
    s = _schema(url)
    _made_older(cluster, url, 3, "DROP INDEX {s}.entries_canonical")
    _opened_alike(url, answers)
    assert _version(cluster, url) == "4"
    assert _rows(cluster, url) == rows
    with cluster.superuser() as db:
        assert db.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = %s AND "
                          "indexname = 'entries_canonical'", (s.strip('"'),)).fetchone() == (1,)


def test_a_store_of_version_1_is_upgraded_to_the_latest_version(
        cluster: Cluster, fresh: tuple[str, dict[str, set[tuple[Any, ...]]], list[Any]]
) -> None:
    _, rows, answers = fresh
    url = _copy(cluster)
    _to_version_2(cluster, url)
    _made_older(cluster, url, 1, "DROP TABLE {s}.entries, {s}.writes")
    _opened_alike(url, answers)
    assert _rows(cluster, url) == rows


def test_an_upgrade_that_fails_midway_leaves_version_2_whole(
        cluster: Cluster, monkeypatch: pytest.MonkeyPatch,
        fresh: tuple[str, dict[str, set[tuple[Any, ...]]], list[Any]]) -> None:
    """The upgrade is one transaction: cut after some events' rows, nothing of it stays, and
    the next open upgrades the store whole."""
    _, rows, answers = fresh
    url = _copy(cluster)
    _to_version_2(cluster, url)
    before = _rows_of_version_2(cluster, url)
    real = pg._stored_events

    def cut(*args: Any) -> Any:
        for number, found in enumerate(real(*args)):
            if number == 50:
                raise KeyboardInterrupt  # as if the process were stopped
            yield found

    monkeypatch.setattr(pg, "_stored_events", cut)
    with pytest.raises(KeyboardInterrupt):
        ct.load(url)
    assert _version(cluster, url) == "2"
    assert _rows_of_version_2(cluster, url) == before
    monkeypatch.undo()
    with ct.load(url) as timeline:
        assert _answers(timeline) == answers
        timeline.validate()
    assert _rows(cluster, url) == rows


def _rows_of_version_2(cluster: Cluster, url: str) -> dict[str, set[tuple[Any, ...]]]:
    s = _schema(url)
    with cluster.superuser() as db:
        assert db.execute("SELECT to_regclass(%s)", (f"{s}.ballots",)).fetchone() == (None,)
        return {table: set(db.execute(f"SELECT * FROM {s}.{table}").fetchall())
                for table in ("entries", "writes", "event_actors")}


def test_two_processes_opening_a_store_of_version_2_at_once_upgrade_it_once(
        cluster: Cluster, fresh: tuple[str, dict[str, set[tuple[Any, ...]]], list[Any]]
) -> None:
    """The second to take the writers' lock finds the work done (and does not redo it)."""
    _, rows, answers = fresh
    url = _copy(cluster)
    _to_version_2(cluster, url)
    upgrades: list[int] = []
    real = pg._put_rows
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def counting(*args: Any) -> None:
        upgrades.append(1)
        real(*args)

    def open_it() -> None:
        try:
            start.wait()
            ct.load(url).close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    pg._put_rows = counting  # type: ignore[assignment]
    try:
        threads = [threading.Thread(target=open_it) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        pg._put_rows = real
    assert not errors, errors
    assert len(upgrades) == 1
    assert _rows(cluster, url) == rows
    with ct.load(url) as timeline:
        assert _answers(timeline) == answers


# -- names added by writers at once ------------------------------------------------------------


def _vote(event_id: str, resolution: str, votes: dict[str, str]) -> ct.Vote:
    return ct.Vote(id=event_id, date=ct.Date.parse("2020-12-01"), body="UNGA",
                   resolution=resolution, votes=votes, sources=SOURCE)


def test_two_writers_appending_new_names_at_once_get_one_id_each(cluster: Cluster) -> None:
    """Two handles append votes naming new actors and values at once (some the same): every
    name has one id, and each vote's ballots read back as written."""
    url = cluster.new_store_url()
    ct.create(url).close()
    votes = {
        "first": _vote("v-first", "A/RES/1/1", {"CAN": "yes", "FRA": "no", "KOR": "absent"}),
        "second": _vote("v-second", "A/RES/1/2", {"FRA": "yes", "DEU": "abstain", "KOR": "no"}),
    }
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def append(event: ct.Vote) -> None:
        try:
            with ct.load(url) as timeline:
                start.wait()
                timeline.append(event)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=append, args=(v,)) for v in votes.values()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    with cluster.superuser() as db:
        names = db.execute(f"SELECT name, count(*) FROM {_schema(url)}.names GROUP BY name"
                           ).fetchall()
    assert dict(names) == dict.fromkeys(
        ["CAN", "DEU", "FRA", "KOR", "abstain", "absent", "no", "yes"], 1)
    memory = ct.Timeline()
    memory.extend(list(votes.values()))
    with ct.load(url) as timeline:
        timeline.validate()
        for vote in votes.values():
            assert ({a: v.option for a, v in timeline.votes_on(vote.resolution).items()}
                    == {a: v.option for a, v in memory.votes_on(vote.resolution).items()})
        timeline.prepare_bulk()  # the matrix, from the blobs and names
        for actor in ("CAN", "DEU", "FRA", "KOR"):
            assert timeline.position(actor).to_dict() == memory.position(actor).to_dict()


def test_two_transactions_adding_the_same_name_share_its_id(cluster: Cluster) -> None:
    """Without the writers' lock too: a transaction adding a name another is adding waits for
    the other's commit, then reads the other's id; names are added in one order, so two
    transactions never wait for each other."""
    import psycopg

    url = cluster.new_store_url()
    ct.create(url).close()
    s = url.rsplit("schema=", 1)[1]
    q = {name: postgres_schema.render(t, s) for name, t in postgres_schema.QUERIES.items()}
    first = psycopg.connect(cluster.url())
    second = psycopg.connect(cluster.url())
    found: dict[str, dict[str, int]] = {}
    try:
        found["first"] = pg._name_ids(first, q, ["zeta", "alpha"])  # in a transaction
        waiting = threading.Thread(target=lambda: found.update(
            second=pg._name_ids(second, q, ["alpha", "beta", "zeta"])))
        waiting.start()
        waiting.join(1)
        assert waiting.is_alive()  # it waits for the first's names
        first.commit()
        waiting.join(30)
        second.commit()
    finally:
        first.close()
        second.close()
    assert found["second"]["alpha"] == found["first"]["alpha"]
    assert found["second"]["zeta"] == found["first"]["zeta"]
    with cluster.superuser() as db:
        stored = dict(db.execute(f'SELECT name, id FROM "{s}".names').fetchall())
    assert stored == found["second"]
    assert 0 not in stored.values()  # 0 is no name
