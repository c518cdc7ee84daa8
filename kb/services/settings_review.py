"""Which changes to an article's settings wait for an editor.

Restricting who may read a published article applies at once (a leak must never wait for a
review). Widening it (open to everyone, or to more teams) and lengthening how long it may go
unverified wait like a text change: they are requested on a new revision and applied when an
editor approves it. Editors' own changes, and any change to an article that was never
published (its publication is reviewed anyway), apply at once.
"""

from __future__ import annotations

from kb.models import Article
from kb.querysets import DEFAULT_VERIFICATION_DAYS

EVERYONE, TEAMS = Article.Visibility.EVERYONE, Article.Visibility.TEAMS


def split_settings(article: Article, meta: dict, *, editor) -> tuple[dict, dict]:
    """(what applies now, what is requested) of the settings in `meta`. Requested settings
    are plain values for `ArticleRevision.requested_settings`: visibility, team ids,
    verification_days."""
    if not article.published_revision_id or article.can_be_published_by(editor):
        return meta, {}
    now, requested = dict(meta), {}
    old_teams = set(article.teams.values_list("pk", flat=True))
    new_visibility = meta.get("visibility", article.visibility)
    new_teams = {team.pk for team in meta["teams"]} if "teams" in meta else old_teams
    if article.visibility == TEAMS and new_visibility == EVERYONE:
        requested.update(visibility=EVERYONE, teams=[])
        now.pop("visibility")
        now.pop("teams", None)  # readers stay the current teams until approved
    elif article.visibility == TEAMS and new_teams - old_teams:
        requested.update(visibility=TEAMS, teams=sorted(new_teams))
        now["teams"] = [team for team in meta["teams"] if team.pk in old_teams]  # removals
    if "verification_days" in meta and _interval(article, meta) > _interval(article, {}):
        requested["verification_days"] = meta["verification_days"]
        now.pop("verification_days")
    return now, requested


def _interval(article: Article, meta: dict) -> int:
    days = meta.get("verification_days", article.verification_days)
    category = meta.get("category", article.category)
    return days or category.verification_days or DEFAULT_VERIFICATION_DAYS
