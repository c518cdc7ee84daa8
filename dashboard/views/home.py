from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dashboard import selectors
from people.web import kb_editor_required
from search.models import QUERY_MAX_LENGTH


def home(request: HttpRequest) -> HttpResponse:
    """One person's day: what needs them today, most urgent first, then what is worth
    knowing (recognition, articles to read, sessions, their team)."""
    user, now = request.user, timezone.now()
    context = {
        "profile_gaps": user.profile_gaps(),
        "today": selectors.what_needs_me(user=user, now=now),
        "recognition": selectors.my_recognition(user=user, now=now),
        "recommended": selectors.recommended_articles(user=user, now=now),
        "popular_days": selectors.POPULAR_DAYS,
        "kudos_days": selectors.KUDOS_DAYS,
        "sessions": selectors.upcoming_sessions(user=user, now=now),
        "recent_notifications": selectors.recent_notifications(user=user),
        "teammates": selectors.teammates(user=user),
        "search_max_length": QUERY_MAX_LENGTH,
    }
    return render(request, "dashboard/home.html", context)


@require_GET
@kb_editor_required
def review_count(request: HttpRequest) -> HttpResponse:
    """The review queue's badge in the main navigation, loaded by htmx after the page, so
    no page pays for the count in its own queries."""
    count = selectors.review_queue_count(user=request.user)
    return render(request, "dashboard/includes/review_badge.html", {"waiting": count})
