"""The service values kudos are given for, each with the criteria that make an act qualify."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from people.validators import validate_single_line


class Value(models.Model):
    name = models.CharField(max_length=60, unique=True, validators=[validate_single_line])
    slug = models.SlugField(max_length=60, unique=True)
    emoji = models.CharField(max_length=8, help_text="One emoji shown beside the name.")
    description = models.CharField(max_length=200, validators=[validate_single_line])
    # The clear criteria for exceptional service, shown wherever kudos are given.
    qualifies = models.TextField(
        "what qualifies", max_length=1000, validators=[MaxLengthValidator(1000)]
    )
    order = models.PositiveSmallIntegerField(default=0)
    # Retired values stay on the kudos that named them but are no longer offered.
    is_active = models.BooleanField("offered", default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.emoji} {self.name}"

    def get_absolute_url(self) -> str:
        return f"{reverse('recognition:values')}#{self.slug}"
