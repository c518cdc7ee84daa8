"""Training in search: published tracks and upcoming sessions, found on the same search page
and in the same autocomplete as knowledge-base articles.

Who may find a document is `TRACK_AUDIENCE` / `SESSION_AUDIENCE`, the rules the querysets'
`visible_to` read too. A session belongs in the index only until it ends: `index_queryset`
reads the clock, so the periodic reconcile drops the sessions that ended since it last ran
(and `readable` hides them from results in between).

A document's version is a digest of what it is found by, not only `updated_at`: a step
edited, a skill renamed or an article's published title changed all make reconcile
reindex the track even when nothing bumped the track's own timestamp.
"""

from __future__ import annotations

import hashlib
import json

from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from haystack import fields as haystack_fields
from haystack import indexes

from searchkit.indexes import DocumentIndex
from training.models import Session, Track, TrackStep
from training.querysets import SESSION_AUDIENCE, TRACK_AUDIENCE
from training.selectors.skills import with_skills

TITLE_BOOST = 3.0

TRACK = "track"
SESSION = "session"


def _digest(*parts) -> str:
    encoded = json.dumps(parts, default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()[:20]


def _team_ids(obj) -> list[str]:
    """The teams a restricted track or session is for: the search page's team filter."""
    if obj.visibility == obj.Visibility.EVERYONE:
        return []
    return sorted(str(team.pk) for team in obj.teams.all())


def _skill_slugs(obj) -> list[str]:
    skills = getattr(obj, "skills_list", None)  # set by `prepare_batch`
    return sorted(skill.slug for skill in (obj.skills.all() if skills is None else skills))


def _public_title(step: TrackStep) -> str:
    """A step's title as anyone who may find the track may read it. An article or session
    the step points at lends its title only when it is open to everyone: a team-only
    article's title must not make a track findable by the words of that title."""
    if step.title:
        return step.title
    article, session = step.article, step.session
    if step.kind == TrackStep.Kind.ARTICLE and article is not None:
        published = article.status == "published" and article.published_revision is not None
        if published and article.visibility == "everyone":
            return article.published_revision.title
    public_session = session is not None and session.visibility == Session.Visibility.EVERYONE
    if step.kind == TrackStep.Kind.SESSION and public_session:
        return session.title
    return ""


class TrainingIndex(DocumentIndex):
    """What the search page reads from every training document. Each index adds its
    `text`, whose template `prepare_text` renders once, with `text_context`."""

    title = indexes.CharField(model_attr="title", boost=TITLE_BOOST)
    title_auto = indexes.EdgeNgramField(model_attr="title")
    body = indexes.CharField(indexed=False)  # stored for highlighted snippets
    type = indexes.FacetCharField()
    tags = haystack_fields.FacetMultiValueField()  # skill slugs
    teams = haystack_fields.FacetMultiValueField()
    updated = indexes.DateTimeField(model_attr="updated_at")

    type_value: str

    def text_context(self, obj) -> dict:
        return {"object": obj}

    def prepare_batch(self, objs) -> list:
        return with_skills(list(objs))  # the document template lists them

    def result_rows(self, rows: list) -> None:
        with_skills(rows)

    def version_batch(self, rows: list) -> list:
        return with_skills(rows)  # the text `version_of` renders lists them

    def prepare_text(self, obj) -> str:
        """The document template, given what the model alone cannot say (`text_context`)."""
        return render_to_string(self.fields["text"].template_name, self.text_context(obj))

    def prepare_type(self, obj) -> str:
        return self.type_value

    def prepare_tags(self, obj) -> list[str]:
        return _skill_slugs(obj)

    def prepare_teams(self, obj) -> list[str]:
        return _team_ids(obj)

    def version_of(self, obj) -> str:
        return _digest(
            self.prepare_text(obj),
            obj.title,
            self.prepare_body(obj),
            self.prepare_tags(obj),
            self.prepare_teams(obj),
            self.prepare_audience(obj),
            obj.updated_at,
        )


class TrackIndex(TrainingIndex, indexes.Indexable):
    # Rendered by `prepare_text` (with the steps' public titles), not by haystack.
    text = indexes.CharField(document=True, template_name="search/indexes/training/track_text.txt")
    owner = indexes.IntegerField(model_attr="owner_id")

    audience_rule = TRACK_AUDIENCE
    type_value = TRACK
    type_labels = {TRACK: "Training track"}

    def get_model(self):
        return Track

    def index_queryset(self, using=None):
        """Published tracks only: a draft is found by nobody, not even its owner."""
        steps = TrackStep.objects.select_related("article__published_revision", "session")
        # Skills are read per batch (`prepare_batch`), without taggit's per-row prefetch work.
        return (
            Track.objects.published()
            .prefetch_related("teams", Prefetch("steps", queryset=steps))
            .order_by("pk")
        )

    def readable(self, user):
        return Track.objects.published().visible_to(user).with_step_count().select_related("owner")

    def text_context(self, obj: Track) -> dict:
        steps = [(_public_title(step), step.description) for step in obj.steps.all()]
        return {"object": obj, "steps": steps}

    def prepare_body(self, obj: Track) -> str:
        # Sentences, so a snippet reads "Refund a double charge. Partial refunds." and not
        # "Refund a double charge: Partial refunds:" when steps have no description.
        parts = [obj.description]
        for step in obj.steps.all():
            title = _public_title(step)
            parts.append(f"{title}: {step.description}" if title and step.description else
                         title or step.description)  # fmt: skip
        return " ".join(_sentence(part) for part in parts if part)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


class SessionIndex(TrainingIndex, indexes.Indexable):
    text = indexes.CharField(
        document=True, template_name="search/indexes/training/session_text.txt"
    )
    owner = indexes.IntegerField(model_attr="organiser_id")

    audience_rule = SESSION_AUDIENCE
    type_value = SESSION
    type_labels = {SESSION: "Session"}

    def get_model(self):
        return Session

    def index_queryset(self, using=None):
        """Scheduled sessions that have not ended yet, as of now: reconcile removes the
        ones that ended since it last ran."""
        return (
            Session.objects.scheduled()
            .upcoming(timezone.now())
            .prefetch_related("teams", "presenters")
            .order_by("pk")
        )

    def readable(self, user):
        # Upcoming again: a session that ended before reconcile removed its document is
        # not offered.
        return (
            Session.objects.scheduled()
            .upcoming(timezone.now())
            .visible_to(user)
            .with_seat_counts()
            .select_related("organiser")
        )

    def result_rows(self, rows: list) -> None:
        super().result_rows(rows)
        prefetch_related_objects(rows, "presenters")

    def prepare_body(self, obj: Session) -> str:
        return obj.agenda
