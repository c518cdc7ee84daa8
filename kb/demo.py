"""Demo knowledge base for `manage.py seed_demo`: categories and articles written through the
real services, so they have revisions and go through review, plus feedback, comments and a
few articles overdue for verification. Idempotent by slug: an article that exists is left
alone, and feedback, comments and dates are only added to articles created in the same run.
The article texts live in `kb.demo_articles`."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kb import services
from kb.demo_articles import ARTICLES, PENDING_EDITS, RESTRICTED_TO
from kb.models import Article, Category
from people.models import Team, User

CATEGORIES = {
    # slug: (name, parent slug, verification days)
    "billing": ("Billing", None, None),
    "refunds": ("Refunds", "billing", 60),
    "invoices": ("Invoices and VAT", "billing", None),
    "accounts": ("Accounts", None, None),
    "login": ("Log-in and security", "accounts", 30),
    "shipping": ("Shipping", None, None),
    "escalations": ("Escalations", None, None),
    "tone": ("Tone and empathy", None, 180),
    "coaching": ("Coaching and feedback", None, 180),
}

# Published articles whose last verification is moved this many days back, longer than
# their category's interval, so the verification reminders and the "due" list have
# something to show.
OVERDUE_DAYS = 120
OVERDUE = [
    "refund-outside-window",
    "account-locked-faq",
    "change-delivery-address",
    "customs-charges-faq",
    "merge-duplicate-accounts",
]

# (article, voter, helpful, reason for a "no", comment): colleagues who may read the article.
FEEDBACK = [
    ("card-payment-declined", "chloe.martin", True, "",
     "The decline code table saves me a lookup every day."),
    ("card-payment-declined", "elena.petrova", True, "", ""),
    ("card-payment-declined", "tom.becker", True, "", ""),
    ("refund-policy-faq", "priya.shah", True, "", ""),
    ("refund-policy-faq", "mei.chen", False, "outdated",
     "PayPal refunds take up to 3 days since the provider change."),
    ("partial-refunds", "hannah.weber", True, "", ""),
    ("partial-refunds", "leila.rahimi", False, "missing_steps",
     "What if the order used a discount code? The amount to refund isn't clear."),
    ("account-recovery", "diego.alvarez", True, "", ""),
    ("account-recovery", "noah.dubois", True, "",
     "Used it on a call today; the identity checklist is exactly right."),
    ("two-factor-codes-rejected", "samir.nasser", True, "", ""),
    ("sso-login-loop", "ravi.iyer", True, "", ""),
    ("sso-login-loop", "oscar.berg", False, "unclear",
     "Where do I find the list of verified domains?"),
    ("when-to-escalate", "felix.schmidt", True, "", ""),
    ("when-to-escalate", "aisha.okafor", True, "", ""),
    ("when-to-escalate", "priya.shah", True, "", "Clear thresholds, finally."),
    ("angry-caller", "ivan.ivanov", True, "", ""),
    ("angry-caller", "yuki.tanaka", True, "", ""),
    ("saying-no-positively", "zara.khan", True, "", ""),
    ("saying-no-positively", "ben.clarke", True, "", ""),
    ("delivered-not-received", "sofia.rossi", True, "", ""),
    ("delivered-not-received", "mei.chen", False, "incorrect",
     "The carrier now waits 72 hours, not 48, before opening an investigation."),
    ("customs-charges-faq", "grace.murphy", True, "", ""),
    ("reverse-charge-vat-faq", "priya.shah", True, "", ""),
    ("refund-fraud-signals", "omar.farouk", True, "", ""),
    ("regulator-complaint", "kwame.mensah", True, "", ""),
    ("outage-communication", "noah.dubois", True, "", ""),
    ("outage-communication", "nadia.kowalski", True, "", ""),
    ("chat-reply-style", "aisha.okafor", True, "", ""),
    ("merge-duplicate-accounts", "theo.laurent", True, "", ""),
    ("change-delivery-address", "amara.eze", False, "outdated",
     "Packed orders can be changed too now, through the warehouse form."),
]  # fmt: skip

# Who follows what beyond their own articles: (username, "category" or "article", slug).
FOLLOWS = [
    ("agent", "category", "billing"),
    ("mentor", "category", "escalations"),
    ("mentor", "article", "sso-login-loop"),
    ("manager", "category", "tone"),
]

# (article, author, body)
COMMENTS = [
    ("refund-policy-faq", "mei.chen",
     "@agent PayPal refunds have been slower since the provider change. Can we update the table?"),
    ("sso-login-loop", "oscar.berg",
     "Three of these today, all on the same identity provider. @mentor worth a status check?"),
    ("when-to-escalate", "jonas.lindqvist",
     "Please add: escalate when a journalist or a viral social media post is involved."),
    ("goodwill-credit-limits", "hannah.weber",
     "Does the EUR 50 include free shipping already given on the same order?"),
    ("card-payment-declined", "tom.becker",
     "Tech sees the processing_error spikes too; report them in #payments-incidents."),
]  # fmt: skip

# Suggested edits waiting for the owner: (article, reader, text to replace, replacement, why).
SUGGESTIONS = [
    ("delivered-not-received", "mei.chen", "wait 48 hours", "wait 72 hours",
     "The carrier now waits 72 hours before opening an investigation."),
]  # fmt: skip


@transaction.atomic
def seed(*, log=print) -> None:
    categories: dict[str, Category] = {}
    for slug, (name, parent, days) in CATEGORIES.items():
        categories[slug], _ = Category.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "parent": categories.get(parent), "verification_days": days},
        )
    people = {user.username: user for user in User.objects.all()}
    editor = people["editor"]
    teams = {team.slug: team for team in Team.objects.all()}
    new: dict[str, Article] = {}
    for slug, (title, type_, category, owner, tags, summary, body, state) in ARTICLES.items():
        if Article.objects.filter(slug=slug).exists():
            continue
        author = people[owner]
        restricted = state == "restricted"
        article = services.article_create(
            author=author,
            content={"title": title, "summary": summary, "body": body},
            meta={
                "slug": slug,
                "type": type_,
                "category": categories[category],
                "owner": author,
                "tags": tags,
                "visibility": Article.Visibility.TEAMS if restricted else "everyone",
                "teams": [teams[team] for team in RESTRICTED_TO.get(slug, [])],
            },
        )
        new[slug] = article
        if state == "draft":
            continue
        if state == "in_review":
            services.article_submit(article=article, user=author)
            continue
        # Published from the start: a submission here would leave the editor a "waiting for
        # review" notification for every demo article, already published.
        services.article_publish(article=article, editor=editor)
        if state == "update":
            change_note, addition = PENDING_EDITS[slug]
            services.article_update(
                article=article,
                editor=author,
                content={"title": title, "summary": summary, "body": body + addition},
                meta={},
                change_note=change_note,
            )
            services.article_submit(article=article, user=author)
    _add_activity(new, people)
    log(f"Knowledge base: {Article.objects.count()} articles ({len(new)} new).")


def _add_activity(new: dict[str, Article], people: dict[str, User]) -> None:
    """Verification dates, votes and comments, for the articles just created only."""
    overdue = [slug for slug in OVERDUE if slug in new]
    if overdue:
        # Demo data: pretend these were published and last verified long ago, so reminders
        # and the verification due list have something to show.
        then = timezone.now() - timedelta(days=OVERDUE_DAYS)
        Article.objects.published().filter(slug__in=overdue).update(
            created_at=then, published_at=then, verified_at=then
        )

    def readable(slug: str, username: str) -> Article | None:
        if slug not in new or username not in people:
            return None
        return (
            Article.objects.published().visible_to(people[username]).filter(pk=new[slug].pk).first()
        )

    for slug, username, helpful, reason, comment in FEEDBACK:
        if article := readable(slug, username):
            services.feedback_give(
                article=article,
                user=people[username],
                helpful=helpful,
                reason=reason,
                comment=comment,
            )
    for slug, username, body in COMMENTS:
        if article := readable(slug, username):
            services.comment_add(article=article, author=people[username], body=body)
    for slug, username, old, new_text, why in SUGGESTIONS:
        if (article := readable(slug, username)) and old in article.published_revision.body:
            text = article.published_revision
            services.suggestion_create(
                article=article, author=people[username], note=why,
                content={"title": text.title, "summary": text.summary,
                         "body": text.body.replace(old, new_text)},
            )  # fmt: skip
    for username, kind, slug in FOLLOWS:
        if kind == "category" and new and username in people:
            services.follow_add(user=people[username], category=Category.objects.get(slug=slug))
        elif kind == "article" and (article := readable(slug, username)):
            services.follow_add(user=people[username], article=article)
