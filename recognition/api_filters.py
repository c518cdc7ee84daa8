"""The recognition API's list filters (django-filter): the wall's filters, by the kudos
queryset's own methods. They narrow what `Kudos.objects.visible_to` already allowed."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from people.models import Team, User
from recognition.models import BadgeAward, Kudos, Value
from recognition.selectors.periods import PERIODS
from recognition.selectors.wall import period_bounds

USERNAME_MAX = User._meta.get_field("username").max_length


class KudosFilter(django_filters.FilterSet):
    team = django_filters.CharFilter(
        max_length=Team._meta.get_field("slug").max_length, method="_team",
        help_text="Only kudos given by or to a member of this team (its slug).",
    )  # fmt: skip
    person = django_filters.CharFilter(
        max_length=USERNAME_MAX, method="_person",
        help_text="Only kudos given by or to this person (their username).",
    )  # fmt: skip
    value = django_filters.CharFilter(
        max_length=Value._meta.get_field("slug").max_length, method="_value",
        help_text="Only kudos naming this value (its slug).",
    )  # fmt: skip
    period = django_filters.ChoiceFilter(
        choices=PERIODS, method="_period", help_text="Only kudos given in this period."
    )

    class Meta:
        model = Kudos
        fields: list[str] = []

    # An unknown team, person or value is an empty list, as a filter that matches nothing.

    def _team(self, queryset: QuerySet, name: str, slug: str) -> QuerySet:
        team = Team.objects.filter(slug=slug).first()
        return queryset.involving_team(team) if team else queryset.none()

    def _person(self, queryset: QuerySet, name: str, username: str) -> QuerySet:
        person = User.objects.filter(username=username.removeprefix("@")).first()
        return queryset.involving(person) if person else queryset.none()

    def _value(self, queryset: QuerySet, name: str, slug: str) -> QuerySet:
        value = Value.objects.filter(slug=slug).first()
        return queryset.for_value(value) if value else queryset.none()

    def _period(self, queryset: QuerySet, name: str, period: str) -> QuerySet:
        return queryset.between(*period_bounds(period))


class BadgeAwardFilter(django_filters.FilterSet):
    person = django_filters.CharFilter(
        field_name="user__username", max_length=USERNAME_MAX,
        help_text="Whose badges (their username); yours when left out.",
    )  # fmt: skip

    class Meta:
        model = BadgeAward
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        username = self.form.cleaned_data.get("person") or self.request.user.username
        return queryset.filter(user__username=username)
