"""Reads of the catalogue and the track editor: tracks with the viewer's own progress, the
skills to filter by, drafts, and a track's steps with what the editor should know about
each (an article learners cannot read, a cancelled session, a quiz without questions)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.utils import timezone

from kb.models import Article
from people.models import Skill, Team
from training.models import Session, StepCompletion, Track, TrackStep


def minutes_label(minutes: int) -> str:
    """45 min, 2 h, 1 h 30 min."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def catalogue_tracks(*, user, skill: str = "", text: str = ""):
    """Published tracks `user` may take, filtered by a skill's slug and a piece of the title,
    by title, with what `catalogue_rows` reads (a lazy queryset, for a paginator)."""
    tracks = (
        Track.objects.published()
        .visible_to(user)
        .select_related("owner")
        .with_step_count()
        .with_enrolment_of(user)
        .prefetch_related("skills")
    )
    if skill:
        tracks = tracks.filter(skills__slug=skill)
    if text:
        tracks = tracks.filter(title__icontains=text)
    return tracks.order_by("title", "pk")


@dataclass(frozen=True)
class CatalogueRow:
    track: Track
    skills: list[Skill]
    step_count: int
    duration: str
    status: str  # "none", "active" or "completed"
    percent: int
    can_edit: bool


def catalogue_rows(*, user, tracks) -> list[CatalogueRow]:
    """One page of `catalogue_tracks` as the catalogue shows it, with the viewer's status and
    progress on each. Four queries (five with progress to count), whatever the page's size."""
    page = list(tracks)
    active = {
        mine[0].pk
        for track in page
        if (mine := track.my_enrolments) and mine[0].status == mine[0].Status.ACTIVE
    }
    done = dict(
        StepCompletion.objects.done()
        .filter(enrolment__in=active)
        .order_by()
        .values_list("enrolment__track")
        .annotate(n=Count("pk"))
    ) if active else {}  # fmt: skip
    rows = []
    for track in page:
        enrolment = track.my_enrolments[0] if track.my_enrolments else None
        status, percent = "none", 0
        if enrolment is not None and enrolment.status == enrolment.Status.COMPLETED:
            status, percent = "completed", 100
        elif enrolment is not None and enrolment.status == enrolment.Status.ACTIVE:
            status = "active"
            # Steps skipped for this learner still count here; a finished track says so by
            # being completed, so an active one never shows 100%.
            total = track.step_count or 1
            percent = min(99, round(100 * done.get(track.pk, 0) / total))
        rows.append(
            CatalogueRow(
                track=track,
                skills=list(track.skills.all()),
                step_count=track.step_count,
                duration=minutes_label(track.estimated_minutes),
                status=status,
                percent=percent,
                can_edit=track.can_be_edited_by(user),
            )
        )
    return rows


def catalogue_skills(*, user) -> list[tuple[Skill, int]]:
    """The skills of the published tracks `user` may take, each with how many of those
    tracks build it: tracks outside their audience are never counted."""
    visible = Track.objects.published().visible_to(user).values("pk")
    skills = (
        Skill.objects.filter(tracks__content_object__in=visible)
        .annotate(n=Count("tracks"))
        .order_by("name")
    )
    return [(skill, skill.n) for skill in skills]


def catalogue_drafts(*, user, limit: int = 50) -> list[Track]:
    """Drafts `user` may edit: their own, and every draft for KB editors; newest first."""
    drafts = Track.objects.visible_to(user).filter(status=Track.Status.DRAFT)
    return list(
        drafts.select_related("owner").with_step_count().order_by("-updated_at", "-pk")[:limit]
    )


# --- The editor's step list ------------------------------------------------------------------


@dataclass(frozen=True)
class StepRow:
    step: TrackStep
    flag: str  # what the editor should fix or know; empty when the step is fine
    severe: bool  # the flag blocks publishing
    question_count: int
    first: bool
    last: bool


def _covers(team_ids: set[int], track: Track, track_team_ids: set[int]) -> bool:
    """Whether everyone who may take `track` is in one of `team_ids`."""
    return track.visibility == Track.Visibility.TEAMS and track_team_ids <= team_ids


def _flag(step: TrackStep, track: Track, track_team_ids: set[int], now) -> tuple[str, bool]:
    skip = "learners who cannot read it skip this step"
    if step.kind == TrackStep.Kind.ARTICLE:
        article = step.article
        if article is None:
            return "The article was deleted: choose another article or remove the step.", True
        if article.status == Article.Status.ARCHIVED:
            return f"The article is archived: {skip}.", False
        if article.status != Article.Status.PUBLISHED:
            return f"The article is not published: {skip}.", False
        teams = {t.pk for t in article.teams.all()}
        if article.visibility == Article.Visibility.TEAMS and not _covers(
            teams, track, track_team_ids
        ):
            return f"Only some teams can read the article: {skip}.", False
    elif step.kind == TrackStep.Kind.SESSION:
        session = step.session
        if session is None:
            return "The session was deleted: choose another session or remove the step.", True
        if session.status == Session.Status.CANCELLED:
            return "The session was cancelled: choose another session or remove the step.", False
        if session.ends_at <= now:
            return "The session is over: learners who missed it cannot complete this step.", False
        teams = {t.pk for t in session.teams.all()}
        if session.visibility == Session.Visibility.TEAMS and not _covers(
            teams, track, track_team_ids
        ):
            return "Only some teams can see the session: the others skip this step.", False
    elif step.kind == TrackStep.Kind.QUIZ and not step.question_count:
        return "Add questions: a quiz without questions cannot be published.", True
    return "", False


def track_step_rows(*, track: Track, teams: list[Team]) -> list[StepRow]:
    """The track's steps in order, each with its flag for the editor. `teams`: the track's
    teams (already read for the form). Three queries, whatever the number of steps."""
    steps = list(
        track.steps.select_related(
            "article__published_revision", "article__latest_revision", "session"
        )
        .prefetch_related(
            Prefetch("article__teams", queryset=Team.objects.only("pk")),
            Prefetch("session__teams", queryset=Team.objects.only("pk")),
        )
        .annotate(question_count=Count("questions"))
        .order_by("position", "pk")
    )
    track_team_ids = {team.pk for team in teams}
    now = timezone.now()
    rows = []
    for index, step in enumerate(steps):
        flag, severe = _flag(step, track, track_team_ids, now)
        rows.append(
            StepRow(
                step=step,
                flag=flag,
                severe=severe,
                question_count=step.question_count,
                first=index == 0,
                last=index == len(steps) - 1,
            )
        )
    return rows
