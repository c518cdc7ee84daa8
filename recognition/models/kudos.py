"""Kudos: one giver thanks one or more colleagues, for one or more values, optionally for a
piece of work (an article, a session, a mentorship pairing or a customer interaction).

Moderation: anyone who can see a kudos may report it; a reported kudos is hidden from everyone
but its giver and admins until an admin restores it (visible again) or removes it (hidden for
good). Hidden kudos never count anywhere (wall, leaderboards, badges, balances, profiles, API).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinLengthValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from people.validators import validate_single_line
from recognition.querysets import KudosQuerySet, KudosRecipientQuerySet

MESSAGE_MAX = 1000
COMMENT_MAX = 500
# A ceiling on one kudos's points per recipient whatever the allowance (a typo of 10000
# is refused as a number out of range, not as "more than you have left").
POINTS_MAX = 1000
# A kudos for no article, session or pairing (it may still be for a customer interaction).
_NO_WORK = Q(article__isnull=True, session__isnull=True, pairing__isnull=True)


class Kudos(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", "Visible"
        REPORTED = "reported", "Reported, waiting for an admin"
        REMOVED = "removed", "Removed by an admin"

    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_given"
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="recognition.KudosRecipient",
        through_fields=("kudos", "recipient"), related_name="kudos_received",
    )  # fmt: skip
    message = models.TextField(
        max_length=MESSAGE_MAX,
        validators=[MinLengthValidator(1), MaxLengthValidator(MESSAGE_MAX)],
    )
    values = models.ManyToManyField("recognition.Value", related_name="kudos")
    # Points each recipient receives; the giver's allowance pays points times recipients.
    points = models.PositiveSmallIntegerField(
        default=10, validators=[MaxValueValidator(POINTS_MAX)]
    )
    # What it was for: at most one of an article, a session, a pairing, a customer interaction.
    article = models.ForeignKey(
        "kb.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="kudos"
    )
    session = models.ForeignKey(
        "training.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="kudos"
    )
    pairing = models.ForeignKey(
        "mentorship.Pairing", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="kudos",
    )  # fmt: skip
    ticket_ref = models.CharField(
        "ticket reference", max_length=50, blank=True, validators=[validate_single_line]
    )
    customer_quote = models.TextField(
        blank=True, max_length=MESSAGE_MAX, validators=[MaxLengthValidator(MESSAGE_MAX)]
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    created_at = models.DateTimeField(default=timezone.now)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    reported_at = models.DateTimeField(null=True, blank=True)
    report_reason = models.TextField(
        blank=True, max_length=COMMENT_MAX, validators=[MaxLengthValidator(COMMENT_MAX)]
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = KudosQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "kudos"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One kudos is for one piece of work at most: a second target would be a second
            # kudos, and the article's "thanked" count must not count a session's thanks.
            models.CheckConstraint(
                condition=_NO_WORK
                | (
                    Q(ticket_ref="")
                    & (
                        Q(article__isnull=False, session__isnull=True, pairing__isnull=True)
                        | Q(article__isnull=True, session__isnull=False, pairing__isnull=True)
                        | Q(article__isnull=True, session__isnull=True, pairing__isnull=False)
                    )
                ),
                name="recognition_kudos_one_target",
            ),
            # A customer's quote belongs to a customer interaction, named by its ticket.
            models.CheckConstraint(
                condition=Q(customer_quote="") | ~Q(ticket_ref=""),
                name="recognition_kudos_quote_has_ticket",
            ),
            models.CheckConstraint(
                condition=~Q(message=""), name="recognition_kudos_message_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(points__lte=POINTS_MAX), name="recognition_kudos_points_range"
            ),
            # A report records who and when; a decision records who and when.
            models.CheckConstraint(
                condition=Q(status="visible", reported_at__isnull=True)
                | Q(reported_at__isnull=False),
                name="recognition_kudos_reported_has_date",
            ),
        ]
        indexes = [
            # The wall: visible kudos newest first.
            models.Index(fields=["status", "-created_at"], name="recognition_kudos_wall_idx"),
            # The giver's allowance: what they gave this month (under the lock on their wallet).
            models.Index(fields=["giver", "created_at"], name="recognition_kudos_giver_idx"),
        ]

    def __str__(self) -> str:
        return f"Kudos from {self.giver} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("recognition:kudos-detail", args=[self.pk])

    @property
    def is_hidden(self) -> bool:
        return self.status != self.Status.VISIBLE

    @property
    def is_customer_interaction(self) -> bool:
        return bool(self.ticket_ref)

    def can_be_reported_by(self, user) -> bool:
        """Anyone who sees a visible kudos but did not give it may report it."""
        return (
            user.is_authenticated and self.status == self.Status.VISIBLE
            and self.giver_id != user.pk
        )  # fmt: skip


class KudosRecipient(models.Model):
    """One recipient of a kudos. The giver and the points are copied here from the kudos so
    the database itself refuses a kudos to oneself and the leaderboards sum one table."""

    kudos = models.ForeignKey(Kudos, on_delete=models.CASCADE, related_name="recipient_rows")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_rows"
    )
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_given_rows"
    )
    points = models.PositiveSmallIntegerField(validators=[MaxValueValidator(POINTS_MAX)])

    objects = KudosRecipientQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kudos", "recipient"], name="recognition_kudosrecipient_once"
            ),
            # No kudos to yourself, whatever path wrote the row.
            models.CheckConstraint(
                condition=~Q(recipient=F("giver")), name="recognition_kudosrecipient_not_self"
            ),
        ]
        indexes = [
            # Profiles, badges and the receiving leaderboard: what a person received.
            models.Index(fields=["recipient", "kudos"], name="recognition_kr_recipient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} ({self.points} points)"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        CLAP = "clap", "👏"
        HEART = "heart", "❤️"
        PARTY = "party", "🎉"
        STRONG = "strong", "💪"
        STAR = "star", "🌟"

    LABELS = {
        "clap": "Applause",
        "heart": "Love",
        "party": "Celebrate",
        "strong": "Strong work",
        "star": "Star",
    }

    kudos = models.ForeignKey(Kudos, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_reactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            # One of each kind per person: a second click takes it back (toggle), and two
            # clicks racing still leave one.
            models.UniqueConstraint(
                fields=["kudos", "user", "kind"], name="recognition_reaction_once_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.user}"


class KudosComment(models.Model):
    kudos = models.ForeignKey(Kudos, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_comments"
    )
    body = models.TextField(
        max_length=COMMENT_MAX, validators=[MinLengthValidator(1), MaxLengthValidator(COMMENT_MAX)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""), name="recognition_kudoscomment_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author} on kudos {self.kudos_id}"


class Wallet(models.Model):
    """A person's recognition account: their monthly giving allowance if it differs from the
    organisation's default. Its row is the lock that serialises one person's giving and
    redeeming, so concurrent posts can never overspend (balances are sums, never stored)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wallet"
    )
    monthly_allowance = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100_000)],
        help_text="Points this person may give each month; empty for the organisation's default.",
    )  # fmt: skip

    def __str__(self) -> str:
        return f"Wallet of {self.user}"

    @property
    def allowance(self) -> int:
        if self.monthly_allowance is None:
            return settings.RECOGNITION_MONTHLY_ALLOWANCE
        return self.monthly_allowance
