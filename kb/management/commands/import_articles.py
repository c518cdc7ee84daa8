"""Import Markdown files (YAML front matter + body) as knowledge-base articles."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kb import porting
from people.models import User


class Command(BaseCommand):
    help = (
        "Import *.md files from a folder (recursively) or one file. Re-running updates "
        "articles by slug; unchanged files make no new revision."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A folder or one .md file.")
        parser.add_argument(
            "--publish", action="store_true", help="Publish every file, whatever its status."
        )
        parser.add_argument(
            "--author",
            metavar="USERNAME",
            help="Who imports (default: the first superuser or KB editor).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but save nothing."
        )

    def handle(self, *args, path: Path, publish: bool, author: str | None, **options) -> None:
        path = Path(path)  # call_command passes keyword options unconverted
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        user = self._author(author)
        if publish and not user.is_kb_editor:
            raise CommandError(f"{user.username} is not a KB editor, so cannot publish.")
        try:
            results = porting.import_articles(
                path,
                author=user,
                publish=publish,
                dry_run=options["dry_run"],
                progress=options["verbosity"] > 0,
            )
        except PermissionDenied as exc:
            raise CommandError(f"{exc} Pass --author with a KB editor's username.") from exc
        for name, outcome, detail in results:
            if outcome == "skipped":
                self.stdout.write(self.style.WARNING(f"skipped: {name}: {detail}"))
            elif options["verbosity"] > 1:
                self.stdout.write(f"{outcome}: {name} ({detail})")
        counts = Counter(outcome for _, outcome, _ in results)
        summary = ", ".join(f"{o}: {counts[o]}" for o in porting.OUTCOMES)
        prefix = "Dry run, nothing saved. " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{summary}")

    def _author(self, username: str | None) -> User:
        if username is None:
            user = porting.default_author()
            if user is None:
                raise CommandError("No superuser or KB editor exists; pass --author USERNAME.")
            return user
        user = User.objects.active().filter(username=username).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        return user
