"""The recipients picker's lookup (`/kudos/people/?q=`): active colleagues matching a typed
name or username, never the viewer nor anyone already chosen, ten at most, in one query."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from tests.search.pages import parse

pytestmark = pytest.mark.django_db

URL = "/kudos/people/"


def _options(response) -> list[tuple[str, str]]:
    assert response.status_code == 200
    return [
        (option.attrs["data-username"], option.attrs["data-name"])
        for option in parse(response).find_all("li", role="option")
    ]


def _usernames(response) -> list[str]:
    return [username for username, _ in _options(response)]


def test_it_finds_colleagues_by_any_part_of_their_name_or_username(agent_client, other_team):
    maria = UserFactory(username="mlopez", display_name="Maria Lopez", team=other_team)
    UserFactory(username="tom", display_name="Tom Berg")

    assert _options(agent_client.get(URL, {"q": "lope"})) == [("mlopez", "Maria Lopez")]
    assert _usernames(agent_client.get(URL, {"q": "MLOP"})) == [maria.username]
    assert _usernames(agent_client.get(URL, {"q": "@mlopez"})) == [maria.username]
    option = parse(agent_client.get(URL, {"q": "maria"})).find("li", role="option")
    assert "Technical Support" in option.text()  # the team tells two namesakes apart


def test_it_matches_first_and_last_names_too(agent_client):
    UserFactory(username="x1", display_name="", first_name="Ana", last_name="Kowalski")
    assert _usernames(agent_client.get(URL, {"q": "kowal"})) == ["x1"]


def test_it_never_offers_the_viewer_inactive_people_or_those_already_chosen(
    agent_client, agent, mentor
):
    UserFactory(username="gone-agent", is_active=False)
    found = _usernames(agent_client.get(URL, {"q": "agent"}))
    assert found == []
    assert _usernames(agent_client.get(URL, {"q": "mentor"})) == ["mentor"]
    assert _usernames(agent_client.get(URL, {"q": "mentor", "chosen": "mentor"})) == []


def test_it_offers_ten_at_most_in_name_order(agent_client):
    for i in range(14):
        UserFactory(username=f"sam{i:02}", display_name=f"Sam {chr(ord('N') - i)}")
    found = _options(agent_client.get(URL, {"q": "sam"}))
    assert len(found) == 10
    assert [name for _, name in found] == sorted(name for _, name in found)


def test_with_nothing_typed_it_offers_the_viewer_s_teammates(agent_client, mentor, outsider):
    assert _usernames(agent_client.get(URL)) == ["mentor"]


def test_nobody_matching_says_so(agent_client):
    response = agent_client.get(URL, {"q": "zzz<b>"})
    assert _options(response) == []
    assert "No colleague matches “zzz&lt;b&gt;”." in response.content.decode()


def test_the_options_form_an_accessible_listbox(agent_client, mentor):
    listbox = parse(agent_client.get(URL, {"q": "mentor"})).find("ul", role="listbox")
    assert listbox.attrs["aria-label"] == "Colleagues"
    option = listbox.find("li", role="option")
    assert option.attrs["id"] == f"recipient-option-{mentor.pk}"
    assert option.attrs["aria-selected"] == "false"


@pytest.mark.parametrize("text", ["x" * 10_000, "%", "_", "' OR 1=1 --", "ünïcode"])
def test_odd_or_long_text_is_an_answer_not_an_error(agent_client, text):
    assert agent_client.get(URL, {"q": text}).status_code == 200


def test_a_nul_character_is_a_400(agent_client):
    assert agent_client.get(URL, {"q": "a\x00"}).status_code == 400


def test_it_answers_reads_only(agent_client):
    assert agent_client.post(URL, {"q": "a"}).status_code == 405


def test_signing_in_is_required(client):
    response = client.get(URL, {"q": "a"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("size", [3, 30])
def test_it_reads_a_constant_number_of_queries(
    agent_client, team, size, django_assert_max_num_queries
):
    UserFactory.create_batch(size, team=team, display_name="Pat Example")
    # Session, user, and the one lookup.
    with django_assert_max_num_queries(3):
        response = agent_client.get(URL, {"q": "pat", "chosen": ["a", "b"]})
    assert len(_options(response)) == min(size, 10)
