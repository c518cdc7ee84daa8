"""Mentorship's nudges, found by the reminder engine's autodiscovery of `reminders`: one
module per concern. They keep pairs alive: the pair hears before a meeting, when they have
not met for a while, when a milestone or an action item comes due, and when it is time to
wrap up; the mentor hears when a request waits; the mentee's managers hear when a pair stalls.
"""

from mentorship.reminders import meetings, plan, requests, wrapup  # noqa: F401  (registers them)
