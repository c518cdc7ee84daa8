"""Personal API tokens: making, revoking and recognising them.

A key is `secrets.token_urlsafe(32)` (256 random bits); only its SHA-256 hash is stored. A
fast hash is enough (no password hasher): the key is random, not chosen by a person, so there
is nothing to guess from a leaked hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from people.models import ApiToken, User
from people.validators import clean_text, validate_single_line

# A person's live tokens at once: enough for every tool they use, few enough to review.
LIVE_TOKENS_MAX = 20
# Last use is recorded at most this often per token, so reading the API writes rarely.
LAST_USED_EVERY = timedelta(minutes=5)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new live token for `user` named `name`, and its key: the only time the key exists in
    clear. Refuses a blank, long or multi-line name, a name one of their live tokens has, and
    more than `LIVE_TOKENS_MAX` live tokens."""
    name = clean_text(name, field="name", limit=ApiToken.NAME_MAX, label="a name")
    try:
        validate_single_line(name)
    except ValidationError as error:
        raise ValidationError({"name": error.messages}) from None
    # Serialises one person's creations, so two at once cannot both pass the checks below.
    User.objects.select_for_update().filter(pk=user.pk).first()
    live = ApiToken.objects.live().filter(user=user)
    if live.filter(name=name).exists():
        raise ValidationError({"name": "You already have a token with this name."})
    if live.count() >= LIVE_TOKENS_MAX:
        raise ValidationError(
            f"You have {LIVE_TOKENS_MAX} tokens already: revoke one you no longer use first."
        )
    key = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name, prefix=key[: ApiToken.PREFIX_LENGTH], key_hash=hash_key(key)
    )
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke `token` for good: from now on it is a 401. Revoking twice is refused."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError("This token is already revoked.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def api_token_for_key(key: str) -> ApiToken | None:
    """The live token whose key is `key`, with its user, or None. Candidates are found by the
    key's prefix and their hashes compared in constant time, so the answer's timing tells
    nothing about how much of a key was right."""
    if not key or len(key) > 200 or "\x00" in key:
        return None
    digest = hash_key(key)
    candidates = (
        ApiToken.objects.live().filter(prefix=key[: ApiToken.PREFIX_LENGTH]).select_related("user")
    )
    found = None
    for token in candidates:
        if hmac.compare_digest(token.key_hash, digest):
            found = token
    return found


def api_token_mark_used(*, token: ApiToken) -> None:
    """Record that `token` was used now, unless that was recorded less than `LAST_USED_EVERY`
    ago: one conditional UPDATE, no read, and no write at all on most requests."""
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USED_EVERY:
        return
    # The condition repeats the check in the database: of two requests at once, one writes.
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY), pk=token.pk
    ).update(last_used_at=now)
    token.last_used_at = now
