"""What a hand-over would do, read before it is done: who may hand over whom, the default
successor, and per kind the rows that would move and to whom. Reads only."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from dashboard.handover.kinds import KINDS, Kind, Scope
from mentorship.matching.constraints import exclusion_reasons
from mentorship.models import MentoringProfile, Pairing
from people.models import Team, User

# The preview names this many rows per kind, then says how many more.
PREVIEW_LIMIT = 50
_REVISION_TEXT = tuple(
    f"{revision}__{name}"
    for revision in ("published_revision", "latest_revision")
    for name in ("body", "rendered_html", "toc_html", "body_text")
)


def can_hand_over(*, actor: User, person: User) -> bool:
    """Admins for anyone; a manager for the people of the teams they manage; nobody for
    themselves (their successor is someone else's choice)."""
    if not actor.is_authenticated or actor.pk == person.pk:
        return False
    if actor.is_admin:
        return True
    return (
        actor.is_manager
        and person.team_id is not None
        and actor.managed_teams.filter(pk=person.team_id).exists()
    )


def require_hand_over(*, actor: User, person: User) -> None:
    if actor.pk == person.pk:
        raise PermissionDenied("You cannot hand over your own work: ask your manager.")
    if not can_hand_over(actor=actor, person=person):
        raise PermissionDenied("Only an admin or a manager of their team can hand over.")


def default_successor(*, actor: User, person: User) -> User:
    """The person's manager (the first active manager of their team who is not them), or
    the one handing over when their team has none."""
    if person.team_id is not None:
        manager = (
            User.objects.active()
            .filter(managed_teams=person.team_id)
            .exclude(pk=person.pk)
            .order_by("pk")
            .first()
        )
        if manager is not None:
            return manager
    return actor


@dataclass(frozen=True)
class Row:
    label: str
    url: str
    # What happens to it when it is not a plain change of owner (a mentee's outcome).
    note: str = ""


@dataclass(frozen=True)
class KindPreview:
    key: str
    title: str
    successor: User | None
    rows: list[Row]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class Preview:
    person: User
    leaving: bool
    new_team: Team | None
    kinds: list[KindPreview]

    @property
    def total(self) -> int:
        return sum(kind.total for kind in self.kinds)


def scope_for(*, person: User, leaving: bool, new_team: Team | None) -> Scope:
    return Scope(person=person, leaving=leaving, old_team=person.team, new_team=new_team)


def _url(kind: Kind, row) -> str:
    if kind.key == "questions":
        return row.question.get_absolute_url()
    return row.get_absolute_url()


def mentee_outcome(*, pairing: Pairing, successor: User | None, actor: User) -> str:
    """Why a mentee would be released rather than proposed to `successor` (empty: they
    would be proposed). Asks what `pairing_assign` asks, without writing anything."""
    if successor is None:
        return "released: no successor chosen"
    if successor.pk == pairing.mentee_id:
        return "released: the successor is the mentee"
    if not pairing.program.can_pair(actor, pairing.mentee):
        return "released: you may not pair people of their team"
    if not MentoringProfile.objects.filter(user=successor, open_to_mentor=True).exists():
        return f"released: {successor.name} is not open to mentoring"
    reasons = exclusion_reasons(
        program=pairing.program, mentee=pairing.mentee, mentor=successor, now=timezone.now()
    )
    return f"released: {reasons[0]}" if reasons else ""


def handover_preview(*, actor: User, scope: Scope, successors: dict[str, User | None]) -> Preview:
    """Per kind, the rows of `scope` that would move and to whom (`successors` by kind key).
    Changes nothing."""
    kinds = []
    for kind in KINDS:
        found = kind.rows(scope)
        if kind.key == "articles":
            # The preview names an article: its revisions' texts are not read.
            found = found.defer(*_REVISION_TEXT)
        rows = list(found[: PREVIEW_LIMIT + 1])
        total = len(rows) if len(rows) <= PREVIEW_LIMIT else kind.rows(scope).count()
        rows = rows[:PREVIEW_LIMIT]
        successor = successors.get(kind.key)
        shown = []
        for row in rows:
            note = ""
            if kind.key == "mentees":
                why = mentee_outcome(pairing=row, successor=successor, actor=actor)
                note = why or f"proposed to {successor.name}, who accepts or declines"
            shown.append(Row(label=kind.label(row), url=_url(kind, row), note=note))
        kinds.append(
            KindPreview(
                key=kind.key, title=kind.title, successor=successor, rows=shown, total=total
            )
        )
    return Preview(person=scope.person, leaving=scope.leaving, new_team=scope.new_team, kinds=kinds)


def handover_url(person: User) -> str:
    return reverse("dashboard:handover", args=[person.username])
