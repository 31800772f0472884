"""cybertimeline: dated, sourced events of cyber diplomacy, and any actor's position as of any date.

>>> import cybertimeline as ct
>>> tl = ct.load()
>>> tl.position("CAN", as_of="2016-01-01").treaties["budapest-convention"].status
'party'

Each name is imported when first used.
"""

import typing

if typing.TYPE_CHECKING:
    from cybertimeline._codec.converters import event_to_dict, make_converter
    from cybertimeline._codec.reading import event_from_dict
    from cybertimeline._codec.versions import FORMAT_VERSION
    from cybertimeline._model.dates import Date, DateLike, Precision
    from cybertimeline._model.event import BaseEvent, Write
    from cybertimeline._model.events import (
        Acceptance,
        Accession,
        ActRole,
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
        Succession,
        Tally,
        TreatyAct,
        Vote,
        Withdrawal,
        register_kind,
        unregister_kind,
    )
    from cybertimeline._model.order import canonical_key
    from cybertimeline._model.registry import (
        Actor,
        Coverage,
        EntryRule,
        Instrument,
        Milestone,
        Registry,
    )
    from cybertimeline._model.sources import Source
    from cybertimeline._projections.chart import DepositaryCounts, TreatyChart
    from cybertimeline._projections.entries import (
        AdoptionEntry,
        CooperationEntry,
        LegislationEntry,
        MembershipEntry,
        SessionEntry,
        StanceEntry,
        VoteEntry,
    )
    from cybertimeline._projections.position import (
        Position,
        PositionProjection,
        SectionSpec,
        register_section,
        sections,
    )
    from cybertimeline._projections.projection import Projection, fold
    from cybertimeline._projections.treaty import TreatyStatus
    from cybertimeline._reports.agreement import Agreement, PairScore, agreement
    from cybertimeline._reports.changelog import Changelog, changelog
    from cybertimeline._reports.changepoints import (
        ChartChanges,
        Steps,
        chart_change_points,
        position_change_points,
        vote_change_points,
    )
    from cybertimeline._reports.changes import (
        Change,
        Correction,
        diff_positions,
        position_facts,
    )
    from cybertimeline._reports.compare import Compared, Comparison, compare
    from cybertimeline._reports.drawing import plot
    from cybertimeline._reports.frames import events_frame, positions_frame
    from cybertimeline._reports.heatmap import VoteMap, vote_map
    from cybertimeline._reports.listing import EventListing
    from cybertimeline._reports.resolutions import (
        RESOLUTION_ROW_FIELDS,
        ResolutionView,
        resolution,
    )
    from cybertimeline._reports.rows import ROW_FIELDS, event_row
    from cybertimeline._reports.swimlanes import Mark, StatusSpan, Swimlanes
    from cybertimeline._reports.timelinejs import timelinejs
    from cybertimeline._reports.website import SiteSummary, build_site
    from cybertimeline._stores.checks import Origin
    from cybertimeline._timeline.loading import copy_into, create, load
    from cybertimeline._timeline.timeline import Timeline
    from cybertimeline.errors import (
        AmbiguousActorError,
        ConflictError,
        DateError,
        FieldError,
        NoStoreError,
        Problem,
        ReadOnlyError,
        TimelineError,
        UnknownActorError,
        UnknownEventError,
        UnknownInstrumentError,
        ValidationError,
    )

_LAZY = {
    "Date": "cybertimeline._model.dates",
    "DateLike": "cybertimeline._model.dates",
    "Precision": "cybertimeline._model.dates",
    "AmbiguousActorError": "cybertimeline.errors",
    "ConflictError": "cybertimeline.errors",
    "DateError": "cybertimeline.errors",
    "FieldError": "cybertimeline.errors",
    "NoStoreError": "cybertimeline.errors",
    "Problem": "cybertimeline.errors",
    "ReadOnlyError": "cybertimeline.errors",
    "TimelineError": "cybertimeline.errors",
    "UnknownActorError": "cybertimeline.errors",
    "UnknownEventError": "cybertimeline.errors",
    "UnknownInstrumentError": "cybertimeline.errors",
    "ValidationError": "cybertimeline.errors",
    "BaseEvent": "cybertimeline._model.event",
    "Write": "cybertimeline._model.event",
    "Acceptance": "cybertimeline._model.events",
    "Accession": "cybertimeline._model.events",
    "ActRole": "cybertimeline._model.events",
    "Adoption": "cybertimeline._model.events",
    "Approval": "cybertimeline._model.events",
    "Cooperation": "cybertimeline._model.events",
    "EntryIntoForce": "cybertimeline._model.events",
    "Event": "cybertimeline._model.events",
    "Legislation": "cybertimeline._model.events",
    "Membership": "cybertimeline._model.events",
    "Ratification": "cybertimeline._model.events",
    "Retraction": "cybertimeline._model.events",
    "Session": "cybertimeline._model.events",
    "Signature": "cybertimeline._model.events",
    "Statement": "cybertimeline._model.events",
    "Succession": "cybertimeline._model.events",
    "Tally": "cybertimeline._model.events",
    "TreatyAct": "cybertimeline._model.events",
    "Vote": "cybertimeline._model.events",
    "Withdrawal": "cybertimeline._model.events",
    "register_kind": "cybertimeline._model.events",
    "unregister_kind": "cybertimeline._model.events",
    "canonical_key": "cybertimeline._model.order",
    "Actor": "cybertimeline._model.registry",
    "Coverage": "cybertimeline._model.registry",
    "EntryRule": "cybertimeline._model.registry",
    "Instrument": "cybertimeline._model.registry",
    "Milestone": "cybertimeline._model.registry",
    "Registry": "cybertimeline._model.registry",
    "Source": "cybertimeline._model.sources",
    "Agreement": "cybertimeline._reports.agreement",
    "PairScore": "cybertimeline._reports.agreement",
    "agreement": "cybertimeline._reports.agreement",
    "AdoptionEntry": "cybertimeline._projections.entries",
    "Change": "cybertimeline._reports.changes",
    "Changelog": "cybertimeline._reports.changelog",
    "Compared": "cybertimeline._reports.compare",
    "Comparison": "cybertimeline._reports.compare",
    "compare": "cybertimeline._reports.compare",
    "ChartChanges": "cybertimeline._reports.changepoints",
    "Steps": "cybertimeline._reports.changepoints",
    "chart_change_points": "cybertimeline._reports.changepoints",
    "position_change_points": "cybertimeline._reports.changepoints",
    "vote_change_points": "cybertimeline._reports.changepoints",
    "CooperationEntry": "cybertimeline._projections.entries",
    "Correction": "cybertimeline._reports.changes",
    "DepositaryCounts": "cybertimeline._projections.chart",
    "EventListing": "cybertimeline._reports.listing",
    "FORMAT_VERSION": "cybertimeline._codec.versions",
    "LegislationEntry": "cybertimeline._projections.entries",
    "Mark": "cybertimeline._reports.swimlanes",
    "MembershipEntry": "cybertimeline._projections.entries",
    "Origin": "cybertimeline._stores.checks",
    "Position": "cybertimeline._projections.position",
    "PositionProjection": "cybertimeline._projections.position",
    "SectionSpec": "cybertimeline._projections.position",
    "register_section": "cybertimeline._projections.position",
    "sections": "cybertimeline._projections.position",
    "Projection": "cybertimeline._projections.projection",
    "RESOLUTION_ROW_FIELDS": "cybertimeline._reports.resolutions",
    "ROW_FIELDS": "cybertimeline._reports.rows",
    "ResolutionView": "cybertimeline._reports.resolutions",
    "SessionEntry": "cybertimeline._projections.entries",
    "SiteSummary": "cybertimeline._reports.website",
    "StanceEntry": "cybertimeline._projections.entries",
    "StatusSpan": "cybertimeline._reports.swimlanes",
    "Swimlanes": "cybertimeline._reports.swimlanes",
    "Timeline": "cybertimeline._timeline.timeline",
    "TreatyChart": "cybertimeline._projections.chart",
    "TreatyStatus": "cybertimeline._projections.treaty",
    "VoteEntry": "cybertimeline._projections.entries",
    "VoteMap": "cybertimeline._reports.heatmap",
    "vote_map": "cybertimeline._reports.heatmap",
    "build_site": "cybertimeline._reports.website",
    "changelog": "cybertimeline._reports.changelog",
    "resolution": "cybertimeline._reports.resolutions",
    "copy_into": "cybertimeline._timeline.loading",
    "create": "cybertimeline._timeline.loading",
    "diff_positions": "cybertimeline._reports.changes",
    "event_from_dict": "cybertimeline._codec.reading",
    "event_row": "cybertimeline._reports.rows",
    "event_to_dict": "cybertimeline._codec.converters",
    "events_frame": "cybertimeline._reports.frames",
    "fold": "cybertimeline._projections.projection",
    "load": "cybertimeline._timeline.loading",
    "make_converter": "cybertimeline._codec.converters",
    "plot": "cybertimeline._reports.drawing",
    "position_facts": "cybertimeline._reports.changes",
    "positions_frame": "cybertimeline._reports.frames",
    "timelinejs": "cybertimeline._reports.timelinejs",
}
"""Every name is imported on first use: the dates and errors, the kinds of events, the
registry, the codec, stores, projections, the timeline and the reports; so ``import
cybertimeline`` costs next to nothing, the command line imports only what its command needs
(with the cyclic garbage collector paused: `cybertimeline.__main__`), and a position read
from stored rows builds no event class."""


_MODULES = ("errors", "importers")
"""The public submodules: ``cybertimeline.errors`` and ``cybertimeline.importers``."""


def __getattr__(name: str) -> typing.Any:
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _MODULES:
        return importlib.import_module(f"cybertimeline.{name}")
    if name == "__version__":
        from importlib.metadata import version

        return version("cybertimeline")
    raise AttributeError(f"module 'cybertimeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public API (`__all__`) and ``__version__``: not the helpers this module uses."""
    return sorted({*__all__, "__version__"})


__all__ = [
    "FORMAT_VERSION",
    "RESOLUTION_ROW_FIELDS",
    "ROW_FIELDS",
    "Acceptance",
    "Accession",
    "ActRole",
    "Actor",
    "Adoption",
    "AdoptionEntry",
    "Agreement",
    "AmbiguousActorError",
    "Approval",
    "BaseEvent",
    "Change",
    "Changelog",
    "ChartChanges",
    "Compared",
    "Comparison",
    "ConflictError",
    "Cooperation",
    "CooperationEntry",
    "Correction",
    "Coverage",
    "Date",
    "DateError",
    "DateLike",
    "DepositaryCounts",
    "EntryIntoForce",
    "EntryRule",
    "Event",
    "EventListing",
    "FieldError",
    "Instrument",
    "Legislation",
    "LegislationEntry",
    "Mark",
    "Membership",
    "MembershipEntry",
    "Milestone",
    "NoStoreError",
    "Origin",
    "PairScore",
    "Position",
    "PositionProjection",
    "Precision",
    "Problem",
    "Projection",
    "Ratification",
    "ReadOnlyError",
    "Registry",
    "ResolutionView",
    "Retraction",
    "SectionSpec",
    "Session",
    "SessionEntry",
    "Signature",
    "SiteSummary",
    "Source",
    "StanceEntry",
    "Statement",
    "StatusSpan",
    "Steps",
    "Succession",
    "Swimlanes",
    "Tally",
    "Timeline",
    "TimelineError",
    "TreatyAct",
    "TreatyChart",
    "TreatyStatus",
    "UnknownActorError",
    "UnknownEventError",
    "UnknownInstrumentError",
    "ValidationError",
    "Vote",
    "VoteEntry",
    "VoteMap",
    "Withdrawal",
    "Write",
    "agreement",
    "build_site",
    "canonical_key",
    "changelog",
    "chart_change_points",
    "compare",
    "copy_into",
    "create",
    "diff_positions",
    "errors",
    "event_from_dict",
    "event_row",
    "event_to_dict",
    "events_frame",
    "fold",
    "importers",
    "load",
    "make_converter",
    "plot",
    "position_change_points",
    "position_facts",
    "positions_frame",
    "register_kind",
    "register_section",
    "resolution",
    "sections",
    "timelinejs",
    "unregister_kind",
    "vote_change_points",
    "vote_map",
]

del typing  # used above; not part of the namespace
