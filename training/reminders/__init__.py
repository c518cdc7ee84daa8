"""Training's reminder sources, found by the reminder engine's autodiscovery of
`reminders`: one module per concern."""

from training.reminders import due, living, rotations, sessions  # noqa: F401  (registers them)
