"""A team note: readable by its team and its author. It exists to show (and test) that an
app puts a model into search by declaring an index and its audience, nothing more."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from searchkit import audience

NOTE_AUDIENCE = audience.Audience(audience.team_in("team"), audience.user_in("author"))


class NoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> NoteQuerySet:
        return NOTE_AUDIENCE.filter(self, user)


class Note(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField()
    team = models.ForeignKey("people.Team", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = NoteQuerySet.as_manager()

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/notes/{self.pk}/"
