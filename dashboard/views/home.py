from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dashboard import selectors
from people.web import kb_editor_required
from search.models import QUERY_MAX_LENGTH


def home(request: HttpRequest) -> HttpResponse:
    user, now = request.user, timezone.now()
    context = {
        "profile_gaps": user.profile_gaps(),
        "recent_notifications": selectors.recent_notifications(user=user),
        "teammates": selectors.teammates(user=user),
        "recently_updated": selectors.recently_updated_articles(user=user),
        "popular": selectors.popular_articles(user=user, now=now),
        "popular_days": selectors.POPULAR_DAYS,
        "verification_due": selectors.verification_due_owned(user=user, now=now),
        "review_queue": selectors.review_queue(user=user),
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
