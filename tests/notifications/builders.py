"""Building notification preferences for tests, through the service people's form uses."""

from __future__ import annotations

from notifications.models import Delivery
from notifications.services import notification_preferences_save


def prefer(user, *, digest: tuple[str, ...] = (), in_app: tuple[str, ...] = (), **when):
    """Set `user`'s groups in `digest` to digest only and those in `in_app` to in-app only
    (the rest at once), and the digest's `digest_frequency`, `digest_weekday`, `digest_hour`."""
    choices = {name: Delivery.DIGEST for name in digest}
    choices |= {name: Delivery.IN_APP for name in in_app}
    return notification_preferences_save(user=user, **choices, **when)
