"""Into the knowledge base: a question and its accepted answer become a KB draft, written
through kb's own authoring services, so it enters kb's review workflow as any article does
(the answerer as its author, editors told by kb) and is published by an editor."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from kb.models import Article, ArticleRevision, Category
from kb.services import article_create, article_submit
from notifications.services import notify
from people.validators import BIDI_CONTROLS
from questions.models import Answer, Question
from questions.rendering import body_text
from searchkit.pipeline import queue_update

# The kinds of article a question reads as: a question and its answer (an FAQ), or a problem
# and its fix (a troubleshooting guide).
PROMOTION_TYPES = (Article.Type.FAQ, Article.Type.TROUBLESHOOTING)
SUMMARY_MAX = ArticleRevision._meta.get_field("summary").max_length


def accepted_answer(question: Question) -> Answer | None:
    return Answer.objects.accepted().filter(question=question).select_related("author").first()


def promotion_refusal(question: Question) -> str:
    """Why `question` cannot be promoted as it stands ("" when it can), in words for the
    person who asked to; who may promote is `Question.can_be_promoted_by`."""
    if question.article_id is not None:
        return "This question was already promoted to a knowledge base article."
    if question.status != Question.Status.ANSWERED:
        return "Only a question with an accepted answer can be promoted to an article."
    return ""


def _printable(text: str) -> str:
    # A summary is one line: control and direction-override characters an answer may hold
    # (its body is multi-line Markdown) would make kb refuse the whole promotion.
    return "".join(
        " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in BIDI_CONTROLS else c
        for c in text
    )


def _summary(answer: Answer) -> str:
    """The answer's first line, its words without markup, as kb's one-line summary (within
    its limit); a line that is only markup gives way to the next."""
    for line in answer.body.splitlines():
        if text := " ".join(_printable(body_text(line)).split()):
            return Truncator(text).chars(SUMMARY_MAX)
    return ""


def _body(question: Question, answer: Answer) -> str:
    """The article's Markdown: the question's details and the accepted answer under the
    headings an FAQ has, and a line leading back to the discussion."""
    details = question.body.strip() or question.title
    title = question.title.replace("[", "(").replace("]", ")")
    return (
        f"## Question\n\n{details}\n\n"
        f"## Answer\n\n{answer.body.strip()}\n\n"
        f"---\n\nFrom the question [{title}]({question.get_absolute_url()}), "
        f"answered by {answer.author.name}.\n"
    )


def _named(refusal: ValidationError) -> ValidationError:
    """kb's refusal with each error naming the article field it is about ("Title: ..."), as
    the promote form shows only type and category; those two stay beside their field."""
    if not hasattr(refusal, "error_dict"):
        return ValidationError(
            [f"The knowledge base refused the article: {m}" for m in refusal.messages]
        )
    named: dict[str, list[str]] = {}
    for field, errors in refusal.message_dict.items():
        if field in ("type", "category"):
            named.setdefault(field, []).extend(errors)
        else:
            label = field.replace("_", " ").capitalize() if field != NON_FIELD_ERRORS else ""
            prefix = f"Article {label.lower()}: " if label else ""
            named.setdefault(NON_FIELD_ERRORS, []).extend(f"{prefix}{e}" for e in errors)
    return ValidationError(named)


@transaction.atomic
def question_promote(
    *, question: Question, user, type: str = Article.Type.FAQ, category: Category | None = None
) -> Article:
    """Turn `question` and its accepted answer into a KB draft submitted for review, with the
    answerer as its author: the title is the question, the summary the answer's first line,
    the body both and a link back; the category is `category` or the question's, and the
    question's tags, visibility and teams carry over. Once per question. The asker or a KB
    editor may (PermissionDenied otherwise); when kb refuses anything (ValidationError),
    nothing is stored anywhere, the question included."""
    # Locked and reread, so two promotions at once make one article.
    question = Question.objects.select_for_update(of=("self",)).get(pk=question.pk)
    if not question.can_be_edited_by(user):
        raise PermissionDenied("Only the asker and KB editors promote a question to an article.")
    if refusal := promotion_refusal(question):
        raise ValidationError(refusal)
    if type not in PROMOTION_TYPES:
        raise ValidationError({"type": "Choose an FAQ or a troubleshooting guide."})
    answer = accepted_answer(question)
    if answer is None:
        raise ValidationError("Only a question with an accepted answer can be promoted.")
    category = category or question.category
    if category is None:
        raise ValidationError({"category": "Choose the category the article belongs in."})
    try:
        article = article_create(
            author=answer.author,
            content={
                "title": question.title,
                "summary": _summary(answer),
                "body": _body(question, answer),
            },
            meta={
                "type": type,
                "category": category,
                "visibility": question.visibility,
                "tags": list(question.tags.names()),
                "teams": list(question.teams.all()),
            },
            change_note="From an accepted answer in Questions",
        )
        article_submit(article=article, user=answer.author)
    except ValidationError as refusal:
        raise _named(refusal) from refusal
    question.article, question.promoted_at, question.promoted_by = article, timezone.now(), user
    question.save(update_fields=["article", "promoted_at", "promoted_by"])
    queue_update(question)
    if answer.author_id != user.pk and answer.author.is_active:
        notify(
            recipient=answer.author,
            kind="questions.promoted",
            message=f"Your answer to “{Truncator(question.title).chars(150)}” is now a "
            "knowledge base draft in your name, waiting for an editor's review.",
            url=article.get_absolute_url(),
            dedupe_key=f"questions.promoted:{question.pk}",
        )
    return article
