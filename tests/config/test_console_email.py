"""Without EMAIL_URL, each email is one console line (to, subject, link); with it, email is sent
as configured, untouched."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from django.core.mail import EmailMessage

from config.mail import OneLineConsoleBackend

ROOT = Path(__file__).resolve().parents[2]


def _email_backend(tmp_path: Path, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("EMAIL_URL", "SECRET_KEY")}
    code = "import config.settings as s; print(s.EMAIL_BACKEND)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DEBUG": "true", "VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_an_email_is_one_line_with_recipients_subject_and_first_link():
    stream = io.StringIO()
    message = EmailMessage(
        subject="[Huddle] “Refunds” is published.",
        body="Hello Alex,\n\nSee http://127.0.0.1:8011/notifications/7/open/ now.\n\n"
        "Second http://127.0.0.1:8011/other/\n",
        to=["agent@example.com", "mentor@example.com"],
    )

    sent = OneLineConsoleBackend(stream=stream).send_messages([message])

    assert sent == 1
    assert stream.getvalue() == (
        "Email to agent@example.com, mentor@example.com: [Huddle] “Refunds” is published. "
        "<http://127.0.0.1:8011/notifications/7/open/>\n"
    )


def test_an_email_without_a_link_is_still_one_line():
    stream = io.StringIO()
    OneLineConsoleBackend(stream=stream).send_messages(
        [EmailMessage(subject="Hi", body="No link here.", to=["a@example.com"])]
    )
    assert stream.getvalue() == "Email to a@example.com: Hi\n"


def test_without_email_url_emails_are_printed_one_line_each(tmp_path):
    assert _email_backend(tmp_path) == "config.mail.OneLineConsoleBackend"


def test_an_email_url_still_chooses_how_email_is_sent(tmp_path):
    smtp = _email_backend(tmp_path, EMAIL_URL="smtp+tls://user:secret@mail.example.com:587")
    assert smtp == "django.core.mail.backends.smtp.EmailBackend"
    whole = _email_backend(tmp_path, EMAIL_URL="consolemail://")
    assert whole == "django.core.mail.backends.console.EmailBackend"
