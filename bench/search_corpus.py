"""The search benchmark's corpus: realistic customer-service content written with bulk
inserts. Per 1,000 articles (topics, Zipfian word frequencies, Markdown-ish bodies, tags, some
team-restricted) it adds about 300 questions with answers, 40 published training tracks built
from the articles and 30 upcoming knowledge-sharing sessions, all of which the rebuild indexes
and the search page can find."""

from __future__ import annotations

import itertools
import random

TOPICS = {  # category slug: (name, parent slug, topic words, tags)
    "billing": ("Billing", None, "invoice payment card charge billing statement plan renewal "
                "discount coupon receipt balance direct debit bank transfer", "billing payments"),
    "refunds": ("Refunds", "billing", "refund partial chargeback dispute return window credit "
                "reversal original method approval fraud", "refunds chargebacks payments"),
    "invoices": ("Invoices and VAT", "billing", "invoice vat tax business reverse charge number "
                 "address company registration pdf correction", "invoices vat"),
    "accounts": ("Accounts", None, "account profile email username merge duplicate close "
                 "delete data privacy gdpr export ownership", "accounts privacy"),
    "login": ("Log-in and security", "accounts", "password reset login 2fa authenticator code "
              "sms locked sso session device recovery identity", "login security 2fa"),
    "shipping": ("Shipping", None, "delivery courier tracking parcel customs address dispatch "
                 "warehouse delayed lost damaged label carrier", "shipping delivery customs"),
    "escalations": ("Escalations", None, "escalate escalation supervisor complaint priority "
                    "ticket sla regulator legal incident outage", "escalations complaints"),
    "tone": ("Tone and empathy", None, "empathy tone apologise calm angry frustrated listen "
             "acknowledge reassure phrasing positive", "tone empathy"),
}  # fmt: skip
COMMON = (  # the most frequent first
    "the to a and of you your in is for it that on with customer if this be can are order we "
    "they as not or have will at from by check ask account when their our an do what should "
    "make sure before after then there any all need time one may only first also more team "
    "agent case ticket note give help days call chat email back open system page details "
    "policy support reply new still next right same each way keep use send see know tell"
)
TITLE_FORMS = [
    "How to handle {a} {b}", "{A} {b} FAQ", "Troubleshooting {a} {b}", "When a customer asks "
    "about {a}", "{A}: what to check first", "Explaining {a} and {b} to customers", "{A} {b} "
    "for business accounts", "{A} after {b}", "Best practice: {a} on chat", "{A} {b} checklist",
]  # fmt: skip
QUERIES = [
    "refund", "invoice", "password", "tracking", "chargeback", "customs", "escalation",
    "empathy", "refund card payment", "reset password", "delivery address courier",
    "vat invoice business", "angry customer", "account locked", "plan renewal discount",
    "sso login session", '"refund policy"', '"delivery address"', "refnud", "pasword reset",
]  # fmt: skip
TEAMS = ["Billing Support", "Technical Support", "Customer Success", "Escalations Desk"]
SYLLABLES = "ka lo mi ne ru sa ti vo ze bra gel dor fin hap jum pex quo rix sul tam"


class Writer:
    """Markdown-ish bodies with their HTML and plain text, from Zipf-weighted vocabularies."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        syllables, common = SYLLABLES.split(), COMMON.split()
        self.tail = ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(20000)]

        def zipf(words, shift, share):  # rank r gets 1 / (r + shift), scaled to `share`
            weights = [1 / (rank + shift) for rank in range(len(words))]
            return [share * w / sum(weights) for w in weights]

        self.topics = {}  # topic: (population, cumulative weights)
        for slug, topic in TOPICS.items():
            own = topic[2].split()
            other = sorted({w for t in TOPICS.values() for w in t[2].split()} - set(own))
            population = [*common, *own, *other, None]  # None: a word of the long tail
            weights = [*zipf(common, 2.7, 0.77), *zipf(own, 1.5, 0.15)]
            weights += [0.05 / len(other)] * len(other) + [0.03]
            self.topics[slug] = (population, list(itertools.accumulate(weights)))

    def words(self, topic: str, n: int) -> list[str]:
        population, cumulative = self.topics[topic]
        drawn = self.rng.choices(population, cum_weights=cumulative, k=n)
        return [word or self.rng.choice(self.tail) for word in drawn]

    def sentence(self, topic: str) -> str:
        text = " ".join(self.words(topic, self.rng.randint(7, 18)))
        return text[0].upper() + text[1:] + "."

    def title(self, topic: str) -> str:
        a, b = self.rng.sample(TOPICS[topic][2].split(), 2)
        form = self.rng.choice(TITLE_FORMS)
        return form.format(a=a, b=b, A=a.capitalize(), B=b.capitalize())

    def body(self, topic: str) -> tuple[str, str, str]:
        """(markdown, html, text) of 150-400 words in headed sections, steps and lists."""
        rng, target = self.rng, self.rng.randint(150, 400)
        md, html, text = [], [], []
        while len(text) < target:
            if md and rng.random() < 0.5:
                head = " ".join(self.words(topic, rng.randint(2, 4))).capitalize()
                md.append(f"## {head}")
                html.append(f'<h2 id="{head.lower().replace(" ", "-")}">{head}</h2>')
                text.extend(head.split())
            if rng.random() < 0.35:
                items = [self.sentence(topic) for _ in range(rng.randint(2, 5))]
                tag, mark = rng.choice([("ol", "1."), ("ul", "-")])
                md.append("\n".join(f"{mark} {item}" for item in items))
                html.append(f"<{tag}>{''.join(f'<li>{i}</li>' for i in items)}</{tag}>")
                text.extend(" ".join(items).split())
            else:
                para = " ".join(self.sentence(topic) for _ in range(rng.randint(2, 4)))
                md.append(para)
                html.append(f"<p>{para}</p>")
                text.extend(para.split())
        return "\n\n".join(md), "\n".join(html), " ".join(text)


def build_corpus(n: int, seed: int = 42) -> dict:
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify
    from taggit.models import Tag, TaggedItem

    from kb.models import Article, ArticleRevision, Category
    from people.models import Role, Team, User

    rng, writer, now = random.Random(seed), Writer(random.Random(seed)), timezone.now()
    teams = [Team.objects.create(name=name, slug=name.lower().replace(" ", "-")) for name in TEAMS]
    person = lambda name, team: User.objects.create(  # noqa: E731 (no password: force_login)
        username=name, email=f"{name}@example.com", password="!", team=team
    )
    editor, agent = person("editor", teams[0]), person("agent", teams[0])
    editor.groups.add(Group.objects.get(name=Role.KB_EDITOR))
    agent.groups.add(Group.objects.get(name=Role.AGENT))
    authors = [person(f"author{i}", teams[i % 4]) for i in range(20)]
    categories = {}
    for slug, (name, parent, _, _) in TOPICS.items():  # parents come first in TOPICS
        parent = categories.get(parent)
        categories[slug] = Category.objects.create(name=name, slug=slug, parent=parent)
    tag_names = sorted({t for topic in TOPICS.values() for t in topic[3].split()})
    tags = {t.name: t for t in Tag.objects.bulk_create(Tag(name=t, slug=t) for t in tag_names)}
    types = [choice for choice, _ in Article.Type.choices]
    articles, revisions, tagged, team_links = [], [], [], []
    for pk in range(1, n + 1):
        topic = rng.choice(list(TOPICS))
        title = writer.title(topic)
        md, html, text = writer.body(topic)
        author = rng.choice(authors)
        updated = now - timezone.timedelta(days=rng.uniform(0, 730))
        restricted = rng.random() < 0.15
        articles.append(Article(
            pk=pk, slug=f"{slugify(title)[:100]}-{pk}",
            type=rng.choices(types, [5, 3, 3, 3, 1])[0], category=categories[topic],
            author=author, owner=rng.choice(authors), status=Article.Status.PUBLISHED,
            visibility="teams" if restricted else "everyone", published_revision_id=pk,
            latest_revision_id=pk, created_at=updated, updated_at=updated,
            published_at=updated, verified_at=updated,
        ))  # fmt: skip
        revisions.append(ArticleRevision(
            pk=pk, article_id=pk, number=1, title=title, summary=writer.sentence(topic)[:300],
            body=md, rendered_html=html, body_text=text, editor=author, created_at=updated,
        ))  # fmt: skip
        for tag in rng.sample(TOPICS[topic][3].split(), rng.randint(1, 2)):
            tagged.append((pk, tags[tag].pk))
        if restricted:
            team_links.extend((pk, t.pk) for t in rng.sample(teams, rng.randint(1, 2)))
    content_type = ContentType.objects.get_for_model(Article)
    with transaction.atomic():  # foreign keys are checked at commit, so the order is free
        Article.objects.bulk_create(articles, batch_size=500)
        ArticleRevision.objects.bulk_create(revisions, batch_size=500)
        TaggedItem.objects.bulk_create(
            (TaggedItem(content_type=content_type, object_id=a, tag_id=t) for a, t in tagged),
            batch_size=2000,
        )
        Article.teams.through.objects.bulk_create(
            (Article.teams.through(article_id=a, team_id=t) for a, t in team_links),
            batch_size=2000,
        )
    topics = {pk: a.category.slug for pk, a in enumerate(articles, start=1)}
    context = {"rng": rng, "writer": writer, "now": now, "teams": teams, "authors": authors,
               "categories": categories, "tags": tags, "topics": topics}  # fmt: skip
    with transaction.atomic():
        add_questions(n * 3 // 10, **context)
        add_training(max(1, n * 4 // 100), max(1, n * 3 // 100), **context)
    return {"editor": editor, "agent": agent, "author": authors[0], "category": categories}


QUESTION_FORMS = [
    "How do I {a} a {b}?", "Customer asks about {a} and {b}, what now?", "Is {a} allowed "
    "after {b}?", "{A} stuck on {b}: who handles it?", "Where do I find the {a} {b}?",
]  # fmt: skip


def add_questions(count: int, *, rng, writer, now, teams, authors, categories, tags, topics):
    """Questions as the questions app keeps them: most answered with an accepted answer and
    a voted second one, some open, a few closed; tagged, some restricted to teams."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from taggit.models import TaggedItem

    from questions.models import Answer, Question
    from questions.rendering import body_html

    questions, answers, tagged, team_links = [], [], [], []
    for pk in range(1, count + 1):
        topic = rng.choice(list(TOPICS))
        a, b = rng.sample(TOPICS[topic][2].split(), 2)
        asked = now - timezone.timedelta(days=rng.uniform(0, 365))
        status = rng.choices(["answered", "open", "closed"], [60, 25, 15])[0]
        answered = status != "open" or rng.random() < 0.3
        restricted = rng.random() < 0.15
        questions.append(Question(
            pk=pk, title=rng.choice(QUESTION_FORMS).format(a=a, b=b, A=a.capitalize()),
            body=(body := " ".join(writer.sentence(topic) for _ in range(rng.randint(1, 3)))),
            body_html=body_html(body), author=rng.choice(authors), category=categories[topic],
            status=status,
            visibility="teams" if restricted else "everyone", created_at=asked,
            updated_at=asked, last_activity_at=asked + timezone.timedelta(hours=2),
            first_answered_at=asked + timezone.timedelta(hours=1) if answered else None,
            closed_at=asked + timezone.timedelta(days=1) if status == "closed" else None,
        ))  # fmt: skip
        for number in range(rng.randint(1, 3) if answered else 0):
            answers.append(Answer(
                question_id=pk, author=rng.choice(authors),
                body=(body := " ".join(writer.sentence(topic) for _ in range(rng.randint(2, 5)))),
                body_html=body_html(body), updated_at=asked,
                created_at=asked + timezone.timedelta(hours=1 + number),
                accepted_at=asked + timezone.timedelta(hours=3)
                if number == 0 and status == "answered" else None,
            ))  # fmt: skip
        for tag in rng.sample(TOPICS[topic][3].split(), 1):
            tagged.append((pk, tags[tag].pk))
        if restricted:
            team_links.extend((pk, t.pk) for t in rng.sample(teams, rng.randint(1, 2)))
    content_type = ContentType.objects.get_for_model(Question)
    Question.objects.bulk_create(questions, batch_size=500)
    Answer.objects.bulk_create(answers, batch_size=500)
    TaggedItem.objects.bulk_create(
        (TaggedItem(content_type=content_type, object_id=q, tag_id=t) for q, t in tagged),
        batch_size=2000,
    )
    Question.teams.through.objects.bulk_create(
        (Question.teams.through(question_id=q, team_id=t) for q, t in team_links),
        batch_size=2000,
    )


def add_training(tracks: int, sessions: int, *, rng, writer, now, teams, authors, topics,
                 **_):  # fmt: skip
    """Published tracks of 3-6 steps (mostly articles of their topic, some practical tasks)
    and upcoming sessions, with skills, some restricted to teams."""
    from django.utils import timezone

    from people.models import Skill
    from training.models import Session, Track, TrackStep
    from training.models.sessions import TaggedSessionSkill
    from training.models.tracks import TaggedTrackSkill

    skills = {slug: Skill.objects.create(name=TOPICS[slug][0], slug=slug) for slug in TOPICS}
    by_topic: dict[str, list[int]] = {}
    for pk, topic in topics.items():
        by_topic.setdefault(topic, []).append(pk)
    rows, steps, track_skills, track_teams = [], [], [], []
    for pk in range(1, tracks + 1):
        topic = rng.choice(list(TOPICS))
        updated = now - timezone.timedelta(days=rng.uniform(0, 365))
        restricted = rng.random() < 0.2
        rows.append(Track(
            pk=pk, title=f"{TOPICS[topic][0]} essentials {pk}", slug=f"track-{pk}",
            description=" ".join(writer.sentence(topic) for _ in range(2)),
            visibility="teams" if restricted else "everyone", estimated_minutes=60,
            owner=rng.choice(authors), status="published", created_at=updated,
            updated_at=updated, published_at=updated,
        ))  # fmt: skip
        for position in range(rng.randint(3, 6)):
            if rng.random() < 0.75:
                article = rng.choice(by_topic.get(topic) or list(topics))
                steps.append(TrackStep(track_id=pk, position=position, kind="article",
                                       article_id=article))  # fmt: skip
            else:
                steps.append(TrackStep(
                    track_id=pk, position=position, kind="task",
                    title=writer.title(topic), description=writer.sentence(topic),
                ))  # fmt: skip
        track_skills.append(TaggedTrackSkill(content_object_id=pk, tag=skills[topic]))
        if restricted:
            track_teams.extend((pk, t.pk) for t in rng.sample(teams, 1))
    Track.objects.bulk_create(rows)
    TrackStep.objects.bulk_create(steps, batch_size=500)
    TaggedTrackSkill.objects.bulk_create(track_skills)
    Track.teams.through.objects.bulk_create(
        Track.teams.through(track_id=t, team_id=team) for t, team in track_teams
    )
    rows, session_skills, presenters = [], [], []
    for pk in range(1, sessions + 1):
        topic = rng.choice(list(TOPICS))
        starts = now + timezone.timedelta(days=rng.uniform(1, 60))
        rows.append(Session(
            pk=pk, title=f"{writer.title(topic)} ({pk})", slug=f"session-{pk}",
            kind=rng.choice(["presentation", "roundtable", "workshop"]),
            agenda=" ".join(writer.sentence(topic) for _ in range(rng.randint(2, 4))),
            organiser=rng.choice(authors), starts_at=starts,
            ends_at=starts + timezone.timedelta(hours=1), capacity=20,
        ))  # fmt: skip
        session_skills.append(TaggedSessionSkill(content_object_id=pk, tag=skills[topic]))
        presenters.append((pk, rng.choice(authors).pk))
    Session.objects.bulk_create(rows)
    TaggedSessionSkill.objects.bulk_create(session_skills)
    Session.presenters.through.objects.bulk_create(
        Session.presenters.through(session_id=s, user_id=u) for s, u in presenters
    )
