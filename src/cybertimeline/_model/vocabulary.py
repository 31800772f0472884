"""The closed vocabularies of events' fields (a vote's options, a stance, a session's
status, a membership's action and what a treaty act does) and the names of sections, those
read as columns among them.

Their own module, apart from the kinds (`cybertimeline._model.events`, `BaseEvent`), so that
what only names the words (a section's colours, a position read from stored rows) builds no
event class.
"""

from __future__ import annotations

import typing
from typing import Literal

__all__ = ["COLUMNAR", "MEMBERSHIP_ACTIONS", "SESSION_STATUSES", "STANCES", "VOTE_OPTIONS",
           "ActRole", "MembershipAction", "Section", "SessionStatus", "Stance", "VoteOption"]

VoteOption = Literal["yes", "no", "abstain", "absent"]
Stance = Literal["supports", "opposes", "neutral", "mixed"]
SessionStatus = Literal["scheduled", "held", "postponed", "cancelled"]
MembershipAction = Literal["join", "leave"]
ActRole = Literal["signature", "consent", "in_force", "withdrawal"]

VOTE_OPTIONS: tuple[VoteOption, ...] = typing.get_args(VoteOption)
STANCES: tuple[Stance, ...] = typing.get_args(Stance)
SESSION_STATUSES: tuple[SessionStatus, ...] = typing.get_args(SessionStatus)
MEMBERSHIP_ACTIONS: tuple[MembershipAction, ...] = typing.get_args(MembershipAction)

Section = str
"""A section of a position, by name: the built-in ones (``treaties``, ``votes``...) and any
registered later. What each is (its entries, title, words, colours) is data: its
`SectionSpec`, in the table of `cybertimeline._projections.sections`."""
COLUMNAR: frozenset[Section] = frozenset({"votes"})
"""The sections a timeline reads as columns of stored writes (`WriteRow`), never decoding the
events behind them until asked: a roll call writes one entry in each voter's position, and
a whole record holds a million of them. Their writes have a value and a detail."""
