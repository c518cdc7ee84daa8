"""The personal home page and the demo organisation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from kb import services as kb_services
from kb.models import Article, ArticleView, Category
from people.models import Role, Team, User
from tests.factories import NotificationFactory, UserFactory, make_article


@pytest.fixture
def writer(team) -> User:
    """Writes the articles, so the viewer of a test owns none unless it says so."""
    return UserFactory(username="writer", team=team, roles=[Role.AGENT])


@pytest.fixture
def owner(team) -> User:
    """An agent who owns articles (written by someone else)."""
    return UserFactory(username="owner", team=team, roles=[Role.AGENT], skills=["billing"])


def _section(body: str, heading_id: str) -> str:
    """The HTML of the home page section labelled by `heading_id`."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', body, re.S)
    assert match, f"no section {heading_id}"
    return match[0]


def _viewed(article: Article, *, by: int, days_ago: int = 0) -> None:
    """`by` different people opened `article` on one day, `days_ago` days back."""
    day = timezone.localdate() - timedelta(days=days_ago)
    for _ in range(by):
        ArticleView.objects.create(article=article, user=UserFactory(), day=day)


def _lapse(article: Article, days: int = 100) -> None:
    Article.objects.filter(pk=article.pk).update(verified_at=timezone.now() - timedelta(days=days))


def test_home_greets_and_shows_latest_notifications(agent_client, agent):
    NotificationFactory(recipient=agent, message="Your mentor replied")
    body = agent_client.get("/").content.decode()
    assert f"Hello, {agent.name}" in body
    assert "Your mentor replied" in body


def test_home_asks_to_finish_an_incomplete_profile(client, team):
    newbie = UserFactory(team=team, job_title="")
    client.force_login(newbie)
    body = client.get("/").content.decode()
    assert "Finish your profile" in body
    assert "job title, skills, interests" in body


def test_home_lists_teammates_but_not_other_teams(agent_client, mentor, outsider):
    body = agent_client.get("/").content.decode()
    assert mentor.get_absolute_url() in body
    assert outsider.get_absolute_url() not in body


def test_home_leads_with_a_labelled_search_box_that_searches(agent_client):
    body = agent_client.get("/").content.decode()
    form = re.search(r'<form class="home-search"[^>]*>.*?</form>', body, re.S)[0]
    assert 'action="/search/"' in form
    assert 'method="get"' in form
    assert '<label id="home-search-label" for="home-q">' in form
    assert re.search(r'<input[^>]*id="home-q"[^>]*name="q"', form)
    # It comes before every other section of the page.
    assert body.index('class="home-search"') < body.index("<section")


def test_home_shows_recent_and_popular_articles_the_reader_may_open(
    agent_client, writer, editor, other_team
):
    quiet = make_article(author=writer, title="Quiet article", approved_by=editor)
    read_a_lot = make_article(author=writer, title="Read a lot", approved_by=editor)
    read_once = make_article(author=writer, title="Read once", approved_by=editor)
    # The most recent and the most read of all, but only for the other team.
    secret = make_article(
        author=writer, title="Other team escalation list", visibility=Article.Visibility.TEAMS,
        teams=[other_team], approved_by=editor,
    )  # fmt: skip
    draft = make_article(author=writer, title="Unfinished draft")
    _viewed(read_a_lot, by=3)
    _viewed(read_once, by=1, days_ago=29)
    _viewed(quiet, by=5, days_ago=31)  # too long ago to count
    _viewed(secret, by=9)
    ArticleView.objects.create(article=draft, user=writer, day=timezone.localdate())

    body = agent_client.get("/").content.decode()

    recent = _section(body, "recently-updated-h")
    for article in (quiet, read_a_lot, read_once):
        assert article.get_absolute_url() in recent
    popular = _section(body, "popular-h")
    assert popular.index("Read a lot") < popular.index("Read once")
    assert "3 views in 30 days" in popular
    assert "1 view in 30 days" in popular
    assert "Quiet article" not in popular
    for hidden in (secret, draft):
        assert hidden.get_absolute_url() not in body
        assert hidden.title not in body


def test_editors_see_team_restricted_articles_since_they_may_open_them(
    client, writer, editor, other_team
):
    secret = make_article(
        author=writer, title="Other team escalation list", visibility=Article.Visibility.TEAMS,
        teams=[other_team], approved_by=editor,
    )  # fmt: skip
    client.force_login(editor)
    body = client.get("/").content.decode()
    assert secret.get_absolute_url() in _section(body, "recently-updated-h")


def test_owner_sees_their_articles_due_for_verification(client, owner, writer, editor):
    due = make_article(author=writer, owner=owner, title="Overdue refund steps", approved_by=editor)
    fresh = make_article(author=writer, owner=owner, title="Fresh refund steps", approved_by=editor)
    someone_elses = make_article(author=writer, title="Not theirs", approved_by=editor)
    _lapse(due)
    _lapse(someone_elses)
    client.force_login(owner)

    section = _section(client.get("/").content.decode(), "verification-due-h")

    assert "1 due" in section
    assert due.get_absolute_url() in section
    assert fresh.get_absolute_url() not in section
    assert someone_elses.get_absolute_url() not in section
    assert 'href="/kb/verification/"' in section


def test_owner_with_nothing_due_is_told_so(client, owner, writer, editor):
    make_article(author=writer, owner=owner, approved_by=editor)
    client.force_login(owner)
    section = _section(client.get("/").content.decode(), "verification-due-h")
    assert "Nothing to verify" in section


def test_agents_owning_nothing_see_no_due_or_review_sections(agent_client):
    body = agent_client.get("/").content.decode()
    assert "verification-due-h" not in body
    assert "review-queue-h" not in body


def test_editor_sees_the_review_queue_with_its_count(client, editor, writer):
    waiting = []
    for i in range(7):
        article = make_article(author=writer, title=f"Waiting article {i}")
        kb_services.article_submit(article=article, user=writer)
        waiting.append(article)
    client.force_login(editor)

    section = _section(client.get("/").content.decode(), "review-queue-h")

    assert "7 waiting" in section
    assert section.count('href="/kb/a/') == 5  # the five longest waiting, then a link to all
    assert waiting[0].get_absolute_url() in section
    assert 'href="/kb/review/"' in section
    assert "(2 more)" in section


def test_editor_with_an_empty_queue_is_told_so(client, editor):
    client.force_login(editor)
    section = _section(client.get("/").content.decode(), "review-queue-h")
    assert "Nothing is waiting for review" in section


def test_empty_home_says_what_to_do(agent_client):
    body = agent_client.get("/").content.decode()
    assert "Write the first one" in _section(body, "recently-updated-h")
    assert "Nothing has been read in the last 30 days" in _section(body, "popular-h")


# Measured on SQLite at size 12. Every role: session, user, roles (3), profile
# gaps (skills, interests: 2), notifications, teammates, the team's name, recently updated,
# popular, whether they own an article (6). Owners: the verification intervals in use, the due
# articles, their count (3). Editors: the review queue and its count (2); they own none here.
# A list shorter than its section's five rows needs no count, so size 2 runs one query fewer.
HOME_QUERIES = {"agent": 11, "editor": 13, "owner": 14}


@pytest.mark.parametrize("role", ["agent", "editor", "owner"])
@pytest.mark.parametrize("size", [2, 12])
def test_home_query_count_is_constant(
    client, request, role, size, team, other_team, writer, editor, django_assert_max_num_queries
):
    viewer = request.getfixturevalue(role)
    topic = Category.objects.create(
        name="Refunds", slug="refunds", parent=Category.objects.create(name="Pay", slug="pay")
    )
    for i in range(size):
        read = make_article(author=writer, title=f"Read {i}", category=topic, approved_by=editor)
        hidden = make_article(
            author=writer, title=f"Hidden {i}", visibility=Article.Visibility.TEAMS,
            teams=[other_team], approved_by=editor,
        )  # fmt: skip
        _viewed(read, by=i % 3 + 1)
        _viewed(hidden, by=2)
        # Each due article in a category of its own interval, and waiting ones by new authors.
        category = Category.objects.create(name=f"C{i}", slug=f"c{i}", verification_days=10 + i)
        due = make_article(
            author=writer, owner=request.getfixturevalue("owner"), title=f"Due {i}",
            category=category, approved_by=editor,
        )  # fmt: skip
        _lapse(due)
        author = UserFactory(team=team)
        kb_services.article_submit(
            article=make_article(author=author, title=f"New {i}"), user=author
        )
        NotificationFactory(recipient=viewer)
        UserFactory(team=team)
    client.force_login(viewer)

    with django_assert_max_num_queries(HOME_QUERIES[role]):
        response = client.get("/")

    body = response.content.decode()
    assert response.status_code == 200
    assert ("Hidden " in body) == (role == "editor")  # editors may open every article
    assert ("review-queue-h" in body) == (role == "editor")
    assert ("verification-due-h" in body) == (role == "owner")


def test_review_count_badge_counts_waiting_articles_for_editors_only(client, editor, agent, writer):
    for i in range(3):
        article = make_article(author=writer, title=f"Waiting {i}")
        kb_services.article_submit(article=article, user=writer)
    client.force_login(editor)
    badge = client.get("/nav/review-count/").content.decode()
    assert '<span class="badge">3</span>' in badge
    client.force_login(agent)
    assert client.get("/nav/review-count/").status_code == 403


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_realistic():
    call_command("seed_demo", stdout=None)
    counts = (User.objects.count(), Team.objects.count(), Article.objects.count())
    changed = User.objects.get(username="agent")
    changed.set_password("my own password")
    changed.save()
    call_command("seed_demo", stdout=None)
    assert (User.objects.count(), Team.objects.count(), Article.objects.count()) == counts
    assert counts[0] >= 30
    assert counts[1] >= 3
    assert User.objects.get(username="agent").check_password("my own password")
    for username, role in [
        ("agent", Role.AGENT),
        ("mentor", Role.MENTOR),
        ("manager", Role.MANAGER),
        ("editor", Role.KB_EDITOR),
        ("admin", Role.ADMIN),
    ]:
        assert User.objects.with_role(role).filter(username=username).exists()
    assert User.objects.get(username="mentor").check_password("huddle-demo")
    assert User.objects.filter(skills__isnull=False).distinct().count() >= 25
    assert User.objects.profile_incomplete().exists()  # someone for the onboarding reminder
    assert Article.objects.published().exists()
    assert Article.objects.awaiting_review().exists()
