"""Reads of knowledge-sharing sessions that take more than one queryset: the list with its
filters, what the session page shows its viewer, and a person's calendar feed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, IntegerField, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from kb.models import Article
from kb.rendering import render_markdown
from people.models import Skill, User
from training.models import Session, SessionSignup, Track
from training.models.sessions import TaggedSessionSkill

# A feed keeps recent sessions a while, so a calendar app does not drop yesterday's at once.
FEED_PAST_DAYS = 30
# The session page gives the notes an h2 of their own ("Notes"): their headings start one
# level below it.
NOTES_TOP_HEADING = 3
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b")


@dataclass(frozen=True)
class SessionFilters:
    """What the list is narrowed to (from the page's GET parameters)."""

    when: str = "upcoming"  # or "past"
    kind: str = ""
    presenter: int | None = None
    skill: str = ""  # a skill's slug
    mine: bool = False


def session_list(
    *, user, filters: SessionFilters, now: datetime | None = None, skills: bool = True
) -> QuerySet:
    """The sessions `user` may see: upcoming ones (not over yet) soonest first, or past ones
    most recent first. Each row has `confirmed_count`, `waitlist_count`, `seats_left`, its
    presenters, skills and teams, and `my_signups` (the viewer's sign-up, if any). A fixed
    number of queries, whatever the page holds. With `skills=False` the skills are left to
    the caller (a page reads them for its rows alone with `attach_tags`)."""
    now = now or timezone.now()
    sessions = Session.objects.visible_to(user)
    sessions = sessions.past(now) if filters.when == "past" else sessions.upcoming(now)
    if filters.kind:
        sessions = sessions.filter(kind=filters.kind)
    if filters.presenter:
        presenting = Session.presenters.through.objects.filter(user_id=filters.presenter)
        sessions = sessions.filter(pk__in=presenting.values("session_id"))
    if filters.skill:
        tagged = TaggedSessionSkill.objects.filter(tag__slug=filters.skill)
        sessions = sessions.filter(pk__in=tagged.values("content_object_id"))
    if filters.mine:
        mine = SessionSignup.objects.active().filter(user=user)
        sessions = sessions.filter(pk__in=mine.values("session_id"))
    return (
        sessions.with_seat_counts()
        .annotate(
            seats_left=Greatest(
                F("capacity") - F("confirmed_count"), Value(0), output_field=IntegerField()
            )
        )
        .prefetch_related(
            "presenters",
            *(["skills"] if skills else []),
            "teams",
            Prefetch(
                "signups",
                queryset=SessionSignup.objects.active().filter(user=user),
                to_attr="my_signups",
            ),
        )
    )


@dataclass(frozen=True)
class FilterOptions:
    presenters: list[User]
    skills: list[Skill]


def session_filter_options(*, user) -> FilterOptions:
    """The people who present, and the skills covered, in sessions `user` may see: the
    choices of the list's filters (two queries)."""
    visible = Session.objects.visible_to(user).values("pk")
    presenting = Session.presenters.through.objects.filter(session_id__in=visible)
    tagged = TaggedSessionSkill.objects.filter(content_object_id__in=visible)
    return FilterOptions(
        presenters=list(User.objects.filter(pk__in=presenting.values("user_id"))),
        skills=list(Skill.objects.filter(pk__in=tagged.values("tag_id"))),
    )


@dataclass(frozen=True)
class SessionPage:
    """What one session's page shows its viewer, besides the session itself."""

    my_signup: SessionSignup | None
    waitlist_position: int | None  # 1 for the next person to get a seat
    attendees: list[SessionSignup]  # for the people managing it; empty for everyone else
    tracks: list[Track]  # published tracks the viewer may open that include it
    notes_article: Article | None  # the draft the notes became, when the viewer may open it
    notes_html: str
    presenters: list[User]
    organiser_presents: bool  # the organiser is one of the presenters: one line says both
    viewer_role: str  # "presenting", "organising" or "": who runs it does not sign up for it


def session_page(*, session: Session, user, can_manage: bool) -> SessionPage:
    """The viewer's sign-up and place on the waitlist, the sign-ups (for managers), the
    tracks that include the session and the article its notes became; a fixed number of
    queries."""
    my_signup = SessionSignup.objects.active().filter(session=session, user=user).first()
    position = None
    if my_signup is not None and my_signup.status == SessionSignup.Status.WAITLISTED:
        mine = my_signup.signed_up_at
        ahead = session.signups.waitlisted().filter(
            Q(signed_up_at__lt=mine) | Q(signed_up_at=mine, pk__lt=my_signup.pk)
        )
        position = ahead.count() + 1
    attendees = []
    if can_manage:
        attendees = list(
            session.signups.active().select_related("user").order_by("status", "signed_up_at", "pk")
        )
    tracks = list(
        Track.objects.published()
        .visible_to(user)
        .filter(pk__in=session.steps.values("track_id"))
        .order_by("title", "pk")
    )
    notes_article = None
    if session.notes_article_id:
        notes_article = (
            Article.objects.visible_to(user)
            .select_related("published_revision", "latest_revision")
            .filter(pk=session.notes_article_id)
            .first()
        )
    presenters = list(session.presenters.all())
    presenter_ids = {p.pk for p in presenters}
    viewer_role = ""
    if user.pk in presenter_ids:
        viewer_role = "presenting"
    elif user.pk == session.organiser_id:
        viewer_role = "organising"
    return SessionPage(
        my_signup=my_signup,
        waitlist_position=position,
        attendees=attendees,
        tracks=tracks,
        notes_article=notes_article,
        notes_html=notes_html(session.notes),
        presenters=presenters,
        organiser_presents=session.organiser_id in presenter_ids,
        viewer_role=viewer_role,
    )


def notes_html(notes: str) -> str:
    """A session's notes as safe HTML, their headings moved down so the first level is an h3
    under the page's "Notes" h2 ("## Key points" is an h3, its "###" an h4; h6 stays h6)."""
    if not notes:
        return ""
    html = render_markdown(notes).html
    levels = [int(level) for _, level in _HEADING_TAG.findall(html)]
    shift = max(0, NOTES_TOP_HEADING - min(levels)) if levels else 0
    if not shift:
        return html
    return _HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + shift)}", html)


def feed_entries(*, user, now: datetime | None = None) -> list[tuple[Session, bool]]:
    """What `user`'s calendar feed holds: (session, waitlisted) for each session they are
    signed up or waitlisted for that they may still see, upcoming or over for at most
    FEED_PAST_DAYS days. Cancelled sessions stay in, marked cancelled, so calendar apps
    remove them."""
    now = now or timezone.now()
    visible = Session.objects.visible_to(user).filter(
        ends_at__gte=now - timedelta(days=FEED_PAST_DAYS)
    )
    signups = (
        SessionSignup.objects.active()
        .filter(user=user, session__in=visible.values("pk"))
        .select_related("session__organiser")
        .order_by("session__starts_at", "session__pk")
    )
    return [
        (signup.session, signup.status == SessionSignup.Status.WAITLISTED) for signup in signups
    ]
