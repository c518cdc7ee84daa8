"""One-line fields (titles, names, summaries...) refuse control characters everywhere with
an error beside the field, and store nothing."""

from __future__ import annotations

import pytest

from kb.models import Article, Category
from people.validators import validate_single_line
from search.models import ContentRequest


@pytest.mark.parametrize(
    "text", ["Refunds\nBcc: all", "Tab\there", "Bell\x07", "Line\u2028sep", "evil\u202etxt"]
)
def test_the_validator_refuses_control_characters(text):
    with pytest.raises(Exception, match="single line"):
        validate_single_line(text)


@pytest.mark.parametrize("text", ["Refund a double charge", "Café — “quotes”", "👩‍💻 setup"])
def test_ordinary_titles_pass(text):
    validate_single_line(text)


def test_an_article_title_with_a_newline_gets_a_form_error_and_saves_nothing(
    client, agent, category
):
    client.force_login(agent)
    response = client.post(
        "/kb/new/",
        {"title": "Refunds\nBcc: everyone", "body": "Steps.", "type": "article",
         "category": category.pk, "owner": agent.pk, "visibility": "everyone"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "single line" in str(response.context["form"].errors["title"])
    assert not Article.objects.exists()


def test_people_and_search_fields_refuse_them_too(client, agent, editor):
    client.force_login(agent)
    response = client.post(
        f"/people/u/{agent.username}/edit/", {"job_title": "Agent\r\nX-Header: 1"}
    )
    assert response.status_code == 400
    assert "single line" in str(response.context["form"].errors["job_title"])
    agent.refresh_from_db()
    assert "\n" not in agent.job_title
    client.force_login(editor)
    response = client.post(
        "/search/requests/new/", {"query": "gift card", "title": "Gift\ncard", "owner": agent.pk}
    )
    assert response.status_code == 400
    assert "single line" in str(response.context["form"].errors["title"])
    assert not ContentRequest.objects.exists()
    assert not Category.objects.filter(name__contains="\n").exists()
