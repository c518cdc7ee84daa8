"""`question_ask`: the question stored as asked (rendered body, the knowledge base's tags,
category, who may read it), refusals with nothing saved, @mentions told once each and only to
people who may read it, and the search document queued on commit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from haystack import connections

from kb.models import Article, Category
from notifications.models import Notification
from people.models import Role
from questions.models import Question, Route
from questions.services.asking import question_ask, question_edit, tag_vocabulary
from tests.factories import UserFactory, make_article

pytestmark = pytest.mark.django_db

TITLE = "How do I refund a split payment?"


@pytest.fixture
def vocabulary(agent, editor, team):
    """Tags of published articles ("Refunds", "payments"), of a team-restricted one
    ("vip-escalation") and of someone else's draft ("draft-secret")."""
    make_article(author=editor, tags=["Refunds", "payments"], approved_by=editor)
    make_article(
        author=editor, title="Escalation contacts", tags=["vip-escalation"],
        visibility=Article.Visibility.TEAMS, teams=[team], approved_by=editor,
    )  # fmt: skip
    make_article(author=editor, title="Draft notes", tags=["draft-secret"])


def _ask(author, **changes) -> Question:
    arguments = {"author": author, "title": TITLE, "body": "Half by card, half by voucher."}
    return question_ask(**{**arguments, **changes})


def test_it_stores_the_question_as_asked_with_its_tags_and_category(agent, vocabulary):
    category = Category.objects.get(slug="billing")
    question = _ask(
        agent, body="Half by **card**.", tags=["refunds", "PAYMENTS"], category=category,
        urgency=Question.Urgency.CUSTOMER_WAITING,
    )  # fmt: skip

    question.refresh_from_db()
    assert question.author == agent
    assert question.status == Question.Status.OPEN
    assert question.body_html == "<p>Half by <strong>card</strong>.</p>"
    # Tags match the vocabulary whatever the case, and keep its spelling.
    assert sorted(tag.name for tag in question.tags.all()) == ["Refunds", "payments"]
    assert question.category == category
    assert question.is_urgent
    assert question.visibility == Question.Visibility.EVERYONE
    assert not question.teams.exists()


def test_an_unknown_tag_is_refused_by_name_and_nothing_is_saved(agent, vocabulary):
    with pytest.raises(ValidationError) as refusal:
        _ask(agent, tags=["refunds", "made-up"])
    assert "“made-up”" in str(refusal.value.message_dict["tags"])
    assert not Question.objects.exists()


def test_tags_only_hidden_articles_use_are_unknown_to_whom_they_are_hidden(
    agent, outsider, editor, vocabulary
):
    for tag in ("vip-escalation", "draft-secret"):
        with pytest.raises(ValidationError):
            _ask(outsider, tags=[tag])
    assert "vip-escalation" not in {t.name for t in tag_vocabulary(outsider)}
    assert "draft-secret" not in {t.name for t in tag_vocabulary(agent)}
    # The team reads the restricted article, so its tag is theirs; editors know every tag.
    assert _ask(agent, tags=["vip-escalation"]).tags.get().name == "vip-escalation"
    assert {"vip-escalation", "draft-secret"} <= {t.name for t in tag_vocabulary(editor)}


def test_limiting_it_to_teams_needs_a_team(agent, team, vocabulary):
    with pytest.raises(ValidationError) as refusal:
        _ask(agent, visibility=Question.Visibility.TEAMS, teams=[])
    assert "teams" in refusal.value.message_dict
    assert not Question.objects.exists()

    question = _ask(agent, visibility=Question.Visibility.TEAMS, teams=[team])
    assert list(question.teams.all()) == [team]


def test_teams_are_ignored_when_everyone_may_read_it(agent, team):
    question = _ask(agent, visibility=Question.Visibility.EVERYONE, teams=[team])
    assert not question.teams.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"title": "Refund?"},  # shorter than ten characters
        {"title": "x" * 201},
        {"title": "Refund a split\npayment please"},
        {"title": "Refund a split\x00 payment"},
        {"body": "x" * 10_001},
        {"body": "Half by card\x00"},
        {"visibility": "nobody"},
        {"urgency": "yesterday"},
    ],
    ids=["empty", "short", "long", "two-lines", "nul-title", "long-body", "nul-body",
         "visibility", "urgency"],
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_is_saved(agent, changes):
    with pytest.raises(ValidationError):
        _ask(agent, **changes)
    assert not Question.objects.exists()


def test_script_in_the_body_is_inert(agent):
    question = _ask(agent, body='<script>alert(1)</script><img src=x onerror="alert(2)">')
    assert "<script" not in question.body_html
    assert "onerror" not in question.body_html


def test_mentions_tell_readers_once_each_and_nobody_outside_its_audience(
    agent, mentor, outsider, team
):
    question = _ask(
        agent, body="Asking @mentor and @outsider (and myself, @agent).",
        visibility=Question.Visibility.TEAMS, teams=[team],
    )  # fmt: skip
    told = Notification.objects.filter(kind="questions.mention")
    assert [n.recipient for n in told] == [mentor]
    assert told.get().dedupe_key == f"questions.mention:q{question.pk}:{mentor.pk}"
    assert told.get().url == question.get_absolute_url()

    # An edit that still mentions them tells nobody again.
    question_edit(
        question=question, editor=agent, title=TITLE, body="Still asking @mentor.", tags=[]
    )
    assert told.count() == 1


@pytest.mark.parametrize(
    ("urgency", "prefix"),
    [(Question.Urgency.NORMAL, ""), (Question.Urgency.CUSTOMER_WAITING, "Customer waiting: ")],
)
def test_asking_brings_it_to_the_likely_experts_at_once(
    agent, editor, team, vocabulary, settings, urgency, prefix
):
    settings.QUESTIONS_EXPERTS_PER_ROUND = 2
    ann, _ben = (
        UserFactory(username=name, display_name=f"{name.title()} Expert", team=team,
                    roles=[Role.AGENT], skills=["refunds"])
        for name in ("ann", "ben")
    )  # fmt: skip
    question = _ask(agent, tags=["refunds"], urgency=urgency)

    # No sweep, no task: round 1 is part of asking. The editor owns the article tagged
    # refunds (the stronger evidence), then the first by name who lists it as a skill; never
    # the asker, who lists refunds too.
    routes = Route.objects.filter(question=question).order_by("person__username")
    assert [(r.person, r.kind, r.round) for r in routes] == [
        (ann, Route.Kind.EXPERT, 1), (editor, Route.Kind.EXPERT, 1)
    ]  # fmt: skip
    told = Notification.objects.filter(kind="questions.route").order_by("recipient__username")
    assert [n.recipient for n in told] == [ann, editor]  # each once
    for note in told:
        assert note.message.startswith(f"{prefix}You may know this: “{TITLE}” — you ")
        assert note.url == question.get_absolute_url()
        assert note.dedupe_key == f"questions.route:{question.pk}:{note.recipient_id}"


def test_its_search_document_is_written_once_the_question_is_committed(
    agent, search_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask(agent)
    backend = connections["default"].get_backend()
    assert question.pk in backend.document_versions("questions.question")
