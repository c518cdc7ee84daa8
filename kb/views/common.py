"""What the knowledge base's views share: fetching an article with the viewer's permissions
(404 when hidden, 410 when archived for its former readers), revisions, and the revision
diff."""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kb.models import Article, ArticleRevision
from kb.querysets import ARTICLE_AUDIENCE

ARTICLES_PER_PAGE = 20


@dataclass(frozen=True)
class ArticlePermissions:
    """What the viewer may do with one article, asked of the model once per request."""

    edit: bool = False
    curate: bool = False  # verify (when published) and resolve comments
    verify: bool = False
    publish: bool = False

    @classmethod
    def of(cls, article: Article, user) -> ArticlePermissions:
        return cls(
            edit=article.can_be_edited_by(user),
            curate=article.can_be_curated_by(user),
            verify=article.can_be_verified_by(user),
            publish=article.can_be_published_by(user),
        )


def get_article_for_user(
    request: HttpRequest, slug: str, *, need: str = "", published: bool = False
) -> tuple[Article, ArticlePermissions]:
    """The article and what the viewer may do with it: 404 when they may not open it (or,
    with `published`, when it is not published), so hidden ones do not leak; 403 when they
    may open it but lack the permission `need` ("edit", "publish"...)."""
    articles = Article.objects.visible_to(request.user)
    if published:
        articles = articles.published()
    article = get_object_or_404(
        articles.select_related(
            "category__parent", "owner", "author", "published_revision", "latest_revision",
            "verified_by",
        ),
        slug=slug,
    )  # fmt: skip
    perms = ArticlePermissions.of(article, request.user)
    if need and not getattr(perms, need):
        raise PermissionDenied("You cannot do that with this article.")
    return article, perms


def archived_article_response(request: HttpRequest, slug: str) -> HttpResponse:
    """For a slug `get_article_for_user` hid: a 410 "archived" page when the article is
    archived and the viewer could read it while it was published (the one visibility rule,
    asked of the article as if published), linking its replacement when they may read that;
    Http404 for everyone else, so an archived restricted article does not leak."""
    article = (
        Article.objects.filter(slug=slug, status=Article.Status.ARCHIVED)
        .exclude(published_revision=None)
        .select_related("category__parent", "published_revision")
        .first()
    )
    as_published = copy.copy(article)
    if as_published is not None:
        as_published.status = Article.Status.PUBLISHED
    if as_published is None or not ARTICLE_AUDIENCE.admits(as_published, request.user):
        raise Http404("No such article.")
    replacement = None
    if article.replaced_by_id:
        replacement = (
            Article.objects.published()
            .visible_to(request.user)
            .select_related("published_revision")
            .filter(pk=article.replaced_by_id)
            .first()
        )
    context = {
        "title": article.published_revision.title,
        "archived_on": article.updated_at,
        "category": article.category,
        "replacement": replacement,
    }
    return render(request, "kb/article_archived.html", context, status=410)


def get_revision(article: Article, number, *, among=None) -> ArticleRevision:
    """Revision `number` of `article` (among the revisions `among`, when the viewer may see
    only some); 404 otherwise."""
    revisions = article.revisions.all() if among is None else among
    try:
        return revisions.select_related("editor").get(number=int(number))
    except (TypeError, ValueError, ArticleRevision.DoesNotExist) as missing:
        raise Http404("No such revision.") from missing


def text_of(item) -> list[str]:
    """Title, summary and body of a revision (or of a dict of them) as lines to compare."""
    get = item.get if isinstance(item, dict) else lambda name: getattr(item, name)
    if not (get("title") or get("body")):
        return []  # nothing yet: everything in the other text reads as added
    return f"# {get('title')}\n{get('summary')}\n\n{get('body')}".splitlines()


def diff_table(old, new, old_label: str, new_label: str) -> str:
    """A side-by-side, line-level diff (HTML table) of two texts: revisions or content dicts.
    difflib keeps spaces as &nbsp; and cells `nowrap`, so lines could only break inside a
    word (at `wrapcolumn`) or not at all; plain spaces and CSS `pre-wrap` let them wrap at
    word boundaries to the screen's width. (The texts' own "&" arrive escaped as "&amp;", so
    only difflib's entities are replaced.)"""
    table = difflib.HtmlDiff(tabsize=4).make_table(
        text_of(old), text_of(new), fromdesc=old_label, todesc=new_label,
        context=True, numlines=3,
    )  # fmt: skip
    return table.replace("&nbsp;", " ").replace(' nowrap="nowrap"', "")
