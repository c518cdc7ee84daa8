"""Manager insights on hand-built data: each figure equals a direct count, knowledge risk
finds what depends on one person, and the page's query count does not grow with the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kb.models import Article, ArticleFeedback, ArticleView, Category
from mentorship.models import PairingFeedback
from people.models import Role
from recognition.models import Kudos, KudosRecipient
from search.models import SearchLog
from tests.dashboard.test_insights import html_table
from tests.factories import UserFactory, make_article
from tests.mentorship.builders import make_pairing, make_profile, make_program
from tests.questions.builders import make_answer, make_question
from tests.recognition.builders import make_kudos, make_praise
from tests.training.builders import enrol, make_track

URL = "/insights/"


def _rows(client, slug: str, **query) -> dict[str, list[str]]:
    """The table `slug` of the page, by row label (the header under "")."""
    table = html_table(client.get(URL, query).content.decode(), slug)
    return {("" if i == 0 else row[0]): row[1:] for i, row in enumerate(table)}


@pytest.fixture
def writer(team):
    return UserFactory(username="writer", display_name="Wendy Writer", team=team,
                       roles=[Role.AGENT])  # fmt: skip


def test_kudos_figures_equal_direct_counts(manager_client, manager, agent, mentor, outsider):
    make_kudos(manager, [agent, mentor], points=5)
    make_kudos(agent, mentor, points=10)
    make_kudos(outsider, agent, points=3)
    make_kudos(mentor, agent, status=Kudos.Status.REPORTED)  # never counts
    make_kudos(mentor, agent, created_at=timezone.now() - timedelta(days=40))  # before
    rows = _rows(manager_client, "kudos")
    since = timezone.now() - timedelta(days=29, hours=23)
    for person in (agent, mentor, manager):
        received = KudosRecipient.objects.filter(
            recipient=person, kudos__status="visible", kudos__created_at__gte=since
        )
        given = Kudos.objects.filter(giver=person, status="visible", created_at__gte=since)
        points = sum(r.points for r in received)
        assert rows[person.name] == [str(received.count()), str(points), str(given.count())]
    assert rows[agent.name] == ["2", "8", "1"]


def test_training_figures_equal_direct_counts(manager_client, manager, agent, mentor):
    now = timezone.now()
    done = make_track(owner=manager, title="Refunds")
    late = make_track(owner=manager, title="Escalations")
    old = make_track(owner=manager, title="Old one")
    enrol(agent, done, status="completed", completed_at=now - timedelta(days=2),
          certificate_code="c1")  # fmt: skip
    enrol(agent, late, due_on=(now - timedelta(days=3)).date())
    enrol(mentor, old, status="completed", completed_at=now - timedelta(days=200),
          certificate_code="c2")  # fmt: skip
    enrol(mentor, late, status="withdrawn")
    rows = _rows(manager_client, "training")
    assert rows[""] == ["On tracks", "Completed in period", "Overdue"]
    assert rows[agent.name] == ["2", "1", "1"]
    assert rows[mentor.name] == ["1", "0", "0"]


def test_knowledge_figures_equal_direct_counts(manager_client, manager, agent, editor, writer):
    mine = make_article(author=writer, approved_by=editor, owner=writer, title="Refund how-to")
    make_article(author=writer, approved_by=editor, owner=agent, title="Vouchers")
    make_article(author=writer, title="Still a draft")
    Article.objects.filter(pk=mine.pk).update(
        verified_at=timezone.now() + timedelta(seconds=5), verified_by=agent
    )
    ArticleFeedback.objects.create(article=mine, user=agent, helpful=True)
    ArticleFeedback.objects.create(article=mine, user=manager, helpful=True)
    ArticleFeedback.objects.create(article=mine, user=editor, helpful=False, reason="unclear")
    question = make_question(author=manager, tags=["refunds"])
    make_answer(question=question, author=agent, accepted_by=manager)
    make_answer(question=question, author=writer)
    rows = _rows(manager_client, "knowledge")
    published = Article.objects.filter(author=writer, status="published").count()
    assert rows[writer.name] == [str(published), "0", "0", "2"]
    assert rows[agent.name] == ["0", "1", "1", "0"]


def test_mentoring_counts_states_and_average_rating(manager_client, manager, agent, mentor, team):
    program = make_program(managers=[manager])
    running = make_pairing(program=program, mentor=mentor, mentee=agent)
    other = make_program(name="Second programme", managers=[manager])
    newcomer = UserFactory(username="newbie", team=team)
    make_pairing(program=other, mentor=mentor, mentee=newcomer, active=False)
    PairingFeedback.objects.create(pairing=running, author=agent, rating=4)
    PairingFeedback.objects.create(pairing=running, author=mentor, rating=5)
    body = manager_client.get(URL).content.decode()
    table = html_table(body, "mentoring")
    counts = {row[0]: row[1] for row in table[1:]}
    assert counts["Active, on track"] == "1"
    assert counts["Waiting for the mentor"] == "1"
    assert counts["At risk"] == "0"
    assert "4.5" in body  # the average of 4 and 5


def test_praise_and_csat(manager_client, agent, mentor, outsider):
    make_praise([agent, mentor], csat=5)
    make_praise([agent], csat=2)
    make_praise([agent])
    make_praise([outsider], csat=1)
    body = manager_client.get(URL).content.decode()
    rows = {row[0]: row[1:] for row in html_table(body, "praise")[1:]}
    assert rows[agent.name] == ["3"]
    assert rows[mentor.name] == ["1"]
    assert "3.5" in body  # (5 + 2) / 2: the outsider's praise is another team's


def test_kb_health_counts_the_categories_the_team_reads(
    manager_client, agent, editor, writer, outsider
):
    read = Category.objects.create(name="Refunds", slug="refunds")
    unread = Category.objects.create(name="Shipping", slug="shipping")
    lapsed = make_article(author=writer, approved_by=editor, category=read, title="Old")
    make_article(author=writer, approved_by=editor, category=read, title="Fresh")
    # Another team's article: its owner follows it, nobody of the team reads it.
    make_article(author=outsider, approved_by=editor, category=unread, title="Elsewhere")
    Article.objects.filter(pk=lapsed.pk).update(verified_at=timezone.now() - timedelta(days=120))
    ArticleView.objects.create(article=lapsed, user=agent, day=timezone.localdate())
    ArticleFeedback.objects.create(article=lapsed, user=agent, helpful=False, reason="outdated")
    rows = _rows(manager_client, "kb-health")
    assert "Shipping" not in rows
    assert rows["Refunds"][:4] == ["2", "1", "1", "1"]  # published, due, not helpful, outdated


def test_failed_searches_are_the_teams(manager_client, agent, outsider, team, other_team):
    for user, query in [(agent, "chargeback"), (agent, "chargeback"), (outsider, "warp")]:
        SearchLog.objects.create(user=user, team=user.team, query=query, normalized=query,
                                 result_count=0)  # fmt: skip
    SearchLog.objects.create(user=agent, team=team, query="refund", normalized="refund",
                             result_count=4)  # fmt: skip
    rows = _rows(manager_client, "failed-searches")
    assert rows == {"": ["Searches", "People"], "chargeback": ["2", "1"]}


def test_knowledge_risk_finds_single_owner_category_skill_and_topic(
    manager_client, agent, mentor, editor, writer, outsider
):
    solo = Category.objects.create(name="Refunds", slug="refunds")
    shared = Category.objects.create(name="Billing", slug="billing-shared")
    for title in ("One", "Two", "Three"):
        make_article(author=writer, approved_by=editor, category=solo, owner=writer, title=title)
    make_article(author=writer, approved_by=editor, category=solo, owner=agent, title="Four")
    make_article(author=writer, approved_by=editor, category=shared, owner=writer, title="A")
    make_article(author=agent, approved_by=editor, category=shared, owner=agent, title="B")
    make_profile(mentor, topics=["Chargebacks", "Refunds"])
    make_profile(agent, topics=["refunds"])  # two mentors for refunds: no risk
    make_profile(outsider, topics=["Warp drives"])  # another team's single mentor
    question = make_question(author=outsider, tags=["vouchers"])
    make_answer(question=question, author=agent, accepted_by=outsider)
    body = manager_client.get(URL).content.decode()
    rows = {row[0]: row[1:] for row in html_table(body, "knowledge-risk")[1:]}
    assert rows["KB category: Refunds"] == ["1", writer.name, "3 of 4 articles"]
    assert "KB category: Billing" not in rows  # one each: nobody holds more than half
    assert rows["Mentoring skill: Chargebacks"] == ["1", mentor.name, "1 of 1 mentors"]
    assert not any("efunds" in label and "skill" in label for label in rows)
    assert not any("Warp" in label for label in rows)
    assert rows["Question topic: vouchers"] == ["1", agent.name, "1 of 1 accepted answers"]
    assert f'href="/hand-over/{writer.username}/"' in body


def test_bus_factor_counts_fewest_people_holding_more_than_half():
    from dashboard.insights.risk import bus_factor

    assert bus_factor([3, 1]) == 1
    assert bus_factor([1, 1]) == 2
    assert bus_factor([2, 2, 1]) == 2
    assert bus_factor([1, 1, 1, 1]) == 3


def _grow(team, editor, manager, n: int) -> None:
    """`n` more of everything the page counts, by `n` more people of the team."""
    category = Category.objects.create(name=f"Topic {n}", slug=f"topic-{n}")
    program = make_program(name=f"Programme {n}", managers=[manager])
    track = make_track(owner=manager, title=f"Track {n}")
    for i in range(n):
        person = UserFactory(username=f"p{n}-{i}", team=team, skills=[f"skill {n}-{i}"])
        article = make_article(author=person, approved_by=editor, category=category,
                               owner=person, title=f"Article {n}-{i}")  # fmt: skip
        ArticleView.objects.create(article=article, user=person, day=timezone.localdate())
        ArticleFeedback.objects.create(article=article, user=manager, helpful=False,
                                       reason="unclear")  # fmt: skip
        make_kudos(manager, person)
        make_praise([person], csat=4)
        enrol(person, track, due_on=timezone.localdate() - timedelta(days=1))
        make_profile(person, topics=[f"topic {n}-{i}"])
        make_pairing(program=program, mentor=person, mentee=manager if i == 0 else
                     UserFactory(username=f"m{n}-{i}", team=team))  # fmt: skip
        question = make_question(author=manager, title=f"Question {n}-{i}?", tags=[f"t{n}-{i}"])
        make_answer(question=question, author=person, accepted_by=manager)
        SearchLog.objects.create(user=person, team=team, query=f"q{i}", normalized=f"q{i}",
                                 result_count=0)  # fmt: skip


def test_query_count_is_constant(manager_client, manager, editor, team,
                                 django_assert_max_num_queries):  # fmt: skip
    _grow(team, editor, manager, 2)
    with django_assert_max_num_queries(30) as small:
        assert manager_client.get(URL).status_code == 200
    _grow(team, editor, manager, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert manager_client.get(URL).status_code == 200
