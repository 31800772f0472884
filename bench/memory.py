"""The memory a load takes, on the worst inputs we could construct (docs/safety.md).

    python -m bench.memory [--megabytes 4]

Each input is written to a temporary store and loaded in a fresh process under
``tracemalloc``; the peak of Python's allocations during the load, divided by
the size of the store's files, is printed per input. Valid or not (most are
refused), a load must stay within the multiple that docs/safety.md states.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

_EVENT = ('[[event]]\nid = "e{n}"\nkind = "statement"\ndate = "2020"\nactor = "CAN"\n'
          'topic = "t"\nstance = "supports"\n[[event.sources]]\ntitle = "t"\n')
_LINE = ('{{"id": "e{n}", "kind": "statement", "date": "2020", "actor": "CAN", "topic": "t", '
         '"stance": "supports", "sources": [{{"title": "t"}}]}}\n')
_PIECE = 1024 * 1024 - 4096  # one event's piece of TOML, just under the limit of one event


def _repeat(unit: Callable[[int], str], size: int) -> str:
    parts, total, n = [], 0, 0
    while total < size:
        text = unit(n)
        parts.append(text)
        total += len(text)
        n += 1
    return "".join(parts)


def _pieces(body: Callable[[int], str], size: int) -> str:
    """Events of about `_PIECE` characters each, their bodies made of ``body``."""
    return _repeat(lambda n: f"[[event]]\nid = \"e{n}\"\n" + _repeat(body, _PIECE), size)


INPUTS: dict[str, tuple[str, Callable[[int], str]]] = {
    "toml: empty [[event]] tables": ("events.toml", lambda size: "[[event]]\n" * (size // 10)),
    "toml: valid minimal events": ("events.toml", lambda size: _repeat(
        lambda n: _EVENT.format(n=n), size)),
    "toml: events of sub-tables": ("events.toml", lambda size: _pieces(
        lambda n: f"[event.t{n:x}]\n", size)),
    "toml: events of 4-part keys": ("events.toml", lambda size: _pieces(
        lambda n: f"k{n:x}.a.b.c = 1\n", size)),
    "toml: events of empty arrays": ("events.toml", lambda size: _pieces(
        lambda n: f"a{n:x} = [[],[],[],[],[],[],[],[],[],[],[],[],[],[],[],[]]\n", size)),
    "jsonl: lines of 1": ("store.jsonl", lambda size: "1\n" * (size // 2)),
    "jsonl: valid minimal events": ("store.jsonl", lambda size: _repeat(
        lambda n: _LINE.format(n=n), size)),
    "jsonl: 1 MiB lines of empty arrays": ("store.jsonl", lambda size: _repeat(
        lambda _n: "[" + "[]," * (_PIECE // 3) + "[]]\n", size)),
}

_MEASURE = """
import json, sys, tracemalloc
import cybertimeline as ct
try:
    ct.load()  # what the first load sets up once (the built-in registry) is not counted
    tracemalloc.start()
    try:
        ct.load(sys.argv[1])
        outcome = "loaded"
    except ct.TimelineError as error:
        outcome = type(error).__name__
    print(json.dumps({"peak": tracemalloc.get_traced_memory()[1], "outcome": outcome}))
except MemoryError:
    print(json.dumps({"peak": None, "outcome": "MemoryError"}))
"""


def measure(name: str, file: str, make: Callable[[int], str], size: int) -> dict[str, object]:
    """Write one input as a store and measure its load in a fresh process."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "store"
        root.mkdir()
        path = root / file
        path.write_text(make(size), encoding="utf-8")
        store = path if file.endswith(".jsonl") else root
        run = subprocess.run([sys.executable, "-c", _MEASURE, str(store)], capture_output=True,
                             text=True, check=True)
        found = json.loads(run.stdout)
        bytes_ = path.stat().st_size
        peak = found["peak"]
        return {"input": name, "bytes": bytes_, "outcome": found["outcome"], "peak": peak,
                "multiple": None if peak is None else round(peak / bytes_, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=4.0)
    args = parser.parse_args()
    size = int(args.megabytes * 1024 * 1024)
    print(f"{'input':38} {'bytes':>10} {'outcome':>16} {'peak MB':>8} {'x size':>7}")
    for name, (file, make) in INPUTS.items():
        row = measure(name, file, make, size)
        peak = row["peak"]
        print(f"{name:38} {row['bytes']:>10} {row['outcome']!s:>16} "
              f"{'-' if peak is None else round(int(str(peak)) / 1e6, 1):>8} "
              f"{row['multiple']!s:>7}", flush=True)


if __name__ == "__main__":
    main()
