"""Asking a question, editing it, closing it, and "this answered it" (deflection): the asker's
side of a question. Answers, votes and comments are `questions.services.answers`' and the
thread's; routing is `questions.services.routing`."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from kb.models import Article
from questions.models import Question, Revision
from questions.rendering import body_html
from questions.services.mentions import mentions_notify
from questions.services.routing import question_route
from searchkit.pipeline import queue_update

# The same words for something that does not exist and something the asker may not read, so a
# refusal never tells that a hidden article or question exists.
NO_SOURCE = "Choose a published article or an open question you can read."
TEAMS_REQUIRED = "Choose at least one team, or let everyone read it."


def tag_vocabulary(user) -> list[Tag]:
    """The knowledge base's tags `user` may know of: those of the articles they may open (the
    published ones of their audience, their own drafts; every article for KB editors), so
    neither the suggestions nor a refusal reveal the tags of a hidden article."""
    return list(Article.objects.visible_to(user).tag_counts().order_by("name"))


def _vocabulary_tags(names: Iterable[str], *, user, keep: Iterable[Tag] = ()) -> list[Tag]:
    """The tags named (case-insensitively), each from the vocabulary or `keep` (a question's
    own tags stay valid on an edit even if no article uses them any more)."""
    known = {tag.name.casefold(): tag for tag in (*tag_vocabulary(user), *keep)}
    chosen, unknown = {}, []
    for name in names:
        tag = known.get(name.strip().casefold())
        if tag is None:
            unknown.append(name.strip())
        else:
            chosen[tag.pk] = tag
    if unknown:
        listed = ", ".join(f"“{name}”" for name in unknown[:5])
        raise ValidationError(
            {
                "tags": f"Not a tag of the knowledge base: {listed}. Pick tags from the list "
                "(the tags its articles use)."
            }
        )
    return list(chosen.values())


def _audience_teams(*, visibility: str, teams: Iterable) -> list:
    """The teams that may read a new question: none when everyone may, and at least one when
    it is limited to teams (a question nobody but its asker could read would never be
    answered). The one rule for asking and for "this answered it"."""
    if visibility != Question.Visibility.TEAMS:
        return []
    chosen = list(teams)
    if not chosen:
        raise ValidationError({"teams": TEAMS_REQUIRED})
    return chosen


def _refuse_nul(**texts: str) -> None:
    """PostgreSQL cannot store a NUL character; refuse it as an error beside its field."""
    bad = {name: "Remove the NUL character." for name, text in texts.items() if "\x00" in text}
    if bad:
        raise ValidationError(bad)


@transaction.atomic
def question_ask(
    *,
    author,
    title: str,
    body: str = "",
    tags: Iterable[str] = (),
    category=None,
    visibility: str = Question.Visibility.EVERYONE,
    teams: Iterable = (),
    urgency: str = Question.Urgency.NORMAL,
) -> Question:
    """Ask the team: store the question (its body rendered once), bring it to the likely
    experts (routing round 1), queue its search document, and notify the people it
    @mentions who may read it. Tags must be tags of the knowledge base; limiting it to
    teams needs at least one team."""
    _refuse_nul(title=title, body=body)
    now = timezone.now()
    question = Question(
        author=author, title=title.strip(), body=body, body_html=body_html(body),
        category=category, visibility=visibility, urgency=urgency,
        created_at=now, updated_at=now, last_activity_at=now,
    )  # fmt: skip
    question.full_clean()
    teams = _audience_teams(visibility=visibility, teams=teams)
    chosen = _vocabulary_tags(tags, user=author)
    question.save()
    question.tags.set(chosen)
    if teams:
        question.teams.set(teams)
    mentions_notify(
        text=question.body, question=question, author=author,
        url=question.get_absolute_url(), key=f"q{question.pk}",
    )  # fmt: skip
    question_route(question=question, round=1)
    queue_update(question)
    return question


def _locked(question: Question) -> Question:
    """Lock the question's row until the transaction ends and reread it, so an edit, a close
    and an accepted answer happen one at a time, each seeing the other's result."""
    if not Question.objects.select_for_update().filter(pk=question.pk).exists():
        raise ValidationError("This question no longer exists.")
    question.refresh_from_db()
    return question


@transaction.atomic
def question_edit(
    *, question: Question, editor, title: str, body: str, tags: Iterable[str], category=None
) -> Question:
    """The asker or a KB editor changes the text, tags or category. The previous title and
    body are kept as a `Revision` (when they changed), the body re-rendered, and the search
    document queued; people newly @mentioned who may read it are told."""
    if not question.can_be_edited_by(editor):
        raise PermissionDenied("Only the asker and KB editors edit a question.")
    _refuse_nul(title=title, body=body)
    _locked(question)
    old_title, old_body = question.title, question.body
    chosen = _vocabulary_tags(tags, user=editor, keep=question.tags.all())
    now = timezone.now()
    question.title, question.body, question.category = title.strip(), body, category
    question.body_html = body_html(body)
    question.updated_at = question.last_activity_at = now
    question.full_clean()
    if (old_title, old_body) != (question.title, question.body):
        Revision.objects.create(
            question=question, editor=editor, title=old_title, body=old_body, created_at=now
        )
    question.save()
    question.tags.set(chosen)
    mentions_notify(
        text=question.body, question=question, author=editor,
        url=question.get_absolute_url(), key=f"q{question.pk}",
    )  # fmt: skip
    queue_update(question)
    return question


@transaction.atomic
def question_close(*, question: Question, user) -> Question:
    """The asker or a KB editor closes an open question: no more routing, no more answers."""
    if not question.can_be_edited_by(user):
        raise PermissionDenied("Only the asker and KB editors close a question.")
    _locked(question)
    if not question.is_open:
        raise ValidationError(f"This question is already {question.get_status_display().lower()}.")
    now = timezone.now()
    question.status, question.closed_at, question.updated_at = Question.Status.CLOSED, now, now
    question.save(update_fields=["status", "closed_at", "updated_at"])
    queue_update(question)
    return question


def _check_source(*, user, article, answered_by, question) -> None:
    """Exactly one thing answered it: a published article `user` may read, or a question
    they may read that was not itself deflected (and is not the question itself)."""
    if (article is None) == (answered_by is None):
        raise ValidationError(NO_SOURCE)
    if article is not None:
        readable = Article.objects.published().visible_to(user).filter(pk=article.pk)
    else:
        readable = (
            Question.objects.visible_to(user)
            .exclude(status=Question.Status.DEFLECTED)
            .filter(pk=answered_by.pk)
        )
        if question is not None and question.pk == answered_by.pk:
            readable = readable.none()
    if not readable.exists():
        raise ValidationError(NO_SOURCE)


@transaction.atomic
def question_deflect(
    *,
    user,
    article: Article | None = None,
    answered_by: Question | None = None,
    question: Question | None = None,
    title: str = "",
    body: str = "",
    visibility: str = Question.Visibility.EVERYONE,
    teams: Iterable = (),
) -> Question:
    """ "This answered it": an article or another question answered what `user` was about to
    ask. Without `question`, the typed title and details are kept as a deflected question
    (closed at once, never routed nor indexed) readable by whom the asker chose
    (`visibility` and `teams`, the same rule as asking), which is what the deflection counts
    read; with `question` (the asker's own open one), that question is closed as deflected
    and keeps its own audience."""
    _check_source(user=user, article=article, answered_by=answered_by, question=question)
    now = timezone.now()
    if question is not None:
        if question.author_id != user.pk:
            raise PermissionDenied("Only the asker says what answered their question.")
        _locked(question)
        if not question.is_open:
            raise ValidationError(
                f"This question is already {question.get_status_display().lower()}."
            )
    else:
        _refuse_nul(title=title, body=body)
        question = Question(
            author=user, title=title.strip(), body=body, body_html=body_html(body),
            visibility=visibility, created_at=now, last_activity_at=now,
        )  # fmt: skip
    question.status, question.closed_at, question.updated_at = Question.Status.DEFLECTED, now, now
    question.deflected_by_article, question.deflected_by_question = article, answered_by
    question.full_clean()
    if question.pk is not None:
        question.save()
        queue_update(question)  # it leaves the lists and the index as a deflected question
        return question
    teams = _audience_teams(visibility=visibility, teams=teams)
    question.save()
    if teams:
        question.teams.set(teams)
    return question
