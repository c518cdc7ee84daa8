"""Recognition's reminder sources, one module per concern; importing this package (the
reminder engine's autodiscovery) registers them all."""

from recognition.reminders import digest, nominations  # noqa: F401
