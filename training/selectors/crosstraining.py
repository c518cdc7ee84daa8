"""Reads of cross-training and external learning: what one person may do with a rotation or
an entry right now (asked by the services and the views alike, so a button is shown exactly
when the action would be accepted), and the rotation and external learning pages' lists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Q

from people.models import Team, User
from training.models import ExternalLearning, Rotation

PER_PAGE = 20

# The two approvals a rotation needs: the participant's own team and the host team.
SIDE_PARTICIPANT = "participant"
SIDE_HOST = "host"


def managed_team_ids(user) -> frozenset[int]:
    """The teams `user` manages, by id (one query)."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(user.managed_teams.values_list("pk", flat=True))


def rotation_sides(rotation: Rotation, user, managed: frozenset[int]) -> frozenset[str]:
    """The approvals `user` speaks for: the participant's team when they manage it, the host
    team when they manage that; both when they manage both (one decision then counts for
    both). Nobody speaks for their own request. Reads `rotation.participant`."""
    if user.pk == rotation.participant_id:
        return frozenset()
    sides = set()
    if rotation.participant.team_id in managed:
        sides.add(SIDE_PARTICIPANT)
    if rotation.host_team_id in managed:
        sides.add(SIDE_HOST)
    return frozenset(sides)


def rotation_waiting_sides(rotation: Rotation) -> frozenset[str]:
    """The approvals a requested rotation still waits for."""
    waiting = set()
    if rotation.manager_approved_at is None:
        waiting.add(SIDE_PARTICIPANT)
    if rotation.host_approved_at is None:
        waiting.add(SIDE_HOST)
    return frozenset(waiting)


def managers_by_team(team_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active managers of each of `team_ids`, by name (one query; none when no ids)."""
    team_ids = set(team_ids) - {None}
    found: dict[int, list[User]] = {pk: [] for pk in team_ids}
    if not team_ids:
        return found
    links = (
        Team.managers.through.objects.filter(team_id__in=team_ids, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    for link in links:
        found[link.team_id].append(link.user)
    for managers in found.values():
        managers.sort(key=lambda person: person.name.casefold())
    return found


def rotation_waiting_team_ids(rotation: Rotation) -> set[int]:
    """The teams whose approval a requested rotation still waits for, by id."""
    if rotation.status != Rotation.Status.REQUESTED:
        return set()
    teams = {SIDE_PARTICIPANT: rotation.participant.team_id, SIDE_HOST: rotation.host_team_id}
    return {teams[side] for side in rotation_waiting_sides(rotation)} - {None}


def rotation_waiting_by_side(
    rotation: Rotation, *, viewer, managers: dict[int, list[User]]
) -> dict[str, str]:
    """Who each approval a requested rotation still waits for is up to: "you" when the
    viewer gives it, else the team's managers by name ("A or B"). Empty unless requested.
    `managers` is `managers_by_team` of the teams concerned; reads `rotation.participant`
    and `rotation.host_team`."""
    if rotation.status != Rotation.Status.REQUESTED:
        return {}
    teams = {SIDE_PARTICIPANT: rotation.participant.team, SIDE_HOST: rotation.host_team}
    waiting = {}
    for side in (SIDE_PARTICIPANT, SIDE_HOST):
        team = teams[side]
        if side not in rotation_waiting_sides(rotation) or team is None:
            continue
        # The participant is never their own approver.
        people = [m for m in managers.get(team.pk, []) if m.pk != rotation.participant_id]
        if any(m.pk == viewer.pk for m in people):
            waiting[side] = "you"
        elif people:
            waiting[side] = " or ".join(m.name for m in people)
        else:
            waiting[side] = f"a manager of {team.name}"
    return waiting


def rotation_waiting_for(
    rotation: Rotation, *, viewer, managers: dict[int, list[User]]
) -> tuple[str, ...]:
    """`rotation_waiting_by_side` as one list, participant's team first, each once (one
    manager of both teams approves both at once)."""
    by_side = rotation_waiting_by_side(rotation, viewer=viewer, managers=managers)
    return tuple(dict.fromkeys(by_side.values()))


# What a list says about a rotation, beyond its status field.
STATE_REQUESTED = "requested"
STATE_APPROVED = "approved"
STATE_REFLECTION_DUE = "reflection_due"  # its last day is past and nothing is written
STATE_TO_CONFIRM = "to_confirm"  # written, the host has not confirmed it yet
STATE_COMPLETED = "completed"  # the host confirmed what the participant learned
STATE_DECLINED = "declined"
STATE_CANCELLED = "cancelled"


def rotation_state(rotation: Rotation, *, today: date) -> str:
    """Where a rotation stands, as its lists and page show it."""
    if rotation.status != Rotation.Status.APPROVED:
        return rotation.status
    if rotation.host_confirmed_at is not None:
        return STATE_COMPLETED
    if rotation.reflection.strip():
        return STATE_TO_CONFIRM
    if rotation.ends_on < today:
        return STATE_REFLECTION_DUE
    return STATE_APPROVED


@dataclass(frozen=True)
class RotationRow:
    """One rotation as a list shows it."""

    rotation: Rotation
    state: str  # one of the STATE_ values
    waiting_for: tuple[str, ...] = ()  # `rotation_waiting_for`


@dataclass(frozen=True)
class RotationRights:
    """What the viewer may do with one rotation now."""

    concerned: bool = False  # a manager who decides on it (either side)
    approve_sides: frozenset[str] = frozenset()  # the approvals still theirs to give
    decide: bool = False
    cancel: bool = False
    reflect: bool = False
    confirm: bool = False
    share: bool = False
    is_participant: bool = False
    is_host: bool = False

    @classmethod
    def of(cls, rotation: Rotation, user, *, managed: frozenset[int], today: date):
        """Reads `rotation.participant`; `managed` is `managed_team_ids(user)`."""
        sides = rotation_sides(rotation, user, managed)
        is_participant = user.pk == rotation.participant_id
        is_host = not is_participant and (
            user.pk == rotation.host_person_id or rotation.host_team_id in managed
        )
        requested = rotation.status == Rotation.Status.REQUESTED
        approved = rotation.status == Rotation.Status.APPROVED
        reflected = bool(rotation.reflection.strip())
        confirmed = rotation.host_confirmed_at is not None
        return cls(
            concerned=bool(sides),
            approve_sides=sides & rotation_waiting_sides(rotation) if requested else frozenset(),
            # A manager who approved their side has nothing left to decide here: the page
            # says so rather than offering the form again.
            decide=requested and bool(sides & rotation_waiting_sides(rotation)),
            cancel=is_participant and (requested or approved) and today < rotation.starts_on,
            reflect=is_participant and approved and today >= rotation.ends_on and not confirmed,
            confirm=is_host and approved and reflected and not confirmed,
            share=is_participant and confirmed and reflected and rotation.article_id is None,
            is_participant=is_participant,
            is_host=is_host,
        )


@dataclass(frozen=True)
class ExternalRights:
    """What the viewer may do with one external learning entry now."""

    concerned: bool = False  # a manager of the person's team, who decides on it
    edit: bool = False
    decide: bool = False
    share: bool = False

    @classmethod
    def of(cls, entry: ExternalLearning, user, *, managed: frozenset[int]):
        """Reads `entry.person`; `managed` is `managed_team_ids(user)`."""
        mine = user.pk == entry.person_id
        concerned = not mine and entry.person.team_id in managed
        return cls(
            concerned=concerned,
            edit=mine,
            decide=concerned and entry.approval == ExternalLearning.Approval.PENDING,
            share=mine
            and bool(entry.takeaways.strip())
            and entry.article_id is None
            and entry.approval != ExternalLearning.Approval.DECLINED,
        )


@dataclass(frozen=True)
class TeamRotations:
    """One managed team's upcoming rotations: people coming in, and its people going out."""

    team: Team
    incoming: list[RotationRow]
    outgoing: list[RotationRow]


@dataclass(frozen=True)
class RotationOverview:
    mine: Page  # of Rotation, for the page links
    mine_rows: list[RotationRow]  # the same page's rotations as rows
    hosting: list[RotationRow]  # upcoming ones where the viewer is the colleague shadowed
    awaiting: list[RotationRow]  # requests waiting for the viewer's decision
    teams: list[TeamRotations]


def _rotations():
    return Rotation.objects.select_related("participant__team", "host_team", "host_person")


def rotation_overview(*, user, today: date, page: str | int | None = None) -> RotationOverview:
    """The rotation list page: the viewer's own rotations (newest first, paginated), the
    upcoming ones where they are the host person, and for managers each managed team's
    upcoming rotations with the requests still waiting for them; each row says where the
    rotation stands and, while requested, whose approval it waits for. A constant number of
    queries."""
    mine = Paginator(
        _rotations().filter(participant=user).order_by("-starts_on", "-pk"), PER_PAGE
    ).get_page(page)
    hosting = list(_rotations().filter(host_person=user).upcoming(today))
    teams = list(Team.objects.managed_by(user).order_by("name"))
    managed = frozenset(team.pk for team in teams)
    upcoming = []
    if teams:
        upcoming = list(
            _rotations()
            .filter(Q(participant__team__in=managed) | Q(host_team__in=managed))
            .upcoming(today)
            .order_by("starts_on", "pk")
        )
    shown = [*mine, *hosting, *upcoming]
    managers = managers_by_team(pk for r in shown for pk in rotation_waiting_team_ids(r))

    def row(rotation: Rotation) -> RotationRow:
        waiting = rotation_waiting_for(rotation, viewer=user, managers=managers)
        state = rotation_state(rotation, today=today)
        return RotationRow(rotation=rotation, state=state, waiting_for=waiting)

    rows = {r.pk: row(r) for r in shown}
    per_team = [
        TeamRotations(
            team=team,
            incoming=[rows[r.pk] for r in upcoming if r.host_team_id == team.pk],
            outgoing=[rows[r.pk] for r in upcoming if r.participant.team_id == team.pk],
        )
        for team in teams
    ]
    awaiting = [
        rows[r.pk]
        for r in upcoming
        if r.status == Rotation.Status.REQUESTED
        and rotation_sides(r, user, managed) & rotation_waiting_sides(r)
    ]
    return RotationOverview(
        mine=mine,
        mine_rows=[rows[r.pk] for r in mine],
        hosting=[rows[r.pk] for r in hosting],
        awaiting=awaiting,
        teams=per_team,
    )


@dataclass(frozen=True)
class ExternalOverview:
    mine: Page
    pending: list[ExternalLearning]  # the viewer's people's requests waiting for them


def external_overview(*, user, page: str | int | None = None) -> ExternalOverview:
    """The external learning page: the viewer's own entries (newest first, paginated) and,
    for managers, their people's entries waiting for approval. A constant number of
    queries."""
    mine = Paginator(
        ExternalLearning.objects.filter(person=user).select_related("article"), PER_PAGE
    ).get_page(page)
    pending = list(
        ExternalLearning.objects.filter(
            approval=ExternalLearning.Approval.PENDING,
            person__team__in=user.managed_teams.values("pk"),
        )
        .exclude(person=user)
        .select_related("person__team")
        .order_by("starts_on", "pk")
    )
    return ExternalOverview(mine=mine, pending=pending)
