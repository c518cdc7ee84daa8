"""The "Questions" section of a person's profile: answers given, accepted answers and the
latest accepted ones, counted and shown only for questions the viewer may read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from questions.profile_sections import answers
from tests.factories import UserFactory
from tests.questions.builders import make_answer, make_question
from tests.search.pages import parse


def _section(client, viewer, person):
    client.force_login(viewer)
    response = client.get(f"/people/u/{person.username}/")
    assert response.status_code == 200
    return parse(response).find("section", aria_labelledby="profile-questions-h")


def _facts(section) -> dict[str, str]:
    dl = section.find("dl")
    names = [dt.text() for dt in dl.find_all("dt")]
    return dict(zip(names, [dd.text() for dd in dl.find_all("dd")], strict=True))


def _latest(section) -> list[str]:
    ul = section.find("ul", class_="profile-articles")
    return [a.text() for a in ul.find_all("a")] if ul else []


@pytest.fixture
def expert(team):
    return UserFactory(username="expert", team=team)


def _answered(asker, expert, title, *, accepted=False, days=0, **fields):
    question = make_question(author=asker, title=title, **fields)
    answer = make_answer(question=question, author=expert, accepted_by=asker if accepted else None)
    if accepted:
        answer.accepted_at = timezone.now() - timedelta(days=days)
        answer.save(update_fields=["accepted_at"])
    return answer


def test_it_counts_answers_and_lists_the_latest_three_accepted(client, agent, expert):
    for i in range(4):
        _answered(agent, expert, f"Accepted question {i}", accepted=True, days=i)
    _answered(agent, expert, "Answered, not accepted")
    section = _section(client, agent, expert)
    assert _facts(section) == {"Answers given": "5", "Accepted answers": "4"}
    assert _latest(section) == ["Accepted question 0", "Accepted question 1", "Accepted question 2"]
    link = section.find("ul", class_="profile-articles").find("a")
    answer_pk = expert.answers.order_by("pk").first().pk
    assert link.attrs["href"].endswith(f"#answer-{answer_pk}")
    assert section.find("a", href="/questions/") is not None


def test_answers_to_questions_the_viewer_may_not_read_never_show_nor_count(
    client, agent, expert, outsider, team
):
    _answered(agent, expert, "Billing team only question", accepted=True, teams=[team])
    _answered(agent, expert, "Open to everyone question", accepted=True, days=1)
    _answered(agent, expert, "Another restricted one", teams=[team])
    section = _section(client, outsider, expert)
    assert _facts(section) == {"Answers given": "1", "Accepted answers": "1"}
    assert _latest(section) == ["Open to everyone question"]
    body = section.text()
    assert "Billing team only" not in body
    assert "Another restricted" not in body
    # A colleague on the team sees all three.
    facts = _facts(_section(client, agent, expert))
    assert facts == {"Answers given": "3", "Accepted answers": "2"}


def test_no_answers_no_section_on_a_colleagues_profile(client, agent, expert, outsider, team):
    assert _section(client, agent, expert) is None
    _answered(agent, expert, "Billing team only question", teams=[team])
    assert _section(client, outsider, expert) is None  # nothing they may read


def test_ones_own_profile_shows_the_section_with_where_to_start(client, agent):
    section = _section(client, agent, agent)
    assert _facts(section) == {"Answers given": "0", "Accepted answers": "0"}
    assert section.find("a", href="/questions/?tab=for-me").text() == "Routed to you"


def test_titles_are_escaped(client, agent, expert):
    _answered(agent, expert, "<script>alert(1)</script> in a title", accepted=True)
    client.force_login(agent)
    body = client.get(f"/people/u/{expert.username}/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; in a title" in body


@pytest.mark.parametrize("size", [2, 12])
def test_the_section_reads_in_two_queries_at_most(
    agent, expert, outsider, size, django_assert_max_num_queries
):
    for i in range(size):
        _answered(agent, expert, f"Accepted question {i}", accepted=True, days=i)
        _answered(agent, expert, f"Open question {i}")
    for viewer in (agent, outsider, expert):
        assert viewer.role_names is not None  # read once per request, before any section
        # The two figures in one query, then the latest accepted answers with their questions.
        with django_assert_max_num_queries(2):
            section = answers(viewer, expert)
        assert section.context["given"] == 2 * size
        assert len(section.context["latest"]) == min(size, 3)


@pytest.mark.parametrize("size", [2, 12])
def test_the_profile_page_query_count_is_constant(
    client, agent, expert, size, django_assert_max_num_queries
):
    for i in range(size):
        _answered(agent, expert, f"Accepted question {i}", accepted=True, days=i)
    client.force_login(agent)
    # The page's own six, kb's count (1), training's completed tracks (1), mentorship's two,
    # recognition's three, and this section's two.
    with django_assert_max_num_queries(15):
        response = client.get(f"/people/u/{expert.username}/")
    section = parse(response).find("section", aria_labelledby="profile-questions-h")
    assert len(_latest(section)) == min(size, 3)
