"""Living tracks: when the knowledge base changes under a track, the people concerned hear
about it. kb never imports training, so these sources read kb's rows on each sweep:

- a learner whose article step was read on a revision that a newly published one has
  replaced ("updated since you completed it"): once per completion and revision;
- the track's owner, once per step and published revision, with how many learners that is
  (a quiz may still ask about the old text);
- the owner, once per step and article, when the step's article can no longer be read by
  anyone (archived, deleted or unpublished): learners skip the step until it is fixed.

A pending (unpublished) edit moves nothing: only a publication changes the revision readers
see (`StepCompletionQuerySet.outdated`). Reading the step again clears the flag
(`services.learning.article_step_read`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, Q
from django.urls import reverse

from kb.models import Article
from kb.querysets import ARTICLE_AUDIENCE
from notifications.engine import Reminder, reminder_source
from searchkit.audience import principals
from training.models import StepCompletion, Track, TrackStep

_CHUNK_SIZE = 500
# Only a revision's title and number are named: the texts can be large.
_REVISION_TEXT = ("body", "rendered_html", "toc_html", "body_text")


def _no_text(*prefixes: str) -> list[str]:
    return [f"{prefix}__{name}" for prefix in prefixes for name in _REVISION_TEXT]


def _outdated():
    """Outdated completions worth telling about: active learners, on published tracks."""
    return StepCompletion.objects.outdated().filter(
        enrolment__user__is_active=True, enrolment__track__status=Track.Status.PUBLISHED
    )


@reminder_source("training.step_updated")
def updated_since_read(now: datetime) -> Iterator[Reminder]:
    """Once per completion and published revision: the learner who read an older revision
    is asked to read the article again, unless they can no longer read it (then the step is
    skipped for them, and the title is not theirs to see)."""
    completions = (
        _outdated()
        .select_related("enrolment__user", "enrolment__track", "step__article__published_revision")
        .prefetch_related("step__article__teams")
        .defer(*_no_text("step__article__published_revision"))
        .order_by("pk")
    )
    who: dict[int, frozenset[str]] = {}  # a learner's principals, one roles query each
    for completion in completions.iterator(chunk_size=_CHUNK_SIZE):
        learner = completion.enrolment.user
        article = completion.step.article
        if learner.pk not in who:
            who[learner.pk] = principals(learner)
        if not who[learner.pk] & set(ARTICLE_AUDIENCE.tokens(article)):
            continue
        track = completion.enrolment.track
        yield Reminder(
            recipient=learner,
            kind="training.step_updated",
            message=f"“{article.title}” in “{track.title}” was updated since you read it.",
            url=track.get_absolute_url(),
            dedupe_key=f"training.outdated:{completion.pk}:{article.published_revision_id}",
        )


@reminder_source("training.step_updated_owner")
def updated_step_owners(now: datetime) -> Iterator[Reminder]:
    """Once per step and published revision: the track's owner hears how many learners
    who completed the step read an older text. Two queries."""
    counts = list(
        _outdated()
        .values("step_id", "step__article__published_revision_id")
        .annotate(learners=Count("enrolment__user", distinct=True))
        .order_by("step_id")
    )
    steps = TrackStep.objects.filter(pk__in={row["step_id"] for row in counts}).select_related(
        "track__owner", "article__published_revision"
    )
    steps = {
        step.pk: step
        for step in steps.defer(*_no_text("article__published_revision")).filter(
            track__owner__is_active=True
        )
    }
    for row in counts:
        step = steps.get(row["step_id"])
        if step is None:
            continue
        revision_id = row["step__article__published_revision_id"]
        learners = row["learners"]
        people = f"{learners} learner{'s' if learners != 1 else ''}"
        yield Reminder(
            recipient=step.track.owner,
            kind="training.step_updated_owner",
            message=(
                f"“{step.article.title}” was updated: {people} who completed it in your track "
                f"“{step.track.title}” {'are' if learners != 1 else 'is'} asked to read it "
                "again. Check that the track still fits the new text."
            ),
            url=reverse("training:track-edit", args=[step.track.slug]),
            dedupe_key=f"training.step-updated:{step.pk}:{revision_id}",
        )


@reminder_source("training.step_unreadable")
def unreadable_steps(now: datetime) -> Iterator[Reminder]:
    """Once per step and article: the owner of a published track hears that a read step's
    article can no longer be read by anyone, so every learner skips it."""
    steps = (
        TrackStep.objects.filter(
            kind=TrackStep.Kind.ARTICLE,
            track__status=Track.Status.PUBLISHED,
            track__owner__is_active=True,
        )
        .filter(Q(article__isnull=True) | ~Q(article__status=Article.Status.PUBLISHED))
        .select_related("track__owner", "article__published_revision", "article__latest_revision")
        .defer(*_no_text("article__published_revision", "article__latest_revision"))
        .order_by("pk")
    )
    for step in steps.iterator(chunk_size=_CHUNK_SIZE):
        article = step.article
        if article is None:
            what = f"“{step.title}”" if step.title else f"The article of step {step.position}"
            why = "was deleted"
        else:
            what = f"“{article.title}”"
            archived = article.status == Article.Status.ARCHIVED
            why = "was archived" if archived else "is no longer published"
        yield Reminder(
            recipient=step.track.owner,
            kind="training.step_unreadable",
            message=(
                f"{what} in your track “{step.track.title}” {why}: nobody can read it, so "
                "learners skip the step. Point the step at another article or remove it."
            ),
            url=reverse("training:track-edit", args=[step.track.slug]),
            dedupe_key=f"training.step-unreadable:{step.pk}:{step.article_id or 'deleted'}",
        )
