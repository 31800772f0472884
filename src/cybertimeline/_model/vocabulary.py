"""The closed vocabularies of events' fields: a vote's options, a stance, a session's
status, a membership's action and what a treaty act does.

Their own module, apart from the kinds (`cybertimeline._model.events`), so that what only
names the words (a section's colours, a position read from stored rows) builds no event
class.
"""

from __future__ import annotations

import typing
from typing import Literal

__all__ = ["MEMBERSHIP_ACTIONS", "SESSION_STATUSES", "STANCES", "VOTE_OPTIONS", "ActRole",
           "MembershipAction", "SessionStatus", "Stance", "VoteOption"]

VoteOption = Literal["yes", "no", "abstain", "absent"]
Stance = Literal["supports", "opposes", "neutral", "mixed"]
SessionStatus = Literal["scheduled", "held", "postponed", "cancelled"]
MembershipAction = Literal["join", "leave"]
ActRole = Literal["signature", "consent", "in_force", "withdrawal"]

VOTE_OPTIONS: tuple[VoteOption, ...] = typing.get_args(VoteOption)
STANCES: tuple[Stance, ...] = typing.get_args(Stance)
SESSION_STATUSES: tuple[SessionStatus, ...] = typing.get_args(SessionStatus)
MEMBERSHIP_ACTIONS: tuple[MembershipAction, ...] = typing.get_args(MembershipAction)
