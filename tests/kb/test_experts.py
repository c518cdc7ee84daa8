"""Experts on an article page (`kb.selectors.article_experts`): who owns or verified other
articles on its tags, and whose skills name them, without ever counting what the reader may
not open."""

from __future__ import annotations

import pytest

from kb.models import Article
from kb.selectors import article_experts
from kb.services import article_verify
from people.models import Role
from tests.factories import UserFactory
from tests.search.pages import parse

SIZES = [2, 12]

# Measured, the same at both sizes: the shared articles grouped by owner, verifier and tag
# (1), the matching skills (1), the experts shown (1).
SELECTOR_LIMIT = 3


@pytest.fixture
def article(make_article, agent, editor):
    return make_article(author=agent, title="Reset a VPN token", tags=["vpn", "security"],
                        approved_by=editor)  # fmt: skip


@pytest.fixture
def person(team):
    """`person(username, **kwargs)`: an agent in the Billing team."""

    def make(username, **kwargs):
        return UserFactory(username=username, team=kwargs.pop("team", team),
                           roles=kwargs.pop("roles", [Role.AGENT]), **kwargs)  # fmt: skip

    return make


def _articles(n: int) -> str:
    return f"{n} article{'' if n == 1 else 's'}"


def _experts(article, user, **kwargs) -> dict[str, str]:
    return {
        e.user.username: e.reason for e in article_experts(article=article, user=user, **kwargs)
    }


def test_owners_of_articles_on_its_tags_are_experts_best_first(
    make_article, article, agent, editor, person
):
    vera, omar = person("vera"), person("omar")
    for i in range(3):
        make_article(author=vera, title=f"VPN guide {i}", tags=["VPN"], approved_by=editor)
    make_article(author=omar, title="Security basics", tags=["security"], approved_by=editor)
    make_article(author=omar, title="Unrelated", tags=["refunds"], approved_by=editor)
    # Read by the editor who approved them all: the reader is left out, and publishing an
    # article does not make its approver an expert on it (an explicit verification does).
    experts = article_experts(article=article, user=editor)
    assert [e.user.username for e in experts] == ["vera", "omar"]
    reasons = _experts(article, editor)
    assert "editor" not in _experts(article, agent)
    assert reasons["vera"].startswith("owns 3 articles on vpn")
    assert reasons["omar"].startswith("owns 1 article on security")


def test_verifiers_count_too(make_article, article, agent, editor, person):
    checker = person("checker", roles=[Role.AGENT, Role.KB_EDITOR])
    other = make_article(author=person("writer"), title="VPN on phones", tags=["vpn"],
                         approved_by=editor)  # fmt: skip
    article_verify(article=other, user=checker)
    assert _experts(article, agent)["checker"] == "verified 1 article on vpn"


def test_skills_match_its_tags_whatever_the_case(article, agent, person):
    person("sky", skills=["VPN", "Refunds"])
    person("nope", skills=["vpn setup"])  # a different word
    reasons = _experts(article, agent)
    assert reasons["sky"] == "skill: VPN"
    assert "nope" not in reasons


def test_articles_the_reader_may_not_open_never_count(
    make_article, article, outsider, agent, editor, team, person
):
    insider = person("insider")
    make_article(author=insider, title="Billing VPN", tags=["vpn"], visibility="teams",
                 teams=[team], approved_by=editor)  # fmt: skip
    make_article(author=person("drafter"), title="VPN draft", tags=["vpn"])
    assert "insider" not in _experts(article, outsider)  # another team
    assert "drafter" not in _experts(article, outsider)
    assert "drafter" not in _experts(article, editor)  # never a draft, even for editors
    assert _experts(article, agent)["insider"] == "owns 1 article on vpn"


def test_inactive_people_and_the_reader_are_left_out(make_article, article, agent, editor, person):
    gone = person("gone", skills=["vpn"])
    make_article(author=gone, title="VPN old", tags=["vpn"], approved_by=editor)
    gone.is_active = False
    gone.save()
    make_article(author=agent, title="My VPN notes", tags=["vpn"], approved_by=editor)
    reasons = _experts(article, agent)
    assert "gone" not in reasons
    assert "agent" not in reasons
    assert "agent" in _experts(article, editor)


def test_an_article_without_tags_has_no_experts(make_article, agent, editor, person):
    person("sky", skills=["vpn"])
    bare = make_article(author=agent, title="Untagged", approved_by=editor)
    assert article_experts(article=bare, user=agent) == []


def test_reasons_combine_and_the_limit_holds(make_article, article, agent, editor, person):
    both = person("both", skills=["security"])
    make_article(author=both, title="VPN how-to", tags=["vpn"], approved_by=editor)
    for i in range(7):
        person(f"skilled{i}", skills=["vpn"])
    reasons = _experts(article, agent, limit=3)
    assert len(reasons) == 3
    assert reasons["both"] == "owns 1 article on vpn · skill: security"


def test_the_article_page_lists_experts_with_a_profile_link(
    client, make_article, article, agent, editor, person
):
    vera = person("vera", display_name="Vera Lind")
    make_article(author=vera, title="VPN guide", tags=["vpn"], approved_by=editor)
    client.force_login(editor)  # who approved (and so verified) it: not their own expert
    page = parse(client.get(article.get_absolute_url()))
    box = page.find("ul", class_="expert-list")
    assert box is not None
    link = box.find("a")
    assert (link.attrs["href"], link.text()) == (vera.get_absolute_url(), "Vera Lind")
    assert "owns 1 article on vpn" in box.text()
    assert box.find("span", class_="avatar") is not None


@pytest.mark.parametrize("size", SIZES)
def test_experts_take_a_constant_number_of_queries(
    make_article, article, agent, editor, team, other_team, size, django_assert_max_num_queries
):
    for i in range(size):
        owner = UserFactory(team=team, roles=[Role.AGENT], skills=["vpn", f"s{i}"])
        make_article(author=owner, title=f"VPN {i}", tags=["vpn", "security", f"t{i}"],
                     approved_by=editor)  # fmt: skip
        make_article(author=owner, title=f"Hidden {i}", tags=["vpn"],
                     visibility=Article.Visibility.TEAMS, teams=[other_team],
                     approved_by=editor)  # fmt: skip
    with django_assert_max_num_queries(SELECTOR_LIMIT):
        experts = article_experts(article=article, user=agent, limit=20)
    assert editor not in [e.user for e in experts]  # approving is not knowing the topic
    assert {e.reason for e in experts} == {"owns 1 article on security · skill: vpn"}
    assert len(experts) == size
