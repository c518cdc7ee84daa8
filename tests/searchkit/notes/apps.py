from django.apps import AppConfig


class NotesConfig(AppConfig):
    """A test-only app: the smallest model an app puts into search (test settings only)."""

    name = "tests.searchkit.notes"
    label = "notes"
