"""The knowledge base's pages, split by concern and re-exported here, so `kb.urls` reads
`views.<name>` whatever file a view lives in."""

from kb.views.authoring import (
    article_create,
    article_edit,
    attachment_add,
    revision_compare,
    revision_detail,
    revision_list,
    revision_restore,
)
from kb.views.feedback import article_verify, comment_add, comment_resolve, feedback_give
from kb.views.following import article_follow, category_follow, following
from kb.views.reading import (
    article_detail,
    article_list,
    attachment,
    my_articles,
    tag_list,
    verification_due,
)
from kb.views.workflow import (
    article_approve,
    article_archive,
    article_send_back,
    article_submit,
    article_unarchive,
    review_queue,
)

__all__ = [
    "article_approve",
    "article_archive",
    "article_create",
    "article_detail",
    "article_edit",
    "article_follow",
    "article_list",
    "article_send_back",
    "article_submit",
    "article_unarchive",
    "article_verify",
    "attachment",
    "attachment_add",
    "category_follow",
    "comment_add",
    "comment_resolve",
    "feedback_give",
    "following",
    "my_articles",
    "review_queue",
    "revision_compare",
    "revision_detail",
    "revision_list",
    "revision_restore",
    "tag_list",
    "verification_due",
]
