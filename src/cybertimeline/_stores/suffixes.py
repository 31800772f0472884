"""The file suffixes that name a kind of store (a path without one is a folder)."""

from __future__ import annotations

__all__ = ["JSONL_SUFFIXES", "SQLITE_SUFFIXES"]

JSONL_SUFFIXES = (".jsonl", ".ndjson")
SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
