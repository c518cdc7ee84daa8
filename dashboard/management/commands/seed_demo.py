"""`manage.py seed_demo`: a realistic demo organisation, safe to run again.

Each app keeps its own demo data in `<app>/demo.py`; this command (top layer) runs them
bottom-up so later data can refer to earlier data.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from kb import demo as kb_demo
from mentorship import demo as mentorship_demo
from people import demo as people_demo
from questions import demo as questions_demo
from recognition import demo as recognition_demo
from search import demo as search_demo
from training import demo as training_demo

DEMO_LOGINS = ["agent", "mentor", "manager", "editor", "admin"]


class Command(BaseCommand):
    help = "Create or update the demo organisation (idempotent)."

    def handle(self, *args, **options):
        people_demo.seed(log=self.stdout.write)
        kb_demo.seed(log=self.stdout.write)
        search_demo.seed(log=self.stdout.write)
        questions_demo.seed(log=self.stdout.write)
        training_demo.seed(log=self.stdout.write)
        mentorship_demo.seed(log=self.stdout.write)
        recognition_demo.seed(log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at /accounts/login/ as:"))
        for username in DEMO_LOGINS:
            self.stdout.write(f"  {username:<8} password: {people_demo.DEMO_PASSWORD}")
