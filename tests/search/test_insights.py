"""The insights page: what people search for, what found nothing, what nobody opened, and how
each changed since the period before. Editors only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from search.models import ContentRequest, SearchLog, normalize_query
from tests.factories import UserFactory
from tests.search.pages import active_period, insight_rows, links, parse


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


def _insights(client, **params):
    response = client.get("/search/insights/", params)
    assert response.status_code == 200
    return response


def test_top_searches_with_people_opened_and_trend(editor_client, searches):
    response = _insights(editor_client)
    top = insight_rows(response, "top")
    assert list(top) == ["refund", "gift card", "customs", "last week", "loyalty points"]
    assert top["refund"] == ("5", "1", "2", "↑ 3")  # 5 now, 2 before
    assert top["gift card"] == ("3", "1", "0", "=")  # 3 now, 3 before
    assert top["customs"] == ("2", "0", "0", "↓ 2")  # 2 now, 4 before
    assert top["loyalty points"][3] == "new"
    assert "ancient" not in parse(response).text()


def test_searches_that_found_nothing(editor_client, searches):
    zero = insight_rows(_insights(editor_client), "zero")
    assert list(zero) == ["gift card", "last week", "loyalty points"]
    assert zero["gift card"][3] == "="


def test_searches_whose_results_nobody_opened(editor_client, searches):
    unopened = insight_rows(_insights(editor_client), "unopened")
    assert list(unopened) == ["customs"]
    assert unopened["customs"] == ("2", "0", "0", "↓ 2")


def test_a_gap_links_to_a_new_request_or_to_the_open_one(editor_client, editor, searches):
    new_request = "/search/requests/new/?query=gift%20card"
    assert ("Request an article", new_request) in links(_insights(editor_client))
    request = ContentRequest.objects.create(
        query="gift card", title="Gift cards", owner=editor, created_by=editor
    )
    shown = links(_insights(editor_client))
    assert ("Requested", f"/search/requests/#request-{request.pk}") in shown
    assert new_request not in {href for _, href in shown}


def test_a_seven_day_period_compares_with_the_seven_days_before(editor_client, searches):
    response = _insights(editor_client, days=7)
    assert active_period(response) == "7 days"
    top = insight_rows(response, "top")
    assert list(top) == ["refund", "gift card", "last week"]
    assert top["refund"] == ("5", "1", "2", "new")
    assert top["gift card"] == ("1", "1", "0", "↓ 1")  # days 6 now; 7 and 8 before


def test_a_ninety_day_period_reaches_further_back(editor_client, searches):
    top = insight_rows(_insights(editor_client, days=90), "top")
    assert top["refund"][:3] == ("7", "2", "2")
    assert top["ancient"] == ("1", "0", "0", "new")


@pytest.mark.parametrize("days", ["", "abc", "5", "365", "0", "-7", "7.0"])
def test_an_invalid_period_falls_back_to_thirty_days(editor_client, searches, days):
    response = _insights(editor_client, days=days)
    assert active_period(response) == "30 days"
    assert insight_rows(response, "top")["refund"][0] == "5"


def test_an_empty_period_says_so(editor_client):
    empty = parse(_insights(editor_client)).find_all("p", class_="muted")
    assert [p.text() for p in empty] == ["None in this period."] * 3


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
