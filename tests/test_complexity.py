"""The complexity gate of `make test` and `make test-fast`: no function, method or class in
src/ above cyclomatic complexity 15, as radon measures it (``radon cc -s src``). A function
above it is split into named steps.
"""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_visit

LIMIT = 15
SRC = Path(__file__).resolve().parents[1] / "src" / "cybertimeline"


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


def verdicts(found: dict[str, int]) -> list[str]:
    """What breaks the gate: one line each, saying what to do."""
    return [f"{name} has complexity {complexity} (at most {LIMIT}): split it into named steps"
            for name, complexity in sorted(found.items()) if complexity > LIMIT]


def test_no_function_in_src_is_above_the_limit() -> None:
    found = complexities()
    assert len(found) > 500  # the walk reached every module
    wrong = verdicts(found)
    assert not wrong, "\n".join(wrong)


def branchy(branches: int) -> str:
    """A function of complexity ``branches + 1``."""
    return "def f(x):\n" + "".join(f"    if x == {n}:\n        return {n}\n"
                                   for n in range(branches))


def test_the_gate_names_a_function_above_the_limit_in_a_nested_module(tmp_path: Path) -> None:
    """A function of 16 in a subpackage is named with what to do; one of 15 passes."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(branchy(15), encoding="utf-8")
    (tmp_path / "b.py").write_text(branchy(14), encoding="utf-8")
    found = complexities(tmp_path)
    assert found == {"pkg/a.py:f": 16, "b.py:f": 15}
    assert verdicts(found) == [
        "pkg/a.py:f has complexity 16 (at most 15): split it into named steps"]
