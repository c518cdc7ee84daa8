"""The badge rules: for each `Badge.Rule`, who has earned it, read from the app that knows
(kb, questions, training, mentorship, recognition). Each rule is one query returning the ids of the
people who earned the badge, whatever their number; `earners` keeps the active ones.

Badges are never taken back, so a rule may ask "did this ever happen" where the other app
still remembers it (an article once published, a session that took place).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet

from kb.models import Article
from kb.querysets import EXPLICITLY_VERIFIED
from mentorship.models import Pairing, Program
from people.models import User
from questions.models import Answer
from recognition.models import Badge, Kudos, KudosRecipient, Praise
from training.models import Enrolment, Session

# A rule: `rule(now)` -> a queryset of user ids (one column), usable as a subquery.
Rule = Callable[[datetime], QuerySet]
RULES: dict[str, Rule] = {}


def _rule(name: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        RULES[name] = func
        return func

    return register


def _received_at_least(times: int) -> QuerySet:
    """People named in at least `times` distinct kudos that count (hidden ones never do)."""
    return (
        KudosRecipient.objects.counted()
        .order_by()
        .values("recipient")
        .annotate(n=Count("kudos", distinct=True))
        .filter(n__gte=times)
        .values("recipient")
    )


@_rule(Badge.Rule.FIRST_KUDOS)
def first_kudos(now: datetime) -> QuerySet:
    return _received_at_least(1)


@_rule(Badge.Rule.KUDOS_10)
def kudos_10(now: datetime) -> QuerySet:
    return _received_at_least(10)


@_rule(Badge.Rule.KUDOS_50)
def kudos_50(now: datetime) -> QuerySet:
    return _received_at_least(50)


@_rule(Badge.Rule.GIVER_10)
def giver_10(now: datetime) -> QuerySet:
    """Ten kudos given that count: one kudos to three colleagues is one kudos given."""
    return (
        Kudos.objects.counted()
        .order_by()
        .values("giver")
        .annotate(n=Count("pk", distinct=True))
        .filter(n__gte=10)
        .values("giver")
    )


@_rule(Badge.Rule.FIRST_ARTICLE)
def first_article(now: datetime) -> QuerySet:
    """The author of an article an editor published. `published_at` is set on the first
    publication and kept when the article is archived later (archiving changes its status,
    not the fact that it went live), so an author whose article was published and since
    retired keeps the credit; a draft or one still in review never earns it."""
    return (
        Article.objects.filter(Q(published_at__isnull=False) | Q(status=Article.Status.PUBLISHED))
        .order_by()
        .values("author")
    )


@_rule(Badge.Rule.VERIFIER_5)
def verifier_5(now: datetime) -> QuerySet:
    """Five distinct articles the person verified on purpose (`EXPLICITLY_VERIFIED`). The
    approval of an edit also stamps the approving editor as verifier after the first
    publication, at the same moment the new revision went live: that is reviewing, not
    verifying, so a verification no later than the published revision's own date is left
    out. kb keeps only the latest verification of an article (no history), so the count is
    of articles whose latest verification is the person's; the sweep runs often enough to
    award the badge while it holds, and an award is never taken back."""
    explicit = EXPLICITLY_VERIFIED & (
        Q(published_revision__isnull=True)
        | Q(verified_at__gt=F("published_revision__published_at"))
    )
    return (
        Article.objects.filter(explicit, verified_by__isnull=False)
        .order_by()
        .values("verified_by")
        .annotate(n=Count("pk", distinct=True))
        .filter(n__gte=5)
        .values("verified_by")
    )


@_rule(Badge.Rule.TRACK_DONE)
def track_done(now: datetime) -> QuerySet:
    return Enrolment.objects.completed().order_by().values("user")


@_rule(Badge.Rule.MENTOR_TRAINED)
def mentor_trained(now: datetime) -> QuerySet:
    """A completed track that some mentoring programme requires of its mentors."""
    required = Program.objects.filter(required_track__isnull=False).values("required_track")
    return Enrolment.objects.completed().filter(track__in=required).order_by().values("user")


@_rule(Badge.Rule.PRESENTER)
def presenter(now: datetime) -> QuerySet:
    """A presenter of a session that took place: over by `now`, and not cancelled."""
    return (
        Session.objects.past(now)
        .exclude(status=Session.Status.CANCELLED)
        .filter(presenters__isnull=False)
        .order_by()
        .values("presenters")
    )


@_rule(Badge.Rule.MENTOR_DONE)
def mentor_done(now: datetime) -> QuerySet:
    return Pairing.objects.filter(status=Pairing.Status.COMPLETED).order_by().values("mentor")


@_rule(Badge.Rule.FIRST_PRAISE)
def first_praise(now: datetime) -> QuerySet:
    """One of the agents a customer's praise names."""
    return Praise.objects.filter(agents__isnull=False).order_by().values("agents")


def _accepted_at_least(times: int) -> QuerySet:
    """Authors of at least `times` answers accepted now (`accepted_at` set) on colleagues'
    questions: an answer to one's own question, accepted by oneself, helped nobody else. An
    answer whose acceptance was withdrawn, or moved to another answer, no longer counts
    towards a badge not yet held; one already awarded stays."""
    return (
        Answer.objects.accepted()
        .exclude(question__author=F("author"))
        .order_by()
        .values("author")
        .annotate(n=Count("pk"))
        .filter(n__gte=times)
        .values("author")
    )


@_rule(Badge.Rule.FIRST_ANSWER)
def first_answer(now: datetime) -> QuerySet:
    return _accepted_at_least(1)


@_rule(Badge.Rule.ANSWERS_10)
def answers_10(now: datetime) -> QuerySet:
    return _accepted_at_least(10)


def earners(rule: str, *, now: datetime) -> QuerySet:
    """Ids of the active people who earned the badge of `rule` at `now` (one query). An
    unknown rule is a programming error (a `Badge.Rule` without its function here)."""
    return User.objects.active().filter(pk__in=RULES[rule](now)).values_list("pk", flat=True)
