"""@username mentions in comments: finding them, checking them, and showing them as links."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.utils.html import escape, format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe

from people.models import User

# An @ not preceded by a word character or another @ (so e-mail addresses are not mentions);
# a username may hold dots, but a mention does not end on one ("thanks @maria.").
MENTION = re.compile(r"(?<![\w@])@([\w.+-]*[\w+-])")


def mentioned_usernames(text: str) -> set[str]:
    return set(MENTION.findall(text))


def mentioned_people(texts: Iterable[str]) -> dict[str, User]:
    """The active people mentioned anywhere in `texts`, by username (one query)."""
    names = set().union(*(mentioned_usernames(text) for text in texts))
    if not names:
        return {}
    return {person.username: person for person in User.objects.active().filter(username__in=names)}


def link_mentions(text: str, people: Mapping[str, User]) -> SafeString:
    """The text as paragraphs, each mention of someone in `people` a link to their profile."""

    def link(match: re.Match) -> str:
        person = people.get(match.group(1))
        if person is None:
            return match.group(0)
        return format_html(
            '<a class="mention" href="{}" title="{}">@{}</a>',
            person.get_absolute_url(), person.name, person.username,
        )  # fmt: skip

    # Escape first, then link: usernames are word characters, dots, + and -, which escaping
    # leaves alone, so every match found in the escaped text is still a whole username.
    return mark_safe(linebreaks(MENTION.sub(link, escape(text))))


def comments_with_mentions(article) -> list:
    """The article's comments with `body_html` (mentions linked), in two queries whatever
    the number of comments and mentions."""
    comments = list(article.comments.select_related("author", "resolved_by"))
    people = mentioned_people(comment.body for comment in comments)
    for comment in comments:
        comment.body_html = link_mentions(comment.body, people)
    return comments


def mentions_reaching(article, people: Iterable[User]) -> tuple[list[User], list[User]]:
    """(people who may open `article`, people who may not), by the article's one visibility
    rule: a mention is no way around team restrictions."""
    from kb.querysets import ARTICLE_AUDIENCE

    reached, not_reached = [], []
    for person in people:
        (reached if ARTICLE_AUDIENCE.admits(article, person) else not_reached).append(person)
    return reached, not_reached
