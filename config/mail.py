"""The email backend used when no EMAIL_URL is set: one line per email on the console.

Django's console backend prints every email whole, headers and MIME encoding included, and
the demo data alone queues dozens of notification emails at start-up, which buried the log.
One line with the recipients, the subject and the first link says what would have been sent.
EMAIL_URL=consolemail:// still prints whole emails; any other EMAIL_URL sends them.
"""

from __future__ import annotations

import re

from django.core.mail.backends.console import EmailBackend as ConsoleBackend

LINK = re.compile(r"https?://\S+")


class OneLineConsoleBackend(ConsoleBackend):
    def write_message(self, message) -> None:
        line = f"Email to {', '.join(message.recipients())}: {message.subject}"
        link = LINK.search(message.body or "")
        if link:
            line += f" <{link[0]}>"
        self.stream.write(line + "\n")
