"""Likely experts for a question: picked from skills, owned and verified articles and
accepted answers in its tags, best first with the reason; never the asker, an inactive
person, someone who may not read the question, or someone already asked."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.services.verification import article_verify
from people.models import Role
from questions.models import Question
from questions.selectors.experts import likely_experts, title_phrases
from tests.factories import UserFactory, make_article
from tests.questions.builders import make_answer, make_question

pytestmark = pytest.mark.django_db


def person(name: str, team, **fields):
    fields.setdefault("roles", [Role.AGENT])
    username = name.lower().replace(" ", "")
    return UserFactory(username=username, display_name=name, team=team, **fields)


def owned_articles(owner, editor, n: int, tag: str = "refunds", **meta):
    return [
        make_article(author=owner, title=f"{tag} guide {i}", tags=[tag], approved_by=editor, **meta)
        for i in range(n)
    ]


def accepted_answers(answerer, asker, n: int, tag: str = "refunds"):
    for i in range(n):
        other = make_question(author=asker, title=f"Earlier question number {i}", tags=[tag])
        make_answer(question=other, author=answerer, accepted_by=asker)


@pytest.fixture
def ranked(team, agent, editor):
    """Ana (3 accepted answers), Dana (owns 2 articles), Vic (verified 2 of them), Lee (skill
    Refunds), Tess (skill named like a title phrase): the scores 12, 6, 4, 2, 1."""
    ana = person("Ana Answers", team)
    accepted_answers(ana, agent, 3)
    dana = person("Dana Owner", team)
    articles = owned_articles(dana, editor, 2)
    vic = person("Vic Verifier", team, roles=[Role.KB_EDITOR])
    for article in articles:
        article_verify(article=article, user=vic)
    lee = person("Lee Skills", team, skills=["Refunds"])
    tess = person("Tess Title", team, skills=["Split payments"])
    question = make_question(author=agent, tags=["refunds"])
    return question, [ana, dana, vic, lee, tess]


def test_experts_come_best_first_with_their_strongest_evidence(ranked):
    question, people = ranked
    experts = likely_experts(question=question)
    assert [e.person for e in experts] == people
    assert [e.score for e in experts] == [12, 6, 4, 2, 1]
    assert [e.reason for e in experts] == [
        "3 accepted answers on refunds",
        "owns 2 articles tagged refunds",
        "verified 2 articles tagged refunds",
        "lists Refunds among their skills",
        "lists Split payments among their skills",
    ]
    assert experts[1].reason_to_them == "you own 2 articles tagged refunds"
    assert experts[0].reason_to_them == "you have 3 accepted answers on refunds"


def test_the_approving_editor_is_not_a_verifier(ranked, editor):
    question, _ = ranked
    assert editor not in [e.person for e in likely_experts(question=question)]


def test_limit_and_exclude(ranked):
    question, (ana, dana, vic, *_) = ranked
    assert [e.person for e in likely_experts(question=question, limit=2)] == [ana, dana]
    chosen = likely_experts(question=question, exclude=[ana, dana.pk], limit=1)
    assert [e.person for e in chosen] == [vic]


def test_the_asker_is_never_an_expert(team, agent, editor):
    owned_articles(agent, editor, 3)  # the agent also lists refunds among their skills
    question = make_question(author=agent, tags=["refunds"])
    assert likely_experts(question=question) == []


def test_inactive_people_are_never_experts(team, agent, editor):
    gone = person("Gone Person", team, skills=["refunds"])
    owned_articles(gone, editor, 2)
    accepted_answers(gone, agent, 1)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    question = make_question(author=agent, tags=["refunds"])
    assert likely_experts(question=question) == []


def test_a_team_only_question_goes_only_to_its_teams_and_editors(team, agent, outsider):
    outsider.skills.set(["refunds"])
    colleague = person("Colleague Same", team, skills=["refunds"])
    far_editor = person("Far Editor", outsider.team, skills=["refunds"], roles=[Role.KB_EDITOR])
    question = make_question(author=agent, tags=["refunds"], teams=[team])
    chosen = {e.person for e in likely_experts(question=question)}
    assert chosen == {colleague, far_editor}
    assert not Question.objects.visible_to(outsider).filter(pk=question.pk).exists()


def test_only_published_articles_and_accepted_answers_count(team, agent, editor):
    drafter = person("Draft Writer", team)
    make_article(author=drafter, title="Refunds draft", tags=["refunds"])
    answerer = person("Plain Answerer", team)
    other = make_question(author=agent, title="Earlier question, not accepted", tags=["refunds"])
    make_answer(question=other, author=answerer)
    question = make_question(author=agent, tags=["refunds"])
    assert likely_experts(question=question) == []


def test_evidence_in_other_tags_does_not_count(team, agent, editor):
    elsewhere = person("Else Where", team, skills=["shipping"])
    owned_articles(elsewhere, editor, 1, tag="shipping")
    accepted_answers(elsewhere, agent, 1, tag="shipping")
    question = make_question(author=agent, title="Where is the voucher code?", tags=["refunds"])
    assert likely_experts(question=question) == []


def test_tags_and_skills_match_whatever_their_case(team, agent, editor):
    dana = person("Dana Owner", team)
    owned_articles(dana, editor, 1, tag="refunds")
    lee = person("Lee Skills", team, skills=["rEfUnDs"])
    question = make_question(author=agent, title="Customer asks about money", tags=["REFUNDS"])
    experts = likely_experts(question=question)
    assert [e.person for e in experts] == [dana, lee]
    assert experts[0].reason == "owns 1 article tagged REFUNDS"


def test_ties_are_broken_by_name_then_id(team, agent):
    bob = person("Bob Second", team, skills=["refunds"])
    amy = person("Amy First", team, skills=["refunds"])
    question = make_question(author=agent, title="Customer asks about money", tags=["refunds"])
    assert [e.person for e in likely_experts(question=question)] == [amy, bob]


def test_a_title_word_names_a_skill_with_a_small_weight(team, agent):
    voucher = person("Val Vouchers", team, skills=["Vouchers"])
    question = make_question(author=agent, title="Can a voucher be refunded twice?")
    (expert,) = likely_experts(question=question)
    assert (expert.person, expert.score) == (voucher, 1)
    assert expert.reason == "lists Vouchers among their skills"
    assert {"voucher", "vouchers", "refunded twice"} <= title_phrases(question.title)
    assert "can" not in title_phrases(question.title)


def test_each_kind_counts_at_most_five_items(team, agent, editor):
    prolific = person("Pro Lific", team)
    owned_articles(prolific, editor, 7)
    question = make_question(author=agent, tags=["refunds"])
    (expert,) = likely_experts(question=question)
    assert expert.score == 15
    assert expert.reason == "owns 7 articles tagged refunds"


def _build(size: int, team, agent, editor) -> Question:
    for i in range(size):
        someone = person(f"Expert {size} {i}", team, skills=["refunds", "vouchers"])
        owned_articles(someone, editor, 1, tag="vouchers")
        accepted_answers(someone, agent, 1)
    return make_question(author=agent, tags=["refunds", "vouchers"], teams=[team])


@pytest.mark.parametrize("size", [2, 20])
def test_a_constant_number_of_queries_whatever_the_data(size, team, agent, editor):
    question = _build(size, team, agent, editor)
    question = Question.objects.get(pk=question.pk)
    with CaptureQueriesContext(connection) as queries:
        experts = likely_experts(question=question, limit=2)
    assert len(experts) == 2
    # Tags, articles, answers, skills, people, their groups, the question's teams.
    assert len(queries) == 7
