"""Training's reminder sources, found by the reminder engine's autodiscovery of
`reminders`: one module per concern."""

from training.reminders import due, living, sessions  # noqa: F401  (registers the sources)
