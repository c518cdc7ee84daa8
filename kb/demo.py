"""Demo knowledge base for `manage.py seed_demo`: categories and articles written through the
real services, so they have revisions and go through review. Idempotent by slug."""

from __future__ import annotations

from django.db import transaction

from kb import services
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
}

T = Article.Type
# slug: (title, type, category, tags, summary, body, state); state is "published",
# "in_review" (a new article waiting), "update" (published, with an edit waiting) or "draft".
ARTICLES = {
    "refund-a-double-charge": (
        "Refund a double charge", T.TROUBLESHOOTING, "refunds", ["refunds", "payments"],
        "The customer was charged twice for one order.",
        "## Symptoms\n\nTwo identical card charges for one order number.\n\n"
        "## Cause\n\nThe payment provider retried after a timeout and both attempts settled.\n\n"
        "## Resolution\n\n1. Find both charges under **Payments** on the order.\n"
        "2. Refund the *later* charge in full.\n3. Tell the customer the refund takes 3-5 "
        "working days to appear.\n\n## Escalation\n\nIf more than two charges exist, open a "
        "ticket with Payments Engineering and include the order number.\n",
        "update",
    ),
    "partial-refunds": (
        "How to issue a partial refund", T.HOWTO, "refunds", ["refunds"],
        "Refund one item or a share of the order total.",
        "## Before you start\n\nCheck the return reason and whether the item was shipped.\n\n"
        "## Steps\n\n1. Open the order and choose **Refund**.\n2. Select the items, or enter an "
        "amount.\n3. Add the reason code.\n\n## Result\n\nThe customer gets an email with the "
        "amount and the expected date.\n",
        "published",
    ),
    "refund-policy-faq": (
        "How long do refunds take?", T.FAQ, "refunds", ["refunds", "faq"],
        "What to tell customers about refund timing.",
        "## Question\n\nWhen will I see my money?\n\n## Answer\n\n| Method | Time |\n|---|---|\n"
        "| Card | 3-5 working days |\n| PayPal | 1 day |\n| Bank transfer | up to 10 days |\n",
        "published",
    ),
    "chargeback-response": (
        "Responding to a chargeback", T.HOWTO, "billing", ["chargebacks", "payments"],
        "Gather evidence and respond before the deadline.",
        "## Steps\n\n1. Note the deadline in the dispute notice.\n2. Attach proof of delivery "
        "and the customer's messages.\n3. Submit through the payment dashboard.\n",
        "published",
    ),
    "vat-invoice": (
        "Sending a VAT invoice", T.HOWTO, "invoices", ["invoicing", "vat"],
        "Business customers need a VAT invoice with their company details.",
        "## Steps\n\n1. Check the customer's VAT number in **Account > Company**.\n2. Choose "
        "**Invoices > Regenerate**.\n3. Send it from the order page.\n",
        "published",
    ),
    "account-recovery": (
        "Recovering an account without 2FA device", T.TROUBLESHOOTING, "login",
        ["account recovery", "two-factor auth"],
        "The customer lost the phone with their authenticator app.",
        "## Symptoms\n\nThe customer cannot pass the second log-in step.\n\n## Cause\n\nLost or "
        "replaced phone without backup codes.\n\n## Resolution\n\n1. Verify identity with two "
        "of: billing postcode, last order number, last 4 card digits.\n2. Reset 2FA from the "
        "admin console.\n\n## Escalation\n\nIf identity cannot be verified, escalate to Trust "
        "and Safety. Never reset on a caller's word alone.\n",
        "published",
    ),
    "password-reset-email-missing": (
        "Password reset email never arrives", T.TROUBLESHOOTING, "login", ["email", "login"],
        "Most often the address is misspelt or the email sits in spam.",
        "## Symptoms\n\nNo reset email after several tries.\n\n## Cause\n\nTypo in the address, "
        "spam filtering, or a bounced address on our suppression list.\n\n## Resolution\n\n1. "
        "Confirm the spelling.\n2. Check the suppression list and remove the address.\n3. Send "
        "the reset again.\n\n## Escalation\n\nIf the address is not suppressed and still "
        "nothing arrives, escalate to Messaging.\n",
        "in_review",
    ),
    "delayed-parcel": (
        "Parcel delayed in transit", T.TROUBLESHOOTING, "shipping", ["shipping delays"],
        "Tracking has not moved for several days.",
        "## Symptoms\n\nNo tracking update for 3+ working days.\n\n## Cause\n\nCarrier backlog "
        "or a missed scan.\n\n## Resolution\n\n1. Open a trace with the carrier.\n2. Offer a "
        "replacement after 7 working days.\n\n## Escalation\n\nHigh-value orders go to the "
        "Logistics lead at once.\n",
        "published",
    ),
    "vip-escalation-contacts": (
        "VIP escalation contacts", T.ARTICLE, "escalations", ["escalation", "vip accounts"],
        "Who to call for our largest accounts (Escalations team only).",
        "## Overview\n\nThe account managers for VIP customers, and when to page them.\n\n"
        "## Details\n\nPage the on-call account manager for outages affecting a VIP account.\n",
        "restricted",
    ),
    "saying-sorry": (
        "Apologising without blaming", T.BEST_PRACTICE, "tone", ["tone and empathy"],
        "A sincere apology names the problem and the next step.",
        "## Situation\n\nA customer is upset about a mistake we made.\n\n## What worked\n\n"
        "> I'm sorry your order arrived damaged. I've sent a replacement today.\n\n"
        "## Lessons learned\n\nAvoid *unfortunately* and *as per policy*; say what you will do.\n",
        "published",
    ),
    "angry-caller": (
        "De-escalating an angry caller", T.BEST_PRACTICE, "tone",
        ["de-escalation", "tone and empathy"],
        "Let them finish, acknowledge, then move to what you can do.",
        "## Situation\n\nThe caller is shouting before you can help.\n\n## What worked\n\n1. "
        "Let them finish.\n2. Acknowledge the feeling in one sentence.\n3. Offer one concrete "
        "next step.\n\n## Lessons learned\n\nNever match their volume.\n",
        "published",
    ),
    "returns-label-draft": (
        "Printing a returns label", T.HOWTO, "shipping", ["returns"],
        "Customers can print a label from their order page.",
        "## Steps\n\n1. Open **Orders**.\n2. Choose **Return items**.\n",
        "draft",
    ),
}  # fmt: skip


@transaction.atomic
def seed(*, log=print) -> None:
    categories: dict[str, Category] = {}
    for slug, (name, parent, days) in CATEGORIES.items():
        categories[slug], _ = Category.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "parent": categories.get(parent), "verification_days": days},
        )
    people = {
        u.username: u for u in User.objects.filter(username__in=["agent", "editor", "mentor"])
    }
    author, editor, expert = people["agent"], people["editor"], people["mentor"]
    escalations = Team.objects.filter(slug="escalations")
    created = 0
    for slug, (title, type_, category, tags, summary, body, state) in ARTICLES.items():
        if Article.objects.filter(slug=slug).exists():
            continue
        restricted = state == "restricted"
        article = services.article_create(
            author=author,
            content={"title": title, "summary": summary, "body": body},
            meta={
                "slug": slug,
                "type": type_,
                "category": categories[category],
                "owner": expert if category in ("login", "escalations") else author,
                "tags": tags,
                "visibility": Article.Visibility.TEAMS if restricted else "everyone",
                "teams": list(escalations) if restricted else [],
            },
        )
        created += 1
        if state == "draft":
            continue
        services.article_submit(article=article, user=author)
        if state == "in_review":
            continue
        services.article_approve(article=article, editor=editor)
        if state == "update":
            services.article_update(
                article=article,
                editor=author,
                content={"title": title, "summary": summary, "body": body + "\nAdded a note.\n"},
                meta={},
                change_note="Clarify the escalation step",
            )
            services.article_submit(article=article, user=author)
    log(f"Knowledge base: {Article.objects.count()} articles ({created} new).")
