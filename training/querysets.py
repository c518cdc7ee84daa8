"""Reads of training. `TRACK_AUDIENCE` and `SESSION_AUDIENCE` are the visibility rules: the
database (`visible_to`) and the search index (`training.search_indexes`) both read them, with
the same shape as kb's article rule (everyone, or chosen teams)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from people.models import Role
from searchkit import audience

# Who may open a track: published ones open to everyone or to their teams; the owner theirs
# at any stage; KB editors every track.
TRACK_AUDIENCE = audience.Audience(
    audience.everyone(status="published", visibility="everyone"),
    audience.team_in("teams", status="published", visibility="teams"),
    audience.user_in("owner"),
    audience.role(Role.KB_EDITOR),
)

# Who may see a session: everyone or its teams; its organiser and presenters; KB editors.
SESSION_AUDIENCE = audience.Audience(
    audience.everyone(visibility="everyone"),
    audience.team_in("teams", visibility="teams"),
    audience.user_in("organiser"),
    audience.user_in("presenters"),
    audience.role(Role.KB_EDITOR),
)


class TrackQuerySet(models.QuerySet):
    def published(self) -> TrackQuerySet:
        return self.filter(status="published")

    def visible_to(self, user) -> TrackQuerySet:
        """Every track `user` may open: `TRACK_AUDIENCE`, and the tracks they are taking or
        completed (an owner unpublishing a track to rework it, or a learner moving team,
        does not lock them out of their own progress and certificate). Chain `published()`
        for lists a learner browses; search indexes published tracks by the audience alone."""
        from training.models import Enrolment

        rule = TRACK_AUDIENCE.q(self.model, user)
        if rule is None:
            return self.none()
        taking = Enrolment.objects.filter(user=user).exclude(status="withdrawn").values("track")
        return self.filter(rule | Q(pk__in=taking))

    def with_step_count(self) -> TrackQuerySet:
        """Adds `step_count`."""
        from training.models import TrackStep

        counted = (
            TrackStep.objects.filter(track=OuterRef("pk"))
            .order_by()
            .values("track")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(step_count=models.functions.Coalesce(models.Subquery(counted), 0))

    def with_enrolment_of(self, user) -> TrackQuerySet:
        """Prefetches `user`'s enrolment into `my_enrolments` (a list of at most one)."""
        from training.models import Enrolment

        return self.prefetch_related(
            models.Prefetch(
                "enrolments", queryset=Enrolment.objects.filter(user=user), to_attr="my_enrolments"
            )
        )


class TrackStepQuerySet(models.QuerySet):
    def article_steps(self) -> TrackStepQuerySet:
        return self.filter(kind="article", article__isnull=False)


class EnrolmentQuerySet(models.QuerySet):
    def active(self) -> EnrolmentQuerySet:
        return self.filter(status="active")

    def completed(self) -> EnrolmentQuerySet:
        return self.filter(status="completed")

    def current(self) -> EnrolmentQuerySet:
        """Not withdrawn: what "my training" and the team page count."""
        return self.exclude(status="withdrawn")

    def overdue(self, today: date) -> EnrolmentQuerySet:
        return self.active().filter(due_on__lt=today)

    def due_between(self, first: date, last: date) -> EnrolmentQuerySet:
        return self.active().filter(due_on__gte=first, due_on__lte=last)

    def of_team(self, team) -> EnrolmentQuerySet:
        """Enrolments of the team's active members."""
        return self.filter(user__team=team, user__is_active=True)

    def with_progress(self) -> EnrolmentQuerySet:
        """Adds `steps_total` and `steps_done` (completions counted as done), in SQL."""
        from training.models import StepCompletion, TrackStep

        steps = (
            TrackStep.objects.filter(track=OuterRef("track"))
            .order_by()
            .values("track")
            .annotate(n=Count("pk"))
            .values("n")
        )
        done = (
            StepCompletion.objects.filter(enrolment=OuterRef("pk"), status="done")
            .order_by()
            .values("enrolment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        coalesce = models.functions.Coalesce
        return self.annotate(
            steps_total=coalesce(models.Subquery(steps), 0),
            steps_done=coalesce(models.Subquery(done), 0),
        )

    def with_outdated(self) -> EnrolmentQuerySet:
        """Adds `has_outdated`: a step read here was updated in the KB since."""
        from training.models import StepCompletion

        return self.annotate(
            has_outdated=Exists(StepCompletion.objects.outdated().filter(enrolment=OuterRef("pk")))
        )


class StepCompletionQuerySet(models.QuerySet):
    def done(self) -> StepCompletionQuerySet:
        return self.filter(status="done")

    def outdated(self) -> StepCompletionQuerySet:
        """Article steps read on a revision the article has since replaced with a newly
        published one: "updated since you completed it". Only a publication moves
        `published_revision`, so a pending edit flags nothing; withdrawn learners are left
        alone."""
        return (
            self.done()
            .filter(
                step__kind="article",
                revision__isnull=False,
                step__article__status="published",
                step__article__published_revision__isnull=False,
                enrolment__status__in=["active", "completed"],
            )
            .exclude(revision=F("step__article__published_revision"))
        )


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SessionQuerySet:
        """Every session `user` may see (`SESSION_AUDIENCE`)."""
        return SESSION_AUDIENCE.filter(self, user)

    def scheduled(self) -> SessionQuerySet:
        return self.filter(status="scheduled")

    def upcoming(self, now: datetime | None = None) -> SessionQuerySet:
        """Not yet over, soonest first."""
        return self.filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now: datetime | None = None) -> SessionQuerySet:
        """Over, most recent first."""
        return self.filter(ends_at__lte=now or timezone.now()).order_by("-starts_at", "-pk")

    def starting_between(self, start: datetime, end: datetime) -> SessionQuerySet:
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def with_seat_counts(self) -> SessionQuerySet:
        """Adds `confirmed_count` and `waitlist_count`."""
        return self.annotate(
            confirmed_count=Count("signups", filter=Q(signups__status="confirmed"), distinct=True),
            waitlist_count=Count("signups", filter=Q(signups__status="waitlisted"), distinct=True),
        )


class SessionSignupQuerySet(models.QuerySet):
    def confirmed(self) -> SessionSignupQuerySet:
        return self.filter(status="confirmed")

    def waitlisted(self) -> SessionSignupQuerySet:
        """The waitlist in the order it is promoted."""
        return self.filter(status="waitlisted").order_by("signed_up_at", "pk")

    def active(self) -> SessionSignupQuerySet:
        return self.exclude(status="cancelled")


class RotationQuerySet(models.QuerySet):
    def overlapping(self, *, participant, starts_on: date, ends_on: date) -> RotationQuerySet:
        """The participant's requested or approved rotations sharing at least one day with
        `starts_on`..`ends_on` (inclusive)."""
        return self.filter(
            participant=participant,
            status__in=["requested", "approved"],
            starts_on__lte=ends_on,
            ends_on__gte=starts_on,
        )

    def involving_team(self, team) -> RotationQuerySet:
        """Rotations of the team's people or hosted by the team."""
        return self.filter(Q(participant__team=team) | Q(host_team=team))

    def upcoming(self, today: date) -> RotationQuerySet:
        return self.filter(ends_on__gte=today).exclude(status__in=["declined", "cancelled"])

    def visible_to(self, user) -> RotationQuerySet:
        """The participant, the host person, the managers of the participant's team and of
        the host team."""
        if not user.is_authenticated:
            return self.none()
        managed = user.managed_teams.values("pk")
        return self.filter(
            Q(participant=user)
            | Q(host_person=user)
            | Q(participant__team__in=managed)
            | Q(host_team__in=managed)
        )


class ExternalLearningQuerySet(models.QuerySet):
    def visible_to(self, user) -> ExternalLearningQuerySet:
        """The person and the managers of their team."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(person=user) | Q(person__team__in=user.managed_teams.values("pk")))
