"""`people.tagging.attach_tags`: every row's tags in one query, from taggit's generic through
model (kb articles) and from custom through models (training tracks, people's skills)."""

from __future__ import annotations

import pytest

from kb.models import Article
from people.models import User
from people.tagging import TagName, attach_tags
from tests.factories import UserFactory, make_article
from training.models import Track

pytestmark = pytest.mark.django_db


def _names(rows, attr="tags_list"):
    return {row.pk: [t.name for t in getattr(row, attr)] for row in rows}


def test_it_reads_the_tags_of_many_articles_in_one_query(django_assert_num_queries):
    author = UserFactory()
    a = make_article(author=author, title="Refunds", tags=["refunds", "billing"])
    b = make_article(author=author, title="VPN", tags=["vpn"])
    c = make_article(author=author, title="Untagged")
    rows = list(Article.objects.filter(pk__in=[a.pk, b.pk, c.pk]).order_by("pk"))
    attach_tags(rows)  # the content type is read (and cached) once per process
    rows = list(Article.objects.filter(pk__in=[a.pk, b.pk, c.pk]).order_by("pk"))
    with django_assert_num_queries(1):
        attach_tags(rows)
    # Sorted by name; each row gets its own, an untagged row an empty list.
    assert _names(rows) == {a.pk: ["billing", "refunds"], b.pk: ["vpn"], c.pk: []}
    assert rows[0].tags_list[0] == TagName("billing", "billing")
    assert str(rows[0].tags_list[0]) == "billing"


def test_it_reads_custom_through_models_for_tracks_and_people(django_assert_num_queries):
    owner = UserFactory()
    t1 = Track.objects.create(title="Refund basics", slug="refund-basics", owner=owner)
    t2 = Track.objects.create(title="Escalations", slug="escalations", owner=owner)
    t1.skills.add("Refunds", "Chargebacks")
    with django_assert_num_queries(1):
        attach_tags([t1, t2], field="skills")
    assert _names([t1, t2], "skills_list") == {t1.pk: ["Chargebacks", "Refunds"], t2.pk: []}

    people = [UserFactory(), UserFactory(), owner]
    people[0].skills.add("Excel")
    people[1].interests.add("Coaching")  # another field of the same model is not mixed in
    with django_assert_num_queries(1):
        attach_tags(people, field="skills", attr="skill_tags")
    assert _names(people, "skill_tags") == {people[0].pk: ["Excel"], people[1].pk: [], owner.pk: []}


def test_no_rows_make_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert attach_tags([]) == []
    with django_assert_num_queries(0):
        assert attach_tags(User.objects.none(), field="skills") is not None
