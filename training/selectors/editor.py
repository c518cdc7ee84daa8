"""Reads of the catalogue and the track editor: tracks with the viewer's own progress, the
skills to filter by, drafts, and a track's steps with what the editor should know about
each (an article learners cannot read, a cancelled session, a quiz without questions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch
from django.utils import timezone

from kb.models import Article
from people.models import Skill, Team
from training.models import Session, Track, TrackStep
from training.selectors import learning


def catalogue_tracks(*, user, skill: str = "", text: str = ""):
    """Published tracks `user` may take, filtered by a skill's slug and a piece of the title,
    by title, with what `catalogue_rows` reads (a lazy queryset, for a paginator)."""
    tracks = (
        Track.objects.published()
        .visible_to(user)
        .select_related("owner")
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
    # The steps that count for the viewer (a step they may not open is skipped, as on the
    # track page and in "my training").
    step_count: int
    can_edit: bool
    # The viewer's current enrolment (not one they left), read by the same rule as "my
    # training": status, progress and due-date flags.
    mine: learning.EnrolmentRow | None = None

    @property
    def status(self) -> str:
        """`learning.progress_status`, or empty when the viewer does not take the track."""
        return self.mine.status if self.mine else ""


def catalogue_rows(*, user, tracks, today: date | None = None) -> list[CatalogueRow]:
    """One page of `catalogue_tracks` as the catalogue shows it, with the viewer's status,
    progress and due date on each, counted as "my training" counts them. Seven queries at
    most, whatever the page's size: the page's tracks, their skills and the viewer's
    enrolments (3), the steps that count for the viewer (3 at most), their completions (1)."""
    today = today or timezone.localdate()
    page = list(tracks)
    counted, _ = learning.counted_steps(track_ids=[track.pk for track in page], user=user)
    current = [
        mine[0]
        for track in page
        if (mine := track.my_enrolments) and mine[0].status != mine[0].Status.WITHDRAWN
    ]
    enrolments = {
        row.enrolment.track_id: row
        for row in learning.enrolment_rows(enrolments=current, counted=counted, today=today)
    }
    return [
        CatalogueRow(
            track=track,
            skills=list(track.skills.all()),
            step_count=len(counted.get(track.pk, ())),
            can_edit=track.can_be_edited_by(user),
            mine=enrolments.get(track.pk),
        )
        for track in page
    ]


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
    drafts = Track.objects.filter(status=Track.Status.DRAFT)
    if not user.is_kb_editor:
        drafts = drafts.filter(owner=user)
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


REVISION_TEXTS = tuple(
    f"article__{revision}__{field}"
    for revision in ("published_revision", "latest_revision")
    for field in ("body", "rendered_html", "toc_html", "body_text", "requested_settings")
)


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
        # The rows show the articles' titles: leaving the revisions' texts out also keeps
        # them out of the count's GROUP BY.
        .defer(*REVISION_TEXTS)
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
