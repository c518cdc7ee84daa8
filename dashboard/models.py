"""The dashboard's one record: a hand-over, kept so that who moved whose work to whom, and
when, can be read back after the person has left (their rows now name the successors)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class HandOver(models.Model):
    """One applied hand-over of a person's work (`dashboard.handover.handover_apply`)."""

    class Action(models.TextChoices):
        DEACTIVATE = "deactivate", "Deactivate (leaves Huddle)"
        MOVE = "move", "Move to another team"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers"
    )
    # Who applied it; kept as history when that account goes too.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    from_team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What moved, per kind: {"articles": {"successor": id or null, "count": n, "items": [...]}}.
    # A summary for reading back, not a relation: the moved rows themselves changed owner.
    moved = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A deactivation never names a new team. A move's may be null later (its team
            # deleted, SET_NULL keeps the record), so the service is what requires one.
            models.CheckConstraint(
                condition=Q(action="move") | Q(to_team__isnull=True),
                name="dashboard_handover_team_only_on_move",
            ),
        ]
        indexes = [
            # A person's hand-overs, newest first (the admin and the profile link).
            models.Index(fields=["person", "-created_at"], name="dashboard_handover_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.person} ({self.created_at:%Y-%m-%d})"

    def total_moved(self) -> int:
        return sum(int(kind.get("count", 0)) for kind in self.moved.values())
