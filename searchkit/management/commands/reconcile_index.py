"""Fix drift between the search index and the database now, instead of at the next beat."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from searchkit import pipeline


class Command(BaseCommand):
    help = "Reindex stale or missing documents and remove documents that should not be there."

    def handle(self, *args, **options):
        self.stdout.write(str(pipeline.reconcile()))
