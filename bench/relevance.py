"""Relevance benchmark: does Huddle's search page put the right demo article first?

Run from the project root:

    .venv/bin/python bench/relevance.py
    .venv/bin/python bench/relevance.py --verbose   # + top 3 titles where the target isn't 1st

Everything happens in a fresh throw-away VAR_DIR (SQLite, Whoosh index), deleted at the end:
`migrate`, `seed_demo` and `rebuild_index`, with Celery tasks run eagerly. Then a fixed list
of queries, written as a customer-service agent would type them, each with the slug of the
demo article that should come first, goes through GET /search/?q=... (Django test client).
Each query runs as the demo user `agent` (Billing Support, no editor rights), the person
these queries are written for; only when `agent` may not open the target does it run as
`editor`, who reads every published article. The rank is the target's place among the
results on the first page as shown: a typo query that only offers "Did you mean ...?" is not
answered there, one the page corrects by itself is.

Query kinds: exact title words, other word forms, typos, synonyms, compounds split or
joined, questions, and symptoms (what the customer sees, not the title's words).
Printed: every query with its rank, then MRR@10 and success@3 (target in the top 3) per
kind and overall, and how many typo queries the first page answers. The queries were not
chosen by what the search finds today and must not change when it is tuned. Exit status 0.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path and this file would shadow `search`.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench import throwaway  # noqa: E402

# (kind, query, slug of the article that should come first)
QUERIES = [
    ("exact", "double charge", "refund-a-double-charge"),
    ("exact", "partial refund", "partial-refunds"),
    ("exact", "card payment declined", "card-payment-declined"),
    ("exact", "account locked", "account-locked-faq"),
    ("exact", "customs charges", "customs-charges-faq"),
    ("exact", "wrong item received", "wrong-item-received"),
    ("exact", "when to escalate", "when-to-escalate"),
    ("exact", "goodwill gestures", "goodwill-credit-limits"),
    ("exact", "chargeback", "chargeback-response"),
    ("forms", "partial refunds", "partial-refunds"),
    ("forms", "cancel subscription", "cancel-subscription"),
    ("forms", "declined cards", "card-payment-declined"),
    ("forms", "locked accounts", "account-locked-faq"),
    ("forms", "escalating a case", "when-to-escalate"),
    ("forms", "apologise", "saying-sorry"),
    ("forms", "delayed parcels", "delayed-parcel"),
    ("forms", "merging duplicate accounts", "merge-duplicate-accounts"),
    ("forms", "chargebacks", "chargeback-response"),
    ("typo", "partial refnd", "partial-refunds"),
    ("typo", "chargebak", "chargeback-response"),
    ("typo", "wrong pasword locked", "account-locked-faq"),
    ("typo", "custms charges", "customs-charges-faq"),
    ("typo", "cancel subscripton", "cancel-subscription"),
    ("typo", "authenticator code rejeted", "two-factor-codes-rejected"),
    ("typo", "delivred but not received", "delivered-not-received"),
    ("typo", "send vat invocie", "vat-invoice"),
    ("typo", "recover acount 2fa", "account-recovery"),
    ("synonym", "duplicate payment", "refund-a-double-charge"),
    ("synonym", "package stuck in transit", "delayed-parcel"),
    ("synonym", "terminate subscription", "cancel-subscription"),
    ("synonym", "mfa lost phone", "account-recovery"),
    ("synonym", "compensation for late delivery", "goodwill-credit-limits"),
    ("synonym", "irate customer", "angry-caller"),
    ("synonym", "no tax on invoice", "reverse-charge-vat-faq"),
    ("synonym", "card dispute", "chargeback-response"),
    ("synonym", "bill not received", "invoice-email-missing"),
    ("synonym", "erase customer data", "account-deletion-request"),
    ("compound", "charge back", "chargeback-response"),
    ("compound", "signon redirect", "sso-login-loop"),
    ("compound", "twofactor codes", "two-factor-codes-rejected"),
    ("compound", "log in locked", "account-locked-faq"),
    ("compound", "change e-mail address", "change-account-email"),
    ("compound", "livechat replies", "chat-reply-style"),
    ("compound", "check out declined", "card-payment-declined"),
    ("compound", "pay pal refund time", "refund-policy-faq"),
    ("question", "how do I refund a customer", "partial-refunds"),
    ("question", "how long does a refund take", "refund-policy-faq"),
    ("question", "can a customer get a refund after 30 days", "refund-outside-window"),
    ("question", "how do I change the delivery address", "change-delivery-address"),
    ("question", "what do I do if a customer wants their account deleted",
     "account-deletion-request"),
    ("question", "why was the customer charged more than the price", "currency-conversion-faq"),
    ("question", "do customers pay import duty", "customs-charges-faq"),
    ("question", "when should I escalate to a supervisor", "when-to-escalate"),
    ("symptom", "charged twice", "refund-a-double-charge"),
    ("symptom", "authenticator code not accepted", "two-factor-codes-rejected"),
    ("symptom", "says delivered but nothing arrived", "delivered-not-received"),
    ("symptom", "keeps redirecting to login page", "sso-login-loop"),
    ("symptom", "tracking not updated for days", "delayed-parcel"),
    ("symptom", "lost phone cant log in", "account-recovery"),
    ("symptom", "didn't get this month's invoice", "invoice-email-missing"),
    ("symptom", "got the wrong size", "wrong-item-received"),
    ("symptom", "orders they didn't place", "suspected-account-takeover"),
    ("symptom", "customer shouting at me", "angry-caller"),
]  # fmt: skip
KINDS = ["exact", "forms", "typo", "synonym", "compound", "question", "symptom"]
CUTOFF = 10  # MRR@10
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


@dataclass
class Item:
    slug: str | None = None  # from a data-slug attribute
    href: str | None = None  # the item's first link
    title: str = ""


class Results(HTMLParser):
    """Result items of a search page, in page order, and whether it offers a correction."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Item] = []
        self.did_you_mean = False
        self.stack: list[tuple[str, set[str], bool]] = []  # (tag, classes, starts an item)
        self.item: Item | None = None
        self.in_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        classes = set(values.get("class", "").split())
        self.did_you_mean |= "did-you-mean" in classes
        # Parsing assumption: a result is an element carrying data-slug, or an <li>/<article>
        # (or anything with class "result") directly inside class "results"; its target is
        # its data-slug, else its first link (/kb/a/<slug>/ or /search/open/<log>/<id>/).
        in_results = bool(self.stack) and "results" in self.stack[-1][1]
        starts = self.item is None and (
            "data-slug" in values
            or "result" in classes
            or (in_results and tag in ("li", "article"))
        )
        if starts:
            self.item = Item()
            self.items.append(self.item)
        if self.item is not None:
            if values.get("data-slug") and self.item.slug is None:
                self.item.slug = values["data-slug"]
            if tag == "a" and values.get("href") and self.item.href is None:
                self.item.href, self.in_link = values["href"], True
        if tag not in VOID:
            self.stack.append((tag, classes, starts))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.in_link = False
        if not any(open_tag == tag for open_tag, _, _ in self.stack):
            return
        while self.stack:
            open_tag, _, starts = self.stack.pop()
            if starts:
                self.item = None
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_link and self.item is not None:
            self.item.title += data


def slug_of(item: Item, slugs: dict[int, str]) -> str | None:
    from django.urls import Resolver404, resolve

    if item.slug:
        return item.slug
    try:
        kwargs = resolve(urlsplit(item.href or "").path).kwargs
    except Resolver404:
        return None
    if "slug" in kwargs:
        return kwargs["slug"] if kwargs["slug"] in slugs.values() else None
    pk = kwargs.get("article_id", kwargs.get("pk"))
    return slugs.get(int(pk)) if pk is not None else None


def run_queries() -> list[dict]:
    from django.test import Client

    from kb.models import Article
    from people.models import User

    slugs = dict(Article.objects.filter(status="published").values_list("pk", "slug"))
    clients = {}
    for username in ("agent", "editor"):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    rows = []
    for kind, query, expected in QUERIES:
        if expected not in slugs.values():
            print(f"warning: {expected!r} is not a published demo article", file=sys.stderr)
        readable = clients["agent"].get(f"/kb/a/{expected}/").status_code == 200
        user = "agent" if readable else "editor"
        response = clients[user].get("/search/", {"q": query})
        page = Results()
        page.feed(response.content.decode())
        found: list[tuple[str, str]] = []  # (slug, title), each article once
        for item in page.items:
            slug = slug_of(item, slugs)
            if slug and slug not in (s for s, _ in found):
                found.append((slug, " ".join(item.title.split())))
        ranked = [slug for slug, _ in found]
        rank = ranked.index(expected) + 1 if expected in ranked else None
        rows.append({"kind": kind, "query": query, "expected": expected, "rank": rank,
                     "user": user, "top": found[:3], "status": response.status_code,
                     "did_you_mean": page.did_you_mean})  # fmt: skip
    return rows


def figures(rows: list[dict]) -> tuple[float, float]:
    """(MRR@10, success@3) of `rows`."""
    if not rows:
        return 0.0, 0.0
    mrr = sum(1 / r["rank"] for r in rows if r["rank"] and r["rank"] <= CUTOFF) / len(rows)
    return mrr, sum(1 for r in rows if r["rank"] and r["rank"] <= 3) / len(rows)


def report(rows: list[dict], verbose: bool) -> None:
    print(f"{'kind':<9} {'query':<55} {'expected':<26} {'rank':>4}  user")
    for r in rows:
        rank = str(r["rank"]) if r["rank"] else "-"
        status = "" if r["status"] == 200 else f"  (HTTP {r['status']})"
        print(f"{r['kind']:<9} {r['query']:<55} {r['expected']:<26} {rank:>4}  {r['user']}{status}")
        if verbose and r["rank"] != 1:
            for n, (slug, title) in enumerate(r["top"], 1):
                print(f"{'':<12}{n}. {title}  [{slug}]")
            if not r["top"]:
                print(f"{'':<12}(no results)")
    print(f"\n{'kind':<9} {'queries':>7} {'MRR@10':>7} {'success@3':>10} {'first':>6}")
    for kind in [*KINDS, "overall"]:
        subset = rows if kind == "overall" else [r for r in rows if r["kind"] == kind]
        mrr, success = figures(subset)
        first = sum(1 for r in subset if r["rank"] == 1)
        print(f"{kind:<9} {len(subset):>7} {mrr:>7.3f} {success:>10.1%} {first:>6}")
    typos = [r for r in rows if r["kind"] == "typo"]
    answered = sum(1 for r in typos if r["rank"] and r["rank"] <= CUTOFF)
    offered = sum(1 for r in typos if r["did_you_mean"])
    print(f"\ntypo queries answered on the first page as shown: {answered}/{len(typos)} "
          f"(a correction shown on {offered}/{len(typos)})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="top 3 titles of misses")
    parser.add_argument("--keep", action="store_true", help="keep the temporary VAR_DIR")
    args = parser.parse_args()
    with throwaway.huddle("relevance", keep=args.keep, demo=True):
        rows = run_queries()
    report(rows, args.verbose)


if __name__ == "__main__":
    main()
