"""Recognition's panel on an article's page (kb's `article_panels` hook): how many colleagues
thanked the author for it (distinct givers of kudos that count), the latest thanks, and the
"Thank the author" button prefilled with its owner and author, never the viewer. One query."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from kb.hooks import article_panels
from kb.models import Article
from recognition.article_panels import thanks
from recognition.models import Kudos
from tests.factories import UserFactory, make_article
from tests.recognition.builders import make_kudos
from tests.search.pages import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(agent, editor):
    return make_article(author=agent, title="Refunds for annual plans", approved_by=editor)


def _panel(viewer, article):
    return thanks(viewer, article)


def _thank_link(panel) -> dict[str, list[str]]:
    url = urlsplit(panel.context["give_url"])
    assert url.path == "/kudos/give/"
    return parse_qs(url.query)


def test_it_counts_distinct_givers_of_kudos_that_count(article, agent, mentor, manager):
    make_kudos(mentor, agent, article=article)
    make_kudos(mentor, agent, article=article)  # the same colleague again: still one
    make_kudos(manager, agent, article=article)
    make_kudos(UserFactory(), agent, article=article, status=Kudos.Status.REPORTED)
    make_kudos(UserFactory(), agent, article=article, status=Kudos.Status.REMOVED)
    make_kudos(UserFactory(), agent)  # for no article

    panel = _panel(mentor, article)

    assert panel.context["count"] == 2
    assert all(k.status == Kudos.Status.VISIBLE for k in panel.context["latest"])


def test_it_quotes_the_latest_two_that_count(article, agent, mentor, manager):
    make_kudos(mentor, agent, article=article, message="First thanks")
    make_kudos(manager, agent, article=article, message="Second thanks")
    make_kudos(mentor, agent, article=article, message="Third thanks")
    make_kudos(manager, agent, article=article, message="Hidden", status=Kudos.Status.REPORTED)

    panel = _panel(mentor, article)

    assert [k.message for k in panel.context["latest"]] == ["Third thanks", "Second thanks"]


def test_with_no_thanks_it_invites_the_first(article, mentor):
    panel = _panel(mentor, article)
    assert (panel.context["count"], panel.context["latest"]) == (0, [])
    assert panel.context["give_url"]


def test_thank_the_author_prefills_owner_author_and_article(article, agent, mentor, manager):
    article.owner = manager
    article.save(update_fields=["owner"])

    link = _thank_link(_panel(mentor, article))

    assert link["to"] == ["manager,agent"]
    assert link["article"] == [article.slug]
    assert link["next"] == [article.get_absolute_url()]


def test_the_viewer_is_never_among_those_thanked(article, agent, manager):
    article.owner = manager
    article.save(update_fields=["owner"])
    assert _thank_link(_panel(agent, article))["to"] == ["manager"]
    # The author who also owns it has nobody to thank: no button.
    article.owner = agent
    article.save(update_fields=["owner"])
    assert _panel(agent, article).context["give_url"] == ""


def test_an_inactive_author_is_not_prefilled(article, agent, mentor, manager):
    article.owner = manager
    article.save(update_fields=["owner"])
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    article = Article.objects.select_related("owner", "author").get(pk=article.pk)
    assert _thank_link(_panel(mentor, article))["to"] == ["manager"]


def test_there_is_no_panel_on_an_unpublished_article(agent, mentor):
    draft = make_article(author=agent, title="Not yet")
    assert _panel(mentor, draft) is None


def test_the_panel_reads_one_query(article, agent, mentor, django_assert_num_queries):
    for _ in range(5):
        make_kudos(UserFactory(), agent, article=article)
    with django_assert_num_queries(1):
        panel = _panel(mentor, article)
    assert panel.context["count"] == 5


def test_kb_finds_the_panel_through_its_hook(article, mentor):
    (panel,) = [p for p in article_panels(viewer=mentor, article=article)
                if p.template == "recognition/includes/article_thanks.html"]  # fmt: skip
    assert panel.context["article"] == article


def test_the_article_page_shows_the_thanks(client, article, agent, mentor, manager):
    make_kudos(manager, agent, article=article, message="Saved my <b>shift</b>, https://x.example")
    client.force_login(mentor)

    page = parse(client.get(article.get_absolute_url()))

    box = page.find("section", class_="article-thanks")
    assert "1 colleague thanked the author for this." in box.text()
    quote = box.find("blockquote")
    assert "Saved my <b>shift</b>" in quote.text()  # shown as typed, not as markup
    assert quote.find("b") is None
    assert quote.find("a").attrs["href"] == "https://x.example"
    button = box.find("a", class_="button")
    assert button.text() == "Thank the author"
    assert button.attrs["href"].startswith("/kudos/give/?to=agent&article=")


def test_a_restricted_article_s_thanks_show_only_to_its_readers(
    client, agent, mentor, outsider, editor, team
):
    restricted = make_article(
        author=agent, title="Team only", approved_by=editor,
        visibility=Article.Visibility.TEAMS, teams=[team],
    )  # fmt: skip
    make_kudos(mentor, agent, article=restricted, message="Great team notes")
    client.force_login(outsider)
    response = client.get(restricted.get_absolute_url())
    assert response.status_code == 404
    assert "Great team notes" not in response.content.decode()
