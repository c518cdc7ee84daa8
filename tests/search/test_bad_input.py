"""Whatever is typed or put in a link, the search page answers normally (or with a clear
message), never with a server error, and nothing stored changes."""

from __future__ import annotations

import pytest
from haystack import connections

from kb.models import Article, ArticleRevision
from notifications.models import Notification
from search.models import ContentRequest, SearchLog, Synonym
from tests.search.pages import (
    active_period,
    heading,
    input_errors,
    page_text,
    parse,
    result_snippets,
    result_titles,
)

SYNTAX = ['"', "*", "(", "AND", ":", "OR", "-", "~", "\\", "[", "^", ")", "NOT", "?", "'", "{"]
URLS = ("/search/", "/api/search/", "/search/suggest/")


@pytest.fixture
def reader(client, outsider):
    client.force_login(outsider)
    return client


@pytest.fixture
def unchanged(corpus, search_index):
    """Asserts, after the test, that no article, revision, synonym, request or notification
    changed and the index holds what it held."""

    def snapshot():
        return (
            list(Article.objects.values().order_by("pk")),
            ArticleRevision.objects.count(),
            Synonym.objects.count(),
            ContentRequest.objects.count(),
            Notification.objects.count(),
            search_index.live_index().doc_count(),
        )

    before = snapshot()
    yield
    assert snapshot() == before


@pytest.mark.parametrize("q", ["", "   ", "\t"])
def test_an_empty_query_shows_the_hint_and_logs_nothing(reader, unchanged, q):
    response = reader.get("/search/", {"q": q})
    assert response.status_code == 200
    assert "Type a few words about the problem" in page_text(response)
    assert reader.get("/api/search/", {"q": q}).json()["count"] == 0
    assert not SearchLog.objects.exists()


def test_a_very_long_query_gets_a_clear_message(reader, unchanged):
    q = "refund " * 1500  # 10,500 characters
    response = reader.get("/search/", {"q": q})
    assert response.status_code == 200
    assert any("at most 200 characters" in e for e in input_errors(response))
    api = reader.get("/api/search/", {"q": q})
    assert api.status_code == 200
    assert any("at most 200 characters" in e for e in api.json()["errors"])
    assert reader.get("/search/suggest/", {"q": q}).status_code == 200
    assert not SearchLog.objects.exists()


@pytest.mark.parametrize("char", SYNTAX)
def test_query_syntax_characters_are_plain_text(reader, unchanged, char):
    for url in URLS:
        for q in (char, f"refund {char}", f"{char}refund", f"refund{char}"):
            response = reader.get(url, {"q": q})
            assert response.status_code == 200, (url, q)
    # Around a real word, the word is still searched for.
    q = f"{char} refund {char}" if char.isalpha() else f"{char}refund{char}"
    titles = result_titles(reader.get("/search/", {"q": q}))
    assert titles[:1] == ["Issue a refund"]


@pytest.mark.parametrize(
    "q",
    [
        "refund AND password",
        "refund OR",
        "title:refund",
        'refund "',
        '"refund',
        '""',
        '" "',
        "refund*",
        "re?und",
        "[a TO z]",
        "refund^10",
        "don't refund",
        "e-mail refund",
        "<script>alert(1)</script>",
        "'; DROP TABLE kb_article; --",
        "日本語 refund",
    ],
)
def test_odd_queries_are_normal_searches(reader, unchanged, q):
    response = reader.get("/search/", {"q": q})
    assert response.status_code == 200
    assert not [s for s in parse(response).find_all("script") if "alert(1)" in s.text()]
    assert "<script>alert(1)</script>" not in response.content.decode()  # escaped everywhere
    api = reader.get("/api/search/", {"q": q})
    assert api.status_code == 200
    assert api.json()["errors"] == []


def test_markup_in_an_article_is_shown_as_text_in_its_snippet(reader, write, index):
    write("Refund markup", "Refund <script>alert(1)</script> <img src=x onerror=alert(2)> here.")
    index()
    response = reader.get("/search/", {"q": "refund markup"})
    snippet = result_snippets(response)[0]
    assert {element.tag for element in snippet.find_all()} == {"mark"}  # nothing else
    page = parse(response)
    assert not page.find_all("img", src="x")
    assert not [s for s in page.find_all("script") if "alert" in s.text()]
    raw = response.content.decode()  # escaped everywhere, attributes included
    assert "<script>alert" not in raw
    assert "<img src=x" not in raw


def test_a_stop_word_does_not_stop_the_other_words(reader, corpus):
    assert result_titles(reader.get("/search/", {"q": "refund and"}))[:1] == ["Issue a refund"]
    assert result_titles(reader.get("/search/", {"q": "the refund"}))[:1] == ["Issue a refund"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"type": "bogus"}, "Type: Select a valid choice"),
        ({"team": "abc"}, "Team: Select a valid choice"),
        ({"team": "999999"}, "Team: Select a valid choice"),
        ({"since": "3"}, "Updated: Select a valid choice"),
        ({"since": "abc"}, "Updated: Select a valid choice"),
        ({"category": "../../x"}, "Category: Enter a valid “slug”"),
        ({"tag": "with spaces"}, "Tag: Enter a valid “slug”"),
        ({"tag": "x" * 101}, "Tag: Ensure this value has at most 100 characters"),
        ({"sort": "price"}, "Sort by: Select a valid choice"),
    ],
)
def test_invalid_filters_are_left_out_with_a_message(reader, unchanged, params, message):
    response = reader.get("/search/", {"q": "refund", **params})
    assert response.status_code == 200
    assert any(e.startswith(message) for e in input_errors(response)), input_errors(response)
    assert heading(response) == "3 results for “refund”"  # the rest of the search ran
    api = reader.get("/api/search/", {"q": "refund", **params})
    assert api.status_code == 200
    assert api.json()["count"] == 3
    assert any(e.startswith(message.split(":")[0]) for e in api.json()["errors"])


@pytest.mark.parametrize("page", ["abc", "-1", "0", "1.5", "1e9", "99999999999999999999", "²"])
def test_invalid_page_numbers_show_a_page(reader, unchanged, page):
    response = reader.get("/search/", {"q": "refund", "page": page})
    assert response.status_code == 200
    assert len(result_titles(response)) == 3
    assert reader.get("/api/search/", {"q": "refund", "page": page}).json()["page"] == 1


def test_only_get_is_allowed(reader, unchanged):
    assert reader.post("/search/", {"q": "refund"}).status_code == 405
    assert reader.post("/api/search/", {"q": "refund"}).status_code == 405


def test_people_who_are_not_signed_in_cannot_search(client, corpus):
    assert client.get("/search/", {"q": "refund"}).status_code == 302
    assert client.get("/search/suggest/", {"q": "refund"}).status_code == 302
    assert client.get("/api/search/", {"q": "refund"}).status_code == 403


# --- numbers that str.isdigit() accepts but int() does not -----------------------------------


@pytest.mark.parametrize("days", ["²", "٣٠", "7 ", "-7", "30.0", "9" * 50])
def test_insights_period_from_a_link_never_breaks_the_page(client, editor, days):
    client.force_login(editor)
    response = client.get("/search/insights/", {"days": days})
    assert response.status_code == 200
    assert active_period(response) == "30 days"


@pytest.mark.parametrize("rank", ["²", "abc", "-1", "9" * 50])
def test_a_result_link_with_an_odd_rank_still_opens_the_article(client, outsider, corpus, rank):
    client.force_login(outsider)
    log = SearchLog.objects.create(user=outsider, query="r", normalized="r", result_count=1)
    article = corpus["refund"]
    response = client.get(f"/search/open/{log.pk}/{article.pk}/", {"rank": rank})
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    log.refresh_from_db()
    assert (log.opened_article, log.opened_rank) == (article, None)


@pytest.mark.parametrize("q", ["pasword", "refund policy"])
def test_the_first_search_of_a_new_worker_thread_works(reader, corpus, q):
    # Each thread of a threaded server gets its own search backend, not yet set up: the
    # first search it runs must set it up rather than fail.
    connections.reload("default")
    response = reader.get("/search/", {"q": q})
    assert response.status_code == 200
    assert result_titles(response)
