"""Reads of questions. `QUESTION_AUDIENCE` is the one visibility rule: the database
(`QuestionQuerySet.visible_to`, and through it answers, votes, comments, routes) and the search
index (`questions.search_indexes`) both read it, the same shape as an article's."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from people.models import Role
from searchkit import audience

# Who may read a question: open to everyone or to its teams; its asker always; KB editors all.
QUESTION_AUDIENCE = audience.Audience(
    audience.everyone(visibility="everyone"),
    audience.team_in("teams", visibility="teams"),
    audience.user_in("author"),
    audience.role(Role.KB_EDITOR),
)

# What the lists show by default: deflected questions are records of an answer found while
# asking, listed only under their own status filter and in the asker's own list.
LISTED = ("open", "answered", "closed")


def _score(field: str):
    """The sum of votes on the row (a question or an answer), as a subquery: 0 without votes."""
    from questions.models import Vote

    votes = (
        Vote.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(total=Sum("value"))
        .values("total")
    )
    return Coalesce(Subquery(votes), 0)


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuestionQuerySet:
        """Every question `user` may read (`QUESTION_AUDIENCE`)."""
        return QUESTION_AUDIENCE.filter(self, user)

    def listed(self) -> QuestionQuerySet:
        return self.filter(status__in=LISTED)

    def open(self) -> QuestionQuerySet:
        return self.filter(status="open")

    def unanswered(self) -> QuestionQuerySet:
        """Open questions nobody has answered yet."""
        return self.filter(status="open", first_answered_at__isnull=True)

    def deflected(self) -> QuestionQuerySet:
        return self.filter(status="deflected")

    def routed_to(self, user) -> QuestionQuerySet:
        """The questions brought to `user` (as a likely expert or as the team lead)."""
        from questions.models import Route

        return self.filter(Exists(Route.objects.filter(question=OuterRef("pk"), person=user)))

    def with_counts(self) -> QuestionQuerySet:
        """`answer_count` and `score` (the sum of votes) on each row, as subqueries: a list
        page reads them in its one query."""
        from questions.models import Answer

        answers = (
            Answer.objects.filter(question=OuterRef("pk"))
            .order_by()
            .values("question")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(answer_count=Coalesce(Subquery(answers), 0), score=_score("question"))


class AnswerQuerySet(models.QuerySet):
    def visible_to(self, user) -> AnswerQuerySet:
        """Answers to the questions `user` may read."""
        from questions.models import Question

        return self.filter(question__in=Question.objects.visible_to(user).values("pk"))

    def accepted(self) -> AnswerQuerySet:
        return self.filter(accepted_at__isnull=False)

    def with_score(self) -> AnswerQuerySet:
        return self.annotate(score=_score("answer"))

    def ranked(self) -> AnswerQuerySet:
        """The accepted answer first, then by votes, then oldest first."""
        return self.with_score().order_by(
            models.F("accepted_at").desc(nulls_last=True), "-score", "created_at", "pk"
        )


class RouteQuerySet(models.QuerySet):
    def experts(self) -> RouteQuerySet:
        return self.filter(kind="expert")

    def for_person(self, user) -> RouteQuerySet:
        return self.filter(person=user)


__all__ = ["LISTED", "QUESTION_AUDIENCE", "AnswerQuerySet", "QuestionQuerySet", "RouteQuerySet"]
