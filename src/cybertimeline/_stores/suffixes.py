"""The file suffixes that name a kind of store (a path without one is a folder), and the URL
schemes that name a PostgreSQL store: what tells a store's kind, without its module."""

from __future__ import annotations

from typing import TypeGuard

__all__ = ["JSONL_SUFFIXES", "SQLITE_SUFFIXES", "URL_SCHEMES", "is_url"]

JSONL_SUFFIXES = (".jsonl", ".ndjson")
SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
URL_SCHEMES = ("postgresql://", "postgres://")


def is_url(path: object) -> TypeGuard[str]:
    """Whether ``path`` is a PostgreSQL URL (``postgresql://...``) rather than a file's path."""
    return isinstance(path, str) and path.lower().startswith(URL_SCHEMES)
