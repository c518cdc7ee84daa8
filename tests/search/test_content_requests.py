"""Content requests: an editor turns a failed search into work for someone; once the article
that answers it is published, everyone who searched for it (and may read it) hears once."""

from __future__ import annotations

import pytest

from kb.services import article_approve, article_submit
from notifications.models import Notification
from search import services
from search.models import ContentRequest, SearchLog
from search.tasks import content_requests_fulfil
from tests.search.pages import page_text, parse

QUERY = "gift card balance"


def _post_request(client, owner, query=QUERY, **extra):
    data = {"query": query, "title": "Check a gift card balance", "owner": owner.pk, **extra}
    return client.post("/search/requests/new/", data)


@pytest.fixture
def open_request(client, editor, mentor) -> ContentRequest:
    client.force_login(editor)
    assert _post_request(client, mentor).status_code == 302
    client.logout()
    return ContentRequest.objects.get()


@pytest.fixture
def searchers(db, agent, outsider, editor):
    """Three people searched for the query (the agent twice); the outsider is in another team."""
    for person in (agent, agent, outsider, editor):
        SearchLog.objects.create(
            user=person, team=person.team, query=QUERY, normalized=QUERY, result_count=0
        )
    return {"agent": agent, "outsider": outsider, "editor": editor}


def _answers(**filters):
    return Notification.objects.filter(kind="search.answered", **filters)


# --- creating --------------------------------------------------------------------------------


def test_editor_creates_a_request_from_a_failed_search_and_the_owner_hears(
    client, editor, mentor, agent
):
    client.force_login(editor)
    form = client.get("/search/requests/new/", {"query": QUERY})
    assert form.status_code == 200
    assert parse(form).find("input", name="query").attrs.get("value") == QUERY
    response = _post_request(client, mentor, query="  Gift Card  BALANCE ", note="Seven searches")
    assert response.status_code == 302
    request = ContentRequest.objects.get()
    assert (request.query, request.owner, request.created_by, request.status) == (
        QUERY, mentor, editor, "open",
    )  # fmt: skip
    told = Notification.objects.get(recipient=mentor)
    assert (told.kind, told.url) == ("search.request", request.get_absolute_url())
    client.force_login(mentor)
    assert "Check a gift card balance" in page_text(client.get("/search/requests/"))
    client.force_login(agent)  # not theirs
    assert "Check a gift card balance" not in page_text(client.get("/search/requests/"))


@pytest.mark.parametrize("query", [QUERY, "Gift card   Balance"])
def test_a_second_open_request_for_the_same_search_is_refused(
    client, editor, agent, open_request, query
):
    client.force_login(editor)
    response = _post_request(client, agent, query=query)
    assert response.status_code == 400
    assert "already an open request for this search" in page_text(response)
    assert ContentRequest.objects.count() == 1
    assert not Notification.objects.filter(recipient=agent).exists()


def test_after_a_decline_the_search_can_be_requested_again(client, editor, agent, open_request):
    client.force_login(editor)
    client.post(f"/search/requests/{open_request.pk}/decline/", {"note": "Not ours"})
    assert _post_request(client, agent).status_code == 302
    assert ContentRequest.objects.filter(status="open").count() == 1


@pytest.mark.parametrize("who", ["agent", "mentor", "manager", "outsider"])
def test_only_editors_create_requests(client, request, agent, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/search/requests/new/", {"query": QUERY}).status_code == 403
    assert _post_request(client, agent).status_code == 403
    assert not ContentRequest.objects.exists()


def test_a_request_needs_a_title_and_an_owner(client, editor):
    client.force_login(editor)
    response = client.post("/search/requests/new/", {"query": QUERY, "title": "", "owner": ""})
    assert response.status_code == 400
    assert not ContentRequest.objects.exists()


def test_the_longest_title_and_search_still_make_a_request_and_tell_the_owner(
    client, editor, mentor
):
    """The owner's notification quotes the title and the search: at their longest, with a
    long name, its text passed Notification.message's 500 characters (a 500, nothing saved)."""
    editor.display_name = "E" * 100
    editor.save()
    client.force_login(editor)
    query = ("refund " * 40)[:200].strip()
    response = _post_request(client, mentor, query=query, title="T" * 200)
    assert response.status_code == 302
    assert ContentRequest.objects.get().title == "T" * 200
    told = Notification.objects.get(recipient=mentor, kind="search.request")
    assert len(told.message) <= Notification._meta.get_field("message").max_length
    assert told.message.startswith("E" * 100 + " asks you to write: “TTTTTTTTTT")


# --- answering -------------------------------------------------------------------------------


def test_searchers_who_may_read_the_article_hear_once_it_is_published(
    client, mentor, editor, team, write, open_request, searchers
):
    article = write(
        "Gift card balance", "Open the wallet tab.", publish=False, author=mentor,
        visibility="teams", teams=[team],
    )  # fmt: skip
    client.force_login(mentor)
    url = f"http://testserver{article.get_absolute_url()}"
    response = client.post(f"/search/requests/{open_request.pk}/link/", {"article": url})
    assert response.status_code == 302
    open_request.refresh_from_db()
    assert (open_request.article, open_request.status) == (article, "open")
    assert services.content_requests_fulfil_due() == 0  # not published yet
    assert not _answers().exists()
    article_submit(article=article, user=mentor)
    article_approve(article=article, editor=editor)
    assert services.content_requests_fulfil_due() == 2
    assert content_requests_fulfil() == 0  # the beat task, again: nobody twice
    assert services.content_request_fulfil(request_id=open_request.pk) == 0
    told = sorted(_answers().values_list("recipient__username", flat=True))
    assert told == ["agent", "editor"]  # the outsider may not read it
    assert _answers(recipient=searchers["agent"]).get().url == article.get_absolute_url()
    open_request.refresh_from_db()
    assert open_request.status == "answered"
    assert open_request.answered_at is not None
    assert "Answered" in page_text(client.get("/search/requests/"))


def test_linking_a_published_article_by_slug_tells_searchers_at_once(
    client, mentor, corpus, open_request, searchers, django_capture_on_commit_callbacks
):
    client.force_login(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/search/requests/{open_request.pk}/link/", {"article": corpus["invoice"].slug}
        )
    assert response.status_code == 302
    assert sorted(_answers().values_list("recipient__username", flat=True)) == [
        "agent", "editor", "outsider",
    ]  # fmt: skip
    assert services.content_requests_fulfil_due() == 0
    assert _answers().count() == 3


@pytest.mark.parametrize(
    "address",
    [
        "{slug}",
        " {slug} ",
        "/kb/a/{slug}/",
        "http://testserver/kb/a/{slug}",
        "http://testserver/kb/a/{slug}/?from=search",
        "http://testserver/kb/a/{slug}/#feedback",
    ],
)
def test_the_article_may_be_given_by_slug_or_by_any_form_of_its_address(
    client, mentor, corpus, open_request, address
):
    client.force_login(mentor)
    value = address.format(slug=corpus["invoice"].slug)
    response = client.post(f"/search/requests/{open_request.pk}/link/", {"article": value})
    assert response.status_code == 302, value
    open_request.refresh_from_db()
    assert open_request.article == corpus["invoice"]


@pytest.mark.parametrize("which", ["missing", "restricted", "archived", "other-draft"])
def test_linking_an_article_the_owner_cannot_open_is_refused(
    client, outsider, editor, hidden, which
):
    request = services.content_request_create(
        user=editor, query=QUERY, title="Gift cards", owner=outsider
    )
    target = {"missing": "no-such-article", "other-draft": hidden["draft"].slug}
    value = target.get(which) or hidden[which].get_absolute_url()
    client.force_login(outsider)
    response = client.post(f"/search/requests/{request.pk}/link/", {"article": value})
    assert response.status_code == 400
    assert "No article you can open has that address." in page_text(response)
    request.refresh_from_db()
    assert (request.article, request.status) == (None, "open")


def test_declining_needs_a_reason(client, mentor, open_request):
    client.force_login(mentor)
    for note in ("", "   "):
        response = client.post(f"/search/requests/{open_request.pk}/decline/", {"note": note})
        assert response.status_code == 400
        assert "This field is required." in page_text(response)
        open_request.refresh_from_db()
        assert open_request.status == "open"
    response = client.post(
        f"/search/requests/{open_request.pk}/decline/", {"note": "Gift cards are discontinued."}
    )
    assert response.status_code == 302
    open_request.refresh_from_db()
    assert (open_request.status, open_request.note) == ("declined", "Gift cards are discontinued.")


def test_a_closed_request_cannot_be_linked_or_declined_again(client, mentor, corpus, open_request):
    client.force_login(mentor)
    client.post(f"/search/requests/{open_request.pk}/decline/", {"note": "No"})
    response = client.post(
        f"/search/requests/{open_request.pk}/link/", {"article": corpus["invoice"].slug}
    )
    assert response.status_code == 400
    assert "This request is already closed." in page_text(response)
    open_request.refresh_from_db()
    assert (open_request.status, open_request.article) == ("declined", None)


def test_another_agent_cannot_act_on_someone_elses_request(client, agent, corpus, open_request):
    client.force_login(agent)
    link = client.post(
        f"/search/requests/{open_request.pk}/link/", {"article": corpus["invoice"].slug}
    )
    decline = client.post(f"/search/requests/{open_request.pk}/decline/", {"note": "Mine now"})
    assert (link.status_code, decline.status_code) == (404, 404)
    assert client.post("/search/requests/999999/decline/", {"note": "x"}).status_code == 404
    open_request.refresh_from_db()
    assert (open_request.status, open_request.article, open_request.note) == ("open", None, "")


def test_an_editor_may_act_on_any_request(client, editor, corpus, open_request):
    client.force_login(editor)
    response = client.post(
        f"/search/requests/{open_request.pk}/link/", {"article": corpus["invoice"].slug}
    )
    assert response.status_code == 302
    open_request.refresh_from_db()
    assert open_request.article == corpus["invoice"]
