"""The figures of one benchmark run: rows of a Markdown table, and results under stable keys."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path
from typing import Any

HEAD = ("measure", "cybertimeline", "peer", "ratio")


class Figures:
    """What a run measured: each row printed as it comes, the whole table at the end."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []
        self.results: dict[str, Any] = {}

    def row(self, what: str, ours: str, peer: str, ratio: str) -> None:
        self.rows.append((what, ours, peer, ratio))
        print(f"  {what}: ours {ours}, peer {peer}, {ratio}", file=sys.stderr, flush=True)

    def report(self, seconds: float, summary: str, out: Path) -> None:
        """Print the table and ``summary``; write the results, with the machine's, to ``out``."""
        self.results.update(
            total_seconds=round(seconds, 1), python=platform.python_version(),
            machine=platform.machine(), cpus=os.cpu_count(),
            date=dt.datetime.now(dt.UTC).date().isoformat())
        widths = [max(len(r[i]) for r in [*self.rows, HEAD]) for i in range(4)]
        print("| " + " | ".join(h.ljust(w) for h, w in zip(HEAD, widths, strict=True)) + " |")
        print("| " + " | ".join("-" * w for w in widths) + " |")
        for row in self.rows:
            print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
        print(f"\n{summary}, {seconds:.0f} s in all")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(self.results, indent=2, sort_keys=True) + "\n")
