"""The hand-over page: who may open it, the preview before anything happens, confirming,
bad input answered with form errors and nothing changed, the link on the profile, and a
query count that does not grow with the person's work."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dashboard.handover import KINDS
from dashboard.models import HandOver
from kb.models import Article
from people.models import Role
from tests.dashboard.test_handover_service import give_work, owned_by
from tests.factories import UserFactory, make_article
from tests.training.builders import make_track


@pytest.fixture
def leaver(team):
    return UserFactory(username="leaver", team=team, roles=[Role.AGENT])


@pytest.fixture
def work(leaver, editor, team):
    return give_work(leaver, editor=editor, team=team, mentee=UserFactory(team=team))


def url(person) -> str:
    return reverse("dashboard:handover", args=[person.username])


def form_data(successor, **extra) -> dict:
    return {"action": "deactivate", **{kind.key: successor.pk for kind in KINDS}, **extra}


def test_a_manager_sees_the_form_and_the_preview_of_the_defaults(manager_client, leaver, work):
    response = manager_client.get(url(leaver))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing has changed yet" in page
    assert "How to issue a refund" in page
    assert "Gift cards" in page
    assert "Refunds basics" in page
    assert "Refund war stories" in page
    form = response.context["form"]
    assert form["articles"].initial == response.context["request"].user.pk
    leaver.refresh_from_db()
    assert leaver.is_active


@pytest.mark.parametrize("who", ["agent", "outsider", "editor"])
def test_other_roles_get_403(client, request, leaver, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url(leaver)).status_code == 403
    assert client.post(url(leaver), {"confirm": "1"}).status_code == 403


def test_a_manager_of_another_team_gets_403(client, leaver, other_team):
    other = UserFactory(team=other_team, roles=[Role.MANAGER])
    other.managed_teams.add(other_team)
    client.force_login(other)

    assert client.get(url(leaver)).status_code == 403


def test_an_unknown_person_is_404_and_oneself_403(manager_client, manager):
    assert manager_client.get("/hand-over/nobody-here/").status_code == 404
    assert manager_client.get(url(manager)).status_code == 403


def test_confirming_hands_over_and_deactivates(manager_client, manager, leaver, work):
    response = manager_client.post(url(leaver), {**form_data(manager), "confirm": "1"})

    assert response.status_code == 302
    assert response["Location"] == reverse("people:directory")
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert not any(owned_by(leaver).values())
    assert HandOver.objects.get().by == manager


def test_previewing_a_move_changes_nothing(manager_client, manager, leaver, work, other_team):
    before = owned_by(leaver)

    response = manager_client.post(
        url(leaver), form_data(manager, action="move", new_team=other_team.pk, preview="1")
    )

    assert response.status_code == 200
    assert f"moves to {other_team.name}" in response.content.decode()
    assert response.context["preview"].total == 2  # the team-only article, the mentee
    leaver.refresh_from_db()
    assert leaver.is_active
    assert leaver.team != other_team
    assert owned_by(leaver) == before
    assert not HandOver.objects.exists()


def _bad_inputs(manager, leaver, other_team):
    gone = UserFactory(team=leaver.team, is_active=False)
    return {
        "inactive successor": form_data(manager, tracks=gone.pk),
        "the person as successor": form_data(manager, articles=leaver.pk),
        "unknown successor": form_data(manager, articles=999_999),
        "unknown team": form_data(manager, action="move", new_team=999_999),
        "own team": form_data(manager, action="move", new_team=leaver.team.pk),
        "move without a team": form_data(manager, action="move"),
        "unknown action": form_data(manager, action="retire"),
        "huge number": form_data(manager, articles="9" * 40),
    }


@pytest.mark.parametrize(
    "case",
    [
        "inactive successor",
        "the person as successor",
        "unknown successor",
        "unknown team",
        "own team",
        "move without a team",
        "unknown action",
        "huge number",
    ],
)
def test_bad_input_is_a_form_error_and_changes_nothing(
    manager_client, manager, leaver, work, other_team, case
):
    before = owned_by(leaver)
    data = _bad_inputs(manager, leaver, other_team)[case]

    response = manager_client.post(url(leaver), {**data, "confirm": "1"})

    assert response.status_code == 400
    assert response.context["form"].errors
    leaver.refresh_from_db()
    assert leaver.is_active
    assert owned_by(leaver) == before
    assert not HandOver.objects.exists()


def test_a_nul_byte_is_refused_and_changes_nothing(manager_client, manager, leaver, work):
    before = owned_by(leaver)

    response = manager_client.post(url(leaver), {**form_data(manager), "action": "de\x00activate"})

    assert response.status_code == 400
    assert owned_by(leaver) == before


def test_the_profile_links_to_the_hand_over_for_those_allowed(client, manager, agent, leaver):
    client.force_login(manager)
    assert url(leaver) in client.get(leaver.get_absolute_url()).content.decode()
    client.force_login(agent)
    assert url(leaver) not in client.get(leaver.get_absolute_url()).content.decode()


def _grow(leaver, editor, n: int) -> None:
    for i in range(n):
        make_article(author=leaver, title=f"Note {i}", slug=f"note-{i}")
        make_track(owner=leaver, title=f"Track {i}")


@pytest.mark.parametrize("extra", [0, 6])
def test_the_page_holds_its_query_count(
    manager_client, leaver, work, editor, extra, django_assert_max_num_queries
):
    _grow(leaver, editor, extra)
    assert Article.objects.filter(owner=leaver).count() == 2 + extra

    # 28 measured at both sizes: one read per kind, whatever each holds (the successor lists
    # are one query per field). Each mentee adds the checks `pairing_assign` would make.
    with django_assert_max_num_queries(28):
        assert manager_client.get(url(leaver)).status_code == 200
