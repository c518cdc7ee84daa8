"""People are listed, and offered in pickers, by the name they are shown by, in any case."""

from __future__ import annotations

from kb.forms import ArticleForm
from people.models import User
from tests.factories import UserFactory


def _people():
    return [
        UserFactory(username="zed", display_name="", first_name="Anna", last_name="Berg"),
        UserFactory(username="aaron", display_name="zoë Zimmer"),
        UserFactory(username="bea", display_name="Bea Brown"),
        UserFactory(username="carl", display_name="", first_name="", last_name=""),
        UserFactory(username="dora", display_name="dora Diaz"),
    ]


def test_people_are_ordered_by_their_shown_name_ignoring_case(db):
    _people()
    assert [p.name for p in User.objects.active()] == [
        "Anna Berg",
        "Bea Brown",
        "carl",
        "dora Diaz",
        "zoë Zimmer",
    ]


def test_the_article_owner_picker_lists_people_by_name(db):
    _people()
    labels = [label for value, label in ArticleForm().fields["owner"].choices if value]
    assert labels == ["Anna Berg", "Bea Brown", "carl", "dora Diaz", "zoë Zimmer"]


def test_a_search_by_skill_still_lists_each_person_once_in_name_order(db):
    UserFactory(username="b", display_name="bo", skills=["refunds", "refund rules"])
    UserFactory(username="a", display_name="Al", skills=["refunds"])
    assert [p.name for p in User.objects.active().search("refund")] == ["Al", "bo"]
