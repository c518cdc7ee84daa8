"""Reads of mentorship. Who sees a pairing is `PairingQuerySet.visible_to`; who reads its
plan and notes is `Pairing.is_member` (the pair alone), which `MeetingQuerySet.visible_to`
follows (the permission walk reads it for meeting links)."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

LIVE = ("proposed", "active")


class ProgramQuerySet(models.QuerySet):
    def open(self) -> ProgramQuerySet:
        return self.filter(is_open=True)

    def managed_by(self, user) -> ProgramQuerySet:
        """Programmes `user` runs (all of them for admins)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(managers=user)


class MentoringProfileQuerySet(models.QuerySet):
    def mentor_pool(self) -> MentoringProfileQuerySet:
        """Profiles open to mentoring, of active people: whom matching scores."""
        return self.filter(open_to_mentor=True, user__is_active=True)

    def with_load(self, now: datetime | None = None) -> MentoringProfileQuerySet:
        """Adds `load`: the mentor's live pairings in every programme (active, and proposals
        still waiting for an answer), which capacity limits."""
        from mentorship.models import Pairing

        counted = (
            Pairing.objects.holding_slot(now)
            .filter(mentor=OuterRef("user"))
            .order_by()
            .values("mentor")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(load=models.functions.Coalesce(Subquery(counted), 0))


class ParticipationQuerySet(models.QuerySet):
    def unmatched(self) -> ParticipationQuerySet:
        """Mentees of the programme with no live or completed pairing in it: the cohort."""
        from mentorship.models import Pairing

        paired = Pairing.objects.filter(
            program=OuterRef("program"),
            mentee=OuterRef("mentee"),
            status__in=[*LIVE, "completed"],
        )
        return self.filter(~Exists(paired), mentee__is_active=True)


class PairingQuerySet(models.QuerySet):
    def live(self) -> PairingQuerySet:
        return self.filter(status__in=LIVE)

    def running(self) -> PairingQuerySet:
        return self.filter(status="active")

    def holding_slot(self, now: datetime | None = None) -> PairingQuerySet:
        """Pairings that use one of the mentor's slots: active ones, and proposals whose
        answer window is still open (an expired one frees its slot before the sweep marks
        it, so capacity never waits for a beat)."""
        now = now or timezone.now()
        return self.filter(Q(status="active") | Q(status="proposed", request__expires_at__gt=now))

    def visible_to(self, user) -> PairingQuerySet:
        """Pairings `user` may see at all: their own (as mentor or mentee), their team
        members' (managers), their programmes' (programme managers), every one (admins).
        Only the pair reads the plan and notes (`Pairing.is_member`)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        rule = Q(mentor=user) | Q(mentee=user) | Q(program__managers=user)
        if user.is_manager:
            rule |= Q(mentee__team__managers=user)
        return self.filter(rule).distinct()

    def with_health(self, now: datetime | None = None) -> PairingQuerySet:
        """Adds what managers see, in the same query: `last_meeting_at` (the last meeting held),
        `next_meeting_at`, `meetings_held`, `goal_count`, `goals_met` and `goal_progress`
        (average percent, None without goals). Never the notes or the goals' words."""
        from mentorship.models import Goal, Meeting

        now = now or timezone.now()
        meetings = Meeting.objects.filter(pairing=OuterRef("pk")).order_by()
        goals = Goal.objects.filter(pairing=OuterRef("pk")).exclude(status="dropped").order_by()

        def agg(qs, expr):
            return Subquery(qs.values("pairing").annotate(v=expr).values("v"))

        return self.annotate(
            last_meeting_at=agg(meetings.filter(starts_at__lte=now), Max("starts_at")),
            next_meeting_at=Subquery(
                meetings.filter(starts_at__gt=now).order_by("starts_at").values("starts_at")[:1]
            ),
            meetings_held=models.functions.Coalesce(
                agg(meetings.filter(starts_at__lte=now), Count("pk")), 0
            ),
            goal_count=models.functions.Coalesce(agg(goals, Count("pk")), 0),
            goals_met=models.functions.Coalesce(agg(goals.filter(status="met"), Count("pk")), 0),
            goal_progress=agg(goals, Avg("progress")),
        )


class MentorRequestQuerySet(models.QuerySet):
    def unanswered(self) -> MentorRequestQuerySet:
        return self.filter(responded_at__isnull=True, pairing__status="proposed")

    def open(self, now: datetime | None = None) -> MentorRequestQuerySet:
        return self.unanswered().filter(expires_at__gt=now or timezone.now())


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        """Meetings (agenda, notes, action items) are the pair's alone."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(pairing__mentor=user) | Q(pairing__mentee=user))
