"""Questions to the team, their answers, votes, comments and edit history, and the record of
who each question was routed to.

A question is open until the asker (or a KB editor) accepts an answer (answered), until the
asker found the answer elsewhere while asking (deflected: an article or another question
answered it, which is counted), or until the asker or an editor closes it. Routing asks the
likely experts once each (`Route`), and a question with a customer waiting is escalated to
the asker's team lead.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from people.validators import validate_single_line
from questions.querysets import AnswerQuerySet, QuestionQuerySet, RouteQuerySet

TITLE_MIN, TITLE_MAX = 10, 200
BODY_MAX = 10_000
COMMENT_MAX = 1_000
# Exactly one of the two posts a vote, comment or revision belongs to.
_ON_QUESTION = Q(question__isnull=False, answer__isnull=True)
_ON_ANSWER = Q(question__isnull=True, answer__isnull=False)


class Question(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        DEFLECTED = "deflected", "Answered by existing content"
        CLOSED = "closed", "Closed"

    class Urgency(models.TextChoices):
        NORMAL = "normal", "Normal"
        CUSTOMER_WAITING = "customer_waiting", "Customer waiting"

    class Visibility(models.TextChoices):
        EVERYONE = "everyone", "Everyone"
        TEAMS = "teams", "Only chosen teams"

    title = models.CharField(
        max_length=TITLE_MAX,
        validators=[MinLengthValidator(TITLE_MIN), validate_single_line],
        help_text="The question in one line, as you would ask a colleague.",
    )
    # Markdown as written; `body_html` is kb's renderer's sanitised output, stored once.
    body = models.TextField(
        "details", blank=True, max_length=BODY_MAX, validators=[MaxLengthValidator(BODY_MAX)]
    )
    body_html = models.TextField(blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions"
    )
    category = models.ForeignKey(
        "kb.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="questions"
    )
    tags = TaggableManager(blank=True, help_text="Tags of the knowledge base, by commas.")
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.EVERYONE
    )
    teams = models.ManyToManyField(
        "people.Team",
        blank=True,
        related_name="questions",
        help_text="Who may read it when visibility is limited to chosen teams.",
    )
    urgency = models.CharField(max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # The last answer, comment or edit: "newest activity" and the search document's version.
    last_activity_at = models.DateTimeField(default=timezone.now)
    # Set by the first answer: routing and escalation stop once someone has answered.
    first_answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # What answered a deflected question (exactly one of the two).
    deflected_by_article = models.ForeignKey(
        "kb.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deflected_by_question = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The KB article its accepted answer was promoted into (a draft until an editor publishes).
    article = models.ForeignKey(
        "kb.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_questions",
    )
    promoted_at = models.DateTimeField(null=True, blank=True)
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A question is its title: a blank one could not be found, answered or routed.
            models.CheckConstraint(
                condition=~Q(title=""), name="questions_question_title_not_blank"
            ),
            # A deflected question names at most one thing that answered it. The service
            # requires one, but not the database: deleting that article or question later
            # (SET_NULL) must neither be refused nor undo a deflection that happened, which
            # still counts.
            models.CheckConstraint(
                condition=Q(deflected_by_article__isnull=True)
                | Q(deflected_by_question__isnull=True),
                name="questions_question_deflected_by_one",
            ),
            # Closed and deflected questions carry the moment they were closed (counts by period).
            models.CheckConstraint(
                condition=~Q(status__in=["closed", "deflected"]) | Q(closed_at__isnull=False),
                name="questions_question_closed_has_date",
            ),
            # A promotion records when it happened (the question page says "promoted on ...").
            models.CheckConstraint(
                condition=Q(article__isnull=True) | Q(promoted_at__isnull=False),
                name="questions_question_promoted_has_date",
            ),
        ]
        indexes = [
            # The lists: by status, newest first ("unanswered", "newest", filters by status).
            models.Index(fields=["status", "-created_at"], name="questions_status_created_idx"),
            # The sweep: open questions nobody answered yet, oldest first.
            models.Index(
                fields=["created_at"],
                condition=Q(status="open", first_answered_at__isnull=True),
                name="questions_unanswered_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("questions:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_urgent(self) -> bool:
        return self.urgency == self.Urgency.CUSTOMER_WAITING

    def can_be_answered_by(self, user) -> bool:
        """Anyone who can read it answers an open or answered question (a better answer may
        come after the accepted one); deflected and closed questions take no more answers."""
        return self.status in (self.Status.OPEN, self.Status.ANSWERED) and user.is_authenticated

    def can_be_edited_by(self, user) -> bool:
        """The asker and KB editors edit the question (and accept its answers)."""
        return user.is_kb_editor or user.pk == self.author_id

    def can_accept_answers(self, user) -> bool:
        return self.can_be_edited_by(user) and self.status in (
            self.Status.OPEN,
            self.Status.ANSWERED,
        )

    def can_be_promoted_by(self, user) -> bool:
        """The asker or a KB editor turns an accepted answer into a KB draft, once."""
        return (
            self.can_be_edited_by(user)
            and self.status == self.Status.ANSWERED
            and self.article_id is None
        )


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="answers"
    )
    body = models.TextField(max_length=BODY_MAX, validators=[MaxLengthValidator(BODY_MAX)])
    body_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # An empty answer answers nothing.
            models.CheckConstraint(condition=~Q(body=""), name="questions_answer_body_not_blank"),
            # One accepted answer per question, whoever races to accept.
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(accepted_at__isnull=False),
                name="questions_answer_one_accepted_per_question",
            ),
        ]
        indexes = [
            # Expertise: accepted answers by person (routing, badges, mentorship evidence).
            models.Index(
                fields=["author", "accepted_at"],
                condition=Q(accepted_at__isnull=False),
                name="questions_answer_accepted_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to “{self.question}” by {self.author}"

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    def can_be_edited_by(self, user) -> bool:
        return user.is_kb_editor or user.pk == self.author_id


class Vote(models.Model):
    """One person's up (+1) or down (-1) vote on a question or an answer. The post's author is
    copied in, so the database itself refuses a vote on one's own post."""

    UP, DOWN = 1, -1

    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_votes"
    )
    post_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    value = models.SmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=_ON_QUESTION | _ON_ANSWER, name="questions_vote_one_post"
            ),
            # One vote per person per post, also when two clicks race.
            models.UniqueConstraint(
                fields=["voter", "question"],
                condition=Q(question__isnull=False),
                name="questions_vote_once_per_question",
            ),
            models.UniqueConstraint(
                fields=["voter", "answer"],
                condition=Q(answer__isnull=False),
                name="questions_vote_once_per_answer",
            ),
            models.CheckConstraint(
                condition=Q(value__in=[1, -1]), name="questions_vote_up_or_down"
            ),
            # Nobody votes on their own post.
            models.CheckConstraint(
                condition=~Q(voter=F("post_author")), name="questions_vote_not_own_post"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter} {'+1' if self.value > 0 else '-1'}"


class Comment(models.Model):
    """A short remark on a question or an answer (plain text; @mentions are linked)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_comments"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(max_length=COMMENT_MAX, validators=[MaxLengthValidator(COMMENT_MAX)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_ON_QUESTION | _ON_ANSWER, name="questions_comment_one_post"
            ),
            models.CheckConstraint(condition=~Q(body=""), name="questions_comment_not_blank"),
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author}"


class Revision(models.Model):
    """The text a question or answer had before an edit: the edit history."""

    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=TITLE_MAX, blank=True)  # questions only
    body = models.TextField(blank=True, max_length=BODY_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=_ON_QUESTION | _ON_ANSWER, name="questions_revision_one_post"
            ),
        ]

    def __str__(self) -> str:
        return f"Edit by {self.editor} at {self.created_at:%Y-%m-%d %H:%M}"


class Route(models.Model):
    """One person a question was brought to: a likely expert (with the reason they were
    picked) or, for a customer waiting too long, the asker's team lead. At most once each."""

    class Kind(models.TextChoices):
        EXPERT = "expert", "Likely expert"
        TEAM_LEAD = "team_lead", "Team lead (escalation)"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="routes")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_routes"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EXPERT)
    # 1 when asked, 2 and on for each re-routing to the next experts.
    round = models.PositiveSmallIntegerField(default=1)
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RouteQuerySet.as_manager()

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            # Each person is brought a question once, whatever the rounds and sweeps.
            models.UniqueConstraint(
                fields=["question", "person"], name="questions_route_once_per_person"
            ),
            models.CheckConstraint(
                condition=Q(round__gte=1), name="questions_route_round_positive"
            ),
        ]
        indexes = [
            # "For me": the questions brought to a person, newest first.
            models.Index(fields=["person", "-created_at"], name="questions_route_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.question} → {self.person}"
