"""The tests the fast run (`make test-fast`) leaves out because they were measured slow: the
node ids in `tests/slow_tests.txt`, each of which took 0.2 s or more (setup, call and
teardown) in a fast run on an idle 2-core machine. `make test` runs them all.

``python -m tests.slow_list LOG`` adds to the file the tests a ``pytest --durations=0`` log
shows at or above the bound (`make slow-list` runs both): the list only grows; a test made
faster leaves it by hand.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

LIST = Path(__file__).resolve().with_name("slow_tests.txt")
BOUND = 0.2
"""Seconds of a test's setup, call and teardown from which it is slow."""

KEPT = frozenset({"tests/test_stateful.py::TestAppendAndQuery::runTest",
                  "tests/test_complexity.py::test_no_function_in_src_is_above_the_limit"})
"""Tests the fast run keeps however long they take: the stateful test of every store, which
the fast profile runs with few examples, and the complexity gate."""

_DURATION = re.compile(r"^([\d.]+)s (?:setup|call|teardown)\s+(\S+)")


def listed(path: Path = LIST) -> frozenset[str]:
    """The node ids the file lists (blank lines and ``#`` comments aside)."""
    if not path.exists():
        return frozenset()
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def measured_slow(log: str, bound: float = BOUND) -> set[str]:
    """The node ids whose setup, call and teardown add up to ``bound`` seconds or more in a
    ``pytest --durations=0`` log."""
    seconds: dict[str, float] = defaultdict(float)
    for line in log.splitlines():
        found = _DURATION.match(line.strip())
        if found:
            seconds[found.group(2)] += float(found.group(1))
    return {node for node, spent in seconds.items() if spent >= bound and node not in KEPT}


def main(argv: list[str]) -> None:
    (log,) = argv
    slow = listed() | measured_slow(Path(log).read_text(encoding="utf-8"))
    header = "# " + __doc__.strip().splitlines()[0] if __doc__ else ""
    LIST.write_text("\n".join([header, *sorted(slow)]) + "\n", encoding="utf-8")
    print(f"{LIST}: {len(slow)} tests")


if __name__ == "__main__":
    main(sys.argv[1:])
