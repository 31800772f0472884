"""Every fenced example of README.md and docs/**/*.md runs against the bundled dataset.

* ``python`` blocks run in order, one namespace per page, in a temporary working
  directory that holds a copy of ``events/`` (as a checkout does). A top-level
  expression followed by a comment that is a Python literal (``# 'party'``, or
  ``# None: why``, or the literal alone on the next line) must equal it.
* ``sh`` blocks: each line that starts with ``cybertimeline`` runs through
  ``cybertimeline._cli.main`` and must exit 0; ``> FILE`` writes its output there.
* ``toml`` blocks of a page are written to one folder (``[actors...]`` blocks to
  ``actors.toml``, ``[instruments...]`` blocks to ``instruments.toml``, the others to a
  file each), which must load.
* Anything else (``text``, ``markdown``, ``json``...) is output, not code: skipped.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import shlex
import shutil
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import cybertimeline as ct
from cybertimeline._cli import main

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)")
SHELLS = {"sh", "bash", "shell", "console"}
_SCALAR = re.compile(r"-?\d+(?:\.\d+)?|None|True|False")


@dataclass
class Block:
    """A fenced block: its language, its first line's number in the page, its text."""

    language: str
    line: int
    text: str


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of a Markdown page, dedented to their fence."""
    found: list[Block] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        index += 1
        if opening is None:
            continue
        indent, fence = len(opening["indent"]), opening["fence"]
        language = opening["info"].lstrip("{.").split(",")[0].lower()
        body: list[str] = []
        while index < len(lines) and not lines[index].strip().startswith(fence):
            body.append(lines[index][indent:])
            index += 1
        found.append(Block(language, index - len(body) + 1, "\n".join(body) + "\n"))
        index += 1
    return found


def test_pages_have_examples() -> None:
    """The parser finds the README's examples (so an empty run is not a pass)."""
    languages = [b.language for b in blocks(ROOT / "README.md")]
    assert languages.count("python") >= 2
    assert "sh" in languages


# -- output comments -----------------------------------------------------------------------


def expected_output(comment: str) -> tuple[bool, Any]:
    """The value a comment says an expression has, if it starts with a Python literal.

    ``# 'party'``, ``# None: "2019-07" settles on 07-31`` and
    ``# 'ratification' (the seed's ...)`` say a value; ``# 28 member states`` does not.
    """
    text = comment.lstrip("#").strip()
    if not text:
        return False, None
    end = _literal_end(text)
    if end is None:
        return False, None
    rest = text[end:].strip()
    if rest and not rest.startswith(("(", ":")):
        return False, None
    try:
        return True, ast.literal_eval(text[:end])
    except (ValueError, SyntaxError):
        return False, None


def _literal_end(text: str) -> int | None:
    if text[0] in "'\"":
        close = text.find(text[0], 1)
        return None if close < 0 else close + 1
    if text[0] in "[({":
        depth, quote = 0, None
        for position, char in enumerate(text):
            if quote:
                quote = None if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char in "[({":
                depth += 1
            elif char in "])}":
                depth -= 1
                if depth == 0:
                    return position + 1
        return None
    scalar = _SCALAR.match(text)
    return scalar.end() if scalar else None


def test_expected_output() -> None:
    """Comments that start with a literal are outputs; prose is not."""
    assert expected_output("# 'party'") == (True, "party")
    assert expected_output('# None: "2019-07" settles on 07-31') == (True, None)
    assert expected_output("# 'ratification' (the seed's \"acceded\" is wrong)") == (
        True, "ratification")
    assert expected_output("# [('a', 'b')]") == (True, [("a", "b")])
    assert expected_output("# 28 member states, the UK among them") == (False, None)
    assert expected_output("# what the answer rests on") == (False, None)


def _comments(source: str) -> dict[int, tuple[str, bool]]:
    """Each line's comment, and whether the line holds only the comment."""
    found: dict[int, tuple[str, bool]] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            alone = not token.line[: token.start[1]].strip()
            found[token.start[0]] = (token.string, alone)
    return found


def run_python(block: Block, page: Path, namespace: dict[str, Any]) -> None:
    """Run a python block statement by statement, checking the outputs its comments give."""
    # Pad so that tracebacks give the line numbers of the page.
    source = "\n" * (block.line - 1) + block.text
    filename = f"{page.relative_to(ROOT)}"
    tree = ast.parse(source, filename)
    comments = _comments(source)
    for statement in tree.body:
        if not isinstance(statement, ast.Expr):
            module = ast.Module(body=[statement], type_ignores=[])
            # As a reader's script runs: without this module's `from __future__` imports.
            exec(compile(module, filename, "exec", dont_inherit=True), namespace)
            continue
        value = eval(compile(ast.Expression(statement.value), filename, "eval",
                             dont_inherit=True), namespace)
        last = statement.end_lineno or statement.lineno
        comment = comments.get(last)
        if comment is None or comment[1]:
            following = comments.get(last + 1)
            comment = following if following and following[1] else None
        if comment is None:
            continue
        says, expected = expected_output(comment[0])
        if says:
            assert value == expected, f"{filename}:{last}: {value!r} != {expected!r}"


def run_shell(block: Block, page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Run each ``cybertimeline`` line of a shell block through ``main``; each must exit 0."""
    text = block.text.replace("\\\n", " ")
    for offset, raw in enumerate(text.splitlines()):
        line = raw.strip().removeprefix("$ ")
        if not line.startswith("cybertimeline"):
            continue
        words = shlex.split(line, comments=True)
        where = f"{page.relative_to(ROOT)}:{block.line + offset}"
        assert "|" not in words, f"{where}: pipes are not run; write the example without one"
        target = None
        if ">" in words:
            at = words.index(">")
            words, target = words[:at], words[at + 1]
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            code = main(words[1:])
        assert code == 0, f"{where}: exit code {code}: {capsys.readouterr().err}"
        if target is not None:
            Path(target).write_text(output.getvalue(), encoding="utf-8")


def check_toml(page: Path, found: list[Block], folder: Path) -> None:
    """The page's TOML blocks, written as one store, load without a problem."""
    tomls = [b for b in found if b.language == "toml"]
    if not tomls:
        return
    folder.mkdir()
    registries: dict[str, list[str]] = {"actors": [], "instruments": []}
    for number, block in enumerate(tomls):
        first = next((line for line in block.text.splitlines()
                      if line.strip() and not line.startswith("#")), "")
        table = first.strip("[] ").split(".")[0]
        if table in registries:
            registries[table].append(block.text)
        else:
            (folder / f"block-{number:02d}.toml").write_text(block.text, encoding="utf-8")
    for name, texts in registries.items():
        if texts:
            (folder / f"{name}.toml").write_text("\n".join(texts), encoding="utf-8")
    try:
        ct.load(folder)
    except ct.ValidationError as error:
        pytest.fail(f"{page.relative_to(ROOT)}: its TOML examples do not load:\n{error}")


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_examples_run(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every python, sh and toml example of the page runs against the bundled dataset."""
    work = tmp_path / "work"
    shutil.copytree(ROOT / "events", work / "events")
    monkeypatch.chdir(work)
    monkeypatch.delenv("CYBERTIMELINE_EVENTS", raising=False)
    found = blocks(page)
    namespace: dict[str, Any] = {"__name__": f"docs_{page.stem}"}
    for block in found:
        if block.language in ("python", "py"):
            run_python(block, page, namespace)
        elif block.language in SHELLS:
            run_shell(block, page, capsys)
    check_toml(page, found, tmp_path / "toml-store")
