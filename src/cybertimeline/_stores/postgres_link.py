"""Reaching a PostgreSQL store: its URL, one connection kept open, the server's errors in our words.

psycopg is imported only when a store is opened: it is an optional extra
(``pip install 'cybertimeline[postgres]'``).
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import attrs

from cybertimeline._stores.suffixes import URL_SCHEMES, is_url
from cybertimeline.errors import ConflictError, ReadOnlyError, TimelineError, ValidationError

if TYPE_CHECKING:
    import psycopg

__all__ = ["CONNECT_TIMEOUT_SECONDS", "DEFAULT_SCHEMA", "URL_SCHEMES", "Address",
           "CommitInDoubt", "Link", "is_url"]

DEFAULT_SCHEMA = "cybertimeline"
"""The PostgreSQL schema a store's tables live in, unless the URL says ``?schema=NAME``."""
CONNECT_TIMEOUT_SECONDS = 10
"""How long opening a store waits for the server, unless the URL says ``connect_timeout``."""
_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_HIDDEN = "***"


@attrs.frozen
class Address:
    """Where a store is: the URL given to libpq, the schema, and the URL as messages show it."""

    conninfo: str
    schema: str
    location: str
    """The URL with any password replaced by ``***``: the only form a message prints."""

    @classmethod
    def parse(cls, url: str) -> Address:
        """Split our own ``schema`` parameter off a ``postgresql://`` URL.

        Raises:
            TimelineError: the schema is not a plain lower-case SQL name.
        """
        parts = urllib.parse.urlsplit(url)
        query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        hidden_netloc = _hide_password(parts.netloc)
        shown = [(k, _HIDDEN if k == "password" else v) for k, v in query]
        location = _join(parts, hidden_netloc, urllib.parse.urlencode(shown, safe="/*"))
        schemas = [v for k, v in query if k == "schema"]
        schema = schemas[-1] if schemas else DEFAULT_SCHEMA
        if not _SCHEMA_NAME.fullmatch(schema):
            raise TimelineError(
                f"{location}: schema {schema!r} is not a plain SQL name: use lower-case "
                f"letters, digits and '_', starting with a letter (for example ?schema=team_a)")
        rest = urllib.parse.urlencode([(k, v) for k, v in query if k != "schema"], safe="/")
        return cls(_join(parts, parts.netloc, rest), schema, location)

    def server(self) -> str:
        """The server and database, for messages: host, port and database, never the password."""
        from psycopg.conninfo import conninfo_to_dict

        params = conninfo_to_dict(self.conninfo)
        host = params.get("host") or os.environ.get("PGHOST") or "the default Unix socket"
        port = params.get("port") or os.environ.get("PGPORT") or "5432"
        user = params.get("user") or os.environ.get("PGUSER")
        database = params.get("dbname") or os.environ.get("PGDATABASE") or user or "(default)"
        return f"host {host}, port {port}, database {database}" + (f", user {user}"
                                                                  if user else "")


def _join(parts: urllib.parse.SplitResult, netloc: str, query: str) -> str:
    """A URL again (``urlunsplit`` would drop the ``//`` of ``postgresql:///db``)."""
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")


def _hide_password(netloc: str) -> str:
    userinfo, at, hosts = netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return netloc
    return f"{userinfo.split(':', 1)[0]}:{_HIDDEN}@{hosts}"


def _import_psycopg(location: str) -> None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise TimelineError(
            f"{location}: a PostgreSQL store needs psycopg 3, which is not installed: "
            f"pip install 'cybertimeline[postgres]'") from None


class CommitInDoubt(TimelineError):  # noqa: N818 - a TimelineError, as every error
    """The connection was lost while a transaction's COMMIT was on its way: it may or may not
    have been committed (a writer resolves it by looking its rows up)."""


class Link:
    """One connection to the store's server, in autocommit mode, opened again when lost.

    Reads are retried once on a new connection when the old one was lost (a
    server restart); a write never is, past its ``BEGIN``: the caller learns
    that the server went away, and whether the write may have been committed.
    """

    def __init__(self, address: Address, lock_timeout_seconds: float) -> None:
        _import_psycopg(address.location)
        self.address = address
        self.lock_timeout_seconds = lock_timeout_seconds
        self._closed = False
        self._writing = False
        self._db: psycopg.Connection[tuple[Any, ...]] | None = self._connect()

    def _connect(self) -> psycopg.Connection[tuple[Any, ...]]:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict

        try:
            params: dict[str, Any] = conninfo_to_dict(self.address.conninfo)
        except psycopg.Error as exc:
            raise TimelineError(f"{self.address.location}: not a PostgreSQL URL libpq "
                                f"understands ({_first_line(exc)})") from None
        params.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
        params.setdefault("application_name", "cybertimeline")
        try:
            return psycopg.connect(**params, autocommit=True)
        except psycopg.Error as exc:
            raise TimelineError(
                f"{self.address.location}: cannot reach the PostgreSQL server "
                f"({self.address.server()}): {self._scrubbed(exc)}; check that it runs and "
                f"that the URL is right") from None

    def connection(self) -> psycopg.Connection[tuple[Any, ...]]:
        """The open connection, connecting again if it was closed by a failure."""
        if self._closed:
            raise TimelineError(f"{self.address.location}: the store was closed; load it again")
        if self._db is None or self._db.closed:
            self._db = self._connect()
        return self._db

    def rows(self, query: bytes, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows ``query`` returns; once more on a new connection if the old one was lost."""
        import psycopg

        for attempt in (1, 2):
            db = self.connection()
            try:
                return db.execute(query, args).fetchall()
            except psycopg.OperationalError as exc:
                if attempt == 1 and db.broken and not self._writing:
                    db.close()
                    continue
                raise self.error(exc, self._phase()) from None
            except psycopg.Error as exc:
                raise self.error(exc, self._phase()) from None
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _phase(self) -> str:
        """What a failing read was part of: a write's transaction, or a query."""
        return "write" if self._writing else "read"

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
        """A transaction: committed when the block ends, rolled back if it raises.

        Raises:
            ConflictError: a lock was not granted within ``lock_timeout_seconds``.
            ReadOnlyError: the role may not write.
            TimelineError: the server failed or went away (the message says whether the
                transaction may have been committed).
        """
        import psycopg

        db = self._begin()
        self._writing = True
        phase = "write"
        try:
            db.execute(b"SELECT set_config('lock_timeout', %s, true)",
                       (f"{int(self.lock_timeout_seconds * 1000)}ms",))
            # A server whose default is not to wait for the disk still must, for our writes.
            db.execute(b"SELECT set_config('synchronous_commit', 'on', true) "
                       b"WHERE current_setting('synchronous_commit') = 'off'")
            yield db
            phase = "commit"
            db.execute(b"COMMIT")
        except psycopg.Error as exc:
            self._rollback(db)
            raise self.error(exc, phase) from None
        except BaseException:
            self._rollback(db)
            raise
        finally:
            self._writing = False

    def _begin(self) -> psycopg.Connection[tuple[Any, ...]]:
        import psycopg

        for attempt in (1, 2):
            db = self.connection()
            try:
                db.execute(b"BEGIN")
                return db
            except psycopg.OperationalError as exc:
                if attempt == 1 and db.broken:
                    db.close()  # lost before anything was sent: connect again, once
                    continue
                raise self.error(exc, "write") from None
            except psycopg.Error as exc:
                raise self.error(exc, "write") from None
        raise AssertionError("unreachable: the second attempt returns or raises")

    @staticmethod
    def _rollback(db: psycopg.Connection[tuple[Any, ...]]) -> None:
        import psycopg

        if db.broken or db.closed:
            return  # the server has already forgotten the transaction
        try:
            db.execute(b"ROLLBACK")
        except psycopg.Error:
            db.close()  # in doubt, a new connection next time

    def error(self, exc: Exception, phase: str) -> TimelineError:
        """The library's error for a psycopg one met while it did ``phase`` (``read``,
        ``write`` or ``commit``): conflicts, rights, lost connections."""
        from psycopg import errors

        where = self.address.location
        detail = self._scrubbed(exc)
        if isinstance(exc, errors.LockNotAvailable):
            return ConflictError(f"{where}: another writer held the store for "
                                 f"{self.lock_timeout_seconds:.0f} s ({detail}); try again")
        if isinstance(exc, errors.InsufficientPrivilege):
            return ReadOnlyError(f"{where}: this role may not do that ({detail}): it may only "
                                 f"read; write with an editor's role (see the team how-to)")
        if isinstance(exc, errors.UniqueViolation):
            return ValidationError([f"{where}: {detail}: the store already holds these ids"])
        if isinstance(exc, errors.OperationalError) and self._db is not None and (
                self._db.broken or self._db.closed):
            fate = {"read": "nothing was read",
                    "write": "nothing was written",
                    "commit": "the write may or may not have been committed: look for its "
                              "ids (tl.event(id)) before appending it again"}[phase]
            kind = CommitInDoubt if phase == "commit" else TimelineError
            return kind(f"{where}: lost the connection to the PostgreSQL server "
                        f"({self.address.server()}): {detail}; {fate}; the next call "
                        f"connects again")
        return TimelineError(f"{where}: the PostgreSQL server refused: {detail}")

    def _scrubbed(self, exc: Exception) -> str:
        """The error's first line, with the password taken out should libpq ever quote it."""
        from psycopg.conninfo import conninfo_to_dict

        text = _first_line(exc)
        try:
            password = conninfo_to_dict(self.address.conninfo).get("password")
        except Exception:  # a URL libpq cannot parse has no password to hide
            password = None
        return text.replace(str(password), _HIDDEN) if password else text

    def close(self) -> None:
        """Close the connection; the store can no longer be used."""
        self._closed = True
        if self._db is not None:
            self._db.close()


def _first_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0].strip() if lines else type(exc).__name__
