"""The demo organisation's questions: about twenty across the demo categories in every state
(unanswered with a customer waiting, one of them escalated; answered; accepted; deflected by
an article and by a question; closed; promoted into a published FAQ), with votes and
comments, routes, one only a team may read; seeding twice changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from kb.models import Article
from notifications.models import Notification
from people.models import User
from questions.models import Answer, Comment, Question, Route, Vote
from questions.querysets import QUESTION_AUDIENCE

pytestmark = pytest.mark.django_db


def _rows() -> dict[str, int]:
    counted = {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("questions").get_models()
    }
    return {
        **counted,
        "notifications": Notification.objects.count(),
        "articles": Article.objects.count(),
    }


def test_seeding_twice_changes_nothing(demo):
    rows = _rows()
    states = list(Question.objects.order_by("pk").values_list("status", "created_at", "article"))
    call_command("seed_demo", verbosity=0)
    assert _rows() == rows
    assert list(Question.objects.order_by("pk").values_list("status", "created_at", "article")) == (
        states
    )


def test_about_twenty_questions_in_every_state(demo):
    questions = Question.objects.all()
    assert 18 <= questions.count() <= 25
    statuses = set(questions.values_list("status", flat=True))
    assert statuses == {"open", "answered", "deflected", "closed"}
    # Open and unanswered, open with answers none accepted, and accepted.
    assert questions.unanswered().count() >= 3
    assert questions.open().filter(first_answered_at__isnull=False).count() >= 2
    assert Answer.objects.accepted().count() >= 5
    assert questions.filter(status="answered").count() == Answer.objects.accepted().count()
    # Deflected by an article and by another question, as the asker typed.
    assert questions.filter(deflected_by_article__isnull=False).count() >= 2
    assert questions.filter(deflected_by_question__isnull=False).count() >= 1
    # Across the demo categories, with the knowledge base's tags.
    assert questions.values("category").distinct().count() >= 6
    article_tags = set(Article.objects.values_list("tags__name", flat=True))
    assert set(questions.values_list("tags__name", flat=True)) - {None} <= article_tags
    for question in questions:
        question.full_clean()


def test_customer_waiting_questions_one_escalated_to_the_team_lead(demo):
    now = timezone.now()
    waiting = Question.objects.unanswered().filter(urgency="customer_waiting")
    assert waiting.count() == 2
    old = waiting.get(created_at__lt=now - timedelta(minutes=15))
    recent = waiting.get(created_at__gt=now - timedelta(minutes=15))
    lead = Route.objects.get(question=old, kind="team_lead")
    assert lead.person in old.author.team.managers.all()
    told = Notification.objects.filter(kind="questions.escalate")
    assert list(told.values_list("recipient", flat=True)) == [lead.person_id]
    assert not Route.objects.filter(question=recent, kind="team_lead").exists()


def test_routed_to_experts_who_may_read_and_never_the_asker(demo):
    routes = Route.objects.select_related("question", "person")
    assert routes.filter(kind="expert").count() >= 10
    for route in routes:
        assert route.person_id != route.question.author_id
        assert route.reason
        assert QUESTION_AUDIENCE.admits(route.question, route.person)
    # Questions answered by content while typed are never brought to anyone.
    assert not routes.filter(question__status="deflected").exists()


def test_votes_and_comments_never_on_ones_own_post(demo):
    assert Vote.objects.count() >= 25
    assert not Vote.objects.filter(voter=F("post_author")).exists()
    assert (
        Vote.objects.filter(answer__isnull=False).count()
        > Vote.objects.filter(question__isnull=False).count()
    )
    assert Comment.objects.filter(answer__isnull=False).exists()
    assert Comment.objects.filter(question__isnull=False).exists()


def test_one_question_was_promoted_into_a_published_faq(demo):
    promoted = Question.objects.get(article__isnull=False)
    article = promoted.article
    accepted = promoted.answers.accepted().get()
    assert article.status == Article.Status.PUBLISHED
    assert article.type == Article.Type.FAQ
    assert article.author == accepted.author
    assert promoted.get_absolute_url() in article.published_revision.body
    assert promoted.promoted_by.username == "editor"


def test_one_question_only_its_team_may_read(demo):
    hidden = Question.objects.get(visibility="teams")
    members = set(hidden.teams.values_list("members__username", flat=True))
    agent = User.objects.get(username="agent")
    assert "agent" not in members
    assert not Question.objects.visible_to(agent).filter(pk=hidden.pk).exists()
    assert hidden.answers.accepted().exists()
    # Its answerer, voters, commenters and experts all may read it.
    people = {a.author for a in hidden.answers.all()}
    people |= {v.voter for v in Vote.objects.filter(answer__question=hidden)}
    people |= {r.person for r in hidden.routes.all()}
    assert people
    for person in people:
        assert QUESTION_AUDIENCE.admits(hidden, person)


def test_dates_are_in_the_past_and_old_news_was_read(demo):
    now = timezone.now()
    assert not Question.objects.filter(created_at__gt=now).exists()
    assert not Answer.objects.filter(created_at__gt=now).exists()
    oldest = Question.objects.order_by("created_at").first()
    assert oldest.created_at < now - timedelta(days=20)
    for answer in Answer.objects.select_related("question"):
        assert answer.created_at > answer.question.created_at
    told = Notification.objects.filter(kind__startswith="questions.")
    assert told.exists()
    assert not told.filter(created_at__lt=now - timedelta(days=4), read_at=None).exists()
