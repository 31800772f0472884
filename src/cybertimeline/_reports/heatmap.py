"""Many votes as one picture: a heatmap of states x roll calls, each cell the option cast.

Where a swimlane chart stacks a mark per vote, a heatmap keeps one cell per state and roll
call: 200 states x 100 roll calls stay readable (a row per state, labelled; the roll calls'
symbols along the bottom where there are few enough to name). Read from every state's
ballots as one matrix.
"""

from __future__ import annotations

import base64
import html
import io
import os
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from cybertimeline._model.ballots import Ballots
from cybertimeline._model.dates import Date, DateLike
from cybertimeline._model.palette import colour
from cybertimeline._reports.agreement import BallotAnswers, roll_calls
from cybertimeline.errors import TimelineError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["OPTIONS", "VoteMap", "vote_map"]

OPTIONS = ("yes", "no", "abstain", "absent")
"""The options a cell shows, each in its colour (the palette's); no vote is left white."""

_NAMED = 60
"""Up to how many roll calls are named along the bottom (beyond, their years are)."""


@attrs.frozen(kw_only=True, eq=False)
class VoteMap:
    """A heatmap of votes: ``cells[row][column]`` is the option of ``actors[row]`` on
    ``roll_calls[column]`` (an event id; ``keys`` its resolution, ``dates`` its date), None
    for no vote. ``save(path)`` writes the picture, Jupyter shows it."""

    actors: tuple[str, ...]
    roll_calls: tuple[str, ...]
    keys: tuple[str, ...]
    dates: tuple[str, ...]
    cells: tuple[tuple[str | None, ...], ...]
    figure: Figure = attrs.field(repr=False)

    def save(self, path: str | os.PathLike[str], *, dpi: int = 150) -> Path:
        """Write the picture to ``path``, in the format its suffix names (``.svg``, ``.png``)."""
        target = Path(path)
        self.figure.savefig(target, dpi=dpi)
        return target

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=100)
        return buffer.getvalue()

    def _repr_html_(self) -> str:
        picture = base64.b64encode(self._repr_png_()).decode("ascii")
        about = f"Votes of {len(self.actors)} actors on {len(self.roll_calls)} roll calls"
        return (f'<figure class="cybertimeline ct-plot" style="margin:0">'
                f'<img src="data:image/png;base64,{picture}" alt="{html.escape(about)}" '
                f'style="max-width:100%;height:auto"></figure>')


def vote_map(
    timeline: BallotAnswers,
    actors: Sequence[str] = (),
    *,
    group: str | None = None,
    since: DateLike | None = None,
    until: DateLike | None = None,
    known_at: DateLike | None = None,
    topic: str | Collection[str] | None = None,
    title: str | None = None,
) -> VoteMap:
    """A heatmap of actors' votes on the known roll calls in a window: a row per actor (or
    per member of ``group`` as of ``until``; every actor that voted, if neither), a column
    per roll call in the order cast, each cell coloured by the option (yes, no, abstain,
    absent; white for no vote).

    Raises:
        ImportError: matplotlib is not installed (``pip install 'cybertimeline[plot]'``).
        UnknownActorError: an actor or the group is not known.
        TimelineError: no roll call in the window.
    """
    from cybertimeline._reports.drawing import require_matplotlib

    require_matplotlib()
    chosen = _chosen(timeline, actors, group, until, known_at)
    ballots = timeline._known_ballots(known_at)
    topics = () if topic is None else (topic,) if isinstance(topic, str) else tuple(topic)
    ranks = roll_calls(timeline, ballots, None if since is None else Date.coerce(since),
                       None if until is None else Date.coerce(until), known_at, topics).tolist()
    if not ranks:
        raise TimelineError("no roll call in this window: widen --since and --until, or "
                            "check the topic and the store")
    if not chosen:  # every actor that voted in the window, in the order of their ids
        voted = ballots.codes[ranks].any(axis=0).nonzero()[0].tolist()
        chosen = sorted(ballots.actors[c] for c in voted)
    entries = ballots.entries
    found = VoteMap(actors=tuple(chosen), roll_calls=tuple(entries.ids[r] for r in ranks),
                    keys=tuple(entries.keys[r] for r in ranks),
                    dates=tuple(entries.dates[r] for r in ranks),
                    cells=_cells(ballots, chosen, ranks),
                    figure=_figure(len(chosen), len(ranks)))
    _draw(found, timeline.registry.name, title)
    return found


def _chosen(timeline: BallotAnswers, actors: Sequence[str], group: str | None,
            until: DateLike | None, known_at: DateLike | None) -> list[str]:
    """The actors asked for, then the group's members as of ``until``, as ids, each once."""
    members = [] if group is None else timeline.members(group, as_of=until, known_at=known_at)
    return list(dict.fromkeys(timeline.registry.resolve(a) for a in [*actors, *members]))


def _cells(ballots: Ballots, chosen: Sequence[str], ranks: list[int]
           ) -> tuple[tuple[str | None, ...], ...]:
    """Each actor's option on each roll call of ``ranks`` (None: no vote)."""
    by_code = (None, *ballots.values)
    cells = []
    for actor in chosen:
        column = ballots.column.get(actor)
        codes = [0] * len(ranks) if column is None else ballots.codes[ranks, column].tolist()
        cells.append(tuple(by_code[c] for c in codes))
    return tuple(cells)


def _figure(rows: int, columns: int) -> Figure:
    from matplotlib.figure import Figure

    # About a tenth of an inch per state (its label legible), and as wide as needed.
    width = min(16.0, max(7.0, 2.5 + columns * 0.09))
    height = min(40.0, max(3.0, 1.6 + rows * 0.11))
    return Figure(figsize=(width, height))


def _draw(found: VoteMap, name: Any, title: str | None) -> None:
    import matplotlib
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    grid = np.array([[0 if c is None else OPTIONS.index(c) + 1 if c in OPTIONS else 0
                      for c in row] for row in found.cells])
    axes = found.figure.subplots()
    palette = ListedColormap(["#ffffff", *(colour(o) for o in OPTIONS)])
    axes.imshow(grid, aspect="auto", interpolation="nearest", cmap=palette, vmin=0,
                vmax=len(OPTIONS))
    size = 7 if len(found.actors) <= 60 else 5
    axes.set_yticks(range(len(found.actors)))
    with matplotlib.rc_context({"text.parse_math": False}):
        axes.set_yticklabels(found.actors, fontsize=size)
        columns = len(found.roll_calls)
        if columns <= _NAMED:
            axes.set_xticks(range(columns))
            axes.set_xticklabels(found.keys, rotation=90, fontsize=6)
        else:
            years = [d[:4] for d in found.dates]
            firsts = [i for i, y in enumerate(years) if i == 0 or years[i - 1] != y]
            step = max(1, len(firsts) // 20)
            axes.set_xticks(firsts[::step])
            axes.set_xticklabels([years[i] for i in firsts[::step]], rotation=90, fontsize=7)
        axes.set_title(title or f"Votes of {len(found.actors)} actors on {columns} roll calls, "
                                f"{found.dates[0]} to {found.dates[-1]}", fontsize=9)
    axes.legend(handles=[Patch(color=colour(o), label=o) for o in OPTIONS],
                loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    found.figure.tight_layout()
