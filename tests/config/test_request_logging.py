"""A refused request (403) is logged once, as one line with its reason, without a traceback."""

from __future__ import annotations

import logging
import sys

from config.logfilters import ForbiddenWithoutTraceback


def test_a_forbidden_page_logs_one_line_with_the_reason_and_no_traceback(
    agent_client, mentor, caplog
):
    with caplog.at_level(logging.INFO):
        response = agent_client.get(f"/people/u/{mentor.username}/edit/")

    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    (record,) = records
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert record.exc_text is None
    message = record.getMessage()
    assert message.startswith(f"Forbidden (Permission denied): /people/u/{mentor.username}/edit/")
    assert "You can only edit your own profile." in message
    assert "\n" not in logging.Formatter().format(record)


def test_django_records_are_printed_by_the_root_handler_only():
    # Django's own console handler printed every django.* record a second time in DEBUG.
    django_logger = logging.getLogger("django")
    assert django_logger.handlers == []
    assert django_logger.propagate
    assert logging.getLogger().handlers


def test_a_server_error_keeps_its_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Internal Server Error: %s",
        ("/x/",),
        exc_info,
    )
    record.status_code = 500
    assert ForbiddenWithoutTraceback().filter(record)
    assert record.exc_info is exc_info
