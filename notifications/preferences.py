"""Which group a notification kind belongs to, and how a person wants it delivered.

A kind's group is the part before its dot ("kb.review" is "kb"). The kinds from before
that convention are mapped by hand in `LEGACY_KINDS`; any other kind without a known group is
delivered at once, as every notification was before preferences existed.
"""

from __future__ import annotations

from notifications.models import Delivery, NotificationPreference

# (field on NotificationPreference, label on the preferences page), in page order.
GROUPS: tuple[tuple[str, str], ...] = (
    ("kb", "Knowledge base: reviews, verification, comments, follows"),
    ("search", "Search: content requests"),
    ("questions", "Questions and answers"),
    ("training", "Training and sessions"),
    ("mentorship", "Mentorship"),
    ("recognition", "Recognition: kudos, badges, nominations"),
    ("people", "Your profile"),
)
GROUP_NAMES = frozenset(name for name, _ in GROUPS)
GROUP_LABELS = dict(GROUPS)

# Kinds without a dot. Only "onboarding" (the reminder to finish one's profile) is sent
# today; the others are the step kinds a notification could once have been named after.
LEGACY_KINDS = {
    "onboarding": "people",
    "article": "kb",
    "task": "training",
    "quiz": "training",
    "session": "training",
}

# Kinds that are themselves a digest (the weekly recognition summary). For a person who has a
# digest they always travel in it, whatever their group's choice (unless in-app only), so
# nobody gets two digest emails.
FOLDED_KINDS = frozenset({"recognition.digest"})


def kind_group(kind: str) -> str | None:
    """The preference group of `kind`, or None when it has none."""
    if kind in LEGACY_KINDS:
        return LEGACY_KINDS[kind]
    prefix, dot, _ = kind.partition(".")
    return prefix if dot and prefix in GROUP_NAMES else None


def choices_of(preference: NotificationPreference | None) -> dict[str, str]:
    """Each group's delivery for a person (the defaults when they never chose)."""
    return {
        name: getattr(preference, name) if preference else Delivery.IMMEDIATELY
        for name, _ in GROUPS
    }


def has_digest(choices: dict[str, str]) -> bool:
    """Whether the person gets a digest at all: only when some group goes into it."""
    return Delivery.DIGEST in choices.values()


def delivery_for(*, recipient, kind: str) -> str:
    """How a new notification of `kind` reaches `recipient`, in at most one query.

    Nobody is emailed who turned email off or has no address: that switch stays the one that
    silences everything. Otherwise the person's choice for the kind's group decides.
    """
    if not (recipient.email_notifications and recipient.email):
        return Delivery.IN_APP
    group = kind_group(kind)
    if group is None:
        return Delivery.IMMEDIATELY
    row = NotificationPreference.objects.filter(user=recipient.pk).values(*GROUP_NAMES).first()
    choices = row or choices_of(None)
    chosen = choices[group]
    if kind in FOLDED_KINDS and chosen == Delivery.IMMEDIATELY and has_digest(choices):
        return Delivery.DIGEST
    return chosen
