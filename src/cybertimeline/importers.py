"""Importers for the public record: UN General Assembly roll-call votes and treaty charts.

>>> import cybertimeline as ct
>>> from cybertimeline import importers
>>> tl = ct.create("votes.sqlite")                                  # doctest: +SKIP
>>> importers.import_votes(tl, "un_votes.csv.gz", "un_roll_calls.csv.gz")  # doctest: +SKIP

Each import is safe to repeat: what the store holds as it is adds nothing, what
changed becomes a correction, and all is written at once or not at all. See
``docs/how-to/import-votes.md`` and ``docs/how-to/import-chart.md``.
"""

from __future__ import annotations

from cybertimeline._importers.chart_csv import CHART_HEADER, write_chart
from cybertimeline._importers.charts import COLUMNS, ChartRead, import_chart, read_chart
from cybertimeline._importers.layouts import LAYOUTS, UNDL, UNVOTES, VoteLayout
from cybertimeline._importers.records import ImportReport
from cybertimeline._importers.rollcalls import Progress
from cybertimeline._importers.voters import FORMER_STATES, CodeRule
from cybertimeline._importers.votes import VoteFilter, VotesRead, import_votes, read_votes

__all__ = [
    "CHART_HEADER",
    "COLUMNS",
    "FORMER_STATES",
    "LAYOUTS",
    "UNDL",
    "UNVOTES",
    "ChartRead",
    "CodeRule",
    "ImportReport",
    "Progress",
    "VoteFilter",
    "VoteLayout",
    "VotesRead",
    "import_chart",
    "import_votes",
    "read_chart",
    "read_votes",
    "write_chart",
]
