"""cybertimeline: dated, sourced events of cyber diplomacy, and any actor's position as of any date.

>>> import cybertimeline as ct
>>> tl = ct.load()
>>> tl.position("CAN", as_of="2016-01-01").treaties["budapest-convention"].status
'party'
"""

from ._changelog import Change, Changelog, Correction, diff_positions, position_facts
from ._codec import FORMAT_VERSION, event_from_dict, event_to_dict, make_converter
from ._dates import Date, Precision
from ._errors import (
    ConflictError,
    DateError,
    Problem,
    TimelineError,
    UnknownActorError,
    UnknownEventError,
    UnknownInstrumentError,
    ValidationError,
)
from ._events import (
    Acceptance,
    Accession,
    Adoption,
    Approval,
    Cooperation,
    EntryIntoForce,
    Event,
    Legislation,
    Membership,
    Ratification,
    Retraction,
    Session,
    Signature,
    Statement,
    Tally,
    Vote,
    Withdrawal,
)
from ._export import ROW_FIELDS, event_row
from ._index import canonical_key
from ._loading import create, load
from ._plot import Mark, StatusSpan, Swimlanes
from ._position import (
    AdoptionEntry,
    CooperationEntry,
    LegislationEntry,
    MembershipEntry,
    Position,
    PositionProjection,
    SessionEntry,
    StanceEntry,
    TreatyStatus,
    VoteEntry,
)
from ._projection import Projection, fold
from ._registry import Actor, Coverage, Instrument, Registry
from ._sources import Source
from ._timeline import Timeline
from ._transfer import copy_into

__version__ = "0.1.0"

__all__ = [
    "FORMAT_VERSION",
    "ROW_FIELDS",
    "Acceptance",
    "Accession",
    "Actor",
    "Adoption",
    "AdoptionEntry",
    "Approval",
    "Change",
    "Changelog",
    "ConflictError",
    "Cooperation",
    "CooperationEntry",
    "Correction",
    "Coverage",
    "Date",
    "DateError",
    "EntryIntoForce",
    "Event",
    "Instrument",
    "Legislation",
    "LegislationEntry",
    "Mark",
    "Membership",
    "MembershipEntry",
    "Position",
    "PositionProjection",
    "Precision",
    "Problem",
    "Projection",
    "Ratification",
    "Registry",
    "Retraction",
    "Session",
    "SessionEntry",
    "Signature",
    "Source",
    "StanceEntry",
    "Statement",
    "StatusSpan",
    "Swimlanes",
    "Tally",
    "Timeline",
    "TimelineError",
    "TreatyStatus",
    "UnknownActorError",
    "UnknownEventError",
    "UnknownInstrumentError",
    "ValidationError",
    "Vote",
    "VoteEntry",
    "Withdrawal",
    "canonical_key",
    "copy_into",
    "create",
    "diff_positions",
    "event_from_dict",
    "event_row",
    "event_to_dict",
    "fold",
    "load",
    "make_converter",
    "position_facts",
]
