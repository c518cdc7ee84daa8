"""Who may see a thing, written once and read two ways.

A model's visibility rule is an `Audience`: a list of grants, each saying which principal
(everyone, a user, a team, a role) an object admits and when. The same grants give

- `Audience.q(user)`: a filter for `QuerySet.visible_to(user)`, run by the database; and
- `Audience.tokens(obj)`: the principals an object admits, stored with its search document,
  so every search path narrows by `principals(user)`.

Because both come from one list, the database and the search index cannot disagree about
who may find what.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Model, Q
from django.utils.text import slugify

from people.models import Role

EVERYONE = "everyone"


def role_token(role: str) -> str:
    return f"role-{slugify(role)}"


def principals(user) -> frozenset[str]:
    """Who `user` is, as the tokens audiences name: everyone, themselves, their team and
    their roles (a superuser holds every role). Nobody, when not signed in."""
    if not user.is_authenticated:
        return frozenset()
    tokens = {EVERYONE, f"user{user.pk}"}
    if user.team_id:
        tokens.add(f"team{user.team_id}")
    tokens.update(role_token(role) for role in Role if user.has_role(role))
    return frozenset(tokens)


@dataclass(frozen=True)
class Grant:
    """One way in: `kind` is everyone, user, team or role; `path` the field that names the
    user or team (a foreign key or a many-to-many); `when` the field values under which the
    grant holds."""

    kind: str
    path: str = ""
    role: str = ""
    when: Mapping[str, object] = field(default_factory=dict)

    def _holds(self, obj: Model) -> bool:
        return all(getattr(obj, name) == value for name, value in self.when.items())

    def _ids(self, obj: Model) -> list[int]:
        relation = obj._meta.get_field(self.path)
        if relation.many_to_many:
            return [related.pk for related in getattr(obj, self.path).all()]
        value = getattr(obj, relation.attname)
        return [] if value is None else [value]

    def tokens(self, obj: Model) -> list[str]:
        if not self._holds(obj):
            return []
        if self.kind == EVERYONE:
            return [EVERYONE]
        if self.kind == "role":
            return [role_token(self.role)]
        return [f"{self.kind}{pk}" for pk in self._ids(obj)]

    def q(self, model: type[Model], user, tokens: frozenset[str]) -> Q | None:
        """The rows this grant opens to `user`, or None when it opens none."""
        condition = Q(**self.when) if self.when else Q(pk__isnull=False)
        if self.kind == EVERYONE:
            return condition if EVERYONE in tokens else None
        if self.kind == "role":
            return condition if role_token(self.role) in tokens else None
        pk = user.pk if self.kind == "user" else user.team_id
        if pk is None:
            return None
        if model._meta.get_field(self.path).many_to_many:
            # A subquery, not a join, so a row is never repeated once per matching link.
            ids = model._base_manager.filter(**{self.path: pk}).values("pk")
            return condition & Q(pk__in=ids)
        return condition & Q(**{self.path: pk})


@dataclass(frozen=True)
class Audience:
    grants: tuple[Grant, ...]

    def __init__(self, *grants: Grant):
        object.__setattr__(self, "grants", grants)

    def tokens(self, obj: Model) -> list[str]:
        """Every principal `obj` admits (its search document's audience)."""
        return list(dict.fromkeys(token for grant in self.grants for token in grant.tokens(obj)))

    def q(self, model: type[Model], user) -> Q | None:
        """What `user` may see among `model`'s rows; None for nothing."""
        tokens = principals(user)
        if not tokens:
            return None
        parts = [part for g in self.grants if (part := g.q(model, user, tokens)) is not None]
        if not parts:
            return None
        rule = parts[0]
        for part in parts[1:]:
            rule |= part
        return rule

    def filter(self, queryset, user):
        """`queryset` narrowed to what `user` may see: the body of a `visible_to`."""
        rule = self.q(queryset.model, user)
        return queryset.none() if rule is None else queryset.filter(rule)

    def admits(self, obj: Model, user) -> bool:
        """Whether `user` may see `obj`, without a query (tests compare it with `q`)."""
        return bool(principals(user) & set(self.tokens(obj)))


def everyone(**when) -> Grant:
    return Grant(EVERYONE, when=when)


def user_in(path: str, **when) -> Grant:
    return Grant("user", path=path, when=when)


def team_in(path: str, **when) -> Grant:
    return Grant("team", path=path, when=when)


def role(name: str, **when) -> Grant:
    return Grant("role", role=name, when=when)
