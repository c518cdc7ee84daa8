from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, Q


class SearchLogQuerySet(models.QuerySet):
    def by_query(self, *, now: datetime, days: int) -> SearchLogQuerySet:
        """One row per normalized query searched in the last `days` (the period), with
        `searches`, `searchers`, `opened` and `max_results` for the period and `previous`,
        the searches of the period before it, for the trend."""
        start = now - timedelta(days=days)
        in_period = Q(created_at__gte=start)
        return (
            self.filter(created_at__gte=start - timedelta(days=days), created_at__lte=now)
            .values("normalized")
            .annotate(
                searches=Count("pk", filter=in_period),
                previous=Count("pk", filter=~in_period),
                searchers=Count("user", filter=in_period, distinct=True),
                opened=Count("pk", filter=in_period & Q(opened_at__isnull=False)),
                max_results=Max("result_count", filter=in_period),
            )
            .filter(searches__gt=0)
            .order_by("-searches", "normalized")
        )

    def top(self, *, now: datetime, days: int) -> SearchLogQuerySet:
        return self.by_query(now=now, days=days)

    def zero_results(self, *, now: datetime, days: int) -> SearchLogQuerySet:
        """Queries that found nothing every time in the period."""
        return self.by_query(now=now, days=days).filter(max_results=0)

    def unopened(self, *, now: datetime, days: int) -> SearchLogQuerySet:
        """Queries that found something, but nobody opened a result."""
        return self.by_query(now=now, days=days).filter(max_results__gt=0, opened=0)


class ContentRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> ContentRequestQuerySet:
        """Editors see every request; everyone else the ones assigned to them and the ones
        they asked for."""
        if user.is_kb_editor:
            return self.all()
        if not user.is_authenticated:
            return self.none()
        from search.models import ContentRequestAsk

        asked = ContentRequestAsk.objects.filter(request=OuterRef("pk"), user=user)
        return self.filter(Q(owner=user) | Exists(asked))

    def awaiting_publication(self) -> ContentRequestQuerySet:
        """Open requests whose linked article has been published: searchers are due a note."""
        return self.filter(status="open", article__status="published")
