"""Answers accepted on colleagues' questions are demonstrated expertise: a mentor whose answers
in a wished skill were accepted scores higher than one without, the breakdown and the
suggestion's evidence name them, and answers not accepted (or on other skills, or to one's own
question) count for nothing. Reading them is one query, whatever the number of mentors."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from kb.models import Article
from mentorship.matching.features import ANSWERED
from mentorship.matching.scoring import score_pair, score_people
from mentorship.matching.suggestions import EvidenceCount, mentor_suggestions
from mentorship.models.programs import FACTORS
from questions.models import Answer
from tests.factories import TeamFactory, UserFactory, make_article
from tests.mentorship.builders import make_profile, make_program
from tests.questions.builders import make_answer, make_question

pytestmark = pytest.mark.django_db


def only_expertise():
    weights = {f: 0 for f in FACTORS}
    weights["expertise"] = 10
    return make_program(name="Only expertise", weights=weights)


def line(lines, factor: str):
    return next(x for x in lines if x.factor == factor)


@pytest.fixture
def mentee(team):
    person = UserFactory(username="mentee", team=team, experience_level="new")
    make_profile(person, open_to_mentor=False, develop=["refunds", "chargebacks"])
    return person


@pytest.fixture
def helper(other_team):
    person = UserFactory(username="helper", display_name="Helper", team=other_team)
    make_profile(person)
    return person


@pytest.fixture
def quiet(other_team):
    person = UserFactory(username="quiet", display_name="Quiet", team=other_team)
    make_profile(person)
    return person


def answered(asker, expert, *, tags, accepted: bool = True, n: int = 1) -> list[Answer]:
    answers = []
    for i in range(n):
        question = make_question(
            author=asker, title=f"How do I handle {tags[0]} case {i}?", tags=tags
        )
        answers.append(
            make_answer(question=question, author=expert, accepted_by=asker if accepted else None)
        )
    return answers


def test_accepted_answers_in_a_wished_skill_score_higher_and_are_named(
    mentee, helper, quiet, agent
):
    answered(agent, helper, tags=["Refunds"], n=2)
    program = only_expertise()

    score, lines = score_pair(program=program, mentee=mentee, mentor=helper)
    without, _ = score_pair(program=program, mentee=mentee, mentor=quiet)

    assert (score, without) == (75, 0)  # 1 - 0.5^2
    assert line(lines, "expertise").text == "Wrote 2 accepted answers on refunds."


def test_answers_not_accepted_count_for_nothing(mentee, helper, agent, manager):
    (mine,) = answered(agent, helper, tags=["refunds"], accepted=False)
    # Someone else's answer was accepted on the same question.
    make_answer(question=mine.question, author=manager, accepted_by=agent)

    score, lines = score_pair(program=only_expertise(), mentee=mentee, mentor=helper)

    assert score == 0
    assert line(lines, "expertise").text.startswith("No published articles, accepted answers")


def test_an_acceptance_withdrawn_no_longer_counts(mentee, helper, agent):
    (answer,) = answered(agent, helper, tags=["refunds"])
    Answer.objects.filter(pk=answer.pk).update(accepted_at=None, accepted_by=None)

    assert score_pair(program=only_expertise(), mentee=mentee, mentor=helper)[0] == 0


def test_answers_on_other_skills_or_untagged_count_for_nothing(mentee, helper, agent):
    answered(agent, helper, tags=["tone of voice"])
    question = make_question(author=agent, title="A question nobody tagged at all")
    make_answer(question=question, author=helper, accepted_by=agent)

    assert score_pair(program=only_expertise(), mentee=mentee, mentor=helper)[0] == 0


def test_ones_own_question_answered_and_accepted_counts_for_nothing(mentee, helper):
    answered(helper, helper, tags=["refunds"])

    assert score_pair(program=only_expertise(), mentee=mentee, mentor=helper)[0] == 0


def test_one_answer_on_two_wished_skills_counts_once_and_names_both(mentee, helper, agent):
    answered(agent, helper, tags=["refunds", "chargebacks"])

    score, lines = score_pair(program=only_expertise(), mentee=mentee, mentor=helper)

    assert score == 50
    assert line(lines, "expertise").text == "Wrote 1 accepted answer on chargebacks and refunds."


def test_answers_are_listed_beside_articles_in_the_breakdown(mentee, helper, agent, editor):
    make_article(author=helper, title="Refund steps", tags=["refunds"], approved_by=editor)
    answered(agent, helper, tags=["chargebacks"])

    score, lines = score_pair(program=only_expertise(), mentee=mentee, mentor=helper)

    assert score == 75
    assert line(lines, "expertise").text == (
        "Owns 1 published article on refunds; wrote 1 accepted answer on chargebacks."
    )


def test_suggestions_rank_the_answerer_first_and_count_the_answers(
    mentee, helper, quiet, agent, editor
):
    answered(agent, helper, tags=["refunds"], n=2)
    make_article(author=helper, title="Refund steps", tags=["refunds"], approved_by=editor)

    result = mentor_suggestions(program=only_expertise(), mentee=mentee)

    first = result.suggestions[0]
    assert first.mentor == helper
    assert first.evidence == EvidenceCount(articles=1, answers=2)
    assert first.evidence.total == 3
    assert result.suggestions[1].evidence == EvidenceCount()
    assert "2 accepted answers" in line(first.lines, "expertise").text


@pytest.mark.parametrize("size", [2, 12])
def test_answers_are_read_in_one_more_query_whatever_the_number_of_mentors(
    mentee, agent, size, django_assert_num_queries
):
    ids = []
    for n in range(size):
        person = UserFactory(username=f"m{n}", team=TeamFactory())
        make_profile(person)
        answered(agent, person, tags=["refunds"])
        ids.append(person.pk)
    program = only_expertise()
    # Articles are found through their tags' content type, which Django reads once per
    # process: read before counting, as any page before this one would have.
    ContentType.objects.get_for_model(Article)
    # Mentees: people, wishes, interests, goals; mentors: people, skills, topics, interests,
    # articles, accepted answers, sessions, tracks.
    with django_assert_num_queries(12):
        found = score_people(program=program, mentee_ids=[mentee.pk], mentor_ids=ids)
    assert int(found.evidence_counts[0].min()) == 1
    assert all(e.kind == ANSWERED for mr in found.mentors for e in mr.evidence)
