from __future__ import annotations

from haystack import indexes

from searchkit.indexes import DocumentIndex
from tests.searchkit.notes.models import NOTE_AUDIENCE, Note


class NoteIndex(DocumentIndex, indexes.Indexable):
    text = indexes.CharField(document=True)
    title = indexes.CharField(model_attr="title")
    body = indexes.CharField(model_attr="body", indexed=False)

    audience_rule = NOTE_AUDIENCE

    def get_model(self):
        return Note

    def index_queryset(self, using=None):
        return Note.objects.all()

    def version_of(self, obj: Note) -> str:
        return obj.updated_at.isoformat()

    def readable(self, user):
        return Note.objects.visible_to(user)

    def prepare_text(self, obj: Note) -> str:
        return f"{obj.title}\n{obj.body}"
