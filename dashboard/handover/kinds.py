"""What a hand-over moves, one kind at a time: which of a person's rows are theirs to hand
on (`Kind.rows`), read by the preview and by the service alike, so what is shown is what is
applied.

Every foreign key to the user in the apps below, and what a hand-over does with it. Ownership
moves to a successor; history stays with the person who did it (their name on it is the fact).

| field                                      | decision                                          |
|--------------------------------------------|---------------------------------------------------|
| kb.Article.owner                           | ownership: moves (every status)                   |
| kb.Article.author, ArticleRevision.editor  | history: stays (who wrote it)                     |
| kb.Article.verified_by                     | history: stays (who verified, when)               |
| kb.ArticleComment/Suggestion/Feedback/View | history: stays                                    |
| kb.ArticleAttachment.uploaded_by           | history: stays                                    |
| kb.Follow.user                             | their own subscription: stays (an inactive person |
|                                            | is not emailed)                                   |
| kb.Category.editors                        | a role, not work: the admin edits it (reported)   |
| search.ContentRequest.owner (open)         | ownership: moves; answered/declined ones stay     |
| search.ContentRequest.created_by, asks     | history: stays                                    |
| search.SearchLog.user, Synonym.created_by  | history: stays                                    |
| questions.Route.person (unanswered)        | ownership: routed to the successor instead        |
| questions.Question/Answer/Comment.author   | history: stays                                    |
| questions.Vote, Revision.editor, accepted_by, promoted_by | history: stays                     |
| training.Track.owner                       | ownership: moves (every status)                   |
| training.Session.presenters (to come)      | ownership: the successor presents instead         |
| training.Session.organiser (to come)       | ownership: moves                                  |
| training.Session past presenters/organiser | history: stays                                    |
| training.Enrolment/SessionSignup.user      | their own learning: stays                         |
| training.Enrolment.assigned_by, StepCompletion.reviewed_by, Rotation and | history: stays      |
| ExternalLearning deciders                  |                                                   |
| training.Rotation.host_person (open)       | left: a rotation is agreed with the host in person |
|                                            | (reported)                                        |
| mentorship.Pairing.mentor (live)           | ownership: ended, mentee re-proposed to the       |
|                                            | successor or released with notice                 |
| mentorship.Pairing.mentee, Participation   | their own mentoring: stays                        |
| mentorship.ActionItem.owner, Meeting.created_by, PairingFeedback.author | the pair's own plan: |
|                                            | stays with the ended pairing                      |
| mentorship.MentoringProfile.user           | their own profile: stays (an inactive person is   |
|                                            | out of the mentor pool)                           |
| mentorship.Program.managers                | a role, not work: the admin edits it (reported)   |
| recognition.* (kudos, reactions, badges, nominations, wallet, praise) | history: stays         |
| people.Team.managers                       | a role, not work: the admin edits it (reported)   |
| notifications.Notification.recipient       | their own: stays                                  |

Moving team follows the same choices for what is tied to the old team only: articles, tracks
and sessions to come that only the old team may open, team-lead escalations of unanswered
questions, and the mentees in the old team. The rest goes with the person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from kb.models import Article
from mentorship.models import Pairing
from people.models import Team, User
from questions.models import Question, Route
from search.models import ContentRequest
from training.models import Session, Track


@dataclass(frozen=True)
class Scope:
    """Whose work is handed over and why: leaving (everything they own) or moving from
    `old_team` to `new_team` (what only the old team may open)."""

    person: User
    leaving: bool
    old_team: Team | None = None
    new_team: Team | None = None

    @property
    def team_only(self) -> bool:
        return not self.leaving


def _only_old_team(queryset: QuerySet, scope: Scope, visibility: str) -> QuerySet:
    """Rows only the old team may open, not the new one (a team move's share of them)."""
    if scope.old_team is None:
        return queryset.none()
    rows = queryset.filter(visibility=visibility, teams=scope.old_team)
    if scope.new_team is not None:
        rows = rows.exclude(teams=scope.new_team)
    # The team join may repeat a row; the ids keep the queryset updatable and lockable.
    return queryset.filter(pk__in=rows.values("pk"))


def articles(scope: Scope) -> QuerySet:
    rows = Article.objects.filter(owner=scope.person)
    if scope.team_only:
        rows = _only_old_team(rows, scope, Article.Visibility.TEAMS)
    return rows.select_related("published_revision", "latest_revision").order_by(
        "latest_revision__title", "pk"
    )


def content_requests(scope: Scope) -> QuerySet:
    if scope.team_only:  # a request is nobody's team's: it goes with its owner
        return ContentRequest.objects.none()
    return ContentRequest.objects.filter(
        owner=scope.person, status=ContentRequest.Status.OPEN
    ).order_by("title", "pk")


def tracks(scope: Scope) -> QuerySet:
    rows = Track.objects.filter(owner=scope.person)
    if scope.team_only:
        rows = _only_old_team(rows, scope, Track.Visibility.TEAMS)
    return rows.order_by("title", "pk")


def sessions(scope: Scope) -> QuerySet:
    """Sessions not over yet, not cancelled, that they present or organise."""
    mine = Q(presenters=scope.person) | Q(organiser=scope.person)
    rows = Session.objects.filter(
        pk__in=Session.objects.filter(mine).values("pk"),
        status=Session.Status.SCHEDULED,
        ends_at__gt=timezone.now(),
    )
    if scope.team_only:
        rows = _only_old_team(rows, scope, Session.Visibility.TEAMS)
    return rows.prefetch_related("presenters").order_by("starts_at", "pk")


def routes(scope: Scope) -> QuerySet:
    """Unanswered questions brought to them (as a likely expert, or as the team lead)."""
    rows = Route.objects.filter(
        person=scope.person, question__in=Question.objects.unanswered().values("pk")
    )
    if scope.team_only:
        rows = rows.filter(kind=Route.Kind.TEAM_LEAD)
    return rows.select_related("question").order_by("question__created_at", "pk")


def mentees(scope: Scope) -> QuerySet:
    """Pairings they mentor that are running or waiting for their answer."""
    rows = Pairing.objects.live().filter(mentor=scope.person)
    if scope.team_only:
        if scope.old_team is None:
            return rows.none()
        rows = rows.filter(mentee__team=scope.old_team)
    return rows.select_related("program", "mentee", "request").order_by("pk")


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    rows: Callable[[Scope], QuerySet]
    label: Callable[[object], str]
    # Mentees alone may be left without a successor: they are released, each told.
    may_release: bool = False


KINDS: tuple[Kind, ...] = (
    Kind("articles", "Articles they own", articles, lambda a: a.title),
    Kind("requests", "Content requests assigned to them", content_requests, lambda r: r.title),
    Kind("tracks", "Training tracks they own", tracks, lambda t: t.title),
    Kind(
        "sessions",
        "Sessions to come they present or organise",
        sessions,
        lambda s: f"{s.title} ({timezone.localtime(s.starts_at):%d %b %Y %H:%M})",
    ),
    Kind("questions", "Unanswered questions brought to them", routes, lambda r: r.question.title),
    Kind(
        "mentees",
        "People they mentor",
        mentees,
        lambda p: f"{p.mentee.name} in {p.program}",
        may_release=True,
    ),
)
KIND_KEYS = tuple(kind.key for kind in KINDS)
