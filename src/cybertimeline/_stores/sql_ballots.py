"""A section's ballots as both SQL stores keep them: pairs of ids of ``names`` in one blob.

An entry of a columnar section (votes) keeps its writes whole in a row of ``ballots``:
little-endian 32-bit pairs, the actor's id and the value's (`NO_NAME` for none), ids of
the table ``names`` (``id``, ``name`` unique). SQLite and PostgreSQL write the same bytes
(`ballots_made`), check them the same way (`sql_rows.rows_problem`) and read them the same
way (`read_blob`, `numbered`: `SqlIndex`).
"""

from __future__ import annotations

import array
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from cybertimeline._model.vocabulary import COLUMNAR

if TYPE_CHECKING:
    import numpy.typing as npt

    from cybertimeline._model.event import WriteRow

__all__ = ["NO_NAME", "ballots_blob", "ballots_made", "batched", "numbered", "read_blob"]

NO_NAME = 0
"""The id of no name (a write without a value); ``names`` counts from 1."""


def ballots_blob(pairs: Iterable[tuple[int, int]]) -> bytes:
    """``(actor id, value id)`` pairs as the ``ballots`` column holds them."""
    packed = array.array("i", [number for pair in pairs for number in pair])
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def ballots_made(written: Sequence[WriteRow], id_of: Callable[[str], int]
                 ) -> list[tuple[str, bytes]]:
    """The rows ``(section, blob)`` of ``ballots`` that an event's writes (`written`) make,
    one per columnar section it writes, with ``id_of`` each name."""
    sections = dict.fromkeys(section for _, section, *_ in written if section in COLUMNAR)
    return [(section, ballots_blob((id_of(whose), NO_NAME if value is None else id_of(value))
                                   for whose, found, _, value, _ in written
                                   if found == section))
            for section in sections]


def read_blob(blob: bytes) -> array.array[int]:
    """The ids a ``ballots`` column holds, in order (actor, value, actor, value...).

    Raises:
        ValueError: it is no whole number of pairs.
    """
    if not isinstance(blob, bytes) or len(blob) % 8:
        raise ValueError("a ballots column of another shape")
    ids = array.array("i")
    ids.frombytes(blob)
    if sys.byteorder == "big":
        ids.byteswap()
    return ids


def batched(values: Sequence[int], size: int) -> Iterator[tuple[int, ...]]:
    """``values`` in tuples of ``size`` (itertools.batched, of Python 3.12)."""
    return zip(*[iter(values)] * size, strict=True)


def numbered(ids: npt.NDArray[Any], largest: int) -> tuple[list[int], npt.NDArray[Any]]:
    """The distinct ``ids`` (ids of ``names``, 0 to ``largest``) and each one's place among
    them: `numpy.unique` with ``return_inverse``, in one pass rather than a sort.

    Raises:
        ValueError: an id is outside 0 to ``largest``.
    """
    import numpy as np

    if ids.size and (int(ids.min()) < 0 or int(ids.max()) > largest):
        raise ValueError("a ballot names no name")
    if largest > 4 * ids.size + 1024:  # ids far apart (a hand-edited table): sort instead
        distinct, places = np.unique(ids, return_inverse=True)
        return distinct.tolist(), places.astype(np.int32)
    present = np.zeros(largest + 1, dtype=bool)
    present[ids] = True
    distinct = np.flatnonzero(present)
    place = np.zeros(largest + 1, dtype=np.int32)
    place[distinct] = np.arange(distinct.size, dtype=np.int32)
    return distinct.tolist(), place[ids]
