"""The insights page: what people search for, what found nothing, what nobody opened, and how
each changed since the period before. Editors only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from search.models import ContentRequest, SearchLog, normalize_query
from tests.factories import UserFactory


def _log(query, days_ago, *, results=3, opened=False, user=None):
    when = timezone.now() - timedelta(days=days_ago)
    return SearchLog(
        user=user, query=query, normalized=normalize_query(query), result_count=results,
        opened_at=when if opened else None, created_at=when,
    )  # fmt: skip


@pytest.fixture
def searches(db, agent, outsider):
    """(query, searches in the last 30 days, in the 30 before): see the rows below."""
    logs = [
        *(_log("Refund", d, opened=d < 3, user=agent) for d in (1, 2, 3, 4, 5)),
        *(_log("refund", d, user=outsider) for d in (40, 50)),  # previous period: 2
        *(_log("gift card", d, results=0, user=outsider) for d in (6, 7, 8, 35, 36, 37)),
        *(_log("customs", d, results=4) for d in (10, 11)),
        *(_log("customs", d, results=4) for d in (31, 32, 33, 34)),
        _log("loyalty points", 20, results=0),
        _log("ancient", 75),  # before both periods
        _log("last week", 3, results=0),
    ]
    SearchLog.objects.bulk_create(logs)


def _rows(html, section) -> dict[str, tuple[str, ...]]:
    """{query: (searches, people, opened, trend text)} of one section of the page."""
    block = html.split(f'aria-labelledby="insights-{section}"', 1)[1].split("</section>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>\s*<td><a .*?</tr>", block, re.S):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        query = re.search(r">([^<]*)</a>", cells[0]).group(1)
        trend = re.sub(r"<span class=\"visually-hidden\">.*?</span>|<[^>]+>", "", cells[4])
        rows[query] = (cells[1], cells[2], cells[3], " ".join(trend.split()))
    return rows


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.parametrize(
    ("who", "status"), [("agent", 403), ("manager", 403), ("outsider", 403), ("editor", 200)]
)
def test_insights_are_for_editors(client, request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/search/insights/").status_code == status


def test_top_searches_with_people_opened_and_trend(editor_client, searches):
    html = editor_client.get("/search/insights/").content.decode()
    top = _rows(html, "top")
    assert list(top) == ["refund", "gift card", "customs", "last week", "loyalty points"]
    assert top["refund"] == ("5", "1", "2", "↑ 3")  # 5 now, 2 before
    assert top["gift card"] == ("3", "1", "0", "=")  # 3 now, 3 before
    assert top["customs"] == ("2", "0", "0", "↓ 2")  # 2 now, 4 before
    assert top["loyalty points"][3] == "new"
    assert "ancient" not in html


def test_searches_that_found_nothing(editor_client, searches):
    zero = _rows(editor_client.get("/search/insights/").content.decode(), "zero")
    assert list(zero) == ["gift card", "last week", "loyalty points"]
    assert zero["gift card"][3] == "="


def test_searches_whose_results_nobody_opened(editor_client, searches):
    unopened = _rows(editor_client.get("/search/insights/").content.decode(), "unopened")
    assert list(unopened) == ["customs"]
    assert unopened["customs"] == ("2", "0", "0", "↓ 2")


def test_a_gap_links_to_a_new_request_or_to_the_open_one(editor_client, editor, searches):
    html = editor_client.get("/search/insights/").content.decode()
    assert 'href="/search/requests/new/?query=gift%20card"' in html
    request = ContentRequest.objects.create(
        query="gift card", title="Gift cards", owner=editor, created_by=editor
    )
    html = editor_client.get("/search/insights/").content.decode()
    assert f'href="/search/requests/#request-{request.pk}">Requested</a>' in html
    assert "/search/requests/new/?query=gift%20card" not in html


def test_a_seven_day_period_compares_with_the_seven_days_before(editor_client, searches):
    html = editor_client.get("/search/insights/", {"days": 7}).content.decode()
    assert '<strong aria-current="true">7 days</strong>' in html
    top = _rows(html, "top")
    assert list(top) == ["refund", "gift card", "last week"]
    assert top["refund"] == ("5", "1", "2", "new")
    assert top["gift card"] == ("1", "1", "0", "↓ 1")  # days 6 now; 7 and 8 before


def test_a_ninety_day_period_reaches_further_back(editor_client, searches):
    top = _rows(editor_client.get("/search/insights/", {"days": 90}).content.decode(), "top")
    assert top["refund"][:3] == ("7", "2", "2")
    assert top["ancient"] == ("1", "0", "0", "new")


@pytest.mark.parametrize("days", ["", "abc", "5", "365", "0", "-7", "7.0"])
def test_an_invalid_period_falls_back_to_thirty_days(editor_client, searches, days):
    response = editor_client.get("/search/insights/", {"days": days})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<strong aria-current="true">30 days</strong>' in html
    assert _rows(html, "top")["refund"][0] == "5"


def test_an_empty_period_says_so(editor_client):
    html = editor_client.get("/search/insights/").content.decode()
    assert html.count("None in this period.") == 3


# Measured: 7 (session, user and the page's frame; one per section; the open requests), the
# same at both sizes.
INSIGHTS_QUERIES = 7


@pytest.mark.parametrize("size", [3, 40])
def test_insights_query_count_is_constant(editor_client, size, django_assert_max_num_queries):
    people = UserFactory.create_batch(3)
    SearchLog.objects.bulk_create(
        _log(f"query {n}", n % 50, results=n % 3, opened=n % 4 == 0, user=people[n % 3])
        for n in range(size * 3)
    )
    ContentRequest.objects.create(
        query="query 1", title="Query one", owner=people[0], created_by=people[1]
    )
    with django_assert_max_num_queries(INSIGHTS_QUERIES):
        assert editor_client.get("/search/insights/").status_code == 200
