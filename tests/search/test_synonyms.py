"""The synonyms page: editors add and remove groups of words that mean the same."""

from __future__ import annotations

import pytest

from search.models import Synonym
from tests.search.pages import page_text


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_editor_adds_a_group_and_sees_it_listed(editor_client, editor):
    terms = "Refund, chargeback,  Money  Back"
    response = editor_client.post("/search/synonyms/", {"terms": terms})
    assert response.status_code == 302
    group = Synonym.objects.get()
    assert (group.terms, group.created_by) == ("refund, chargeback, money back", editor)
    page = editor_client.get("/search/synonyms/", follow=True)
    assert page.status_code == 200
    assert "refund, chargeback, money back" in page_text(page)


def test_editor_removes_a_group(editor_client, editor):
    group = Synonym.objects.create(terms="parcel, package", created_by=editor)
    other = Synonym.objects.create(terms="invoice, bill", created_by=editor)
    response = editor_client.post(f"/search/synonyms/{group.pk}/delete/")
    assert response.status_code == 302
    assert list(Synonym.objects.all()) == [other]
    assert "parcel, package" not in page_text(editor_client.get("/search/synonyms/"))


@pytest.mark.parametrize(
    ("terms", "error"),
    [
        ("refund", "Give at least two words"),
        ("refund, Refund", "Give at least two words"),  # the same word twice is one word
        ("refund, ,", "Give at least two words"),
        (", ,", "Give at least two words"),
        ("", "This field is required"),
        ("refund, " + "x" * 61, "at most 60 characters"),
        ("x" * 301, "at most 300 characters"),
    ],
)
def test_a_group_needs_two_words_or_more_and_gets_a_form_error(editor_client, terms, error):
    response = editor_client.post("/search/synonyms/", {"terms": terms})
    assert response.status_code == 400
    assert error in page_text(response)
    assert not Synonym.objects.exists()


def test_the_same_group_twice_is_a_form_error(editor_client, editor):
    Synonym.objects.create(terms="parcel, package", created_by=editor)
    response = editor_client.post("/search/synonyms/", {"terms": "Parcel,  package"})
    assert response.status_code == 400
    assert Synonym.objects.count() == 1


@pytest.mark.parametrize("who", ["agent", "mentor", "manager", "outsider"])
def test_only_editors_manage_synonyms(client, request, editor, who):
    group = Synonym.objects.create(terms="parcel, package", created_by=editor)
    client.force_login(request.getfixturevalue(who))
    assert client.get("/search/synonyms/").status_code == 403
    assert client.post("/search/synonyms/", {"terms": "refund, chargeback"}).status_code == 403
    assert client.post(f"/search/synonyms/{group.pk}/delete/").status_code == 403
    assert list(Synonym.objects.values_list("terms", flat=True)) == ["parcel, package"]


def test_removing_needs_a_post_and_an_existing_group(editor_client, editor):
    group = Synonym.objects.create(terms="parcel, package", created_by=editor)
    assert editor_client.get(f"/search/synonyms/{group.pk}/delete/").status_code == 405
    assert editor_client.post("/search/synonyms/999999/delete/").status_code == 404
    assert Synonym.objects.count() == 1
