"""The memory a load takes, on the worst inputs we could construct (docs/safety.md).

    python -m bench.memory [--megabytes 4]

Each input is written to a temporary store and loaded in two fresh processes:
one under ``tracemalloc`` (the peak of Python's allocations during the load),
one without it, whose peak resident memory (RSS, which also counts what
tracemalloc misses: the allocator's slack, C extensions) grows by what the load
took beyond the process as it was before. Both are printed per input, with the
growth of RSS divided by the size of the store's files. Valid or not (most are
refused), a load must stay within the bound that docs/safety.md states.
"""

from __future__ import annotations

import argparse
import json
import os
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
    "jsonl: events of 400,000 integer tags": ("store.jsonl", lambda size: _repeat(
        lambda n: json.dumps({"id": f"e{n}", "kind": "statement", "date": "2020",
                              "actor": "CAN", "topic": "t", "stance": "supports",
                              "tags": [1] * 400_000, "sources": [{"title": "t"}]}) + "\n",
        size)),
    "jsonl: votes of 32,000 unknown voters": ("store.jsonl", lambda size: _repeat(
        lambda n: json.dumps({"id": f"v{n}", "kind": "vote", "date": "2019", "body": "UNGA",
                              "topic": "t", "votes": {f"Q{i:05d}": "yes" for i in range(32_000)},
                              "sources": [{"title": "t"}]}) + "\n", size)),
}

_MEASURE = """
import json, resource, sys, tracemalloc
import cybertimeline as ct
traced = sys.argv[2] == "traced"
try:
    ct.load()  # what the first load sets up once (the built-in registry) is not counted
    with open("/proc/self/statm") as statm:
        before = int(statm.read().split()[1]) * resource.getpagesize()
    if traced:
        tracemalloc.start()
    try:
        ct.load(sys.argv[1])
        outcome = "loaded"
    except ct.TimelineError as error:
        outcome = type(error).__name__
    # VmHWM: this process's own peak (ru_maxrss also counts a vfork parent's memory).
    with open("/proc/self/status") as status:
        rss = next(int(line.split()[1]) * 1024 for line in status
                   if line.startswith("VmHWM:"))
    peak = tracemalloc.get_traced_memory()[1] if traced else max(0, rss - before)
    print(json.dumps({"peak": peak, "outcome": outcome}))
except MemoryError:
    print(json.dumps({"peak": None, "outcome": "MemoryError"}))
"""


def measure(name: str, file: str, make: Callable[[int], str], size: int) -> dict[str, object]:
    """Write one input as a store and measure its load in fresh processes."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "store"
        root.mkdir()
        path = root / file
        path.write_text(make(size), encoding="utf-8")
        store = path if file.endswith(".jsonl") else root
        found = {}
        for way in ("traced", "rss"):
            run = subprocess.run([sys.executable, "-c", _MEASURE, str(store), way],
                                 capture_output=True, text=True, check=True,
                                 env={**os.environ, "CYBERTIMELINE_CACHE": "off"})
            found[way] = json.loads(run.stdout)
        bytes_ = path.stat().st_size
        rss = found["rss"]["peak"]
        return {"input": name, "bytes": bytes_, "outcome": found["rss"]["outcome"],
                "traced": found["traced"]["peak"], "rss": rss,
                "multiple": None if rss is None else round(rss / bytes_, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=4.0)
    args = parser.parse_args()
    size = int(args.megabytes * 1024 * 1024)
    print(f"{'input':40} {'bytes':>10} {'outcome':>16} {'traced MB':>9} {'RSS MB':>7} "
          f"{'RSS/size':>8}")
    for name, (file, make) in INPUTS.items():
        row = measure(name, file, make, size)
        traced, rss = row["traced"], row["rss"]
        print(f"{name:40} {row['bytes']:>10} {row['outcome']!s:>16} "
              f"{'-' if traced is None else round(int(str(traced)) / 1e6, 1):>9} "
              f"{'-' if rss is None else round(int(str(rss)) / 1e6, 1):>7} "
              f"{row['multiple']!s:>8}", flush=True)


if __name__ == "__main__":
    main()
