"""Where the whole UN roll-call record is, when it is here: for full-scale tests and
``make bench-real``.

It is looked for in ``$CYBERTIMELINE_UNVOTES`` (a folder holding ``un_votes.csv.gz``,
``un_roll_calls.csv.gz`` and ``un_roll_call_issues.csv.gz``), else in
``shared/data/unvotes`` beside the repository or beside any folder above it (CI
has it at ``../shared`` of its clone).
"""

from __future__ import annotations

import os
from pathlib import Path

ENVIRONMENT_VARIABLE = "CYBERTIMELINE_UNVOTES"
FILES = ("un_votes.csv.gz", "un_roll_calls.csv.gz", "un_roll_call_issues.csv.gz")
ROOT = Path(__file__).resolve().parents[1]
ABSENT = (f"the UN roll-call record is not here: set {ENVIRONMENT_VARIABLE} to the folder "
          f"holding {', '.join(FILES)}, or put it at shared/data/unvotes beside the "
          f"repository (or a folder above it), to run this")


def unvotes_folder() -> Path | None:
    """The folder of the whole record, or None where it is not found."""
    given = os.environ.get(ENVIRONMENT_VARIABLE)
    candidates = [Path(given)] if given else [
        parent / "shared" / "data" / "unvotes" for parent in (ROOT, *ROOT.parents)]
    for folder in candidates:
        if all((folder / name).is_file() for name in FILES):
            return folder
    return None
