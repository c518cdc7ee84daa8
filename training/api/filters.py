"""The training API's list filters (django-filter). They narrow what the models' `visible_to`
already allowed; none of them widens it."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from people.models import User
from training.models import Enrolment, Session, Track
from training.selectors.sessions import SessionFilters
from training.selectors.sessions import session_list as select_sessions

SLUG_MAX = Track._meta.get_field("slug").max_length
USERNAME_MAX = User._meta.get_field("username").max_length


class TrackFilter(django_filters.FilterSet):
    skill = django_filters.CharFilter(
        field_name="skills__slug", max_length=SLUG_MAX, help_text="Only tracks building this "
        "skill (its slug).",
    )  # fmt: skip
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", max_length=200,
        help_text="Only tracks whose title contains this.",
    )  # fmt: skip

    class Meta:
        model = Track
        fields: list[str] = []


class EnrolmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[c for c in Enrolment.Status.choices if c[0] != Enrolment.Status.WITHDRAWN],
        help_text="Only tracks in progress (`active`) or completed.",
    )

    class Meta:
        model = Enrolment
        fields: list[str] = []


class SessionFilter(django_filters.FilterSet):
    """The session page's filters, applied by `training.selectors.sessions.session_list`
    (which also applies who may see what): the API and the page list the same sessions."""

    when = django_filters.ChoiceFilter(
        choices=[("upcoming", "Upcoming"), ("past", "Past")], method="_by_selector",
        help_text="`upcoming` (not over yet, soonest first; the default) or `past` (most "
        "recent first).",
    )  # fmt: skip
    kind = django_filters.ChoiceFilter(
        choices=Session.Kind.choices, method="_by_selector", help_text="Only this kind."
    )
    presenter = django_filters.CharFilter(
        max_length=USERNAME_MAX, method="_by_selector",
        help_text="Only sessions this person presents (their username).",
    )  # fmt: skip
    skill = django_filters.CharFilter(
        max_length=SLUG_MAX, method="_by_selector", help_text="Only sessions covering this "
        "skill (its slug).",
    )  # fmt: skip
    mine = django_filters.BooleanFilter(
        method="_by_selector", help_text="Only sessions you signed up for (or wait for)."
    )

    class Meta:
        model = Session
        fields: list[str] = []

    def _by_selector(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # every filter is applied at once, in `filter_queryset`

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.form.cleaned_data
        presenter = None
        if data.get("presenter"):
            found = User.objects.filter(username=data["presenter"]).values_list("pk", flat=True)
            # -1: nobody presents as an unknown username, so the list is empty.
            presenter = found.first() or -1
        filters = SessionFilters(
            when=data.get("when") or "upcoming",
            kind=data.get("kind") or "",
            presenter=presenter,
            skill=data.get("skill") or "",
            mine=bool(data.get("mine")),
        )
        # The list reads the page's skills itself (`SessionViewSet.list`).
        found = select_sessions(user=self.request.user, filters=filters, skills=False)
        return found.select_related("organiser")
