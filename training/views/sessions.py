"""Knowledge-sharing sessions: the list, the page, scheduling, signing up and leaving,
cancelling, attendance, notes (and the draft article they become), the .ics file and the
personal calendar feed.

Pages show times in the viewer's time zone (their profile's), and the session form reads
them in it; calendar files carry UTC.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from people.tagging import attach_tags
from people.web import form_refusal
from training import calendar
from training.forms.sessions import (
    AttendanceForm,
    CancelForm,
    NotesForm,
    SessionFilterForm,
    SessionForm,
)
from training.models import CalendarFeed, Session, SessionSignup
from training.selectors.sessions import (
    SessionFilters,
    feed_entries,
    session_filter_options,
    session_page,
)
from training.selectors.sessions import (
    session_list as select_sessions,
)
from training.services import sessions as services

SESSIONS_PER_PAGE = 20
FEED_NAME = "Huddle sessions"


def _get_session(request: HttpRequest, slug: str, *, manage: bool = False) -> Session:
    """The session, 404 when the viewer may not see it; with `manage`, 403 unless they
    organise or present it or are a KB editor."""
    session = get_object_or_404(
        Session.objects.visible_to(request.user)
        .with_seat_counts()
        .select_related("organiser", "notes_article")
        .prefetch_related("presenters", "teams", "skills"),
        slug=slug,
    )
    if manage and not session.can_be_managed_by(request.user):
        raise PermissionDenied("Only the organiser, the presenters and KB editors can do that.")
    return session


def _zone_name(request: HttpRequest) -> str:
    return request.user.zone.key


def session_list(request: HttpRequest) -> HttpResponse:
    options = session_filter_options(user=request.user)
    form = SessionFilterForm(request.GET, presenters=options.presenters, skills=options.skills)
    form.is_valid()  # each invalid filter is dropped on its own; the valid ones still apply
    data = form.cleaned_data
    filters = SessionFilters(
        when="past" if data.get("when") == "past" else "upcoming",
        kind=data.get("kind") or "",
        presenter=data.get("presenter"),
        skill=data.get("skill") or "",
        mine=bool(data.get("mine")),
    )
    sessions = select_sessions(user=request.user, filters=filters, skills=False)
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    # The page's skills in one query (taggit's prefetch costs a manager and queryset a row).
    page.object_list = attach_tags(list(page.object_list), field="skills")
    context = {
        "page": page,
        "form": form,
        "filters": filters,
        "filtered": any((filters.kind, filters.presenter, filters.skill, filters.mine)),
        "zone_name": _zone_name(request),
        "now": timezone.now(),
    }
    return render(request, "training/sessions/session_list.html", context)


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    form = SessionForm(
        request.POST or None, zone_name=_zone_name(request), initial={"presenters": [request.user]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(organiser=request.user, data=form.cleaned_data)
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            messages.success(request, "Session scheduled. Colleagues can sign up now.")
            return redirect(session)
    status = 400 if form.is_bound else 200
    return render(request, "training/sessions/session_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, slug: str) -> HttpResponse:
    session = _get_session(request, slug, manage=True)
    if session.is_cancelled:
        messages.error(request, "This session was cancelled; it can no longer change.")
        return redirect(session)
    form = SessionForm(
        request.POST or None,
        zone_name=_zone_name(request),
        session=session,
        initial=SessionForm.initial_for(session),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, user=request.user, data=form.cleaned_data)
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            messages.success(request, "Session saved.")
            return redirect(session)
    status = 400 if form.is_bound else 200
    context = {"form": form, "session": session}
    return render(request, "training/sessions/session_form.html", context, status=status)


def _detail_page(request: HttpRequest, session: Session, *, status: int = 200) -> HttpResponse:
    can_manage = session.can_be_managed_by(request.user)
    now = timezone.now()
    context = {
        "session": session,
        "can_manage": can_manage,
        "view": session_page(session=session, user=request.user, can_manage=can_manage),
        "seats_left": max(0, session.capacity - session.confirmed_count),
        "started": session.starts_at <= now,
        "open_for_signup": not session.is_cancelled and session.starts_at > now,
        "zone_name": _zone_name(request),
        "cancel_form": CancelForm(),
    }
    return render(request, "training/sessions/session_detail.html", context, status=status)


@require_safe
def session_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _detail_page(request, _get_session(request, slug))


def _act(request: HttpRequest, slug: str, action, success) -> HttpResponse:
    """Run `action(session)`; a refusal is the session page again with the reason (400),
    success a message (`success(result)`) and a redirect to the page."""
    session = _get_session(request, slug)
    try:
        result = action(session)
    except ValidationError as refusal:
        for text in refusal.messages:
            messages.error(request, text)
        return _detail_page(request, _get_session(request, slug), status=400)
    messages.success(request, success(result))
    return redirect(session)


def _signed_up_message(signup: SessionSignup) -> str:
    if signup.status == SessionSignup.Status.CONFIRMED:
        return "You are signed up. See you there!"
    return "The session is full: you are on the waitlist and will be told if a seat frees up."


@require_POST
def session_signup(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(
        request,
        slug,
        lambda session: services.session_signup(session=session, user=request.user),
        _signed_up_message,
    )


@require_POST
def session_leave(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(
        request,
        slug,
        lambda session: services.session_leave(session=session, user=request.user),
        lambda signup: "You left the session.",
    )


@require_POST
def session_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    _get_session(request, slug, manage=True)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if form.errors:
        messages.error(request, "Keep the reason to 300 characters.")
        return _detail_page(request, _get_session(request, slug), status=400)
    return _act(
        request,
        slug,
        lambda session: services.session_cancel(session=session, user=request.user, reason=reason),
        lambda session: "Session cancelled. Everyone signed up has been told.",
    )


@require_safe
def session_ics(request: HttpRequest, slug: str) -> HttpResponse:
    session = _get_session(request, slug)
    body = calendar.session_ics(session)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{calendar.ics_filename(session)}"'
    return response


def _feed_url(feed: CalendarFeed | None) -> str:
    return f"{settings.SITE_URL}{feed.get_absolute_url()}" if feed else ""


@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """My calendar feed: its secret link, to create, replace (revoking the old one) or turn
    off."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("create", "replace"):
            services.calendar_feed_rotate(user=request.user)
            messages.success(
                request,
                "Your new feed link is below; the old one no longer works."
                if action == "replace"
                else "Your calendar feed is ready: add its link to your calendar app.",
            )
        elif action == "delete":
            services.calendar_feed_delete(user=request.user)
            messages.success(request, "Your calendar feed is off; its link no longer works.")
        else:
            messages.error(request, "Choose to create, replace or turn off the feed.")
            return render(request, "training/sessions/calendar_settings.html",
                          _feed_context(request), status=400)  # fmt: skip
        return redirect("training:calendar-settings")
    return render(request, "training/sessions/calendar_settings.html", _feed_context(request))


def _feed_context(request: HttpRequest) -> dict:
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = _feed_url(feed)
    scheme, _, rest = url.partition("://")
    return {
        "feed": feed,
        "feed_url": url,
        "webcal_url": f"webcal://{rest}" if feed and scheme in ("http", "https") else "",
    }


# Longer than any token `new_feed_token` makes: answered without asking the database.
_MAX_TOKEN = CalendarFeed._meta.get_field("token").max_length


@login_not_required  # calendar apps cannot sign in: the secret token is the key
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = None
    if len(token) <= _MAX_TOKEN:
        feed = (
            CalendarFeed.objects.select_related("user")
            .filter(token=token, user__is_active=True)
            .first()
        )
    if feed is None:
        raise Http404("No such calendar feed.")
    body = calendar.feed_ics(feed_entries(user=feed.user), name=FEED_NAME)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="huddle-sessions.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, slug: str) -> HttpResponse:
    session = _get_session(request, slug, manage=True)
    signups = list(
        session.signups.active().select_related("user").order_by("status", "signed_up_at", "pk")
    )
    form = AttendanceForm(request.POST or None, signups=signups)
    if request.method == "POST" and form.is_valid():
        try:
            completed = services.session_attendance_record(
                session=session,
                user=request.user,
                attended_user_ids=set(form.cleaned_data["attended"]),
            )
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            done = f" {completed} track step{'s' if completed != 1 else ''} completed." * bool(
                completed
            )
            messages.success(request, f"Attendance recorded.{done}")
            return redirect(session)
    context = {
        "session": session,
        "form": form,
        "signups": signups,
        "started": session.starts_at <= timezone.now(),
    }
    status = 400 if form.is_bound else 200
    return render(request, "training/sessions/session_attendance.html", context, status=status)


# The service's `notes` is the form's `body` (the name the Markdown editor's preview reads).
NOTES_FIELDS = {"notes": "body"}


@require_http_methods(["GET", "POST"])
def session_notes(request: HttpRequest, slug: str) -> HttpResponse:
    session = _get_session(request, slug, manage=True)
    form = NotesForm(
        request.POST or None,
        initial={"body": session.notes, "recording_url": session.recording_url},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_notes_save(
                session=session,
                user=request.user,
                notes=data["body"],
                recording_url=data["recording_url"],
            )
        except ValidationError as refusal:
            form_refusal(form, refusal, fields=NOTES_FIELDS)
        else:
            messages.success(request, "Notes saved.")
            return redirect(session)
    context = {"session": session, "form": form, "started": session.starts_at <= timezone.now()}
    status = 400 if form.is_bound else 200
    return render(request, "training/sessions/session_notes.html", context, status=status)


@require_POST
def session_notes_article(request: HttpRequest, slug: str) -> HttpResponse:
    session = _get_session(request, slug, manage=True)
    already = session.notes_article_id
    try:
        article = services.session_notes_to_article(session=session, user=request.user)
    except ValidationError as refusal:
        for text in refusal.messages:
            messages.error(request, text)
        return _detail_page(request, session, status=400)
    if already:
        messages.info(request, "These notes already became a draft article: it is linked below.")
        return redirect(session)
    messages.success(request, "Draft article created and sent to the editors for review.")
    return redirect(article)
