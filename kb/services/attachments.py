"""Images and files attached to articles: checked by name, size and first bytes."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kb.models import Article, ArticleAttachment
from people.models import User

ATTACHMENT_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The first bytes each type must start with, so a renamed executable is not an "image".
MAGIC = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
    "application/pdf": (b"%PDF-",),
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Bytes of a stored file's name before its extension. Filesystems allow 255 bytes a name (190
# accented letters are 380), and the storage may add "_" and 7 characters to keep it unique.
STORED_STEM_BYTES = 120


def _display_name(upload_name: str) -> str:
    """The uploaded file's own name, cut to what the model holds, keeping its extension."""
    name = Path(upload_name).name
    limit = ArticleAttachment._meta.get_field("name").max_length
    if len(name) <= limit:
        return name
    suffix = Path(name).suffix[:10]
    return Path(name).stem[: limit - len(suffix)] + suffix


def _stored_name(name: str) -> str:
    """The name the file is stored under: the display name with its stem cut to
    STORED_STEM_BYTES of UTF-8 (never inside a character). Downloads use the display name."""
    path = Path(name)
    stem = path.stem.encode()[:STORED_STEM_BYTES].decode(errors="ignore")
    return (stem or "attachment") + path.suffix


@transaction.atomic
def attachment_add(*, article: Article | None, user: User, upload) -> ArticleAttachment:
    """Store an uploaded file after checking its name, size and content. Without an article
    (an image pasted into a new article's editor) it waits for the article to claim it."""
    if article is not None and not article.can_be_edited_by(user):
        raise PermissionDenied("Only the author, the owner and editors add attachments.")
    name = _display_name(upload.name)
    content_type = ATTACHMENT_TYPES.get(Path(name).suffix.lower())
    if content_type is None:
        allowed = ", ".join(sorted(ATTACHMENT_TYPES))
        raise ValidationError(f"{name}: this file type is not allowed (allowed: {allowed}).")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(f"{name} is larger than 10 MB.")
    if upload.size == 0:
        raise ValidationError(f"{name} is empty.")
    head = upload.read(16)
    upload.seek(0)
    if content_type in MAGIC and not head.startswith(MAGIC[content_type]):
        raise ValidationError(f"{name} does not contain what its name says.")
    attachment = ArticleAttachment(
        article=article, name=name, content_type=content_type, size=upload.size, uploaded_by=user
    )
    attachment.file.save(_stored_name(name), upload, save=False)
    attachment.save()
    return attachment


# How the editor links an attachment: /kb/files/<pk>/<name>.
FILE_LINK = re.compile(r"/kb/files/(\d{1,18})/")


def attachments_claim(*, article: Article, user: User, body: str) -> int:
    """Attach to `article` the waiting uploads of `user` that its text links, so its readers
    see them; returns how many. Called when a new article is saved (its images were uploaded
    before it existed). Someone else's uploads are never claimed."""
    ids = {int(pk) for pk in FILE_LINK.findall(body)}
    if not ids:
        return 0
    return ArticleAttachment.objects.filter(
        pk__in=ids, article__isnull=True, uploaded_by=user
    ).update(article=article)


# How long an image pasted into a new article's editor waits for the article to be saved.
UNCLAIMED_UPLOAD_HOURS = 48


def uploads_discard_unclaimed(*, now=None) -> int:
    """Delete the uploads no article claimed within UNCLAIMED_UPLOAD_HOURS (the draft they
    were pasted into was never saved), files included; returns how many. Hourly, from beat."""
    cutoff = (now or timezone.now()) - timedelta(hours=UNCLAIMED_UPLOAD_HOURS)
    stale = ArticleAttachment.objects.filter(article__isnull=True, created_at__lt=cutoff)
    count = 0
    for item in stale.iterator():
        item.file.delete(save=False)
        item.delete()
        count += 1
    return count
