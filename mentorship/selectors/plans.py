"""Placeholder (replaced by the plan's owner): what a pairing page shows of its plan."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PairingPlan:
    """A pairing's plan as its mentor and mentee see it."""

    goals: tuple = ()
    milestones: tuple = ()
    meetings: tuple = ()
    next_meeting: object = None


def pairing_plan(*, pairing, viewer, now=None) -> PairingPlan:
    """The plan of `pairing` for `viewer` (a member: callers check `pairing.is_member`)."""
    return PairingPlan()
