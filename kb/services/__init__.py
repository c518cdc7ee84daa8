"""Writes of the knowledge base, split by concern and re-exported here, so callers import
`kb.services` whatever file a service lives in."""

from kb.services.attachments import (
    ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    attachment_add,
    attachments_claim,
)
from kb.services.feedback import (
    article_view_record,
    comment_add,
    comment_resolve,
    feedback_give,
)
from kb.services.following import follow_add, follow_notify_published, follow_remove
from kb.services.suggestions import (
    suggestion_accept,
    suggestion_create,
    suggestion_decline,
    suggestion_merge,
)
from kb.services.verification import article_verify
from kb.services.workflow import (
    CONTENT_FIELDS,
    META_FIELDS,
    StaleEdit,
    approval_refusal,
    article_approve,
    article_archive,
    article_create,
    article_delete,
    article_publish,
    article_reindex,
    article_restore_revision,
    article_send_back,
    article_set_replacement,
    article_submit,
    article_unarchive,
    article_update,
)

__all__ = [
    "ATTACHMENT_TYPES",
    "CONTENT_FIELDS",
    "MAX_ATTACHMENT_BYTES",
    "META_FIELDS",
    "StaleEdit",
    "approval_refusal",
    "article_approve",
    "article_archive",
    "article_create",
    "article_delete",
    "article_publish",
    "article_reindex",
    "article_restore_revision",
    "article_send_back",
    "article_set_replacement",
    "article_submit",
    "article_unarchive",
    "article_update",
    "article_verify",
    "article_view_record",
    "attachment_add",
    "attachments_claim",
    "comment_add",
    "comment_resolve",
    "feedback_give",
    "follow_add",
    "follow_notify_published",
    "follow_remove",
    "suggestion_accept",
    "suggestion_create",
    "suggestion_decline",
    "suggestion_merge",
]
