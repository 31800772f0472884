"""A throwaway PostgreSQL cluster for the tests and the benchmark, started once and removed at exit.

`server()` starts it on first use: ``initdb`` and ``pg_ctl`` from ``PATH`` or
``/usr/lib/postgresql/*/bin``, a data folder and a Unix socket in a new
temporary folder, no TCP port at all. PostgreSQL refuses to run as root, so
when the tests run as root the cluster runs as the ``postgres`` user (which
the Debian package creates), else as ``nobody``: the child processes switch
user (``subprocess``'s ``user=``) and the folder is given to that user. The
tests connect as the cluster's superuser, ``postgres``, trusted on the
socket only.

Where the server cannot be started, `server()` raises `UnavailableError`, whose
message says how to run the PostgreSQL tests; `require()` turns it into a
skip, or a failure when ``CI`` is set.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest

HOW_TO_RUN = ("install the server binaries (Debian: apt-get install postgresql; they provide "
              "initdb and pg_ctl) and the extra (pip install -e '.[dev]'), then run make test")
DATABASE = "cybertimeline"


class UnavailableError(RuntimeError):
    """No PostgreSQL server could be started here; the message says why and how to fix it."""


def binaries() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: on ``PATH``, else the newest Debian install."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                       key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                       else 0)
    return installed[-1].parent if installed else None


def _unprivileged() -> pwd.struct_passwd | None:
    """The user the cluster runs as when the tests run as root (None: as the tests' user)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise UnavailableError("running as root, and neither a 'postgres' nor a 'nobody' user exists "
                      "to run PostgreSQL as (it refuses root)")


class Cluster:
    """A PostgreSQL cluster in a temporary folder, reached on a Unix socket only."""

    def __init__(self) -> None:
        bin_dir = binaries()
        if bin_dir is None:
            raise UnavailableError("initdb and pg_ctl were not found on PATH nor in "
                              "/usr/lib/postgresql/*/bin")
        self.bin = bin_dir
        self.owner = _unprivileged()
        self.root = Path(tempfile.mkdtemp(prefix="ct-pg-"))
        self.data = self.root / "data"
        self.socket = self.root / "socket"
        self.socket.mkdir()
        self.port = 5432  # only names the socket file, in a folder of our own
        self._names = itertools.count()
        if self.owner is not None:
            for path in (self.root, self.socket):
                os.chown(path, self.owner.pw_uid, self.owner.pw_gid)
        try:
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                      "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions")
            self.start()
            with self.superuser("postgres") as db:
                db.execute(f"CREATE DATABASE {DATABASE}")
        except BaseException:
            self.remove()
            raise

    def _run(self, program: str, *args: str) -> None:
        switch: dict[str, Any] = {}
        if self.owner is not None:
            switch = {"user": self.owner.pw_uid, "group": self.owner.pw_gid, "extra_groups": []}
        done = subprocess.run([str(self.bin / program), *args], capture_output=True, text=True,
                              cwd=self.root, check=False, timeout=120, **switch)
        if done.returncode != 0:
            raise UnavailableError(f"{program} failed ({done.returncode}): "
                              f"{(done.stderr or done.stdout).strip()[-2000:]}")

    def start(self) -> None:
        """Start the server (fsync on: the fault tests restart it as after a crash)."""
        options = (f"-k {self.socket} -p {self.port} -c listen_addresses='' "
                   f"-c max_connections=300 -c shared_buffers=32MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
                  "-o", options, "-w", "-t", "60", "start")

    def restart(self, mode: str = "immediate") -> None:
        """Stop the server (``immediate``: as if it crashed, no checkpoint) and start it again."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
        self.start()

    def url(self, database: str = DATABASE, **params: str) -> str:
        """A URL of the cluster: the socket, the superuser, and ``params`` in the query."""
        query = "&".join(f"{k}={v}" for k, v in
                         {"host": str(self.socket), "port": str(self.port), "user": "postgres",
                          **params}.items())
        return f"postgresql:///{database}?{query}"

    def new_store_url(self, **params: str) -> str:
        """The URL of a store no one has created yet: a schema of a fresh name."""
        return self.url(schema=f"store_{os.getpid()}_{next(self._names)}", **params)

    def superuser(self, database: str = DATABASE) -> Any:
        """A connection as the superuser to ``database``, in autocommit mode."""
        import psycopg

        return psycopg.connect(self.url(database), autocommit=True)

    def remove(self) -> None:
        """Stop the server and delete every file of the cluster."""
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(UnavailableError):  # stopped already: remove the files
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@cache
def _started() -> Cluster | UnavailableError:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return UnavailableError("psycopg is not installed")
    try:
        cluster = Cluster()
    except (UnavailableError, OSError, subprocess.SubprocessError) as exc:
        return exc if isinstance(exc, UnavailableError) else UnavailableError(str(exc))
    atexit.register(cluster.remove)
    return cluster


def server() -> Cluster:
    """The cluster of this test run, started on first use.

    Raises:
        UnavailableError: it cannot be started here.
    """
    found = _started()
    if isinstance(found, UnavailableError):
        raise found
    return found


def available() -> bool:
    """Whether the PostgreSQL tests can run here (starting the cluster if it is not yet)."""
    return not isinstance(_started(), UnavailableError) or in_ci()


def in_ci() -> bool:
    """Whether this is CI, where a server that cannot be started is a failure."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require() -> Cluster:
    """The cluster, or the current test skipped (failed, in CI) with how to run it."""
    try:
        return server()
    except UnavailableError as exc:
        if in_ci():
            pytest.fail(f"CI: the PostgreSQL tests could not start a server: {exc}")
        pytest.skip(f"PostgreSQL tests skipped: {exc}; to run them, {HOW_TO_RUN}")
