"""Knowledge-sharing sessions: scheduling and changing them, sign-ups with a waitlist,
cancelling, attendance (which completes the "attend" steps of tracks), notes that become a
draft article, and the personal calendar feed.

Every write that counts seats locks the session's row first (`_lock`), so sign-ups, leaving,
capacity changes and cancelling happen one at a time per session: the capacity is never
exceeded, and the waitlist is promoted in the order people joined it.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kb.models import Article
from notifications.services import notify
from people.slugs import unique_slug
from searchkit.pipeline import queue_update
from training.calendar import when_for
from training.models import (
    CalendarFeed,
    Enrolment,
    Session,
    SessionSignup,
    StepCompletion,
    TrackStep,
)
from training.models.sessions import new_feed_token
from training.services import progress
from training.services.articles import draft_article_from

# What a session form sends besides its many-to-many fields (presenters, teams, skills).
SESSION_FIELDS = (
    "title", "kind", "starts_at", "ends_at", "location", "video_url", "agenda", "capacity",
    "visibility",
)  # fmt: skip
# Longer than any workshop; a typo in the end date ("2026" for "2025") is caught instead.
MAX_DURATION = timedelta(days=7)
# What people are told again when it changes.
_WHEN_AND_WHERE = ("starts_at", "ends_at", "location", "video_url")


def _lock(session: Session) -> Session:
    """The session's row, locked until the transaction ends and read afresh: every seat count
    made after this sees the sign-ups committed before it."""
    try:
        return Session.objects.select_for_update().get(pk=session.pk)
    except Session.DoesNotExist as gone:
        raise ValidationError("This session no longer exists.") from gone


def _require_manager(session: Session, user) -> None:
    if not session.can_be_managed_by(user):
        raise PermissionDenied("Only the organiser, the presenters and KB editors can do that.")


def _apply(session: Session, data: dict) -> None:
    for name in SESSION_FIELDS:
        if name in data:
            setattr(session, name, data[name])


def _check(session: Session, data: dict) -> None:
    """The rules a form shows beside its fields; the model's own validators come after."""
    errors: dict[str, str] = {}
    if session.starts_at and session.ends_at:
        if session.ends_at <= session.starts_at:
            errors["ends_at"] = "The end must be after the start."
        elif session.ends_at - session.starts_at > MAX_DURATION:
            errors["ends_at"] = "A session lasts at most 7 days: check the end date."
    if not (session.location or "").strip() and not session.video_url:
        errors["location"] = "Give a place, a video link, or both."
    if "presenters" in data:
        presenters = list(data["presenters"] or [])
        if not presenters:
            errors["presenters"] = "Name at least one presenter or facilitator."
        elif any(not person.is_active for person in presenters):
            errors["presenters"] = "Presenters must be active colleagues."
    teams = data["teams"] if "teams" in data else list(session.teams.all()) if session.pk else []
    if session.visibility == Session.Visibility.TEAMS and not teams:
        errors["teams"] = "Choose at least one team, or open it to everyone."
    if errors:
        raise ValidationError(errors)
    session.full_clean(validate_constraints=False)


def _save_relations(session: Session, data: dict) -> set[int]:
    """Presenters, teams and skills; returns the ids of people who became presenters."""
    added: set[int] = set()
    if "presenters" in data:
        presenters = list(data["presenters"])
        before = set(session.presenters.values_list("pk", flat=True))
        session.presenters.set(presenters)
        added = {person.pk for person in presenters} - before
    if "teams" in data:
        teams = data["teams"] if session.visibility == Session.Visibility.TEAMS else []
        session.teams.set(teams)
    if "skills" in data:
        session.skills.set(list(data["skills"] or []))
    return added


def _tell_new_presenters(session: Session, added: set[int], *, by) -> None:
    for person in session.presenters.filter(pk__in=added - {by.pk}):
        notify(
            recipient=person,
            kind="training.session_presenter",
            message=f"{by.name} added you as a presenter of “{session.title}” "
            f"({when_for(session.starts_at, person)}).",
            url=session.get_absolute_url(),
            dedupe_key=f"training.session-presenter:{session.pk}:{person.pk}",
        )


@transaction.atomic
def session_create(*, organiser, data: dict) -> Session:
    """Schedule a session organised by `organiser`, who presents it unless `data` names
    presenters. `data`: title, kind, starts_at, ends_at, location and/or video_url, agenda,
    capacity, visibility, teams (when visibility is "teams"), presenters, skills (names)."""
    data = {**data, "presenters": list(data.get("presenters") or [organiser])}
    session = Session(
        organiser=organiser,
        slug=unique_slug(Session.objects.all(), data.get("title") or "", fallback="session"),
    )
    _apply(session, data)
    _check(session, data)
    session.save()
    added = _save_relations(session, data)
    _tell_new_presenters(session, added, by=organiser)
    queue_update(Session, session.pk)
    return session


@transaction.atomic
def session_update(*, session: Session, user, data: dict) -> Session:
    """Change a session (organiser, presenters, KB editors). The capacity cannot go below the
    seats already taken; raising it promotes the waitlist. When the time or the place changes,
    everyone signed up or waitlisted is told (once per change). Returns the session."""
    _require_manager(session, user)
    session = _lock(session)
    if session.is_cancelled:
        raise ValidationError("This session was cancelled; it can no longer change.")
    before = {name: getattr(session, name) for name in _WHEN_AND_WHERE}
    _apply(session, data)
    taken = session.signups.confirmed().count()
    if session.capacity is not None and session.capacity < taken:
        raise ValidationError(
            {
                "capacity": f"{taken} people already have a seat, so the capacity cannot go "
                f"below {taken}. Ask some of them to leave first."
            }
        )
    _check(session, data)
    session.updated_at = timezone.now()
    session.save()
    added = _save_relations(session, data)
    _tell_new_presenters(session, added, by=user)
    _fill_seats(session)
    if any(getattr(session, name) != value for name, value in before.items()):
        _tell_about_change(session, by=user)
    queue_update(Session, session.pk)
    return session


def _tell_about_change(session: Session, *, by) -> None:
    place = session.location or session.video_url
    for signup in session.signups.active().exclude(user=by).select_related("user"):
        when = when_for(session.starts_at, signup.user)
        notify(
            recipient=signup.user,
            kind="training.session_changed",
            message=f"“{session.title}” changed: it is now {when}, at {place}.",
            url=session.get_absolute_url(),
            dedupe_key=f"training.session-changed:{signup.pk}:{session.updated_at.isoformat()}",
        )


def _fill_seats(session: Session) -> list[SessionSignup]:
    """Promote the waitlist, first come first served, into the seats left; each promoted
    person is told once. The caller holds the session's lock."""
    if session.is_cancelled or session.starts_at <= timezone.now():
        return []
    free = session.capacity - session.signups.confirmed().count()
    if free <= 0:
        return []
    promoted = list(session.signups.waitlisted().select_related("user")[:free])
    now = timezone.now()
    for signup in promoted:
        signup.status = SessionSignup.Status.CONFIRMED
        signup.promoted_at = now
        signup.save(update_fields=["status", "promoted_at"])
        notify(
            recipient=signup.user,
            kind="training.session_promoted",
            message=f"A seat freed up: you are now signed up for “{session.title}” "
            f"({when_for(session.starts_at, signup.user)}).",
            url=session.get_absolute_url(),
            # One promotion per place in the queue: leaving and joining again is a new one.
            dedupe_key=f"training.session-promoted:{signup.pk}:{signup.signed_up_at.isoformat()}",
        )
    return promoted


def _check_open(session: Session) -> None:
    if session.is_cancelled:
        raise ValidationError("This session was cancelled: sign-ups are closed.")
    if session.starts_at <= timezone.now():
        raise ValidationError("This session has already started: sign-ups are closed.")


@transaction.atomic
def session_signup(*, session: Session, user) -> SessionSignup:
    """Sign `user` up: a seat while any is left, else the back of the waitlist. Signing up
    twice changes nothing; signing up again after leaving joins at the back. Refused for a
    cancelled or started session and for someone outside its audience."""
    session = _lock(session)
    if not Session.objects.visible_to(user).filter(pk=session.pk).exists():
        raise PermissionDenied("This session is not open to you.")
    _check_open(session)
    signup = SessionSignup.objects.filter(session=session, user=user).first()
    if signup is not None and signup.status != SessionSignup.Status.CANCELLED:
        return signup
    _fill_seats(session)  # nobody waits while a seat is free, so a newcomer never jumps them
    has_seat = session.signups.confirmed().count() < session.capacity
    if signup is None:
        signup = SessionSignup(session=session, user=user)
    signup.status = SessionSignup.Status.CONFIRMED if has_seat else SessionSignup.Status.WAITLISTED
    signup.signed_up_at = timezone.now()
    signup.promoted_at = signup.cancelled_at = signup.attended = None
    try:
        with transaction.atomic():
            signup.save()
    except IntegrityError:  # only without the lock (a database that ignores it): same person
        return SessionSignup.objects.get(session=session, user=user)
    return signup


@transaction.atomic
def session_leave(*, session: Session, user) -> SessionSignup:
    """Give up a seat or a place on the waitlist; a freed seat goes to the first person
    waiting, who is told. Returns the (cancelled) sign-up."""
    session = _lock(session)
    signup = SessionSignup.objects.active().filter(session=session, user=user).first()
    if signup is None:
        raise ValidationError("You are not signed up for this session.")
    if not session.is_cancelled and session.starts_at <= timezone.now():
        raise ValidationError("This session has already started: there is nothing to leave.")
    had_seat = signup.status == SessionSignup.Status.CONFIRMED
    signup.status = SessionSignup.Status.CANCELLED
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["status", "cancelled_at"])
    if had_seat:
        _fill_seats(session)
    return signup


@transaction.atomic
def session_cancel(*, session: Session, user, reason: str = "") -> Session:
    """Call a session off (organiser, presenters, KB editors): everyone signed up or
    waitlisted is told once. Sign-ups are kept, so calendar feeds show it as cancelled."""
    _require_manager(session, user)
    session = _lock(session)
    if session.is_cancelled:
        raise ValidationError("This session is already cancelled.")
    if session.starts_at <= timezone.now():
        raise ValidationError("This session has already started; it can no longer be cancelled.")
    session.status = Session.Status.CANCELLED
    session.updated_at = timezone.now()
    session.save(update_fields=["status", "updated_at"])
    because = f" {reason.strip()}" if reason.strip() else ""
    for signup in session.signups.active().exclude(user=user).select_related("user"):
        notify(
            recipient=signup.user,
            kind="training.session_cancelled",
            message=f"“{session.title}” ({when_for(session.starts_at, signup.user)}) was "
            f"cancelled by {user.name}.{because}",
            url=session.get_absolute_url(),
            dedupe_key=f"training.session-cancelled:{session.pk}:{signup.user_id}",
        )
    queue_update(Session, session.pk)
    return session


def _require_started(session: Session, what: str) -> None:
    if session.is_cancelled:
        raise ValidationError("This session was cancelled.")
    if session.starts_at > timezone.now():
        raise ValidationError(f"{what} can be recorded once the session has started.")


@transaction.atomic
def session_attendance_record(*, session: Session, user, attended_user_ids: set[int]) -> int:
    """Record who attended, among the people signed up or waitlisted; recording again
    replaces the list. Attending completes the "attend" step of every track the person is
    actively enrolled in that includes this session. Returns how many steps it completed."""
    _require_manager(session, user)
    session = _lock(session)
    _require_started(session, "Attendance")
    signups = list(session.signups.active())
    attended = set(attended_user_ids)
    if attended - {signup.user_id for signup in signups}:
        raise ValidationError("Only people who signed up can be marked as attended.")
    for signup in signups:
        signup.attended = signup.user_id in attended
    SessionSignup.objects.bulk_update(signups, ["attended"])
    session.attendance_recorded_at = timezone.now()
    session.save(update_fields=["attendance_recorded_at"])
    return _complete_attend_steps(session, attended)


def _complete_attend_steps(session: Session, user_ids: set[int]) -> int:
    steps = list(TrackStep.objects.filter(kind=TrackStep.Kind.SESSION, session=session))
    if not steps or not user_ids:
        return 0
    done = set(
        StepCompletion.objects.done()
        .filter(step__in=steps, enrolment__user_id__in=user_ids)
        .values_list("enrolment_id", "step_id")
    )
    enrolments = Enrolment.objects.active().filter(
        user_id__in=user_ids, track_id__in={step.track_id for step in steps}
    )
    completed = 0
    for enrolment in enrolments.select_related("track", "user").order_by("pk"):
        for step in steps:
            if step.track_id == enrolment.track_id and (enrolment.pk, step.pk) not in done:
                progress.step_complete(enrolment=enrolment, step=step)
                completed += 1
    return completed


@transaction.atomic
def session_notes_save(*, session: Session, user, notes: str, recording_url: str = "") -> Session:
    """The presenter's notes (Markdown) and a link to the recording, once it has started."""
    _require_manager(session, user)
    session = _lock(session)
    _require_started(session, "Notes")
    session.notes = notes
    session.recording_url = recording_url
    session.full_clean(validate_constraints=False)
    session.updated_at = timezone.now()
    session.save(update_fields=["notes", "recording_url", "updated_at"])
    return session


@transaction.atomic
def session_notes_to_article(*, session: Session, user) -> Article:
    """Turn the notes into a draft "best practice / lesson learned" article by `user`,
    submitted to kb's review with a link back to the session. Once per session: asking again
    returns the draft already made."""
    _require_manager(session, user)
    session = _lock(session)
    if session.notes_article_id:
        existing = Article.objects.filter(pk=session.notes_article_id).first()
        if existing is not None:
            return existing
    if not session.notes.strip():
        raise ValidationError("Write the session's notes first: there is nothing to turn into an "
                              "article yet.")  # fmt: skip
    body = session.notes.strip()
    if session.recording_url:
        body += f"\n\nRecording: <{session.recording_url}>"
    day = session.starts_at.date().isoformat()
    article = draft_article_from(
        author=user,
        title=f"{session.title}: notes",
        summary=f"Notes from the {session.get_kind_display().lower()} “{session.title}” ({day}).",
        body=body,
        source_url=session.get_absolute_url(),
        source_label=f"the session “{session.title}”",
        type=Article.Type.BEST_PRACTICE,
        tags=list(session.skills.names()[:20]),
    )
    session.notes_article = article
    session.save(update_fields=["notes_article"])
    return article


@transaction.atomic
def calendar_feed_rotate(*, user) -> CalendarFeed:
    """Create `user`'s calendar feed, or give it a new secret link: the old link stops
    working at once (a calendar app subscribed with it gets 404)."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        try:
            with transaction.atomic():
                return CalendarFeed.objects.create(user=user)
        except IntegrityError:  # created by a second click at the same moment
            feed = CalendarFeed.objects.select_for_update().get(user=user)
    feed.token = new_feed_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed


@transaction.atomic
def calendar_feed_delete(*, user) -> None:
    """Turn the feed off: its link stops working, and no new one exists until asked for."""
    CalendarFeed.objects.filter(user=user).delete()
