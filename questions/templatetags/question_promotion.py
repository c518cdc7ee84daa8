"""The question page's promotion panel: `{% load question_promotion %}`."""

from __future__ import annotations

from django import template

from kb.querysets import ARTICLE_AUDIENCE

register = template.Library()


@register.simple_tag(takes_context=True)
def promotion_state(context, question) -> dict:
    """What the panel shows `request.user`: whether they may promote the question, and once
    it was promoted, the article's state (draft, in review, published, archived) and whether
    they may open it (kb's audience rule, asked without a query for the people working on a
    draft; a team-only published article asks for its teams once)."""
    user = context["request"].user
    article = question.article if question.article_id else None
    return {
        "can_promote": question.can_be_promoted_by(user),
        "article": article,
        "can_open": article is not None and ARTICLE_AUDIENCE.admits(article, user),
    }
