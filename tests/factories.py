"""Test data factories.

Articles: `make_article(...)` below is the one way tests make articles. It goes through the
real services (`kb.services.article_create`, and with `approved_by=` also `article_submit`
and `article_approve`), so an article in a test has revisions, tags and teams exactly as one
made in the app. Do not create `Article` rows directly or write another article helper;
fixtures (such as `make_article` in tests/kb/conftest.py) wrap this function.
"""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from kb.models import Article, Category
from kb.services import article_approve, article_create, article_submit
from notifications.models import Notification
from people.models import Team, User

PASSWORD = "correct horse battery"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    job_title = "Support Agent"
    team = factory.SubFactory(TeamFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: transactional tests flush the groups the migration made.
            self.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in extracted))

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)

    @factory.post_generation
    def interests(self, create, extracted, **kwargs):
        if create and extracted:
            self.interests.set(extracted)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "test"
    message = factory.Sequence(lambda n: f"Something happened ({n})")
    url = "/"


def default_category() -> Category:
    """The category articles go in when a test does not name one ("Billing")."""
    return Category.objects.get_or_create(slug="billing", defaults={"name": "Billing"})[0]


def make_article(
    *,
    author: User,
    title: str = "How to issue a refund",
    summary: str = "Steps for a full or partial refund.",
    body: str = "## Steps\n\nOpen the order and choose **Refund**.",
    category: Category | None = None,
    approved_by: User | None = None,
    **meta,
) -> Article:
    """Create an article through `article_create`: a draft by `author` in `category`
    ("Billing" unless given). Other keywords (type, owner, visibility, tags, teams, slug)
    go into the service's `meta` dict.

    With `approved_by=<editor>` the author also submits it and the editor approves it, so it
    comes back published (and freshly verified). Indexing is left to the caller: the services
    queue an index update on commit, as in the app.
    """
    meta["category"] = category or default_category()
    article = article_create(
        author=author, content={"title": title, "summary": summary, "body": body}, meta=meta
    )
    if approved_by is not None:
        article_submit(article=article, user=author)
        article_approve(article=article, editor=approved_by)
    return article
