"""What questions add to an article's page (`kb.hooks`): the question it grew from, for
readers who may read that question."""

from __future__ import annotations

from kb.hooks import Panel, article_panel
from questions.models import Question


@article_panel("questions.source", order=20)
def source_question(viewer, article) -> Panel | None:
    """ "Grew from the question “…” asked by X" on an article promoted from a question, when
    `viewer` may read the question (a team-only question stays unnamed to others). One query."""
    question = (
        Question.objects.visible_to(viewer)
        .filter(article=article)
        .select_related("author")
        .order_by("promoted_at", "pk")
        .first()
    )
    if question is None:
        return None
    return Panel("questions/includes/article_source.html", {"question": question})
