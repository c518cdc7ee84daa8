"""The ask page as people use it: the form (title with suggestions as it is typed, details,
tags from the knowledge base, category, audience, urgency), prefilled from `?title=`, asking
and landing on the question, every refusal beside its field (400) with nothing saved, and the
page's query count at two sizes."""

from __future__ import annotations

import pytest

from kb.models import Article, Category
from questions.models import Question
from searchkit import pipeline
from tests.factories import TeamFactory, make_article
from tests.search.pages import parse

pytestmark = pytest.mark.django_db

URL = "/questions/ask/"
TITLE = "How do I refund a split payment?"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def vocabulary(editor, team):
    """Published articles tagged "refunds" and "payments", and a team-restricted one tagged
    "vip-escalation"."""
    make_article(author=editor, tags=["refunds", "payments"], approved_by=editor)
    make_article(
        author=editor, title="Escalation contacts", tags=["vip-escalation"],
        visibility=Article.Visibility.TEAMS, teams=[team], approved_by=editor,
    )  # fmt: skip


def _form(**changes) -> dict:
    data = {
        "title": TITLE,
        "body": "Half by card, half by voucher.",
        "tags": "refunds, payments",
        "category": "",
        "visibility": "everyone",
        "urgency": "normal",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _field_errors(response, name: str) -> str:
    errors = parse(response).find(id=f"id_{name}_error")
    assert errors is not None, f"no error beside {name}"
    return errors.text()


# --- the page --------------------------------------------------------------------------------


def test_the_title_asks_for_suggestions_as_it_is_typed(client, agent):
    client.force_login(agent)
    page = parse(client.get(URL))
    title = page.find("input", id="id_title")
    assert title.attrs["hx-get"] == "/questions/ask/suggestions/"
    assert title.attrs["hx-trigger"] == "keyup changed delay:400ms"
    assert title.attrs["hx-target"] == "#question-suggestions"
    region = page.find(id="question-suggestions")
    assert region.attrs["aria-live"] == "polite"
    assert page.find("form", id="question-form").attrs["action"] == URL
    assert page.find("script", src=None) is None  # no inline script (CSP)


def test_the_form_offers_the_readers_tags_categories_teams_and_urgency(
    client, outsider, vocabulary, team
):
    client.force_login(outsider)
    page = parse(client.get(URL))
    tags = page.find("input", id="id_tags")
    assert tags.attrs["list"] == "question-tag-vocabulary"
    options = [o.attrs["value"] for o in page.find("datalist").find_all("option")]
    assert options == ["payments", "refunds"]  # not the restricted article's tag
    categories = page.find("select", id="id_category").text()
    assert "Billing" in categories
    assert team.name in page.find("fieldset", class_="question-teams").text()
    urgency = page.find("fieldset", class_="radio-field", aria_describedby="id_urgency_helptext")
    assert "A customer is waiting" in urgency.text()
    assert "your team lead" in urgency.text()
    assert page.find("textarea", id="id_body") is not None


def test_a_title_from_the_address_is_prefilled_with_what_may_answer_it(
    client, agent, editor, search_index
):
    make_article(author=editor, title="Refund a split payment", approved_by=editor)
    pipeline.rebuild()
    client.force_login(agent)
    page = parse(client.get(URL, {"title": "  how do I   refund a split payment "}))
    assert page.find("input", id="id_title").attrs["value"] == "how do I refund a split payment"
    region = page.find(id="question-suggestions")
    assert [a.text() for a in region.find_all("a")] == ["Refund a split payment"]
    assert region.find("button", name="target") is not None


# --- asking ----------------------------------------------------------------------------------


def test_asking_goes_to_the_new_question(client, agent, vocabulary):
    client.force_login(agent)
    category = Category.objects.get(slug="billing")
    response = client.post(
        URL, _form(category=category.pk, urgency="customer_waiting", tags="Refunds")
    )
    question = Question.objects.get()
    assert response.status_code == 302
    assert response.url == question.get_absolute_url()
    assert (question.author, question.category, question.urgency) == (
        agent, category, Question.Urgency.CUSTOMER_WAITING
    )  # fmt: skip
    assert [t.name for t in question.tags.all()] == ["refunds"]


def test_asking_only_chosen_teams(client, agent, team, other_team):
    client.force_login(agent)
    client.post(URL, _form(tags="", visibility="teams", teams=[team.pk, other_team.pk]))
    question = Question.objects.get()
    assert question.visibility == Question.Visibility.TEAMS
    assert set(question.teams.all()) == {team, other_team}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": ""}, "title", "required"),
        ({"title": "Refund?"}, "title", "at least 10"),
        ({"title": "x" * 201}, "title", "at most 200"),
        ({"title": "Refund a split\npayment"}, "title", "single line"),
        ({"body": "x" * 10_001}, "body", "at most 10000"),
        ({"tags": "refunds, made-up"}, "tags", "“made-up”"),
        ({"tags": XSS}, "tags", "Not a tag"),
        ({"category": "999999"}, "category", "valid choice"),
        ({"category": "abc"}, "category", "valid choice"),
        ({"visibility": "teams"}, "teams", "at least one team"),
        ({"visibility": "nobody"}, "visibility", "valid choice"),
        ({"urgency": "yesterday"}, "urgency", "valid choice"),
        ({"teams": ["999999"], "visibility": "teams"}, "teams", "valid choice"),
    ],
    ids=["empty", "short", "long", "two-lines", "long-body", "unknown-tag", "xss-tag",
         "unknown-category", "bad-category", "no-team", "visibility", "urgency", "bad-team"],
)  # fmt: skip
def test_bad_input_is_refused_beside_its_field(client, agent, vocabulary, changes, field, words):
    client.force_login(agent)
    response = client.post(URL, _form(**changes))
    assert response.status_code == 400
    assert words in _field_errors(response, field)
    assert not Question.objects.exists()
    assert b"<script>alert" not in response.content


def test_a_nul_character_is_refused_and_nothing_saved(client, agent):
    client.force_login(agent)
    for field in ("title", "body", "tags"):
        response = client.post(URL, _form(**{field: "Refund a split\x00 payment"}))
        assert response.status_code == 400
    assert not Question.objects.exists()


def test_script_in_the_title_and_details_is_kept_as_inert_text(client, agent):
    client.force_login(agent)
    response = client.post(URL, _form(title=f"Why {XSS}", body=XSS, tags=""))
    question = Question.objects.get()
    assert response.status_code == 302
    assert question.title == f"Why {XSS}"  # text, escaped wherever it is shown
    assert "<script" not in question.body_html
    assert "onerror" not in question.body_html
    # Shown back in a refused form, it is text.
    again = client.post(URL, _form(title=f"Why {XSS}", tags="nope"))
    assert again.status_code == 400
    assert b"<script>alert" not in again.content
    # On its page and in the list it is text too: escaped, never a tag.
    for address in (question.get_absolute_url(), "/questions/?tab=newest"):
        shown = client.get(address)
        assert shown.status_code == 200
        html = shown.content.decode()
        assert "<script>alert" not in html, address
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html, address
        # The details may hold an image (Markdown), never its handler.
        assert not [e for e in parse(shown).iter() if "onerror" in e.attrs], address
    title = parse(client.get("/questions/?tab=newest")).find("a", class_="question-title")
    assert title.text() == f"Why {XSS}"


# --- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 20])
def test_the_page_reads_a_fixed_number_of_queries(
    client, agent, editor, size, django_assert_max_num_queries
):
    for n in range(size):
        category = Category.objects.create(name=f"Topic {n}", slug=f"topic-{n}")
        TeamFactory(name=f"Team {n}", slug=f"team-{n}")
        make_article(
            author=editor, title=f"Article {n}", category=category, tags=[f"tag-{n}"],
            approved_by=editor,
        )  # fmt: skip
    client.force_login(agent)
    # Session, user, roles, the tag vocabulary, the categories, the teams.
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    page = parse(response)
    assert len(page.find("datalist").find_all("option")) == size
