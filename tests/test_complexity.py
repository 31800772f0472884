"""The complexity gate of `make test` and `make test-fast`: no function, method or class in
src/ above cyclomatic complexity 15, as radon measures it (``radon cc -s src``). A function
above it is split into named steps.

`ALLOWED` lists the functions that were above 15 when the gate came, at their complexity
then, while their owners bring them down: none may grow, and each leaves the list once it is
at 15 or below (the gate says so). Nothing may join it.
"""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_visit

LIMIT = 15
SRC = Path(__file__).resolve().parents[1] / "src" / "cybertimeline"

ALLOWED: dict[str, int] = {
    "_timeline/timeline.py:Timeline.status": 23,
    "_timeline/timeline.py:Timeline.events": 19,
}
"""``module path (below src/cybertimeline):qualified name`` -> its complexity when listed."""


def complexities(root: Path = SRC) -> dict[str, int]:
    """Each function, method and class under ``root`` -> its complexity (the highest, where a
    name is defined twice)."""
    found: dict[str, int] = {}
    for path in sorted(root.rglob("*.py")):
        module = path.relative_to(root).as_posix()
        for block in cc_visit(path.read_text(encoding="utf-8")):
            name = f"{module}:{block.fullname}"
            found[name] = max(found.get(name, 0), block.complexity)
    return found


def verdicts(found: dict[str, int], allowed: dict[str, int]) -> list[str]:
    """What breaks the gate: one line each, saying what to do."""
    wrong = []
    for name, complexity in sorted(found.items()):
        if complexity <= LIMIT:
            continue
        if name not in allowed:
            wrong.append(f"{name} has complexity {complexity} (at most {LIMIT}): split it into "
                         f"named steps")
        elif complexity > allowed[name]:
            wrong.append(f"{name} grew from {allowed[name]} to {complexity}: bring it down, "
                         f"to {LIMIT} at most")
    for name, listed in sorted(allowed.items()):
        now = found.get(name)
        if now is None:
            wrong.append(f"{name} (listed at {listed}) is gone: remove it from the list "
                         f"(ALLOWED in tests/test_complexity.py)")
        elif now <= LIMIT:
            wrong.append(f"{name} is down to {now}: remove it from the list (ALLOWED in "
                         f"tests/test_complexity.py)")
    return wrong


def test_no_function_in_src_is_above_the_limit() -> None:
    wrong = verdicts(complexities(), ALLOWED)
    assert not wrong, "\n".join(wrong)


def branchy(branches: int) -> str:
    """A function of complexity ``branches + 1``."""
    return "def f(x):\n" + "".join(f"    if x == {n}:\n        return {n}\n"
                                   for n in range(branches))


def test_the_gate_catches_a_new_function_a_grown_one_and_a_listed_one_done(
        tmp_path: Path) -> None:
    """A new function of 17, a listed one that grew, a listed one at 15 or gone: each named
    with what to do; a listed one that did not grow passes."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(branchy(16), encoding="utf-8")
    (tmp_path / "b.py").write_text(branchy(14), encoding="utf-8")
    found = complexities(tmp_path)
    assert found == {"pkg/a.py:f": 17, "b.py:f": 15}
    assert verdicts(found, {}) == [
        "pkg/a.py:f has complexity 17 (at most 15): split it into named steps"]
    assert verdicts(found, {"pkg/a.py:f": 17}) == []
    assert verdicts(found, {"pkg/a.py:f": 16}) == [
        "pkg/a.py:f grew from 16 to 17: bring it down, to 15 at most"]
    assert verdicts(found, {"pkg/a.py:f": 17, "b.py:f": 16, "c.py:g": 20}) == [
        "b.py:f is down to 15: remove it from the list (ALLOWED in tests/test_complexity.py)",
        "c.py:g (listed at 20) is gone: remove it from the list (ALLOWED in "
        "tests/test_complexity.py)"]
