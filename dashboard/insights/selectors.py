"""The insights page as one read: who may see which teams, and every table for the teams
shown over a period, in a fixed number of queries whatever the teams' size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from dashboard.insights import health, risk
from dashboard.insights.forms import Period
from dashboard.insights.tables import Table
from people.models import Team, User


def sees_every_team(user: User) -> bool:
    """Admins (superusers or the Admin role) see every team's insights."""
    return user.is_admin


def may_open_insights(user: User) -> bool:
    return user.is_authenticated and (sees_every_team(user) or user.is_manager)


def insight_teams(*, viewer: User) -> list[Team]:
    """The teams `viewer` may open: every team for admins, the teams they manage (`Team.
    managers`) for managers, none for anyone else. One query."""
    if sees_every_team(viewer):
        teams = Team.objects.all()
    elif viewer.is_manager:
        teams = Team.objects.managed_by(viewer)
    else:
        return []
    return list(teams.order_by("name", "pk"))


def chosen_team(teams: list[Team], slug: str) -> Team | None:
    """The team `slug` names among `teams` (None: all of them); any other slug is refused,
    whether the team exists or not, so the answer reveals nothing."""
    if not slug:
        return None
    team = next((t for t in teams if t.slug == slug), None)
    if team is None:
        raise PermissionDenied("You cannot see this team's insights.")
    return team


@dataclass(frozen=True)
class Insights:
    teams: tuple[Team, ...]
    team: Team | None
    period: Period
    tables: tuple[Table, ...] = ()

    @property
    def shown(self) -> tuple[Team, ...]:
        return (self.team,) if self.team else self.teams

    def table(self, slug: str) -> Table | None:
        return next((t for t in self.tables if t.slug == slug), None)


TABLE_SLUGS = (
    "training", "mentoring", "kudos", "knowledge", "kb-health", "failed-searches", "praise",
    "knowledge-risk",
)  # fmt: skip


def team_insights(
    *,
    viewer: User,
    teams: list[Team],
    team: Team | None,
    period: Period,
    now: datetime | None = None,
    only: str | None = None,
) -> Insights:
    """Every table for the `team` (or all `teams`) over `period`: the active members' health
    figures and the knowledge that depends on one of them. With `only` (a slug of
    `TABLE_SLUGS`), that table alone: a CSV download reads one table, not the page's eight."""
    now = now or timezone.now()
    shown = [team] if team else list(teams)
    insights = Insights(teams=tuple(teams), team=team, period=period)
    if not shown:
        return insights
    team_ids = [t.pk for t in shown]
    members = list(
        User.objects.active().filter(team__in=team_ids).select_related("team").order_by()
    )
    members.sort(key=lambda m: (m.name.lower(), m.username))
    wanted = (only,) if only else TABLE_SLUGS
    built: dict[str, Table] = {}
    if "kudos" in wanted or "praise" in wanted:
        built["kudos"], built["praise"] = health.recognition_tables(
            viewer=viewer, teams=list(teams), shown=shown, members=members, period=period
        )
    builders = {
        "training": lambda: health.training_table(members=members, period=period, now=now),
        "mentoring": lambda: health.mentoring_table(
            viewer=viewer, team_ids=team_ids, period=period, now=now
        ),
        "knowledge": lambda: health.knowledge_table(viewer=viewer, members=members, period=period),
        "kb-health": lambda: health.kb_health_table(
            viewer=viewer, team_ids=team_ids, period=period, now=now
        ),
        "failed-searches": lambda: health.failed_searches_table(team_ids=team_ids, period=period),
        "knowledge-risk": lambda: risk.risk_table(viewer=viewer, people={m.pk for m in members}),
    }
    for slug in wanted:
        if slug not in built:
            built[slug] = builders[slug]()
    tables = tuple(built[slug] for slug in wanted)
    return Insights(teams=tuple(teams), team=team, period=period, tables=tables)
