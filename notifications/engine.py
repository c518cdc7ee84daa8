"""The reminder engine's registry.

Apps that remind declare sources in their own `reminders.py`:

    @reminder_source("onboarding")
    def incomplete_profiles(now):
        yield Reminder(recipient=..., kind="onboarding", message=..., url=..., dedupe_key=...)

The sweep (a beat task) finds every app's `reminders.py` through Django's module
autodiscovery, so this app never imports the apps above it. A source reads the database for
what is due at `now`; the dedupe key says what "once" means for that reminder (per user, per
lapse, per meeting...), and `notify` guarantees it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Reminder:
    recipient: Any  # people.User
    kind: str
    message: str
    url: str
    dedupe_key: str


ReminderSource = Callable[[datetime], Iterable[Reminder]]
_sources: dict[str, ReminderSource] = {}


def reminder_source(name: str) -> Callable[[ReminderSource], ReminderSource]:
    """Register `func(now) -> Iterable[Reminder]` under a unique name."""

    def register(func: ReminderSource) -> ReminderSource:
        _sources[name] = func
        return func

    return register


def reminder_sources() -> dict[str, ReminderSource]:
    autodiscover_modules("reminders")
    return dict(_sources)
