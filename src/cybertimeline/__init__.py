"""cybertimeline: dated, sourced events of cyber diplomacy, and any actor's position as of any date.

>>> import cybertimeline as ct
>>> tl = ct.load()
>>> tl.position("CAN", as_of="2016-01-01").treaties["budapest-convention"].status
'party'
"""

from cybertimeline._codec.converters import (
    FORMAT_VERSION,
    event_from_dict,
    event_to_dict,
    make_converter,
)
from cybertimeline._model.dates import Date, Precision
from cybertimeline._model.events import (
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
from cybertimeline._model.order import canonical_key
from cybertimeline._model.registry import Actor, Coverage, Instrument, Registry
from cybertimeline._model.sources import Source
from cybertimeline._projections.entries import (
    AdoptionEntry,
    CooperationEntry,
    LegislationEntry,
    MembershipEntry,
    SessionEntry,
    StanceEntry,
    VoteEntry,
)
from cybertimeline._projections.position import Position, PositionProjection
from cybertimeline._projections.projection import Projection, fold
from cybertimeline._projections.treaty import TreatyStatus
from cybertimeline._reports.changelog import (
    Change,
    Changelog,
    Correction,
    diff_positions,
    position_facts,
)
from cybertimeline._reports.plot import Mark, StatusSpan, Swimlanes
from cybertimeline._reports.rows import ROW_FIELDS, event_row
from cybertimeline._stores.checks import Origin
from cybertimeline._timeline.loading import create, load
from cybertimeline._timeline.timeline import Timeline
from cybertimeline._timeline.transfer import copy_into
from cybertimeline.errors import (
    ConflictError,
    DateError,
    FieldError,
    Problem,
    ReadOnlyError,
    TimelineError,
    UnknownActorError,
    UnknownEventError,
    UnknownInstrumentError,
    ValidationError,
)

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
    "FieldError",
    "Instrument",
    "Legislation",
    "LegislationEntry",
    "Mark",
    "Membership",
    "MembershipEntry",
    "Origin",
    "Position",
    "PositionProjection",
    "Precision",
    "Problem",
    "Projection",
    "Ratification",
    "ReadOnlyError",
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
