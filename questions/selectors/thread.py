"""What a question's page reads: the question as the viewer may see it, its answers ranked
with their votes and comments, and the article it became. A fixed number of queries whatever
the number of answers, comments, votes and mentions (the page's test pins it)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, Subquery

from kb.mentions import link_mentions, mentioned_people
from kb.models import Article
from questions.models import Answer, Comment, Question, Revision, Route, Vote


def my_vote(viewer, field: str):
    """The viewer's own vote on each row (1, -1 or None), in the row's own query."""
    mine = Vote.objects.filter(voter=viewer, **{field: OuterRef("pk")}).values("value")[:1]
    return Subquery(mine)


def _comments() -> Prefetch:
    return Prefetch("comments", queryset=Comment.objects.select_related("author"))


def question_for_viewer(*, viewer, pk: int) -> Question | None:
    """Question `pk` if `viewer` may read it, with its asker, category, tags, teams,
    comments, score, answer count and the viewer's vote; None when it is missing or hidden
    (a 404 either way, so a hidden question's existence is not told)."""
    return (
        Question.objects.visible_to(viewer)
        .select_related(
            "author",
            "category",
            "promoted_by",
            "article__published_revision",
            "article__latest_revision",
        )
        .prefetch_related("tags", "teams", _comments())
        .with_counts()
        .annotate(my_vote=my_vote(viewer, "question"))
        .filter(pk=pk)
        .first()
    )


def answers_for_viewer(*, question: Question, viewer, after: int | None = None) -> list[Answer]:
    """The question's answers ranked (accepted first, then by votes), each with its author,
    score, the viewer's vote, whether it was ever edited, and its comments; with `after`,
    only the answers newer than that id (the page's poller), oldest first."""
    answers = Answer.objects.filter(question=question)
    if after is not None:
        answers = answers.filter(pk__gt=after).with_score().order_by("pk")
    else:
        answers = answers.ranked()
    rows = list(
        answers.select_related("author", "accepted_by")
        .prefetch_related(_comments())
        .annotate(
            my_vote=my_vote(viewer, "answer"),
            edited=Exists(Revision.objects.filter(answer=OuterRef("pk"))),
        )
    )
    for answer in rows:
        answer.question = question  # each row asks its question for links and permissions
    return rows


def comments_for(post) -> list[Comment]:
    """One post's comments with their authors (a comments section redrawn after a post)."""
    return list(post.comments.select_related("author"))


def link_comment_mentions(posts: Iterable) -> None:
    """Give each of `posts` its `comment_list` (prefetched, unless set already) and every
    comment its `body_html`: the text as paragraphs, each @mention of someone active linked
    to their profile. One query for all the mentions on the page."""
    comments = []
    for post in posts:
        if not hasattr(post, "comment_list"):
            post.comment_list = list(post.comments.all())
        comments.extend(post.comment_list)
    people = mentioned_people(comment.body for comment in comments)
    for comment in comments:
        comment.body_html = link_mentions(comment.body, people)


def readable_article(*, question: Question, viewer) -> Article | None:
    """The published article the question's accepted answer became, if the viewer may read
    it (its own audience may be narrower than the question's), with its published text."""
    if question.article_id is None:
        return None
    return (
        Article.objects.published()
        .visible_to(viewer)
        .select_related("published_revision")
        .filter(pk=question.article_id)
        .first()
    )


def post_votes(*, post, viewer):
    """`post` (a question or an answer) read again with its `score` and the viewer's vote
    (`my_vote`): the vote buttons redrawn after a vote."""
    if isinstance(post, Question):
        rows = Question.objects.filter(pk=post.pk).with_counts()
        field = "question"
    else:
        rows = Answer.objects.filter(pk=post.pk).with_score()
        field = "answer"
    return rows.annotate(my_vote=my_vote(viewer, field)).get()


def question_routes(*, question: Question) -> list[Route]:
    """Who the question was brought to, with each person (the routing panel shows them)."""
    return list(question.routes.select_related("person"))
