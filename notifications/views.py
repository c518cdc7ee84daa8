from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from notifications import services
from notifications.models import Notification

NOTIFICATIONS_PER_PAGE = 30


def _get_own_notification(request: HttpRequest, pk: int) -> Notification:
    return get_object_or_404(Notification.objects.for_user(request.user), pk=pk)


def _safe_url(request: HttpRequest, url: str, fallback: str) -> str:
    """`url` when it is a path on this site, else the URL named `fallback`. Only a path
    ("/kb/...") is followed: `redirect()` would look a bare word ("x") up as a URL name,
    and a relative one leads nowhere."""
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(fallback)


def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.for_user(request.user)
    show = request.GET.get("show", "all")
    if show == "unread":
        notifications = notifications.unread()
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page, "show": show})


@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = _get_own_notification(request, pk)
    notification.mark_read()
    if request.htmx:
        response = render(
            request, "notifications/includes/notification_item.html", {"n": notification}
        )
        response["HX-Trigger"] = "notifications-changed"
        return response
    return redirect(_safe_url(request, request.POST.get("next", ""), "notifications:list"))


@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way (the link in emails)."""
    notification = _get_own_notification(request, pk)
    notification.mark_read()
    return redirect(_safe_url(request, notification.url, "notifications:list"))


@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    changed = services.notifications_mark_all_read(user=request.user)
    messages.success(request, f"Marked {changed} notification{'s' if changed != 1 else ''} read.")
    return redirect("notifications:list")


@require_GET
def unread_count(request: HttpRequest) -> HttpResponse:
    """The header badge; htmx polls it and refreshes it when notifications change."""
    count = Notification.objects.for_user(request.user).unread().count()
    return render(request, "notifications/includes/unread_badge.html", {"unread_count": count})
