"""The layouts of the voting data sets an importer reads: each a small mapping of columns,
vote values, voter codes and citation.

Two are built in: `UNVOTES`, the roll-call data set of Voeten et al. (two files:
votes and roll calls, and an optional third of issues), and `UNDL`, the UN
Digital Library's voting data (one file, a row per Member State's vote). A new
layout is a `VoteLayout` naming its columns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

import attrs

from cybertimeline._importers.voters import CodeRule, CodeSystem
from cybertimeline._model.events import VoteOption
from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.sources import Source

__all__ = ["LAYOUTS", "UNDL", "UNVOTES", "VoteLayout"]

_YUGOSLAVIA = "the Socialist Federal Republic to 1992; the Federal Republic of Yugoslavia, " \
              "admitted on 1 November 2000, which ISO 3166 coded YU until 2003"
_SERBIA_AND_MONTENEGRO = "Serbia and Montenegro, from 4 February 2003"
_SERBIA = "Serbia, which continues the membership of Serbia and Montenegro from 3 June 2006"


@attrs.frozen
class VoteLayout:
    """How one data set lays out recorded votes.

    Attributes:
        name: What it is called on the command line (``--layout``).
        title: The data set's title, for messages.
        id_prefix: The prefix of its events' ids (``unvotes`` gives ``unvotes-9087``).
        vote_columns: Column names in the votes file of ``roll_call``, ``code``,
            ``country`` and ``vote``.
        roll_call_columns: Column names (in the roll-call file, or in the votes file
            where ``one_file``) of ``roll_call``, ``session``, ``date``,
            ``resolution`` and, where it has them, ``amend``, ``para``, ``title``,
            ``description``, ``important``, ``link``, ``meeting``.
        one_file: Whether each vote's row carries its roll call's columns.
        options: Each value of the vote column -> ``yes``, ``no``, ``abstain`` or
            ``absent``.
        code_system: ``alpha-2`` or ``alpha-3``: how to read a code the table omits.
        codes: The table of historical and odd codes (`CodeRule`).
        source: The data set, as each event cites it (the locator names the roll call).
        topics: The data set's issue codes -> topic slugs (``hr`` -> ``human-rights``).
    """

    name: str
    title: str
    id_prefix: str
    vote_columns: Mapping[str, str]
    roll_call_columns: Mapping[str, str]
    one_file: bool
    options: Mapping[str, VoteOption]
    code_system: CodeSystem
    codes: tuple[CodeRule, ...]
    source: Source
    topics: Mapping[str, str] = FrozenDict()

    def symbol(self, resolution: str, session: int | None) -> str:
        """The UN symbol of a resolution as the data set writes it: ``R/73/187`` (from session
        31 on, when symbols took the form A/RES/31/...) is ``A/RES/73/187``; the rest as
        written."""
        found = _SHORT_SYMBOL.fullmatch(resolution)
        if found and int(found["session"]) >= 31 and (
                session is None or int(found["session"]) == session):
            return f"A/RES/{found['session']}/{found['number']}{found['part']}"
        return resolution

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns a votes file of this layout must have."""
        own = tuple(self.vote_columns.values())
        if self.one_file:
            return own + tuple(self.roll_call_columns[k] for k in _REQUIRED_ROLL_CALL)
        return own


_SHORT_SYMBOL = re.compile(r"R/(?P<session>[0-9]+)/(?P<number>[0-9]+)(?P<part>[A-Z]?)")
_REQUIRED_ROLL_CALL = ("roll_call", "session", "date", "resolution")


UNVOTES = VoteLayout(
    name="unvotes",
    title="United Nations General Assembly Voting Data (Voeten et al.)",
    id_prefix="unvotes",
    vote_columns=FrozenDict(roll_call="rcid", code="country_code", country="country",
                            vote="vote"),
    roll_call_columns=FrozenDict(roll_call="rcid", session="session", date="date",
                                 resolution="unres", amend="amend", para="para",
                                 title="short", description="descr",
                                 important="importantvote"),
    one_file=False,
    options=FrozenDict(yes="yes", no="no", abstain="abstain"),
    code_system="alpha-2",
    codes=(
        CodeRule("NA", "NAM", note="Namibia: the text NA, which pandas and R read as a "
                                   "missing value unless told not to"),
        CodeRule("CS", "CSK", note="Czechoslovakia, to 1992 (Czechia and Slovakia were "
                                   "admitted in 1993)"),
        CodeRule("DD", "DDR", note="the German Democratic Republic, 1973-1990"),
        CodeRule("YD", "YMD", note="Democratic Yemen (the data set's Yemen People's "
                                   "Republic), 1967-1990"),
        CodeRule("YU", "YUG", dt.date(2003, 2, 3), note=_YUGOSLAVIA),
        CodeRule("YU", "SCG", dt.date(2006, 6, 2), note=_SERBIA_AND_MONTENEGRO),
        CodeRule("YU", "SRB", note=_SERBIA),
        CodeRule("SU", "RUS", note="the USSR, whose membership the Russian Federation "
                                   "continues (this data set writes it RU throughout)"),
        CodeRule("TW", "CHN", note="the Republic of China, which held China's seat until "
                                   "resolution 2758 (XXVI) of 25 October 1971: the UN "
                                   "records these votes as China's (map TW=TWN to keep "
                                   "them apart)"),
        CodeRule("Federal Republic of Germany", "DEU",
                 note="no code; 1973-1990: Germany continues its membership"),
        CodeRule("Yemen Arab Republic", "YEM",
                 note="no code; to 1990: Yemen continues its membership"),
        CodeRule("Zanzibar", "ZANZIBAR",
                 note="no code; a Member State from December 1963 to its union with "
                      "Tanganyika in April 1964"),
    ),
    source=Source(title="United Nations General Assembly Voting Data",
                  publisher="Erik Voeten et al., Harvard Dataverse",
                  url="https://hdl.handle.net/1902.1/12379"),
    topics=FrozenDict(me="palestinian-conflict", nu="nuclear-weapons", di="arms-control",
                      hr="human-rights", co="colonialism", ec="economic-development"),
)
"""Voeten et al.'s roll-call data set (as the ``unvotes`` R package and TidyTuesday publish
it): ``un_votes.csv`` (``rcid,country,country_code,vote``) and ``un_roll_calls.csv``
(``rcid,session,importantvote,date,unres,amend,para,short,descr``)."""

UNDL = VoteLayout(
    name="undl",
    title="UN Digital Library: General Assembly Voting Data",
    id_prefix="undl",
    vote_columns=FrozenDict(roll_call="undl_id", code="ms_code", country="ms_name",
                            vote="ms_vote"),
    roll_call_columns=FrozenDict(roll_call="undl_id", session="session", date="date",
                                 resolution="resolution", title="title",
                                 description="agenda_title", link="undl_link",
                                 meeting="meeting"),
    one_file=True,
    options=FrozenDict(Y="yes", N="no", A="abstain", X="absent"),
    code_system="alpha-3",
    codes=(
        CodeRule("CSK", "CSK", note="Czechoslovakia, to 1992"),
        CodeRule("DDR", "DDR", note="the German Democratic Republic, 1973-1990"),
        CodeRule("YMD", "YMD", note="Democratic Yemen, 1967-1990"),
        CodeRule("YUG", "YUG", dt.date(2003, 2, 3), note=_YUGOSLAVIA),
        CodeRule("YUG", "SCG", dt.date(2006, 6, 2), note=_SERBIA_AND_MONTENEGRO),
        CodeRule("YUG", "SRB", note=_SERBIA),
        CodeRule("SCG", "SCG", note=_SERBIA_AND_MONTENEGRO),
        CodeRule("SUN", "RUS", note="the USSR, whose membership the Russian Federation "
                                    "continues"),
        CodeRule("BYS", "BLR", note="the Byelorussian SSR: Belarus"),
        CodeRule("ZAR", "COD", note="Zaire: the Democratic Republic of the Congo"),
        CodeRule("BUR", "MMR", note="Burma: Myanmar"),
        CodeRule("DHY", "BEN", note="Dahomey: Benin"),
        CodeRule("HVO", "BFA", note="Upper Volta: Burkina Faso"),
        CodeRule("TMP", "TLS", note="East Timor: Timor-Leste"),
    ),
    source=Source(title="United Nations General Assembly Voting Data",
                  publisher="UN Dag Hammarskjöld Library",
                  url="https://digitallibrary.un.org/record/4060887"),
)
"""The UN Digital Library's voting data (``undl_id, ms_code, ms_name, ms_vote, date,
session, resolution, ..., title, agenda_title, ..., undl_link``): a row per Member State's
vote (Y, N, A, or X for non-voting); codes are three letters. Former states' ISO 3166-3
codes are mapped, should the file use them."""

LAYOUTS: Mapping[str, VoteLayout] = FrozenDict({layout.name: layout
                                                 for layout in (UNVOTES, UNDL)})
"""The built-in layouts by name."""
