"""Handing a person's work to successors when they leave Huddle or move to another team.

One transaction, the person's row locked first: two hand-overs of the same person run one
after the other, and the second finds nothing left to do and is refused. Each kind moves
through its app's own service where one does the change (a session's presenters, a
pairing's end, a new proposal), so their notices and index updates happen as they would
from the app; plain changes of owner are written here with `full_clean`. What is ownership
and what is history is listed field by field in `dashboard.handover.kinds`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dashboard.handover.kinds import KINDS, Scope
from dashboard.handover.preview import mentee_outcome, require_hand_over, scope_for
from dashboard.models import HandOver
from kb.models import Article
from kb.services.following import follow_owner
from mentorship.services.pairings import (
    pairing_assign,
    pairing_decline,
    pairing_end,
    requests_expire,
    suggestions_url,
)
from notifications.services import notify
from people.models import Team, User
from questions.models import Route
from searchkit.pipeline import queue_update
from training.models import Track
from training.services.sessions import session_update

# What the record keeps of each kind's rows (the count is always whole).
RECORD_ITEMS = 100


def _check_successors(person: User, successors: dict[str, User | None]) -> None:
    errors = {}
    for kind in KINDS:
        successor = successors.get(kind.key)
        if successor is None:
            if not kind.may_release:
                errors[kind.key] = "Choose who takes these over."
        elif successor.pk == person.pk:
            errors[kind.key] = f"Choose someone other than {person.name}."
        elif not successor.is_active:
            errors[kind.key] = f"{successor.name} cannot sign in: choose an active colleague."
    if errors:
        raise ValidationError(errors)


def _lock_person(person: User) -> User:
    return User.objects.select_for_update(of=("self",)).select_related("team").get(pk=person.pk)


def _set_owner(row, field: str, successor: User) -> None:
    setattr(row, field, successor)
    row.full_clean()
    row.save(update_fields=[field])


def _articles(rows, successor: User, **_) -> None:
    for article in rows:
        _set_owner(article, "owner", successor)
        follow_owner(article)  # owners follow their articles, as the workflow does
        queue_update(Article, article.pk)


def _requests(rows, successor: User, **_) -> None:
    for content_request in rows.select_for_update():
        _set_owner(content_request, "owner", successor)


def _tracks(rows, successor: User, **_) -> None:
    for track in rows:
        _set_owner(track, "owner", successor)
        queue_update(Track, track.pk)


def _sessions(rows, successor: User, person: User, **_) -> None:
    for session in rows:
        presenters = list(session.presenters.all())
        if any(p.pk == person.pk for p in presenters):
            kept = [p for p in presenters if p.pk not in (person.pk, successor.pk)]
            # As the presenter handing on their part: the session's own rules and notices.
            session = session_update(
                session=session, user=person, data={"presenters": [*kept, successor]}
            )
        if session.organiser_id == person.pk:
            _set_owner(session, "organiser", successor)


def _questions(rows, successor: User, person: User, **_) -> None:
    for route in rows:
        question = route.question
        taken = question.author_id == successor.pk or (
            Route.objects.filter(question=question, person=successor).exists()
        )
        if taken:  # the successor asked it, or was brought it already: theirs once
            route.delete()
            continue
        route.person = successor
        route.reason = f"Handed over from {person.name}"[:200]
        route.full_clean(validate_unique=False, validate_constraints=False)
        route.save(update_fields=["person", "reason"])
        notify(
            recipient=successor,
            kind="questions.route",
            message=f"You may know this: “{question.title}” — handed over from {person.name}.",
            url=question.get_absolute_url(),
            # The routing's own key: whoever was brought a question is told about it once.
            dedupe_key=f"questions.route:{question.pk}:{successor.pk}",
        )


def _mentees(rows, successor: User | None, person: User, actor: User, record: HandOver) -> None:
    now = timezone.now()
    pairings = list(rows)
    if any(p.is_proposed and p.request.expires_at <= now for p in pairings):
        requests_expire(now=now)  # the sweep's own work, done now: an overdue proposal is over
        pairings = list(rows.all())
    why = "left Huddle" if record.action == HandOver.Action.DEACTIVATE else "changed team"
    for pairing in pairings:
        released = mentee_outcome(pairing=pairing, successor=successor, actor=actor)
        if pairing.is_proposed:
            pairing_decline(pairing=pairing, mentor=person, reason=f"{person.name} {why}.")
        else:
            pairing_end(pairing=pairing, user=person, reason=f"{person.name} {why}.")
        if not released:
            try:
                pairing_assign(
                    program=pairing.program,
                    mentee=pairing.mentee,
                    mentor=successor,
                    manager=actor,
                    message=f"{person.name} {why}; please take over their mentoring.",
                )
                continue
            except (ValidationError, PermissionDenied):
                pass  # taken meanwhile (capacity, a rule): released with notice below
        notify(
            recipient=pairing.mentee,
            kind="mentorship.released",
            message=f"{person.name} {why}, so your mentoring in {pairing.program} ended. "
            "Choose your next mentor from your suggestions.",
            url=suggestions_url(pairing),
            dedupe_key=f"dashboard.handover.released:{record.pk}:{pairing.pk}",
        )


APPLY = {
    "articles": _articles,
    "requests": _requests,
    "tracks": _tracks,
    "sessions": _sessions,
    "questions": _questions,
    "mentees": _mentees,
}


def _left_over(scope: Scope) -> list[str]:
    return [kind.title for kind in KINDS if kind.rows(scope).exists()]


@transaction.atomic
def handover_apply(
    *,
    actor: User,
    person: User,
    action: str,
    successors: dict[str, User | None],
    new_team: Team | None = None,
) -> HandOver:
    """Hand `person`'s work to `successors` (by kind key, see `KINDS`; mentees alone may be
    None: released, each told) and deactivate them (`action` "deactivate") or move them to
    `new_team` ("move"). Each successor is told once what they received. Refused, with
    nothing written, for a successor who is the person or cannot sign in, a move to the
    team they are in, or a hand-over already done."""
    require_hand_over(actor=actor, person=person)
    person = _lock_person(person)
    if action not in HandOver.Action.values:
        raise ValidationError({"action": "Choose deactivate or move."})
    leaving = action == HandOver.Action.DEACTIVATE
    if not leaving and new_team is None:
        raise ValidationError({"new_team": "Choose the team they move to."})
    if not leaving and new_team.pk == person.team_id:
        raise ValidationError({"new_team": f"{person.name} is already in {new_team}."})
    _check_successors(person, successors)
    scope = scope_for(person=person, leaving=leaving, new_team=None if leaving else new_team)
    if leaving and not person.is_active and not _left_over(scope):
        raise ValidationError(f"{person.name} has left and owns nothing: nothing to hand over.")

    record = HandOver.objects.create(
        person=person,
        by=actor,
        action=action,
        from_team=person.team,
        to_team=None if leaving else new_team,
    )
    moved, received = {}, {}
    for kind in KINDS:
        rows = list(kind.rows(scope))
        successor = successors.get(kind.key)
        moved[kind.key] = {
            "successor": successor.pk if successor else None,
            "count": len(rows),
            "items": [kind.label(row) for row in rows[:RECORD_ITEMS]],
        }
        if not rows:
            continue
        APPLY[kind.key](kind.rows(scope), successor, person=person, actor=actor, record=record)
        if successor is not None:
            received.setdefault(successor, []).append(f"{len(rows)} {kind.title.lower()}")

    left = _left_over(scope)
    if left:  # the promise of a hand-over: nothing stays with them
        raise ValidationError(f"Could not hand over everything: {', '.join(left)}.")
    if leaving:
        person.is_active = False
        person.save(update_fields=["is_active"])
    else:
        person.team = new_team
        person.save(update_fields=["team"])
    record.moved = moved
    record.full_clean()
    record.save(update_fields=["moved"])
    _tell_successors(record, person, actor, received)
    return record


def _tell_successors(record: HandOver, person: User, actor: User, received: dict) -> None:
    for successor, parts in received.items():
        notify(
            recipient=successor,
            kind="dashboard.handover",
            message=f"{actor.name} handed you {person.name}'s work: {'; '.join(parts)}.",
            url=person.get_absolute_url(),
            dedupe_key=f"dashboard.handover:{record.pk}:{successor.pk}",
        )
