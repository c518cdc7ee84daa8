"""The question lists (/questions/): each tab's rows and order, the filters, what a row shows,
the figures, and bad input. A question the viewer may not read never appears nor counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kb.models import Article, Category
from questions.models import Question, Route, Vote
from tests.conftest import requires_chromium
from tests.factories import UserFactory, make_article
from tests.questions.builders import make_answer, make_question
from tests.search.pages import parse

URL = "/questions/"


def _get(client, query: str = ""):
    response = client.get(f"{URL}?{query}" if query else URL)
    assert response.status_code == 200
    return response


def _titles(response) -> list[str]:
    page = parse(response)
    return [a.text() for a in page.find_all("a", class_="question-title")]


def _ago(**delta):
    return timezone.now() - timedelta(**delta)


def _ask(author, title: str, **fields) -> Question:
    return make_question(author=author, title=title, **fields)


def _vote(question, voter, value=Vote.UP):
    return Vote.objects.create(
        voter=voter, post_author=question.author, question=question, value=value
    )


def _deflected(author, title: str, **fields) -> Question:
    answered_by = _ask(author, "The question that answered it", status="answered")
    return _ask(
        author, title, status=Question.Status.DEFLECTED, deflected_by_question=answered_by,
        **fields,
    )  # fmt: skip


@pytest.fixture
def asker(team):
    return UserFactory(username="asker", team=team)


# --- the tabs --------------------------------------------------------------------------------


def test_unanswered_lists_customer_waiting_first_then_oldest(client, agent, asker, mentor):
    _ask(asker, "Old normal question", created_at=_ago(days=3))
    _ask(asker, "New normal question", created_at=_ago(hours=1))
    _ask(asker, "Customer waiting now", urgency="customer_waiting", created_at=_ago(minutes=5))
    with_answer = _ask(asker, "Has an answer already", created_at=_ago(days=5))
    make_answer(question=with_answer, author=mentor)
    _ask(asker, "Closed without answer", status="closed")
    _deflected(asker, "Found the article while asking")
    client.force_login(agent)
    assert _titles(_get(client)) == [
        "Customer waiting now",
        "Old normal question",
        "New normal question",
    ]


def test_newest_lists_listed_questions_newest_first(client, agent, asker):
    _ask(asker, "Asked two days ago", created_at=_ago(days=2))
    _ask(asker, "Asked an hour ago", created_at=_ago(hours=1))
    _ask(asker, "Answered last week", status="answered", created_at=_ago(days=7))
    _ask(asker, "Closed yesterday", status="closed", created_at=_ago(days=1))
    _deflected(asker, "Deflected today")
    client.force_login(agent)
    titles = _titles(_get(client, "tab=newest"))
    assert titles == [
        "The question that answered it",
        "Asked an hour ago",
        "Closed yesterday",
        "Asked two days ago",
        "Answered last week",
    ]
    assert _titles(_get(client, "tab=newest&status=deflected")) == ["Deflected today"]


def test_most_voted_orders_by_score(client, agent, asker, mentor, editor):
    low = _ask(asker, "Voted down once")
    top = _ask(asker, "Voted up twice")
    _ask(asker, "Never voted on")
    _vote(low, mentor, Vote.DOWN)
    _vote(top, mentor)
    _vote(top, editor)
    client.force_login(agent)
    assert _titles(_get(client, "tab=votes")) == [
        "Voted up twice",
        "Never voted on",
        "Voted down once",
    ]


def test_mine_lists_my_questions_in_every_status(client, agent, asker):
    _ask(agent, "My open question", created_at=_ago(days=1))
    _ask(agent, "My closed question", status="closed", created_at=_ago(days=2))
    _deflected(agent, "My deflected question")
    _ask(asker, "Someone else's question")
    client.force_login(agent)
    titles = _titles(_get(client, "tab=mine"))
    assert set(titles) == {
        "My open question",
        "My closed question",
        "My deflected question",
        "The question that answered it",
    }


def test_for_me_lists_questions_routed_to_me_open_first(client, agent, asker):
    answered = _ask(asker, "Routed and answered", status="answered", created_at=_ago(hours=1))
    waiting = _ask(asker, "Routed and still open", created_at=_ago(days=2))
    _ask(asker, "Not routed to me")
    for question in (answered, waiting):
        Route.objects.create(question=question, person=agent, reason="skill: refunds")
    client.force_login(agent)
    assert _titles(_get(client, "tab=for-me")) == ["Routed and still open", "Routed and answered"]


def test_each_tab_has_its_own_empty_state(client, agent):
    client.force_login(agent)
    body = _get(client, "tab=for-me").content.decode()
    assert "Nothing routed to you yet — when a question matches your skills" in body
    assert "You have not asked anything yet" in _get(client, "tab=mine").content.decode()
    assert "Every open question has an answer" in _get(client).content.decode()


def test_tabs_mark_the_current_one_and_keep_the_filters(client, agent, asker):
    _ask(asker, "A refunds question", tags=["refunds"])
    client.force_login(agent)
    page = parse(_get(client, "tab=votes&tag=refunds"))
    nav = page.find("nav", aria_label="Question lists")
    current = nav.find_all("a", aria_current="page")
    assert [a.text() for a in current] == ["Most voted"]
    links = {a.text(): a.attrs["href"] for a in nav.find_all("a")}
    assert links["Unanswered"] == "/questions/?tag=refunds"
    assert links["For me"] == "/questions/?tab=for-me&tag=refunds"
    assert page.find("input", name="tab").attrs["value"] == "votes"


# --- the filters -----------------------------------------------------------------------------


def test_tag_filter(client, agent, asker):
    _ask(asker, "About refunds here", tags=["refunds", "billing"])
    _ask(asker, "About passwords here", tags=["passwords"])
    client.force_login(agent)
    assert _titles(_get(client, "tag=refunds")) == ["About refunds here"]


def test_category_filter_includes_the_topics_of_a_parent(client, agent, asker):
    billing = Category.objects.create(name="Billing", slug="billing")
    refunds = Category.objects.create(name="Refunds", slug="refunds", parent=billing)
    tech = Category.objects.create(name="Technical", slug="technical")
    _ask(asker, "In the billing category", category=billing, created_at=_ago(days=2))
    _ask(asker, "In the refunds topic", category=refunds, created_at=_ago(days=1))
    _ask(asker, "In the technical category", category=tech)
    client.force_login(agent)
    assert _titles(_get(client, "category=billing")) == [
        "In the billing category",
        "In the refunds topic",
    ]
    assert _titles(_get(client, "category=refunds")) == ["In the refunds topic"]


def test_status_filter(client, agent, asker):
    _ask(asker, "Still open question")
    _ask(asker, "Closed question here", status="closed")
    client.force_login(agent)
    assert _titles(_get(client, "tab=newest&status=closed")) == ["Closed question here"]
    assert _titles(_get(client, "tab=newest&status=open")) == ["Still open question"]


# --- what a row shows ------------------------------------------------------------------------


def test_a_row_shows_votes_answers_badge_status_tags_category_and_asker(
    client, agent, asker, mentor, editor
):
    category = Category.objects.create(name="Billing", slug="billing")
    question = _ask(
        asker, "Refund a split payment?", tags=["refunds"], category=category,
        urgency="customer_waiting",
    )  # fmt: skip
    _vote(question, mentor)
    _vote(question, editor)
    make_answer(question=question, author=mentor)
    make_answer(question=question, author=editor, accepted_by=asker)
    client.force_login(agent)
    row = parse(_get(client, "tab=newest")).find("li", class_="question-row")
    text = row.text()
    assert "2 votes" in text
    assert "2 answers" in text
    assert row.find("span", class_="question-answers").classes >= {"accepted"}
    assert "Customer waiting" in text
    assert "Answered" in text
    assert "#refunds" in text
    assert "Billing" in text
    assert f"asked by {asker.name}" in text
    assert row.find("a", class_="question-title").attrs["href"] == f"/questions/{question.pk}/"


def test_a_promoted_question_shows_in_the_kb(client, agent, asker, mentor, editor):
    article = make_article(author=mentor, title="Refund a split payment", approved_by=editor)
    question = _ask(asker, "Promoted to the KB already", status="answered")
    Question.objects.filter(pk=question.pk).update(article=article, promoted_at=timezone.now())
    _ask(asker, "Never promoted question", status="answered")
    client.force_login(agent)
    rows = parse(_get(client, "tab=newest")).find_all("li", class_="question-row")
    promoted = next(r for r in rows if "Promoted to the KB" in r.text())
    link = promoted.find("a", class_="pill")
    assert link.text() == "In the KB"
    assert link.attrs["href"] == article.get_absolute_url()
    other = next(r for r in rows if "Never promoted" in r.text())
    assert "In the KB" not in other.text()


def test_header_links_to_ask_and_shows_figures(client, agent, asker, mentor):
    _ask(asker, "Nobody answered this yet")
    answered = _ask(asker, "Answered and accepted")
    make_answer(question=answered, author=mentor, accepted_by=asker)
    _deflected(asker, "Deflected this month")
    client.force_login(agent)
    page = parse(_get(client))
    assert page.find("a", href="/questions/ask/").text() == "Ask a question"
    figures = page.find("ul", class_="question-figures").text()
    assert "1 unanswered" in figures
    # The deflecting question was itself answered ("answered" status, no accepted answer).
    assert "1 answered this week" in figures
    assert "1 answered by existing content this month" in figures


def test_editors_see_what_existing_content_answered_this_month(
    client, agent, editor, asker, other_team
):
    popular = make_article(author=editor, title="Refund a split payment", approved_by=editor)
    restricted = make_article(
        author=editor, title="Escalation contacts", approved_by=editor,
        visibility=Article.Visibility.TEAMS, teams=[other_team],
    )  # fmt: skip
    for n in range(3):
        _ask(asker, f"Split refund number {n}", status=Question.Status.DEFLECTED,
             deflected_by_article=popular)  # fmt: skip
    _ask(asker, "Who do I escalate to?", status=Question.Status.DEFLECTED,
         deflected_by_article=restricted)  # fmt: skip
    _deflected(asker, "Answered by another question")
    # Last month's deflection counts in last month's figures, not this month's.
    _ask(asker, "Deflected long ago", status=Question.Status.DEFLECTED,
         deflected_by_article=restricted, closed_at=_ago(days=40))  # fmt: skip

    client.force_login(editor)
    section = parse(_get(client)).find("section", class_="question-deflections")
    assert section.find("h2").text() == "Answered by existing content"
    counts = section.find("p", class_="question-deflection-counts").text()
    assert counts.startswith("5 questions this month")
    assert "4 by an article, 1 by another question" in counts
    rows = section.find("ol").find_all("li")
    assert [(li.find("a").text(), li.find("a").attrs["href"]) for li in rows] == [
        ("Refund a split payment", popular.get_absolute_url()),
        ("Escalation contacts", restricted.get_absolute_url()),  # editors read every article
    ]
    assert [li.find("span").text() for li in rows] == ["3 questions", "1 question"]

    client.force_login(agent)
    page = _get(client)
    assert parse(page).find("section", class_="question-deflections") is None
    assert parse(page).find(id="deflections-heading") is None
    assert "Escalation contacts" not in page.content.decode()


def test_the_editors_deflection_section_names_the_top_five_articles(client, editor, asker):
    for n in range(6):
        article = make_article(author=editor, title=f"Refund article {n}", approved_by=editor)
        for _ in range(6 - n):
            _ask(asker, f"Refund question {n}", status=Question.Status.DEFLECTED,
                 deflected_by_article=article)  # fmt: skip
    client.force_login(editor)
    section = parse(_get(client)).find("section", class_="question-deflections")
    assert [a.text() for a in section.find("ol").find_all("a")] == [
        f"Refund article {n}" for n in range(5)
    ]
    assert section.find("p").text().startswith("21 questions this month")


def test_an_editor_with_no_deflections_sees_zero_and_no_article_list(client, editor):
    client.force_login(editor)
    section = parse(_get(client)).find("section", class_="question-deflections")
    assert section.find("p").text().startswith("0 questions this month")
    assert section.find("ol") is None


# --- who sees what ---------------------------------------------------------------------------


def test_a_question_the_viewer_may_not_read_never_appears_nor_counts(
    client, agent, outsider, team, mentor
):
    hidden = _ask(agent, "Billing team only question", teams=[team], tags=["refunds"])
    make_answer(question=_ask(agent, "Billing accepted", teams=[team]), author=mentor,
                accepted_by=agent)  # fmt: skip
    _ask(agent, "Open to everyone question")
    Route.objects.create(question=hidden, person=outsider, reason="stale route")
    client.force_login(outsider)
    for query in ("", "tab=newest", "tab=votes", "tab=for-me", "tag=refunds", "status=answered"):
        body = _get(client, query).content.decode()
        assert "Billing team only" not in body
        assert "Billing accepted" not in body
    figures = parse(_get(client)).find("ul", class_="question-figures").text()
    assert "1 unanswered" in figures
    assert "0 answered this week" in figures
    assert "1 question" in _get(client).content.decode()
    client.force_login(mentor)  # same team
    assert "Billing team only question" in _titles(_get(client))


# --- pages and bad input ---------------------------------------------------------------------


def test_twenty_per_page_and_bad_page_numbers_never_fail(client, agent, asker):
    for i in range(23):
        _ask(asker, f"Question number {i:02}", created_at=_ago(hours=i))
    client.force_login(agent)
    assert len(_titles(_get(client, "tab=newest"))) == 20
    assert _titles(_get(client, "tab=newest&page=2")) == ["Question number 20",
        "Question number 21", "Question number 22"]  # fmt: skip
    last = _titles(_get(client, "tab=newest&page=2"))
    assert _titles(_get(client, "tab=newest&page=999999999999999999999")) == last
    first = _titles(_get(client, "tab=newest"))
    # Too many digits to be a number at all (Python refuses to read it): the first page.
    for page in ("9" * 5000, "abc", "-1", "0", "1.5"):
        assert _titles(_get(client, f"tab=newest&page={page}")) in (first, last)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("tag=no-such-tag", "tag"),
        ("tag=" + "x" * 5000, "tag"),
        ("tag=two%20words", "tag"),
        ("category=nowhere", "category"),
        ("category=" + "c" * 101, "category"),
        ("status=pending", "status"),
        ("tab=everything", "tab"),
        ("tab=" + "t" * 5000, "tab"),
    ],
)
def test_a_bad_filter_is_shown_as_an_error_and_left_out(client, agent, asker, query, field):
    Category.objects.create(name="Billing", slug="billing")
    _ask(asker, "Still listed question")
    client.force_login(agent)
    response = _get(client, query)
    assert _titles(response) == ["Still listed question"]
    page = parse(response)
    if field == "tab":
        assert "There is no such list" in page.find("p", role="status").text()
        assert page.find("a", aria_current="page").text() == "Unanswered"
    else:
        assert page.find("ul", id=f"filter-{field}_error") is not None


@pytest.mark.parametrize(
    "query", ["tag=%00", "category=bil%00ling", "status=%00", "tab=%00", "page=%00", "q%00=1"]
)
def test_a_nul_byte_anywhere_is_a_400_with_a_message(client, agent, query):
    client.force_login(agent)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_good_filters_still_apply_beside_a_bad_one(client, agent, asker):
    _ask(asker, "Tagged refunds question", tags=["refunds"])
    _ask(asker, "Untagged question here")
    client.force_login(agent)
    response = _get(client, "tag=refunds&status=whatever")
    assert _titles(response) == ["Tagged refunds question"]
    assert "Filters with an error are left out" in response.content.decode()


def test_the_list_takes_no_post(client, agent):
    client.force_login(agent)
    assert client.post(URL).status_code == 405


# --- in a browser ----------------------------------------------------------------------------


@requires_chromium
def test_the_list_and_its_filters_are_axe_clean(new_page, team, other_team):
    from playwright.sync_api import expect

    from tests.browser import log_in, serious_a11y_violations

    agent = UserFactory(username="reader", team=team)
    asker = UserFactory(team=team)
    billing = Category.objects.create(name="Billing", slug="billing")
    question = _ask(asker, "Refund a split payment?", tags=["refunds"], category=billing,
                    urgency="customer_waiting")  # fmt: skip
    make_answer(question=_ask(asker, "Answered one here", tags=["refunds"]), author=agent,
                accepted_by=asker)  # fmt: skip
    page = new_page()
    log_in(page, agent.username)
    page.goto(f"{URL}?tag=no-such-tag")
    expect(page.get_by_role("link", name=question.title)).to_be_visible()
    expect(page.get_by_text("Choose one of the tags listed.")).to_be_visible()
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary
    page.get_by_role("link", name="Most voted").click()
    page.get_by_label("Status").select_option("answered")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("link", name="Answered one here")).to_be_visible()
    expect(page.get_by_role("link", name="Most voted")).to_have_attribute("aria-current", "page")
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary
    assert page.errors == []


@requires_chromium
def test_the_editors_deflection_section_is_axe_clean(new_page, team):
    from playwright.sync_api import expect

    from people.models import Role
    from tests.browser import log_in, serious_a11y_violations

    editor = UserFactory(username="kbeditor", team=team, roles=[Role.KB_EDITOR])
    article = make_article(author=editor, title="Refund a split payment", approved_by=editor)
    _ask(editor, "Refund split across two cards?", status=Question.Status.DEFLECTED,
         deflected_by_article=article)  # fmt: skip
    page = new_page()
    log_in(page, editor.username)
    page.goto(URL)
    section = page.get_by_role("region", name="Answered by existing content")
    expect(section).to_contain_text("1 question this month")
    expect(section.get_by_role("link", name="Refund a split payment")).to_be_visible()
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary
    assert page.errors == []
