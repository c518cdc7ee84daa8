from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from kb.querysets import (
    DEFAULT_VERIFICATION_DAYS,
    ArticleQuerySet,
    CategoryQuerySet,
    FollowQuerySet,
)
from people.validators import validate_single_line


class Category(models.Model):
    """Product or department at the top, topics one level below."""

    name = models.CharField(max_length=100, validators=[validate_single_line])
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, max_length=1000)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    verification_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="How often articles here are re-verified (days)."
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="edited_categories",
        help_text="Told when an article here stays unverified past the grace period.",
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="kb_category_unique_name_per_parent"
            ),
            models.CheckConstraint(
                condition=Q(verification_days__isnull=True) | Q(verification_days__gte=1),
                name="kb_category_verification_days_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name

    def get_absolute_url(self) -> str:
        return reverse("kb:category", args=[self.slug])

    def clean(self) -> None:
        # Two levels only (product or department, then topic), so browsing stays shallow.
        if self.parent_id and (self.parent.parent_id or self.parent_id == self.pk):
            raise ValidationError({"parent": "Choose a top-level category as the parent."})


class Article(models.Model):
    class Type(models.TextChoices):
        ARTICLE = "article", "Article"
        FAQ = "faq", "FAQ"
        TROUBLESHOOTING = "troubleshooting", "Troubleshooting guide"
        HOWTO = "howto", "How-to"
        BEST_PRACTICE = "best_practice", "Best practice / lesson learned"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class Visibility(models.TextChoices):
        EVERYONE = "everyone", "Everyone"
        TEAMS = "teams", "Only chosen teams"

    type = models.CharField(max_length=20, choices=Type.choices, default=Type.ARTICLE)
    slug = models.SlugField(max_length=120, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    tags = TaggableManager(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_articles"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_articles",
        help_text="The expert responsible for keeping it correct.",
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.EVERYONE
    )
    teams = models.ManyToManyField(
        "people.Team",
        blank=True,
        related_name="articles",
        help_text="Who may read it when visibility is limited to chosen teams.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # What readers see, and the newest edit (the same revision unless an edit is pending).
    published_revision = models.ForeignKey(
        "kb.ArticleRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    latest_revision = models.ForeignKey(
        "kb.ArticleRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set while the latest revision waits for an editor; cleared on approve or send back.
    submitted_at = models.DateTimeField(null=True, blank=True)
    # A TextField's max_length only shapes form widgets; the validator makes full_clean() hold it.
    review_comment = models.TextField(
        blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    verification_days = models.PositiveIntegerField(
        "verify every (days)",
        null=True,
        blank=True,
        help_text="Leave empty to use the category's interval (or 90 days).",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    # Where readers of an archived article are sent instead (its archived page links it).
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The article that replaces this one once it is archived.",
    )  # fmt: skip

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_revision__isnull=False),
                name="kb_article_published_has_revision",
            ),
        ]
        indexes = [
            # Browse pages: published articles by category, newest first.
            models.Index(
                fields=["status", "category", "-updated_at"], name="kb_article_browse_idx"
            ),
            # The review queue.
            models.Index(fields=["submitted_at"], name="kb_article_review_idx"),
        ]

    def __str__(self) -> str:
        revision = self.published_revision or self.latest_revision
        return revision.title if revision else self.slug

    def get_absolute_url(self) -> str:
        return reverse("kb:article-detail", args=[self.slug])

    @property
    def title(self) -> str:
        return str(self)

    @property
    def has_pending_edit(self) -> bool:
        return self.latest_revision_id != self.published_revision_id

    @property
    def effective_verification_days(self) -> int:
        return (
            self.verification_days
            or (self.category.verification_days if self.category_id else None)
            or DEFAULT_VERIFICATION_DAYS
        )

    @property
    def verification_started_at(self):
        """When the current verification period began: the last verification, else the
        publication (`ArticleQuerySet.with_verification_dates` is the same rule in SQL)."""
        return self.verified_at or self.published_at

    @property
    def verification_due_at(self):
        start = self.verification_started_at
        return start + timedelta(days=self.effective_verification_days) if start else None

    @property
    def verification_lapsed(self) -> bool:
        """Published, and not verified within its interval: readers are warned."""
        due = self.verification_due_at
        return self.status == self.Status.PUBLISHED and due is not None and due <= timezone.now()

    # Permissions on this article; role questions are `User` properties, lists `visible_to`.

    def can_be_edited_by(self, user) -> bool:
        """The author, the owner and KB editors edit, submit and attach files."""
        return user.is_kb_editor or user.pk in (self.author_id, self.owner_id)

    def can_be_curated_by(self, user) -> bool:
        """The owner and KB editors keep it correct: verify it, resolve comments."""
        return user.is_kb_editor or user.pk == self.owner_id

    def can_be_verified_by(self, user) -> bool:
        return self.status == self.Status.PUBLISHED and self.can_be_curated_by(user)

    def can_be_published_by(self, user) -> bool:
        """KB editors approve, send back, archive and delete."""
        return user.is_kb_editor


class ArticleRevision(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200, validators=[validate_single_line])
    summary = models.CharField(
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text="One or two sentences shown in lists and search results.",
    )
    body = models.TextField(
        max_length=100_000,
        validators=[MaxLengthValidator(100_000)],
        help_text="Markdown: ## headings, lists, tables, ``` code blocks.",
    )
    rendered_html = models.TextField()
    toc_html = models.TextField(blank=True)
    # The body's words without markup: what the search index reads and highlights.
    body_text = models.TextField(blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="article_revisions"
    )
    change_note = models.CharField(
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text="What changed, for reviewers and the history.",
    )
    # Settings an author asked for that widen who may read the article (or lengthen its
    # verification interval): applied when an editor approves this revision
    # (kb.services.settings_review). Keys: visibility, teams (ids), verification_days.
    requested_settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When this text went live. Readers may compare revisions that were published (what
    # changed since I last read it); drafts and edits sent back stay with their editors.
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="kb_articlerevision_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (revision {self.number})"

    def get_absolute_url(self) -> str:
        return reverse("kb:revision-detail", args=[self.article.slug, self.number])

    @property
    def requested_settings_text(self) -> str:
        """What this revision asks an editor to allow, in words ("" when nothing)."""
        asked = self.requested_settings
        parts = []
        if asked.get("visibility") == Article.Visibility.EVERYONE:
            parts.append("open it to everyone")
        elif "teams" in asked:
            parts.append("open it to more teams")
        if "verification_days" in asked:
            days = asked["verification_days"]
            parts.append(f"verify it every {days} days" if days else "use the category's interval")
        return " and ".join(parts)


class ArticleFeedback(models.Model):
    """ "Was this helpful?": one vote per person per article, which they may change."""

    class Reason(models.TextChoices):
        OUTDATED = "outdated", "Outdated"
        INCORRECT = "incorrect", "Incorrect"
        UNCLEAR = "unclear", "Unclear"
        MISSING_STEPS = "missing_steps", "Missing steps"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_feedback"
    )
    helpful = models.BooleanField()
    reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    comment = models.TextField(blank=True, max_length=1000, validators=[MaxLengthValidator(1000)])
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="kb_articlefeedback_one_vote"),
            # A "no" says what was wrong (the owner acts on it); a "yes" carries no reason.
            models.CheckConstraint(
                condition=Q(helpful=True, reason="") | Q(helpful=False) & ~Q(reason=""),
                name="kb_articlefeedback_reason_only_for_no",
            ),
        ]

    def __str__(self) -> str:
        return f"{'yes' if self.helpful else 'no'} on {self.article_id} by {self.user_id}"

    def clean(self) -> None:
        """The constraint's rule, with the message a person reads beside the field."""
        if self.helpful:
            self.reason = ""
        elif not self.reason:
            raise ValidationError({"reason": "Tell us what was wrong."})


class ArticleComment(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_comments"
    )
    body = models.TextField(max_length=5000, validators=[MaxLengthValidator(5000)])
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.article_id}"


class ArticleView(models.Model):
    """One row per person, article and day: view counts and "recently viewed"."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_views"
    )
    day = models.DateField()
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user", "day"], name="kb_articleview_once_per_day"
            )
        ]
        indexes = [
            # "Recently viewed" for one person.
            models.Index(fields=["user", "-viewed_at"], name="kb_articleview_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} viewed {self.article_id} on {self.day}"


def _attachment_path(attachment: ArticleAttachment, filename: str) -> str:
    return f"kb/{attachment.article_id or 'uploads'}/{filename}"


class ArticleAttachment(models.Model):
    """An image or file for an article; served only to people who may open the article.
    An image pasted into a new article's editor is stored before the article exists: until
    the article is saved and claims it (`attachments_claim`), only its uploader sees it."""

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=_attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.article_id is None:
            return reverse("kb:file", args=[self.pk, self.name])
        return reverse("kb:attachment", args=[self.article.slug, self.pk, self.name])

    @property
    def markdown(self) -> str:
        """What the editor inserts for it: an image, or a link to the file."""
        label = self.name.replace("[", "(").replace("]", ")")
        url = reverse("kb:file", args=[self.pk, self.name]).replace(" ", "%20")
        return f"![{label}]({url})" if self.is_image else f"[{label}]({url})"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ArticleSuggestion(models.Model):
    """An edit proposed by a reader who may not edit the article (Confluence's "suggest an
    edit"). It waits for the owner or an editor; accepted, it becomes the article's newest
    revision, credited to the reader."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_suggestions"
    )
    # The text the reader changed: accepting on top of a newer one needs a look first.
    base_revision = models.ForeignKey(
        ArticleRevision, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = ArticleRevision._meta.get_field("title").clone()
    summary = ArticleRevision._meta.get_field("summary").clone()
    body = ArticleRevision._meta.get_field("body").clone()
    note = models.CharField(
        "why", max_length=300, blank=True, validators=[validate_single_line],
        help_text="What is wrong or missing, for the owner.",
    )  # fmt: skip
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True, validators=[validate_single_line])
    revision = models.ForeignKey(
        ArticleRevision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open suggestion per reader and article: a second one edits the first.
            models.UniqueConstraint(
                fields=["article", "author"], condition=Q(status="pending"),
                name="kb_articlesuggestion_one_open_per_author",
            ),
            # A decision has a date and a decider; a waiting suggestion has neither.
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | ~Q(status="pending") & Q(decided_at__isnull=False),
                name="kb_articlesuggestion_decided_when_closed",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"Suggestion {self.pk} on {self.article_id}"

    def get_absolute_url(self) -> str:
        return reverse("kb:suggestion-detail", args=[self.article.slug, self.pk])


class Follow(models.Model):
    """Someone who wants to hear when an article, or any article of a category, changes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kb_follows"
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = FollowQuerySet.as_manager()

    class Meta:
        constraints = [
            # A follow is of exactly one thing.
            models.CheckConstraint(
                condition=Q(article__isnull=False, category__isnull=True)
                | Q(article__isnull=True, category__isnull=False),
                name="kb_follow_one_target",
            ),
            # Following twice would notify twice (and a double click must not fail).
            models.UniqueConstraint(fields=["user", "article"], name="kb_follow_article_once"),
            models.UniqueConstraint(fields=["user", "category"], name="kb_follow_category_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.article_id or f'category {self.category_id}'}"
