"""Search fixtures: a fixed set of realistic published articles, made through the kb services
(`tests.factories.make_article`) and indexed, plus the hidden articles (restricted, draft, in
review, archived) next to them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kb.models import Article, Category
from kb.services import article_archive, article_submit
from people.models import Role, User
from searchkit import pipeline
from tests.factories import UserFactory, make_article

# key: (title, body, type, category slug, tags). Each is meant to be found first by some
# search in the relevance tests; "shipments" has both "partial" and "refund", not together.
CORPUS = {
    "refund": (
        "Issue a refund",
        "Open the order and choose Refund. The money reaches the card within five days.",
        "howto", "refunds", ["refunds", "payments"],
    ),
    "returned": (
        "Returned items",
        "Check what came back, then give a partial refund for those items only.",
        "howto", "refunds", ["returns"],
    ),
    "shipments": (
        "Partial shipments",
        "Large orders ship in several parcels. A lost parcel gets its refund once the "
        "carrier confirms the loss.",
        "article", "shipping", ["parcels"],
    ),
    "double": (
        "Handle a double charge",
        "When a card was charged twice, void the duplicate payment at once.",
        "troubleshooting", "billing", ["payments"],
    ),
    "invoice": (
        "Send a copy of an invoice",
        "Open the customer account, choose Invoices and send the PDF by email.",
        "faq", "billing", ["invoices"],
    ),
    "password": (
        "Reset a customer password",
        "Send the reset link from the admin page. The link expires after one hour.",
        "howto", "account", ["login"],
    ),
    "twofactor": (
        "Set up two-factor authentication",
        "Install an authenticator app and scan the code shown on the security page.",
        "howto", "account", ["login", "security"],
    ),
    "parcel": (
        "Track a parcel",
        "Look up the tracking number in the order and open the tracking page of the carrier.",
        "faq", "shipping", ["parcels"],
    ),
    "customs": (
        "Customs duties on international orders",
        "Customers outside the EU may pay import duties to the carrier on delivery.",
        "article", "shipping", ["international"],
    ),
    "tone": (
        "Keep a calm tone with angry customers",
        "Acknowledge the problem, apologise once and say what happens next.",
        "best_practice", "account", ["service"],
    ),
}  # fmt: skip


@pytest.fixture
def writer(team) -> User:
    """Writes the corpus; the agents and outsiders in the tests are only readers."""
    return UserFactory(username="writer", team=team, roles=[Role.AGENT])


@pytest.fixture
def categories(db) -> dict[str, Category]:
    billing = Category.objects.create(name="Billing", slug="billing")
    return {
        "billing": billing,
        "refunds": Category.objects.create(name="Refunds", slug="refunds", parent=billing),
        "account": Category.objects.create(name="Account", slug="account"),
        "shipping": Category.objects.create(name="Shipping", slug="shipping"),
    }


@pytest.fixture
def write(writer, editor, categories) -> Callable[..., Article]:
    """`write(title, body, publish=True, **meta)`: an article (no summary) made by
    `tests.factories.make_article`, published by `editor` unless `publish=False`. Not
    indexed: see `index`."""

    def make(title, body, *, publish=True, category="billing", author=None, **meta) -> Article:
        return make_article(
            author=author or writer,
            title=title,
            summary="",
            body=body,
            category=categories[category],
            approved_by=editor if publish else None,
            **meta,
        )

    return make


@pytest.fixture
def index(search_index) -> Callable[[], None]:
    """Rebuild the (empty, per-test) search index from the database."""
    return lambda: pipeline.rebuild()


@pytest.fixture
def corpus(write, index) -> dict[str, Article]:
    articles = {
        key: write(title, body, type=kind, category=category, tags=tags)
        for key, (title, body, kind, category, tags) in CORPUS.items()
    }
    index()
    return articles


@pytest.fixture
def hidden(write, editor, team, index, corpus) -> dict[str, Article]:
    """Articles about refunds that an outsider must never find, each with its own tag."""
    restricted = write(
        "Refund escalation contacts",
        "Call the billing lead for refund disputes above 500 euros.",
        type="troubleshooting", tags=["vip-escalation"], visibility="teams", teams=[team],
    )  # fmt: skip
    draft = write("Refund draft notes", "Refund ideas.", publish=False, tags=["draft-secret"])
    in_review = write("Refund policy proposal", "Refund rules.", publish=False, tags=["review-x"])
    article_submit(article=in_review, user=in_review.author)
    archived = write("Old refund rules", "Refund rules of 2019.", tags=["archived-secret"])
    article_archive(article=archived, editor=editor)
    index()
    return {"restricted": restricted, "draft": draft, "in_review": in_review, "archived": archived}
