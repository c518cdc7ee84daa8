"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging


class ForbiddenWithoutTraceback(logging.Filter):
    """A refused request (403) is logged as one line with its reason, not with a traceback.

    Django logs PermissionDenied on `django.request` with the exception attached, so every
    refusal printed a traceback of the permission check that worked as intended. The reason
    the view gave (e.g. "You can only edit your own profile.") is all the traceback said.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            reason = str(record.exc_info[1] or "").strip()
            record.msg = record.getMessage() + (f" ({reason})" if reason else "")
            record.args = None
            record.exc_info = record.exc_text = None
        return True
