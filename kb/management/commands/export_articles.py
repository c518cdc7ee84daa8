"""Export knowledge-base articles as Markdown files with YAML front matter."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kb import porting


class Command(BaseCommand):
    help = "Write <slug>.md per article, for one article or a category and its topics."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--article", metavar="SLUG", help="One article.")
        which.add_argument("--category", metavar="SLUG", help="A category and its topics.")
        parser.add_argument("--out", type=Path, required=True, help="Folder to write into.")

    def handle(self, *args, out: Path, article: str | None, category: str | None, **options):
        out = Path(out)  # call_command passes keyword options unconverted
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} exists and is not a folder.")
        try:
            written = porting.export_articles(out=out, article=article, category=category)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Exported {len(written)} article(s) to {out}.")
