"""Reports built on a timeline's positions: changelogs, exports, frames.

``Timeline`` inherits these methods; each lives with its own module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._timeline import Timeline  # noqa: F401


class Reports:
    """The report methods of :class:`Timeline`."""
