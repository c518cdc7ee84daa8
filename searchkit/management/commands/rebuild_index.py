"""Rebuild the search index without taking search down.

This replaces haystack's own `rebuild_index` (searchkit is listed before haystack in
INSTALLED_APPS), which clears the live index first: searches find nothing until it has
refilled, and a crash half-way leaves a partial index behind.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from searchkit import pipeline


class Command(BaseCommand):
    help = "Build a complete new search index and swap it in; the old one serves until then."

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_true",
            help="Accepted for compatibility with haystack's command; nothing is ever asked.",
        )
        parser.add_argument("--batch-size", type=int, default=pipeline.BATCH_SIZE)
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, noinput, batch_size, quiet, verbosity, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        count = pipeline.rebuild(progress=not quiet and verbosity > 0, batch_size=batch_size)
        if verbosity > 0:
            self.stdout.write(self.style.SUCCESS(f"Indexed {count} documents."))
