"""Working days (Monday to Friday) on the organisation's clock (settings.TIME_ZONE).

Re-routing waits a number of working days, not calendar days: a question asked on Friday at
16:00 has had one working day by Monday at 16:00. The calendar arithmetic is numpy's
business-day functions; only the conversion to and from local time is done here.
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo

import numpy as np
from django.utils import timezone


def _local(moment: datetime, zone: tzinfo | None) -> datetime:
    return moment.astimezone(zone or timezone.get_default_timezone())


def _day(value: date) -> np.datetime64:
    return np.datetime64(value, "D")


def _at(day: np.datetime64, clock: time, zone: tzinfo) -> datetime:
    return datetime.combine(day.item(), clock.replace(tzinfo=None), tzinfo=zone)


def working_days_after(moment: datetime, days: int, *, zone: tzinfo | None = None) -> datetime:
    """The moment `days` working days after `moment`, at the same local time.

    A moment on a weekend counts from the start of the next working day: a question asked
    on Saturday has had its first working day at the end of Monday, not on Monday morning.
    """
    local = _local(moment, zone)
    day, clock = _day(local.date()), local.timetz()
    if not np.is_busday(day):
        day, clock = np.busday_offset(day, 0, roll="forward"), time(0)
    return _at(np.busday_offset(day, days, roll="forward"), clock, local.tzinfo)


def working_days_before(moment: datetime, days: int, *, zone: tzinfo | None = None) -> datetime:
    """The start (local midnight) of the working day `days` working days before `moment`'s
    day; a weekend day counts as the working day before it."""
    local = _local(moment, zone)
    day = np.busday_offset(_day(local.date()), -days, roll="backward")
    return _at(day, time(0), local.tzinfo)
