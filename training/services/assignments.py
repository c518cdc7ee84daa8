"""Managers assign tracks to the people of the teams they manage, with an optional due date.

One enrolment per person and track (a database constraint): assigning a track someone
already takes is the same enrolment, with the new due date and the manager as who assigned
it; a withdrawn enrolment comes back; a completed one stays completed (its certificate was
earned, and nothing is left to do).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.formats import date_format

from notifications.services import notify
from people.models import Team, User
from training.models import Enrolment, Track
from training.querysets import TRACK_AUDIENCE
from training.selectors.team import local_today
from training.services import progress

# A due date further out than this is a typo (a year 2205), not a plan.
MAX_DUE_DAYS = 3 * 366

# What assigning did to each enrolment (`Enrolment.assign_outcome` on the returned rows).
ASSIGNED = "assigned"  # a new enrolment
UPDATED = "updated"  # they already had it: new due date or new assigner
REACTIVATED = "reactivated"  # they had left it; it is active again
UNCHANGED = "unchanged"  # assigned again with the same due date by the same manager
ALREADY_COMPLETED = "completed"  # left as it is


def due_date_error(due_on: date | None, *, manager) -> str | None:
    """Why `due_on` cannot be a due date set by `manager`, or None. "Today" is the
    manager's own date (their time zone): the day they see when they pick it."""
    if due_on is None:
        return None
    today = local_today(manager)
    if due_on < today:
        return "The due date is in the past. Choose today or a later day."
    if due_on > today + timedelta(days=MAX_DUE_DAYS):
        return "Choose a due date within the next three years."
    return None


@transaction.atomic
def track_assign(
    *,
    track: Track,
    manager,
    users=None,
    team: Team | None = None,
    due_on: date | None = None,
) -> list[Enrolment]:
    """Assign `track` to `users` and/or to every active member of `team`, due on `due_on`
    (optional, not in the past). Returns the enrolments by person, each with
    `assign_outcome` (ASSIGNED, UPDATED, REACTIVATED, UNCHANGED or ALREADY_COMPLETED).

    Only managers assign, only to people in the teams they manage (PermissionDenied
    otherwise), and only a published track they may open that each person may open too.
    Each person is told once per assignment and due date. Safe against a person enrolling
    themselves, or another manager assigning, at the same moment: the rows are locked, and
    an enrolment created meanwhile is updated instead of duplicated.
    """
    if not getattr(manager, "is_manager", False):
        raise PermissionDenied("Only managers assign tracks.")
    managed = set(Team.objects.managed_by(manager).values_list("pk", flat=True))
    if team is not None and team.pk not in managed:
        raise PermissionDenied("You can only assign tracks to teams you manage.")
    # Assignments of one track take turns: two managers assigning overlapping people at
    # once would otherwise lock and insert their rows in different orders (a deadlock).
    # "No key" update: a learner enrolling meanwhile still passes its foreign key check on
    # the track (a key share lock), so it never waits on us while we wait on it.
    turn = Track.objects.select_for_update(no_key=True).filter(pk=track.pk)
    if not turn.values_list("pk", flat=True):
        raise ValidationError("This track no longer exists.")
    track = (
        Track.objects.published()
        .visible_to(manager)
        .prefetch_related("teams")
        .filter(pk=track.pk)
        .first()
    )
    if track is None:
        raise ValidationError("Only a published track you can open can be assigned.")
    if error := due_date_error(due_on, manager=manager):
        raise ValidationError({"due_on": error})
    people = _people(users=users, team=team)
    _check_people(people, track=track, managed=managed, team=team)

    existing = {
        e.user_id: e
        for e in Enrolment.objects.select_for_update()
        .filter(track=track, user__in=[p.pk for p in people])
        .order_by("pk")
    }
    enrolments = []
    for person in people:
        enrolment = existing.get(person.pk)
        if enrolment is None:
            enrolment, change = _create(track=track, person=person, manager=manager, due_on=due_on)
            progress.enrolment_credit_attendance(enrolment=enrolment)
        else:
            change = _reassign(enrolment, manager=manager, due_on=due_on)
        enrolment.assign_outcome = change.outcome
        if change.outcome in (ASSIGNED, UPDATED, REACTIVATED) and person.pk != manager.pk:
            _tell(enrolment, change=change, manager=manager)
        enrolments.append(enrolment)
    return enrolments


@dataclass(frozen=True)
class _Change:
    outcome: str
    previous_due_on: date | None = None
    withdrawn_at: datetime | None = None


def _people(*, users, team: Team | None) -> list[User]:
    """The people to assign, read afresh (a person who moved team since the form was shown
    is checked where they are now), by name."""
    chosen = {user.pk for user in users or ()}
    if not chosen and team is None:
        raise ValidationError({"users": "Choose people, a whole team, or both."})
    wanted = Q(pk__in=chosen)
    if team is not None:
        wanted |= Q(team=team, is_active=True)
    people = list(User.objects.filter(wanted).select_related("team").prefetch_related("groups"))
    if not people:
        raise ValidationError({"team": f"Nobody in {team} can sign in at the moment."})
    for person in people:
        # Whether each may open the track is asked of the one visibility rule below; it
        # reads the person's roles, taken here from the prefetched groups instead of a
        # query per person.
        person.role_names = frozenset(group.name for group in person.groups.all())
    return sorted(people, key=lambda p: (p.name.lower(), p.pk))


def _check_people(people: list[User], *, track: Track, managed: set[int], team) -> None:
    outsiders = [p for p in people if p.team_id not in managed]
    if outsiders:
        raise PermissionDenied(
            f"{_names(outsiders)} {'is' if len(outsiders) == 1 else 'are'} not in a team "
            "you manage."
        )
    inactive = [p for p in people if not p.is_active]
    if inactive:
        raise ValidationError({"users": f"{_names(inactive)} can no longer sign in."})
    shut_out = [p for p in people if not TRACK_AUDIENCE.admits(track, p)]
    if shut_out:
        whole_team = team is not None and all(p.team_id == team.pk for p in shut_out)
        field = "team" if whole_team else "users"
        raise ValidationError(
            {
                field: f"“{track}” is only for some teams, and {_names(shut_out)} cannot "
                "open it. Ask its owner to add their team first."
            }
        )


def _names(people: list[User]) -> str:
    names = [p.name for p in people]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _create(*, track: Track, person: User, manager, due_on) -> tuple[Enrolment, _Change]:
    enrolment = Enrolment(user=person, track=track, assigned_by=manager, due_on=due_on)
    enrolment.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: a clash below leaves the rest intact
            enrolment.save()
    except IntegrityError:
        # They enrolled themselves (or another manager assigned it) a moment ago.
        enrolment = Enrolment.objects.select_for_update().get(user=person, track=track)
        return enrolment, _reassign(enrolment, manager=manager, due_on=due_on)
    return enrolment, _Change(ASSIGNED)


def _reassign(enrolment: Enrolment, *, manager, due_on) -> _Change:
    """Assign again an enrolment the caller holds locked."""
    if enrolment.status == Enrolment.Status.COMPLETED:
        return _Change(ALREADY_COMPLETED)
    reactivated = enrolment.status == Enrolment.Status.WITHDRAWN
    if not reactivated and enrolment.due_on == due_on and enrolment.assigned_by_id == manager.pk:
        return _Change(UNCHANGED)
    change = _Change(
        REACTIVATED if reactivated else UPDATED,
        previous_due_on=enrolment.due_on,
        withdrawn_at=enrolment.withdrawn_at,
    )
    enrolment.status = Enrolment.Status.ACTIVE
    enrolment.withdrawn_at = None
    enrolment.due_on = due_on
    enrolment.assigned_by = manager
    enrolment.full_clean(validate_unique=False, validate_constraints=False)
    enrolment.save(update_fields=["status", "withdrawn_at", "due_on", "assigned_by"])
    return change


def _tell(enrolment: Enrolment, *, change: _Change, manager) -> None:
    """Tell the learner, once per assignment: the key names the due date, so a new due
    date is news and the same assignment sent twice is not; bringing back a withdrawn
    enrolment names the withdrawal it undoes."""
    track, due_on = enrolment.track, enrolment.due_on
    due = f", due {date_format(due_on)}" if due_on else ""
    if change.outcome == UPDATED and change.previous_due_on != due_on:
        if due_on:
            message = f"{manager.name} set the due date of “{track}” to {date_format(due_on)}."
        else:
            message = f"{manager.name} removed the due date of “{track}”."
    elif change.outcome == REACTIVATED:
        message = f"{manager.name} assigned you “{track}” again{due}."
    else:
        message = f"{manager.name} assigned you the track “{track}”{due}."
    key = f"training.assigned:{enrolment.pk}:{due_on.isoformat() if due_on else 'none'}"
    if change.outcome == REACTIVATED and change.withdrawn_at is not None:
        key += f":back:{change.withdrawn_at.isoformat()}"
    notify(
        recipient=enrolment.user,
        kind="training.assigned",
        message=message,
        url=track.get_absolute_url(),
        dedupe_key=key,
    )
