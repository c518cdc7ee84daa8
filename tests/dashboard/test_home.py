"""The personal home page below "what needs you today" (tests/dashboard/test_home_today.py),
and the demo organisation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from kb import services as kb_services
from kb.models import Article, ArticleView, Category
from people.models import Role, Team, User
from recognition.models import Badge, BadgeAward
from tests.factories import NotificationFactory, UserFactory, make_article
from tests.recognition.builders import make_kudos
from tests.training.builders import make_session
from training.models import SessionSignup


@pytest.fixture
def writer(team) -> User:
    """Writes the articles, so the viewer of a test owns none unless it says so."""
    return UserFactory(username="writer", team=team, roles=[Role.AGENT])


def _section(body: str, heading_id: str) -> str:
    """The HTML of the home page section labelled by `heading_id`."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', body, re.S)
    assert match, f"no section {heading_id}"
    return match[0]


def _viewed(article: Article, *, by: int, team, days_ago: int = 0) -> None:
    """`by` different people of `team` opened `article` on one day, `days_ago` days back."""
    day = timezone.localdate() - timedelta(days=days_ago)
    for _ in range(by):
        ArticleView.objects.create(article=article, user=UserFactory(team=team), day=day)


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


def test_home_recommends_what_the_team_reads_and_never_what_the_reader_may_not_open(
    agent_client, agent, team, writer, editor, other_team
):
    read_a_lot = make_article(author=writer, title="Read a lot", approved_by=editor)
    read_once = make_article(author=writer, title="Read once", approved_by=editor)
    elsewhere = make_article(author=writer, title="Read by another team", approved_by=editor)
    quiet = make_article(author=writer, title="Quiet article", approved_by=editor)
    # The most read of all, but only for the other team.
    secret = make_article(
        author=writer, title="Other team escalation list", visibility=Article.Visibility.TEAMS,
        teams=[other_team], approved_by=editor,
    )  # fmt: skip
    draft = make_article(author=writer, title="Unfinished draft")
    _viewed(read_a_lot, by=3, team=team)
    _viewed(read_once, by=1, days_ago=29, team=team)
    _viewed(quiet, by=5, days_ago=31, team=team)  # too long ago to count
    _viewed(elsewhere, by=9, team=other_team)  # not this team's reading
    _viewed(secret, by=9, team=team)
    ArticleView.objects.create(article=draft, user=writer, day=timezone.localdate())

    body = agent_client.get("/").content.decode()

    popular = _section(body, "popular-h")
    assert "Popular in your team" in popular
    assert popular.index("Read a lot") < popular.index("Read once")
    assert "3 views in 30 days" in popular
    assert "1 view in 30 days" in popular
    for absent in ("Quiet article", "Read by another team"):
        assert absent not in popular
    # Nothing read yet: the most recently updated articles anywhere.
    recent = _section(body, "recently-updated-h")
    assert "Recently updated" in recent
    for article in (quiet, read_a_lot, read_once):
        assert article.get_absolute_url() in recent
    for hidden in (secret, draft):
        assert hidden.get_absolute_url() not in body
        assert hidden.title not in body


def test_home_recommends_recent_updates_in_the_categories_i_read(
    agent_client, agent, writer, editor
):
    pay = Category.objects.create(name="Pay", slug="pay")
    refunds = Category.objects.create(name="Refunds", slug="refunds", parent=pay)
    shipping = Category.objects.create(name="Shipping", slug="shipping")
    opened = make_article(author=writer, title="Opened", category=refunds, approved_by=editor)
    sibling = make_article(author=writer, title="Same topic", category=refunds, approved_by=editor)
    other = make_article(author=writer, title="Other topic", category=shipping, approved_by=editor)
    ArticleView.objects.create(article=opened, user=agent, day=timezone.localdate())

    section = _section(agent_client.get("/").content.decode(), "recently-updated-h")

    assert "Updated in topics you read" in section
    assert sibling.get_absolute_url() in section
    assert other.get_absolute_url() not in section


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


def test_empty_home_says_what_to_do(agent_client):
    body = agent_client.get("/").content.decode()
    assert "Write the first one" in _section(body, "recently-updated-h")
    assert "Nothing has been read in the last 30 days" in _section(body, "popular-h")
    assert "No kudos in the last 30 days yet" in _section(body, "kudos-h")
    assert "No sessions planned yet" in _section(body, "sessions-h")


def test_home_shows_kudos_received_lately_the_allowance_left_and_badges(
    agent_client, agent, mentor, outsider
):
    make_kudos(mentor, agent, message="Thanks for the refund help", points=10)
    make_kudos(mentor, agent, message="From long ago", created_at=timezone.now() - timedelta(40))
    make_kudos(outsider, mentor, message="Not for the agent")
    make_kudos(agent, mentor, points=15)  # spends the agent's allowance
    BadgeAward.objects.create(user=agent, badge=Badge.objects.order_by("order").first())

    section = _section(agent_client.get("/").content.decode(), "kudos-h")

    assert "Thanks for the refund help" in section
    assert "From long ago" not in section
    assert "Not for the agent" not in section
    allowance = settings.RECOGNITION_MONTHLY_ALLOWANCE
    assert f"<strong>{allowance - 15}</strong> of {allowance} points left" in section
    assert Badge.objects.order_by("order").first().name in section


def test_home_lists_upcoming_sessions_the_reader_may_see(agent_client, agent, writer, other_team):
    going = make_session(organiser=writer, title="Refund war stories", days=2)
    SessionSignup.objects.create(session=going, user=agent, status="confirmed")
    hidden = make_session(organiser=writer, title="Tech only", days=1, visibility="teams")
    hidden.teams.set([other_team])
    past = make_session(organiser=writer, title="Over already", days=-2)

    section = _section(agent_client.get("/").content.decode(), "sessions-h")

    assert going.get_absolute_url() in section
    assert "You're going" in section
    assert hidden.get_absolute_url() not in section
    assert past.get_absolute_url() not in section


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
