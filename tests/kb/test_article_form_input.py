"""The article form with input people and scripts send: a form error beside the field (HTTP
400) and nothing saved, never a 500."""

from __future__ import annotations

import pytest

from kb.models import Article, ArticleRevision
from kb.validators import validate_body_shows_something
from tests.search.pages import parse

EMPTY_ONCE_SANITISED = [
    "<!-- todo -->",
    "<script>alert('x')</script>",
    "<style>p { color: red }</style>\n\n<!-- a -->",
    "  <!-- todo -->  \n",
]


def _form(article, **changes):
    data = {
        "title": "How to issue a refund",
        "summary": "",
        "body": "## Steps\n\nOpen the order and choose **Refund**.",
        "type": "howto",
        "category": str(article.category_id),
        "tags": "refunds",
        "owner": str(article.owner_id),
        "visibility": "everyone",
        "verification_days": "90",
        "base_revision": str(article.latest_revision.number),
    }
    return {**data, **changes}


def _post_both(client, article, **changes):
    """The same bad input to the new-article and the edit form: each answer."""
    counts = (Article.objects.count(), ArticleRevision.objects.count())
    for url in ("/kb/new/", f"/kb/a/{article.slug}/edit/"):
        yield client.post(url, _form(article, **changes))
        assert (Article.objects.count(), ArticleRevision.objects.count()) == counts


def _field_errors(response, name: str) -> str:
    errors = parse(response).find(id=f"id_{name}_error")
    return errors.text() if errors else ""


@pytest.mark.parametrize("body", EMPTY_ONCE_SANITISED)
def test_the_validator_refuses_a_body_that_is_nothing_once_sanitised(body):
    with pytest.raises(Exception, match="no text once unsafe markup is removed"):
        validate_body_shows_something(body)


@pytest.mark.parametrize(
    "body", ["Text <!-- note -->", "![Screenshot](/media/kb/1/a.png)", "| a |\n|---|\n| 1 |", "`x`"]
)
def test_the_validator_accepts_a_body_with_something_to_show(body):
    validate_body_shows_something(body)


@pytest.mark.parametrize("body", EMPTY_ONCE_SANITISED)
def test_a_body_that_is_nothing_once_sanitised_is_a_form_error_beside_the_body(
    agent_client, published_article, body
):
    for response in _post_both(agent_client, published_article, body=body):
        assert response.status_code == 400
        assert "no text once unsafe markup is removed" in _field_errors(response, "body")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("teams", "99999999999999999999"),
        ("teams", "-99999999999999999999"),
        ("category", "99999999999999999999"),
        ("owner", "-99999999999999999999"),
        ("verification_days", "99999999999999999999"),
    ],
)
def test_a_number_past_64_bits_is_a_form_error_beside_its_field(
    agent_client, team, published_article, field, value
):
    changes = {field: value}
    if field == "teams":
        changes["visibility"] = "teams"
    for response in _post_both(agent_client, published_article, **changes):
        assert response.status_code == 400
        assert _field_errors(response, field)
