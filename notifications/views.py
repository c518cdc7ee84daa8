from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from notifications import digests, services
from notifications.forms import NotificationPreferenceForm
from notifications.models import Notification, NotificationPreference

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


@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    preference = NotificationPreference.objects.filter(user=request.user).first()
    form = NotificationPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preferences_save(user=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, "Your notification preferences are saved.")
            return redirect("notifications:preferences")
    status = 400 if form.errors else 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)


# Longer than any token `unsubscribe_token` makes: refused before any work.
_MAX_TOKEN = 200


@login_not_required  # the link in an email must work without signing in: the token is the key
@csrf_exempt  # the signed token is the authority, and mail programs' one-click POST has no
# CSRF token (RFC 8058); a forged request would need the secret token anyway.
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Turn the digest off for the person the token names: GET asks, POST does it. Only that
    person: a signed-in colleague opening someone else's link gets a 404."""
    try:
        if len(token) > _MAX_TOKEN:
            raise signing.BadSignature("Too long.")
        user_id = digests.unsubscribe_user_id(token)
    except signing.BadSignature:
        message = "This unsubscribe link is not valid. Sign in to change your notifications."
        return render(request, "400.html", {"message": message}, status=400)
    person = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if person is None or (request.user.is_authenticated and request.user.pk != person.pk):
        raise Http404("This unsubscribe link is for someone else.")
    done = False
    if request.method == "POST":
        digests.digest_unsubscribe(user=person)
        done = True
    context = {"person": person, "done": done, "token": token}
    return render(request, "notifications/unsubscribe.html", context)
