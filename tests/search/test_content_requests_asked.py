"""Content requests from anyone: a search that found nothing offers "Ask for an article on
this"; the request lands unassigned on the editors' triage list, an editor gives it an
owner (told once), and the askers hear when it is answered or declined."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from kb.services import article_approve, article_submit
from notifications.models import Notification
from search import services
from search.models import ContentRequest, ContentRequestAsk, SearchLog
from tests.concurrency import run_in_threads
from tests.factories import UserFactory
from tests.search.pages import page_text, parse

QUERY = "gift card balance"


def _ask(client, query=QUERY, **extra):
    return client.post("/search/requests/ask/", {"query": query, **extra})


def _search(client, q=QUERY):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response


@pytest.fixture
def asked(client, agent) -> ContentRequest:
    """The agent searched for QUERY, found nothing and asked for an article on it."""
    client.force_login(agent)
    _search(client)
    assert _ask(client, details="A customer asked twice today").status_code == 302
    client.logout()
    return ContentRequest.objects.get()


# --- asking ----------------------------------------------------------------------------------


def test_a_search_that_found_nothing_offers_to_ask(client, agent, search_index):
    client.force_login(agent)
    form = parse(_search(client)).find("form", action="/search/requests/ask/")
    assert form is not None
    assert form.find("input", name="query").attrs["value"] == QUERY
    assert form.find("button").text() == "Ask for an article on this"
    assert form.find("label").text().startswith("Details (optional)")


def test_a_search_that_found_something_does_not_offer_it(client, agent, corpus):
    client.force_login(agent)
    assert parse(_search(client, "refund")).find("form", action="/search/requests/ask/") is None


def test_asking_makes_an_unassigned_request_with_the_asker(client, agent, search_index):
    client.force_login(agent)
    _search(client)
    response = _ask(client, query="Gift card  balance", details="  A customer asked  ")
    request = ContentRequest.objects.get()
    assert response.status_code == 302
    assert response.url == f"/search/requests/#request-{request.pk}"
    assert (request.query, request.title, request.owner, request.created_by, request.status) == (
        QUERY, "Gift card balance", None, agent, "open",
    )  # fmt: skip
    assert list(request.requested_by.all()) == [agent]
    assert request.asks.get().details == "A customer asked"
    page = client.get(response.url)
    assert "your request is on the editors' list" in page_text(page)
    card = parse(page).find("li", id=f"request-{request.pk}")
    assert "You asked" in card.text()
    assert "no owner yet" in card.text()
    assert card.find("form", action=f"/search/requests/{request.pk}/link/") is None  # not theirs


def test_asking_again_changes_nothing(client, agent, asked):
    client.force_login(agent)
    response = _ask(client, query="GIFT card balance")
    assert response.status_code == 302
    assert ContentRequestAsk.objects.count() == 1
    assert "You asked for this already" in page_text(client.get(response.url))
    assert "You asked for one already" in page_text(_search(client))


def test_a_second_asker_adds_to_the_open_request(client, mentor, agent, asked):
    client.force_login(mentor)
    search = page_text(_search(client))
    assert "Colleagues asked for one already" in search
    assert _ask(client).status_code == 302
    assert ContentRequest.objects.count() == 1
    assert set(asked.requested_by.all()) == {agent, mentor}
    assert "asked by" in page_text(client.get("/search/requests/"))


def test_after_a_decline_the_topic_can_be_asked_again(client, editor, mentor, asked):
    services.content_request_decline(user=editor, content_request=asked, note="Not ours")
    client.force_login(mentor)
    assert _ask(client).status_code == 302
    assert ContentRequest.objects.filter(status="open").count() == 1
    assert ContentRequest.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"query": ""}, "Ask from a search: its words are missing"),
        ({"query": "   "}, "Ask from a search: its words are missing"),
        ({}, "Ask from a search: its words are missing"),
        ({"query": "x" * 201}, "longer than 200 characters"),
        ({"query": QUERY, "details": "d" * 2001}, "Details: Ensure this value has at most 2000"),
        ({"query": "gift\x07card"}, "Use a single line without control characters"),
    ],
)
def test_bad_asks_are_refused_with_a_message_and_store_nothing(client, agent, data, message):
    client.force_login(agent)
    response = client.post("/search/requests/ask/", data)
    assert response.status_code == 400
    assert message in page_text(response)
    assert not ContentRequest.objects.exists()
    assert not ContentRequestAsk.objects.exists()


def test_asking_needs_a_post(client, agent):
    client.force_login(agent)
    assert client.get("/search/requests/ask/", {"query": QUERY}).status_code == 405
    assert not ContentRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_people_asking_at_once_make_one_request(team):
    people = [UserFactory(team=team) for _ in range(6)]
    results = run_in_threads(
        lambda i: services.content_request_ask(user=people[i], query=QUERY)[1], len(people)
    )
    assert results == [True] * len(people)
    request = ContentRequest.objects.get()
    assert request.asks.count() == len(people)


@pytest.mark.django_db(transaction=True)
def test_one_person_asking_twice_at_once_asks_once(team):
    person = UserFactory(team=team)
    results = run_in_threads(lambda i: services.content_request_ask(user=person, query=QUERY)[1], 4)
    assert sorted(results) == [False, False, False, True]
    assert ContentRequestAsk.objects.count() == 1


# --- triage ----------------------------------------------------------------------------------


def test_unassigned_requests_lead_the_editors_list(client, editor, mentor, asked):
    assigned = services.content_request_create(
        user=editor, query="vpn token", title="Reset a VPN token", owner=mentor
    )
    client.force_login(editor)
    page = parse(client.get("/search/requests/"))
    triage = page.find("section", aria_labelledby="unassigned-h")
    assert triage.find("li", id=f"request-{asked.pk}") is not None
    assert triage.find("li", id=f"request-{assigned.pk}") is None
    assert "A customer asked twice today" in triage.text()
    only = parse(client.get("/search/requests/", {"show": "unassigned"}))
    assert only.find("li", id=f"request-{asked.pk}") is not None
    assert only.find("li", id=f"request-{assigned.pk}") is None


def test_an_editor_assigns_an_owner_who_is_told_once(client, editor, mentor, asked):
    client.force_login(editor)
    for _ in range(2):
        response = client.post(f"/search/requests/{asked.pk}/assign/", {"owner": "mentor"})
        assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.owner == mentor
    told = Notification.objects.get(recipient=mentor, kind="search.request")
    assert told.url == asked.get_absolute_url()
    assert "Gift card balance" in told.message
    client.force_login(mentor)
    card = parse(client.get("/search/requests/")).find("li", id=f"request-{asked.pk}")
    assert card.find("form", action=f"/search/requests/{asked.pk}/link/") is not None


@pytest.mark.parametrize("owner", ["", "nobody-here", "gone", "x" * 151])
def test_assigning_to_someone_who_cannot_sign_in_is_refused(client, editor, asked, owner):
    UserFactory(username="gone", is_active=False)
    client.force_login(editor)
    response = client.post(f"/search/requests/{asked.pk}/assign/", {"owner": owner})
    assert response.status_code == 400
    asked.refresh_from_db()
    assert asked.owner is None
    assert not Notification.objects.filter(kind="search.request").exists()


@pytest.mark.parametrize("who", ["agent", "mentor", "manager"])
def test_only_editors_assign(client, request, asked, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(f"/search/requests/{asked.pk}/assign/", {"owner": who})
    assert response.status_code == 403
    asked.refresh_from_db()
    assert asked.owner is None


def test_a_closed_request_cannot_be_assigned(client, editor, mentor, asked):
    services.content_request_decline(user=editor, content_request=asked, note="Not ours")
    client.force_login(editor)
    response = client.post(f"/search/requests/{asked.pk}/assign/", {"owner": "mentor"})
    assert response.status_code == 400
    assert "already closed" in page_text(response)


def test_an_asker_cannot_act_on_the_request(client, agent, corpus, asked):
    client.force_login(agent)
    link = client.post(f"/search/requests/{asked.pk}/link/", {"article": corpus["invoice"].slug})
    decline = client.post(f"/search/requests/{asked.pk}/decline/", {"note": "Mine"})
    assert (link.status_code, decline.status_code) == (403, 403)
    asked.refresh_from_db()
    assert (asked.status, asked.article) == ("open", None)


def test_write_it_opens_the_new_article_form_with_the_title_and_a_way_back(client, editor, asked):
    client.force_login(editor)
    card = parse(client.get("/search/requests/")).find("li", id=f"request-{asked.pk}")
    write = next(a for a in card.find_all("a") if a.text() == "Write it")
    url = urlsplit(write.attrs["href"])
    assert url.path == "/kb/new/"
    assert parse_qs(url.query) == {
        "title": ["Gift card balance"],
        "back": [f"/search/requests/#request-{asked.pk}"],
    }


# --- answers ---------------------------------------------------------------------------------


def test_askers_hear_once_when_it_is_answered(
    client, agent, mentor, outsider, editor, team, write, asked
):
    for person in (mentor, outsider):
        services.content_request_ask(user=person, query=QUERY)
    # The mentor also searched: one notification all the same.
    SearchLog.objects.create(user=mentor, query=QUERY, normalized=QUERY, result_count=0)
    services.content_request_assign(user=editor, content_request=asked, owner=mentor)
    asked.refresh_from_db()
    article = write("Gift card balance", "Open the wallet tab.", publish=False, author=mentor,
                    visibility="teams", teams=[team])  # fmt: skip
    services.content_request_link(user=mentor, content_request=asked, article=article)
    article_submit(article=article, user=mentor)
    article_approve(article=article, editor=editor)
    services.content_requests_fulfil_due()
    services.content_requests_fulfil_due()
    answered = Notification.objects.filter(kind="search.answered")
    assert sorted(answered.values_list("recipient__username", flat=True)) == ["agent", "mentor"]
    assert answered.get(recipient=agent).message.startswith(
        "You asked for an article on “gift card balance”."
    )
    assert answered.get(recipient=agent).url == article.get_absolute_url()


def test_askers_hear_when_it_is_declined(client, agent, editor, asked):
    client.force_login(editor)
    client.post(f"/search/requests/{asked.pk}/decline/", {"note": "Gift cards are gone."})
    told = Notification.objects.get(recipient=agent, kind="search.declined")
    assert "will not be written: Gift cards are gone." in told.message


# --- query counts ----------------------------------------------------------------------------

# Measured, the same at both sizes: session, user, roles (3); the requests with owner, creator,
# article and revision joined (1); who asked for them (1); the owners to suggest (1).
TRIAGE_LIMIT = 6


@pytest.mark.parametrize("size", [2, 12])
def test_triage_list_query_count_is_constant(
    client, editor, team, size, django_assert_max_num_queries
):
    for i in range(size):
        first, second = UserFactory(team=team), UserFactory(team=team)
        services.content_request_ask(user=first, query=f"question {i}", details="Please")
        services.content_request_ask(user=second, query=f"question {i}")
    client.force_login(editor)
    with django_assert_max_num_queries(TRIAGE_LIMIT):
        response = client.get("/search/requests/")
    assert response.status_code == 200
    assert response.content.decode().count('<li class="card" id="request-') == size
    assert response.content.decode().count("and 1 other") == size


@pytest.mark.parametrize("size", [2, 12])
def test_zero_result_search_page_query_count_is_constant(
    client, agent, team, search_index, size, django_assert_max_num_queries
):
    for i in range(size):
        services.content_request_ask(user=UserFactory(team=team), query=f"question {i}")
    services.content_request_ask(user=UserFactory(team=team), query=QUERY)
    client.force_login(agent)
    # The search page's own (session, user, roles, synonym groups, the log) and the open
    # request for the search with whether the reader asked (1).
    with django_assert_max_num_queries(7):
        response = _search(client)
    assert "Colleagues asked for one already" in page_text(response)
