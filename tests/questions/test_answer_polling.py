"""New answers without a reload: the page polls `answers-new?after=<last answer>` while the
question takes answers; the reply holds only the newer answers, rendered as on the page, a
fresh poller and a spoken count; a bad `after` is a 400, a hidden question a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from questions.models import Question
from tests.browser import log_in, serious_a11y_violations
from tests.factories import UserFactory
from tests.questions.builders import make_answer, make_question

pytestmark = pytest.mark.django_db

# Measured, the same at both sizes: the session, the user and their roles (3); the question
# (1); the new answers with their authors, scores and the viewer's votes (1) and their
# comments (1); the people they mention (1).
POLL_QUERIES = 7


def _url(question: Question, after) -> str:
    return f"{reverse('questions:answers-new', args=[question.pk])}?after={after}"


def test_the_page_polls_for_answers_after_the_last_one(client, agent, mentor, settings):
    settings.QUESTIONS_POLL_SECONDS = 7
    question = make_question(author=agent)
    answers = [make_answer(question=question, author=mentor) for _ in range(2)]
    client.force_login(agent)

    page = client.get(question.get_absolute_url()).content.decode()

    assert f'hx-get="{_url(question, answers[-1].pk)}"' in page
    assert 'hx-trigger="every 7s"' in page
    assert 'hx-swap="outerHTML"' in page


def test_the_poll_returns_only_newer_answers_and_a_fresh_poller(client, agent, mentor, editor):
    question = make_question(author=agent)
    old = make_answer(question=question, author=mentor, body="Old answer.")
    new = make_answer(question=question, author=editor, body="New **answer**.")
    client.force_login(agent)

    response = client.get(_url(question, old.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Old answer." not in page
    assert "New <strong>answer</strong>." in page
    assert f'id="answer-{new.pk}"' in page
    assert reverse("questions:answer-accept", args=[new.pk]) in page  # as on the asker's page
    assert f'hx-get="{_url(question, new.pk)}"' in page
    assert 'id="answers-status" hx-swap-oob="innerHTML">1 new answer<' in page


def test_with_nothing_new_the_poller_comes_back_alone(client, agent, mentor):
    question = make_question(author=agent)
    last = make_answer(question=question, author=mentor)
    client.force_login(agent)

    response = client.get(_url(question, last.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'hx-get="{_url(question, last.pk)}"' in page
    assert "card answer" not in page
    assert "new answer" not in page


def test_a_question_that_stopped_taking_answers_stops_the_poller(client, agent, mentor):
    question = make_question(author=agent, status=Question.Status.CLOSED)
    client.force_login(agent)

    response = client.get(_url(question, 0))

    assert response.status_code == 200
    assert "hx-get" not in response.content.decode()


@pytest.mark.parametrize(
    "after", ["", "abc", "-1", "1.5", "9" * 19, "99999999999999999999999", "1%200"]
)
def test_a_bad_after_is_a_400_with_a_message(client, agent, after):
    question = make_question(author=agent)
    client.force_login(agent)

    response = client.get(_url(question, after))

    assert response.status_code == 400
    assert "the id of the last answer shown" in response.content.decode()


def test_a_missing_after_is_a_400(client, agent):
    question = make_question(author=agent)
    client.force_login(agent)

    response = client.get(reverse("questions:answers-new", args=[question.pk]))

    assert response.status_code == 400


def test_the_poll_never_shows_a_question_the_viewer_may_not_read(
    client, agent, mentor, team, outsider
):
    question = make_question(author=agent, teams=[team])
    make_answer(question=question, author=mentor, body="Secret answer.")
    client.force_login(outsider)

    response = client.get(_url(question, 0))

    assert response.status_code == 404
    assert "Secret answer." not in response.content.decode()


def test_answers_of_other_questions_never_come_along(client, agent, mentor):
    question = make_question(author=agent)
    other = make_question(author=mentor, title="Another question entirely?")
    make_answer(question=other, author=agent, body="Elsewhere.")
    client.force_login(agent)

    assert "Elsewhere." not in client.get(_url(question, 0)).content.decode()


@pytest.mark.parametrize("size", [2, 20])
def test_the_poll_query_count_is_constant(client, agent, size, django_assert_max_num_queries):
    question = make_question(author=agent)
    people = [UserFactory(team=agent.team) for _ in range(3)]
    for n in range(size):
        answer = make_answer(question=question, author=UserFactory(), body=f"Answer {n}")
        for person in people:
            answer.comments.create(author=person, body=f"Yes @{person.username}")
    client.force_login(agent)

    with django_assert_max_num_queries(POLL_QUERIES):
        response = client.get(_url(question, 0))

    assert response.content.decode().count('class="card answer') == size


@pytest.mark.browser
def test_an_open_page_shows_a_new_answer_without_reloading(new_page, agent, mentor, settings):
    """In Chromium: the asker's page votes in place, then an answer posted meanwhile appears
    under the first one, is announced, and the page stays axe-clean."""
    settings.QUESTIONS_POLL_SECONDS = 1
    question = make_question(author=agent, urgency=Question.Urgency.CUSTOMER_WAITING)
    first = make_answer(question=question, author=mentor, body="First **answer**.")
    page = new_page()
    log_in(page, "agent")
    page.goto(question.get_absolute_url())
    up = page.locator(f"#votes-answer-{first.pk}-up")
    up.click()
    expect(up).to_have_attribute("aria-pressed", "true")

    second = make_answer(question=question, author=UserFactory(), body="Arrived while open.")

    expect(page.locator(f"#answer-{second.pk}")).to_contain_text("Arrived while open.")
    expect(page.locator("#answers-status")).to_have_text("1 new answer")
    page.wait_for_timeout(1500)  # another poll: nothing comes twice
    assert page.locator(f"#answer-{second.pk}").count() == 1
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary
    assert not page.errors, page.errors
