"""The mentorship API's list filters (django-filter). They narrow what `visible_to` already
allowed; none of them widens it."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from mentorship.models import Meeting, Pairing, Program

PROGRAMME_SLUG_MAX = Program._meta.get_field("slug").max_length


class PairingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Pairing.Status.choices, help_text="Only pairings in this state."
    )
    programme = django_filters.CharFilter(
        field_name="program__slug", max_length=PROGRAMME_SLUG_MAX,
        help_text="Only pairings of this programme (its slug).",
    )  # fmt: skip

    class Meta:
        model = Pairing
        fields: list[str] = []


class MeetingFilter(django_filters.FilterSet):
    when = django_filters.ChoiceFilter(
        choices=[("upcoming", "Upcoming"), ("past", "Held")], method="_when",
        help_text="`upcoming` (still to come) or `past` (held); both when left out.",
    )  # fmt: skip

    class Meta:
        model = Meeting
        fields: list[str] = []

    def _when(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(starts_at__gt=now)
        return queryset.filter(starts_at__lte=now)
