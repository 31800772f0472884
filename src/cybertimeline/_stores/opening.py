"""Which store a path names: a folder of TOML files, a JSON Lines file, a SQLite file, or a
PostgreSQL URL."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cybertimeline._stores.base import FileStore
from cybertimeline._stores.suffixes import JSONL_SUFFIXES, SQLITE_SUFFIXES, is_url
from cybertimeline.errors import TimelineError

if TYPE_CHECKING:
    from cybertimeline._stores.folder import FolderStore

# Each store's module (and what it needs: sqlite3, psycopg...) is imported when a store of
# its kind is opened, so that reading a folder does not load the others.

__all__ = ["StoreKind", "bundled_events_path", "bundled_store", "open_store", "store_kind"]


def bundled_events_path() -> Path:
    """The folder of the bundled dataset: inside the installed package, else the source tree's."""
    from importlib import resources  # here: it imports tempfile, which a query never needs

    packaged = Path(str(resources.files("cybertimeline"))) / "_data" / "events"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "events"


def bundled_store() -> FolderStore:
    """The bundled dataset, read-only."""
    from cybertimeline._stores.folder import FolderStore

    return FolderStore(bundled_events_path(), read_only=True)


StoreKind = Literal["folder", "jsonl", "sqlite", "postgres"]


def store_kind(path: str | Path, *, new: bool = False) -> StoreKind:
    """Which kind of store ``path`` names: SQLite for ``.sqlite``/``.sqlite3``/``.db``, JSON
    Lines for ``.jsonl``/``.ndjson``, PostgreSQL for a ``postgresql://`` URL, else a folder
    of TOML files.

    Raises:
        TimelineError: the path is empty; or a new store's path has a suffix of no store.
    """
    if is_url(path):
        return "postgres"
    if not str(path).strip():
        raise TimelineError("an empty path names no store: give a folder, a .jsonl or a "
                            ".sqlite file, or a postgresql:// URL")
    target = Path(path)
    suffix = target.suffix.lower()
    if new and suffix and suffix not in (*SQLITE_SUFFIXES, *JSONL_SUFFIXES):
        raise TimelineError(
            f"{target}: a new store is a folder (a path without a suffix), a JSON Lines file "
            f"({', '.join(JSONL_SUFFIXES)}) or a SQLite file ({', '.join(SQLITE_SUFFIXES)}); "
            f"{suffix!r} is none of these"
        )
    if suffix in SQLITE_SUFFIXES:
        return "sqlite"
    return "jsonl" if suffix in JSONL_SUFFIXES else "folder"


def open_store(path: str | Path, *, new: bool = False,
               kind: StoreKind | None = None) -> FileStore:
    """The store at ``path``, of the kind its name says (`store_kind`) unless ``kind`` is
    given. With ``new``, create it first.

    Raises:
        TimelineError: the path is empty or names no store; or (``new``) something is
            already there.
    """
    kind = kind or store_kind(path, new=new)
    if kind == "postgres":
        from cybertimeline._stores.postgres import PostgresStore

        return PostgresStore.create(str(path)) if new else PostgresStore(str(path))
    target = Path(path)
    if kind == "sqlite":
        from cybertimeline._stores.sqlite import SqliteStore

        return SqliteStore.create(target) if new else SqliteStore(target)
    if kind == "jsonl":
        from cybertimeline._stores.jsonl import JsonlStore

        return JsonlStore.create(target) if new else JsonlStore(target)
    from cybertimeline._stores.folder import FolderStore

    return FolderStore.create(target) if new else FolderStore(target)
