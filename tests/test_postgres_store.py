"""The PostgreSQL store: the store contract against a real server, and what is particular to it:
URLs and their errors, schemas and their versions, a read-only role, copies both ways.

The server is a throwaway cluster that the tests start (``tests/postgres_server.py``).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import cybertimeline as ct
from cybertimeline._cli import main
from cybertimeline._stores import postgres as _postgres
from cybertimeline._stores import postgres_schema
from cybertimeline._stores.opening import bundled_events_path
from tests import postgres_server
from tests import strategies as cts
from tests.postgres_server import Cluster, UnavailableError, require
from tests.store_contract import TODAY, StoreContract, dump, statement


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    return require()


class TestPostgresStore(StoreContract):
    """A store on a PostgreSQL server: each test's store in a schema of its own."""

    @pytest.fixture(autouse=True, scope="class")
    @classmethod
    def _server(cls) -> None:
        cls.server = require()
        cls.urls = {}

    server: Cluster
    urls: dict[Path, str]

    def new_store(self, directory: Path) -> ct.Timeline:
        self.urls[directory] = self.server.new_store_url()
        return ct.create(self.urls[directory], clock=lambda: TODAY)

    def reopen(self, directory: Path, timeline: ct.Timeline) -> ct.Timeline:
        return ct.load(self.urls[directory], clock=lambda: TODAY)


# -- what a reader sees, and what the database enforces ----------------------------------------


def test_a_handle_sees_other_writers_without_reloading(cluster: Cluster) -> None:
    """A query after another connection's append includes its event; len() counts it."""
    url = cluster.new_store_url()
    reader = ct.create(url)
    writer = ct.load(url)
    assert reader.position("CAN", as_of="2021").is_empty
    writer.append(statement("can-1"))
    assert reader.position("CAN", as_of="2021").stances["budapest-convention"].event.id == "can-1"
    assert len(reader) == 1
    assert reader.sees_other_writers


def test_expected_is_checked_by_the_server_not_by_a_stale_handle(cluster: Cluster) -> None:
    """A handle that read a length before another writer appended gets ConflictError."""
    url = cluster.new_store_url()
    first, second = ct.create(url), ct.load(url)
    seen = len(first)
    second.append(statement("can-1"))
    with pytest.raises(ct.ConflictError, match=r"\(1 events, expected 0\)"):
        first.append(statement("can-2"), expected=seen)
    assert [e.id for e in ct.load(url).events()] == ["can-1"]


def test_ids_that_a_locale_would_sort_otherwise_keep_the_canonical_order(
        cluster: Cluster) -> None:
    """Same-day events sort by id as Python compares text (rule 1), whatever the collation."""
    ids = ["a-b", "ab", "a0", "a-a", "b", "a", "a--", "z9", "z-0"]
    url = cluster.new_store_url()
    ct.create(url).extend([statement(i, date="2020-05-05") for i in ids])
    assert [e.id for e in ct.load(url).events()] == sorted(ids)


def test_a_held_lock_gives_a_conflict_error(cluster: Cluster,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer that waits longer than the lock timeout gets ConflictError and writes nothing."""
    monkeypatch.setattr(_postgres, "LOCK_TIMEOUT_SECONDS", 0.3)
    url = cluster.new_store_url()
    timeline = ct.create(url)
    schema = url.rsplit("schema=", 1)[1]
    import psycopg

    with psycopg.connect(cluster.url()) as other:
        other.execute(f'SELECT * FROM "{schema}".head FOR UPDATE')
        with pytest.raises(ct.ConflictError, match="another writer held the store"):
            timeline.append(statement("can-1"))
    timeline.append(statement("can-2"))
    assert [e.id for e in ct.load(url).events()] == ["can-2"]


def test_without_a_server_the_tests_skip_saying_how_and_fail_in_ci(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """No server binaries: a skip whose message says how to run the tests; in CI, a failure."""
    monkeypatch.setattr(postgres_server, "_started",
                        lambda: UnavailableError("initdb and pg_ctl were not found"))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"apt-get install postgresql.*make test"):
        require()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="could not start a server: initdb"):
        require()


# -- URLs, the extra, and errors ---------------------------------------------------------------


def test_an_unreachable_server_is_named_without_its_password() -> None:
    """The error names host, port and database (and user), never the password."""
    for url in ("postgresql://editor:s3cret-pw@127.0.0.1:1/team",
                "postgresql://editor@127.0.0.1:1/team?password=s3cret-pw"):
        with pytest.raises(ct.TimelineError) as caught:
            ct.load(url)
        message = str(caught.value)
        assert "cannot reach the PostgreSQL server" in message
        assert "host 127.0.0.1, port 1, database team, user editor" in message
        assert "s3cret-pw" not in message
        assert "***" in message


def test_the_command_line_names_an_unreachable_server_in_one_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    """``--events URL`` with no server: exit code 1 and one line, password hidden."""
    code = main(["--events", "postgresql://editor:s3cret-pw@127.0.0.1:1/team", "validate"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    assert "host 127.0.0.1, port 1" in err
    assert "s3cret-pw" not in err


def test_without_the_extra_the_error_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Without psycopg, opening a URL says to install the postgres extra."""
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(ct.TimelineError, match=r"pip install 'cybertimeline\[postgres\]'"):
        ct.load("postgresql://localhost/team")


def test_a_schema_that_is_not_a_plain_name_is_refused() -> None:
    """``?schema=`` takes a plain lower-case SQL name: nothing is quoted from a URL."""
    with pytest.raises(ct.TimelineError, match="is not a plain SQL name"):
        ct.load('postgresql://localhost/team?schema=x";drop')


def test_an_empty_schema_is_not_a_store(cluster: Cluster) -> None:
    """Loading where no store was created says how to create one."""
    with pytest.raises(ct.TimelineError, match=r"no cybertimeline store in schema .*ct.create"):
        ct.load(cluster.new_store_url())


def test_creating_twice_is_refused(cluster: Cluster) -> None:
    """A store is never created over another: the second create fails, the first is intact."""
    url = cluster.new_store_url()
    ct.create(url).append(statement("can-1"))
    with pytest.raises(ct.TimelineError, match="already exists"):
        ct.create(url)
    assert len(ct.load(url)) == 1


def test_stores_in_two_schemas_of_one_database_are_apart(cluster: Cluster) -> None:
    """``?schema=`` names the store: two of them in one database share nothing."""
    first, second = cluster.new_store_url(), cluster.new_store_url()
    ct.create(first).append(statement("can-1"))
    ct.create(second).append(statement("can-2"))
    assert [e.id for e in ct.load(first).events()] == ["can-1"]
    assert [e.id for e in ct.load(second).events()] == ["can-2"]


def test_a_strangers_tables_are_refused(cluster: Cluster) -> None:
    """A schema whose ``meta`` table is not ours is not opened as a store."""
    url = cluster.new_store_url()
    schema = url.rsplit("schema=", 1)[1]
    with cluster.superuser() as db:
        db.execute(f'CREATE SCHEMA "{schema}"')
        db.execute(f'CREATE TABLE "{schema}".meta (key text, value text)')
    with pytest.raises(ct.TimelineError, match="not a cybertimeline store's"):
        ct.load(url)


# -- schema versions ---------------------------------------------------------------------------


def _set_schema_version(cluster: Cluster, url: str, version: int) -> None:
    schema = url.rsplit("schema=", 1)[1]
    with cluster.superuser() as db:
        db.execute(f"UPDATE \"{schema}\".meta SET value = %s WHERE key = 'schema'",
                   (str(version),))


def test_a_store_of_a_newer_schema_is_refused(cluster: Cluster) -> None:
    """Tables written by a newer cybertimeline are not read: upgrade the library."""
    url = cluster.new_store_url()
    ct.create(url)
    _set_schema_version(cluster, url, postgres_schema.SCHEMA_VERSION + 1)
    with pytest.raises(ct.TimelineError, match="newer than this cybertimeline reads"):
        ct.load(url)


@pytest.mark.parametrize("key", ["format", "schema"])
def test_a_meta_row_that_is_no_number_is_an_error_not_a_traceback(
        cluster: Cluster, key: str) -> None:
    """``meta`` changed by hand (format = 'abc'): a TimelineError naming it (issue 26, item 9)."""
    url = cluster.new_store_url()
    ct.create(url).close()
    schema = url.rsplit("schema=", 1)[1]
    with cluster.superuser() as db:
        db.execute(f"UPDATE \"{schema}\".meta SET value = 'abc' WHERE key = %s", (key,))
    with pytest.raises(ct.TimelineError, match=f"the table 'meta' says {key} = 'abc'"):
        ct.load(url)


def test_a_store_of_an_older_schema_is_upgraded_in_place(
        cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening tables of an older version runs the upgrade steps once, keeping every event."""
    url = cluster.new_store_url()
    ct.create(url).append(statement("can-1"))
    version = postgres_schema.SCHEMA_VERSION
    monkeypatch.setattr(postgres_schema, "SCHEMA_VERSION", version + 1)
    monkeypatch.setitem(postgres_schema.UPGRADES, version,
                        ("ALTER TABLE {s}.events ADD COLUMN note text",))
    _set_schema_version(cluster, url, version)
    upgraded = ct.load(url)
    assert [e.id for e in upgraded.events()] == ["can-1"]
    schema = url.rsplit("schema=", 1)[1]
    with cluster.superuser() as db:
        assert db.execute(f"SELECT value FROM \"{schema}\".meta WHERE key = 'schema'"
                          ).fetchone() == (str(version + 1),)
        assert db.execute(f'SELECT note FROM "{schema}".events').fetchall() == [(None,)]
    assert len(ct.load(url)) == 1  # a second open finds nothing to do


# -- roles -------------------------------------------------------------------------------------

# The grants of docs/how-to/team-server.md, for a store in schema {s}.
READER_GRANTS = """
GRANT USAGE ON SCHEMA {s} TO {role};
GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {role};
"""
EDITOR_GRANTS = """
GRANT USAGE ON SCHEMA {s} TO {role};
GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {role};
GRANT INSERT ON {s}.events, {s}.event_actors, {s}.event_instruments, {s}.entries, {s}.writes,
    {s}.ballots, {s}.names TO {role};
GRANT UPDATE ON {s}.head TO {role};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {role};
"""


def _role(cluster: Cluster, url: str, role: str, grants: str) -> str:
    schema = url.rsplit("schema=", 1)[1]
    with cluster.superuser() as db:
        if db.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None:
            db.execute(f"CREATE ROLE {role} LOGIN")
        for statement in filter(str.strip, grants.format(s=f'"{schema}"', role=role).split(";")):
            db.execute(statement)
    return url.replace("user=postgres", f"user={role}")


def test_a_read_only_role_reads_and_is_refused_writes(cluster: Cluster) -> None:
    """A role with the reader grants answers every question; its appends are ReadOnlyError."""
    url = cluster.new_store_url()
    ct.copy_into(ct.load(), url)
    reader = ct.load(_role(cluster, url, "ct_reader", READER_GRANTS))
    bundled = ct.load()
    assert dump(reader) == dump(bundled)
    assert reader.position("CAN", as_of="2023").to_dict() == bundled.position(
        "CAN", as_of="2023").to_dict()
    assert reader.status("budapest-convention", as_of="2020") == bundled.status(
        "budapest-convention", as_of="2020")
    with pytest.raises(ct.ReadOnlyError, match="it may only read"):
        reader.append(statement("can-new"))
    assert len(ct.load(url)) == len(bundled)


def test_an_editor_role_appends_but_cannot_rewrite(cluster: Cluster) -> None:
    """The editor grants let a role append, and not change or delete what is stored."""
    url = cluster.new_store_url()
    ct.create(url).append(statement("can-1"))
    editor_url = _role(cluster, url, "ct_editor", EDITOR_GRANTS)
    editor = ct.load(editor_url)
    editor.append(statement("can-2"))
    # A roll call: its ballots, and names new to the store (an identity column's sequence).
    editor.append(ct.Vote(id="vote-1", date=ct.Date.parse("2020-12-01"), body="UNGA",
                          resolution="A/RES/1/1", votes={"CAN": "yes", "FRA": "no"},
                          sources=[ct.Source(title="t")]))
    assert [e.id for e in ct.load(url).events()] == ["can-1", "can-2", "vote-1"]
    assert {a: v.option for a, v in ct.load(url).votes_on("A/RES/1/1").items()} == {
        "CAN": "yes", "FRA": "no"}
    import psycopg

    schema = url.rsplit("schema=", 1)[1]
    with psycopg.connect(cluster.url(user="ct_editor")) as db, pytest.raises(
            psycopg.errors.InsufficientPrivilege):
        db.execute(f'DELETE FROM "{schema}".events')


# -- copies ------------------------------------------------------------------------------------


@settings(max_examples=15)
@given(events=cts.timelines(max_size=10))
def test_copies_through_postgres_are_lossless(events: list[Any]) -> None:
    """SQLite -> PostgreSQL -> JSON Lines -> PostgreSQL keeps every event and the registry."""
    server = require()
    source = ct.Timeline(events)
    with tempfile.TemporaryDirectory() as folder:
        steps: list[str | Path] = [Path(folder) / "a.sqlite", server.new_store_url(),
                 Path(folder) / "b.jsonl", server.new_store_url()]
        current = source
        for step in steps:
            current = ct.copy_into(current, step)
            assert dump(current) == dump(source)
            assert current.registry == source.registry


def test_cybertimeline_import_copies_both_ways(cluster: Cluster, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """``import --into URL`` and ``--events URL import``; CYBERTIMELINE_EVENTS reads it too."""
    url = cluster.new_store_url()
    assert main(["--events", str(bundled_events_path()), "import", "--into", url]) == 0
    assert main(["--events", url, "import", "--into", str(tmp_path / "back.sqlite")]) == 0
    out = capsys.readouterr().out
    bundled = ct.load()
    assert f"{len(bundled)} events copied" in out
    assert dump(ct.load(tmp_path / "back.sqlite")) == dump(bundled)
    assert main(["--events", url, "position", "CAN", "--as-of", "2016", "--format", "json"]) == 0
    from_url = capsys.readouterr().out
    monkeypatch.setenv("CYBERTIMELINE_EVENTS", url)
    assert main(["position", "CAN", "--as-of", "2016", "--format", "json"]) == 0
    assert capsys.readouterr().out == from_url
    monkeypatch.delenv("CYBERTIMELINE_EVENTS")
    assert main(["position", "CAN", "--as-of", "2016", "--format", "json"]) == 0
    assert capsys.readouterr().out == from_url


def test_a_failed_copy_into_postgres_leaves_nothing_behind(
        cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the copy fails midway nothing of it was committed, and it can be tried again."""
    url = cluster.new_store_url()

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(_postgres, "event_to_dict", fail)
    with pytest.raises(OSError, match="disk full"):
        ct.copy_into(ct.load(), url)
    with pytest.raises(ct.TimelineError, match="no cybertimeline store"):
        ct.load(url)
    monkeypatch.undo()
    assert len(ct.copy_into(ct.load(), url)) == len(ct.load())


def test_a_failed_copy_into_postgres_never_drops_a_colleagues_confirmed_append(
        cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    """A colleague who opens the store while the copy writes it, and is told an append was
    confirmed, finds it there after the copy failed: the copy committed nothing before."""
    url = cluster.new_store_url()
    confirmed: list[str] = []
    busy: list[bool] = []

    def colleague_tries_to_append() -> None:
        if busy:
            return  # the colleague's own transaction
        busy.append(True)
        event_id = f"colleague-{len(confirmed) + 1}"
        try:
            with ct.load(url) as colleague:
                colleague.append(statement(event_id))
            confirmed.append(event_id)
        except ct.TimelineError:
            pass  # no store to open yet: nothing confirmed
        finally:
            busy.clear()

    from cybertimeline._codec.converters import event_to_dict as real
    from cybertimeline._stores.postgres_link import Link

    transaction = Link.transaction

    def watched(link: Any) -> Any:
        colleague_tries_to_append()  # at each transaction the copy begins
        return transaction(link)

    def fail(event: Any) -> Any:
        if busy:
            return real(event)  # the colleague's event
        colleague_tries_to_append()
        raise OSError("disk full")

    monkeypatch.setattr(Link, "transaction", watched)
    monkeypatch.setattr(_postgres, "event_to_dict", fail)
    with pytest.raises(OSError, match="disk full"):
        ct.copy_into(ct.load(), url)
    monkeypatch.undo()
    for event_id in confirmed:
        assert ct.load(url).event(event_id) is not None


def test_a_closed_store_says_so(cluster: Cluster) -> None:
    """After close(), a query is an error naming the store, not a silent reconnection."""
    url = cluster.new_store_url()
    with ct.create(url) as timeline:
        timeline.append(statement("can-1"))
    with pytest.raises(ct.TimelineError, match="the store was closed"):
        timeline.event("can-1")


def test_validate_reads_every_row_and_reports_a_changed_one(cluster: Cluster) -> None:
    """A payload changed by hand (an unknown actor, a broken JSON) is found by ``validate``,
    each problem naming the event, though queries never read those rows."""
    url = cluster.new_store_url()
    store = ct.create(url, clock=lambda: TODAY)
    store.extend([statement("can-1"), statement("can-2"), statement("can-3")])
    store.validate()
    schema = url.rsplit("schema=", 1)[1]
    with cluster.superuser() as db:
        db.execute(f"UPDATE \"{schema}\".events SET payload = replace(payload, '\"CAN\"', "
                   f"'\"XYZ\"') WHERE id = 'can-2'")
        db.execute(f"UPDATE \"{schema}\".events SET payload = '{{not json' WHERE id = 'can-3'")
    with pytest.raises(ct.ValidationError) as caught:
        ct.load(url).validate()
    messages = [p.message for p in caught.value.problems]
    assert any("can-2" in m and "XYZ" in m for m in messages), messages
    assert any("('can-3'): its payload is not valid JSON" in m for m in messages), messages
    # The rows of the event that cannot be read are its own, not rows of no event (SQLite).
    assert not any("which is no event" in m for m in messages), messages


# -- a connection lost during COMMIT -----------------------------------------------------------


def _lose_the_connection_at_commit(monkeypatch: pytest.MonkeyPatch, cluster: Cluster,
                                   committed: bool) -> None:
    """The next COMMIT loses its connection: after the server committed (the reply lost), or
    before (the server ends the session, which rolls the transaction back)."""
    import psycopg

    execute = psycopg.Connection.execute
    armed = [True]

    def losing(db: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        if query != b"COMMIT" or not armed:
            return execute(db, query, *args, **kwargs)
        armed.clear()
        if committed:
            execute(db, query, *args, **kwargs)
            db.close()
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        with cluster.superuser() as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (db.info.backend_pid,))
        return execute(db, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Connection, "execute", losing)


def test_a_commit_whose_reply_was_lost_is_found_and_confirmed(
        cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server committed but its reply never came: the writer looks the event up on a new
    connection and returns, as for any append that is stored (issue 26, item 12)."""
    url = cluster.new_store_url()
    writer = ct.create(url)
    _lose_the_connection_at_commit(monkeypatch, cluster, committed=True)
    writer.append(statement("can-1"))
    monkeypatch.undo()
    assert [e.id for e in ct.load(url).events()] == ["can-1"]
    writer.append(statement("can-2"))
    assert len(ct.load(url)) == 2


def test_a_commit_that_never_reached_the_server_says_nothing_was_written(
        cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    """The session ended before the commit: the writer looks and says nothing was written."""
    url = cluster.new_store_url()
    writer = ct.create(url)
    _lose_the_connection_at_commit(monkeypatch, cluster, committed=False)
    with pytest.raises(ct.TimelineError, match="nothing was written; append again"):
        writer.append(statement("can-1"))
    monkeypatch.undo()
    assert len(ct.load(url)) == 0
    writer.append(statement("can-1"))
    assert [e.id for e in ct.load(url).events()] == ["can-1"]


# -- votes as rows (and tests/test_postgres_layout.py) ---------------------------------------


@pytest.fixture(scope="module")
def bundled_url(cluster: Cluster) -> str:
    """The bundled dataset copied into a store of its own (read by the tests below only)."""
    url = cluster.new_store_url()
    ct.copy_into(ct.load(), url).close()
    return url


def test_a_position_on_postgres_reads_its_votes_as_rows_and_decodes_no_roll_call(
        bundled_url: str, decoded: list[str]) -> None:
    bundled = ct.load()
    with ct.load(bundled_url) as timeline:
        decoded.clear()
        for actor, day in (("KOR", "2022-01-01"), ("CAN", "2016-01-01"), ("RUS", None)):
            position = timeline.position(actor, as_of=day)
            assert position.to_dict() == bundled.position(actor, as_of=day).to_dict()
            assert str(position) == str(bundled.position(actor, as_of=day))
        assert "vote" not in decoded, decoded
        assert "statement" in decoded  # the statements its entries show, when read


def test_a_position_on_postgres_decodes_its_other_events_only_when_read(
        bundled_url: str, decoded: list[str]) -> None:
    """The actor's statements are read as rows: the position decodes none (the treaty acts
    of the charts its coverage rests on are read whole), reading it decodes the last of
    each topic (RUS made 11 statements on 4 topics by 2022)."""
    expected = ct.load().position("RUS", as_of="2022-01-01")
    with ct.load(bundled_url) as timeline:
        decoded.clear()
        position = timeline.position("RUS", as_of="2022-01-01")
        assert "statement" not in decoded
        assert position.to_dict() == expected.to_dict()
        assert len(expected.stances) == 4
        # and one spoken after 2022 on a topic: its last entry is made, then the day's
        assert decoded.count("statement") == 5


def _to_version_1(cluster: Cluster, url: str) -> None:
    """What a store written before the rows of version 2 looks like."""
    schema = url.rsplit("schema=", 1)[1]
    with cluster.superuser() as db:
        db.execute(f'INSERT INTO "{schema}".event_actors (actor, seq) SELECT DISTINCT whose, seq '
                   f'FROM "{schema}".writes ON CONFLICT DO NOTHING')
        db.execute(f'DROP TABLE "{schema}".entries, "{schema}".writes, "{schema}".ballots, '
                   f'"{schema}".names')
        db.execute(f"UPDATE \"{schema}\".meta SET value = '1' WHERE key = 'schema'")


def test_a_store_of_version_1_gets_its_rows_when_first_opened(cluster: Cluster) -> None:
    bundled = ct.load()
    url = cluster.new_store_url()
    ct.copy_into(bundled, url).close()
    schema = url.rsplit("schema=", 1)[1]
    with cluster.superuser() as db:
        before = db.execute(f'SELECT count(*) FROM "{schema}".writes').fetchone()
    _to_version_1(cluster, url)
    with ct.load(url) as timeline:
        assert (timeline.position("KOR", as_of="2022-01-01").to_dict()
                == bundled.position("KOR", as_of="2022-01-01").to_dict())
        timeline.validate()
    with cluster.superuser() as db:
        assert db.execute(f'SELECT count(*) FROM "{schema}".writes').fetchone() == before
        assert before is not None
        assert before[0] > 0


@pytest.mark.parametrize("change", [
    "UPDATE {s}.writes SET value = 'yes' WHERE whose = 'KOR' AND value = 'no'",
    "DELETE FROM {s}.writes WHERE whose = 'CAN'",
    "UPDATE {s}.entries SET key = 'A/RES/1/1'",
])
def test_validate_finds_vote_rows_that_disagree_with_their_events(
        cluster: Cluster, change: str) -> None:
    url = cluster.new_store_url()
    ct.copy_into(ct.load(), url).close()
    schema = url.rsplit("schema=", 1)[1]
    with cluster.superuser() as db:
        db.execute(change.format(s=f'"{schema}"'))
    with pytest.raises(ct.ValidationError, match="rows in writes and entries disagree"):
        ct.load(url).validate()


def test_a_vote_row_without_its_value_stops_the_answer_and_says_to_validate(
        cluster: Cluster) -> None:
    url = cluster.new_store_url()
    ct.copy_into(ct.load(), url).close()
    schema = url.rsplit("schema=", 1)[1]
    with cluster.superuser() as db:
        db.execute(f"UPDATE \"{schema}\".writes SET value = NULL WHERE whose = 'KOR'")
    with ct.load(url) as timeline, pytest.raises(ct.TimelineError, match="validate"):
        timeline.position("KOR").to_dict()


def test_every_actors_votes_on_postgres_come_from_rows_and_equal_the_fold(
        bundled_url: str, decoded: list[str]) -> None:
    """`votes_on` and the matrix of every actor's ballots (positions of many actors) read
    the vote rows, not the roll calls, and answer as the bundled dataset does."""
    bundled = ct.load()
    states = ["CAN", "KOR", "RUS", "USA", "CHN", "FRA", "GBR", "DEU", "BRA", "IND"]
    with ct.load(bundled_url) as timeline:
        decoded.clear()
        for resolution in ("A/RES/74/247", "A/RES/73/27"):
            assert ({a: v.to_dict() for a, v in timeline.votes_on(resolution).items()}
                    == {a: v.to_dict() for a, v in bundled.votes_on(resolution).items()})
        assert "vote" not in decoded, decoded
        got = timeline.positions(states, as_of="2021-01-01")
        expected = bundled.positions(states, as_of="2021-01-01")
        assert {a: p.to_dict() for a, p in got.items()} == {
            a: p.to_dict() for a, p in expected.items()}
        assert "vote" not in decoded, decoded


# -- one SQL index: what SQLite refuses, PostgreSQL refuses -------------------------------------


def test_a_retraction_cycle_written_into_postgres_is_refused_as_by_sqlite(
        cluster: Cluster, tmp_path: Path) -> None:
    """A cycle of retractions put in the tables by hand: opening the store says so, as for
    SQLite (`test_untrusted_sqlite`), and so does validate; no recursion, no hang (the
    indexes once drifted: only SQLite checked cycles)."""
    recorded = ct.Date.parse("2021-01-01")
    events = [statement("can-1"),
              ct.Retraction(id="r1", date=ct.Date.parse("2021"), retracts="can-1",
                            reason="wrong", sources=[ct.Source(title="t")], recorded=recorded),
              ct.Retraction(id="r2", date=ct.Date.parse("2021"), retracts="r1",
                            reason="wrong", sources=[ct.Source(title="t")], recorded=recorded)]
    url = cluster.new_store_url()
    with ct.create(url) as timeline:
        timeline.extend(events)
    path = tmp_path / "store.sqlite"
    with ct.create(path) as timeline:
        timeline.extend(events)
    schema = url.rsplit("schema=", 1)[1]
    with cluster.superuser() as db:
        db.execute(f"UPDATE \"{schema}\".events SET corrects = 'r2', payload = "
                   f"replace(payload, '\"retracts\": \"can-1\"', '\"retracts\": \"r2\"') "
                   f"WHERE id = 'r1'")
    with sqlite3.connect(path, isolation_level=None) as lite:
        lite.execute("UPDATE events SET corrects = 'r2', payload = json_set(payload, "
                     "'$.retracts', 'r2') WHERE id = 'r1'")
    lite.close()
    refusals = []
    for source in (url, str(path)):
        with pytest.raises(ct.ValidationError) as caught:
            ct.load(source)
        refusals.append(caught.value.problems[0].message.split(";")[0])
        assert main(["--events", source, "validate"]) == 1
    assert refusals[0] == refusals[1]
    assert "corrections form a cycle" in refusals[0]
