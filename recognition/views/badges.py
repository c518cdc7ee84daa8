"""The values kudos are given for, with what qualifies, and the badges with how to earn them.
Both are read-only pages for everyone signed in; admins change values and badges in the
admin."""

from __future__ import annotations

from django.db.models import Count, F, Func, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_safe

from recognition.models import Badge, BadgeAward, Kudos, Value
from recognition.selectors.periods import month_start


@require_safe
def value_list(request: HttpRequest) -> HttpResponse:
    """Every value still offered, with its criteria and how many kudos that count named it
    this month (the organisation's month, as the allowance counts it): one query."""
    start = month_start(timezone.now())
    named = (
        Kudos.objects.counted()
        .between(start, None)
        .filter(values=OuterRef("pk"))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    values = list(Value.objects.filter(is_active=True).annotate(month_count=Subquery(named)))
    # The 1st in the organisation's zone: named from its own date, not the viewer's clock.
    context = {"values": values, "month_label": date_format(start.date(), "F Y")}
    return render(request, "recognition/badges/value_list.html", context)


@require_safe
def badge_list(request: HttpRequest) -> HttpResponse:
    """Every badge still awarded, with how to earn it, how many active colleagues hold it,
    and when the viewer earned it (None: not yet): one query."""
    mine = BadgeAward.objects.filter(badge=OuterRef("pk"), user=request.user)
    badges = list(
        Badge.objects.filter(is_active=True).annotate(
            holder_count=Count("awards", filter=Q(awards__user__is_active=True)),
            earned_at=Subquery(mine.values("awarded_at")[:1]),
        )
    )
    held = sum(1 for badge in badges if badge.earned_at)
    context = {"badges": badges, "held": held}
    return render(request, "recognition/badges/badge_list.html", context)
