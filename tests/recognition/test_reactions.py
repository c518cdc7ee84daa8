"""Reactions on a kudos: a fixed set of emoji, one of each per person (a database constraint),
toggled with htmx without reloading the page (the bar comes back in place), or by a plain
post that returns to the page it came from; closed while the kudos is under review."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from playwright.sync_api import expect

from recognition.models import Kudos, Reaction, Value
from recognition.services import reaction_toggle
from tests.browser import log_in, serious_a11y_violations
from tests.concurrency import run_in_threads
from tests.conftest import requires_chromium
from tests.factories import UserFactory
from tests.recognition.builders import make_kudos

HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(kudos: Kudos, kind: str = "clap") -> str:
    return reverse("recognition:kudos-react", args=[kudos.pk, kind])


@pytest.fixture
def kudos(mentor, outsider):
    return make_kudos(mentor, outsider)


# --- The service ---------------------------------------------------------------------------


def test_a_reaction_toggles_on_and_off(kudos, agent):
    assert reaction_toggle(kudos=kudos, user=agent, kind="clap") is True
    assert Reaction.objects.filter(kudos=kudos, user=agent, kind="clap").count() == 1

    assert reaction_toggle(kudos=kudos, user=agent, kind="clap") is False
    assert not Reaction.objects.exists()


def test_one_person_has_one_of_each_kind(kudos, agent):
    for kind in Reaction.Kind.values:
        reaction_toggle(kudos=kudos, user=agent, kind=kind)

    assert sorted(kudos.reactions.values_list("kind", flat=True)) == sorted(Reaction.Kind.values)


def test_asking_for_on_twice_leaves_one_reaction(kudos, agent):
    assert reaction_toggle(kudos=kudos, user=agent, kind="star", on=True) is True
    assert reaction_toggle(kudos=kudos, user=agent, kind="star", on=True) is True
    assert Reaction.objects.filter(user=agent, kind="star").count() == 1

    assert reaction_toggle(kudos=kudos, user=agent, kind="star", on=False) is False
    assert reaction_toggle(kudos=kudos, user=agent, kind="star", on=False) is False
    assert not Reaction.objects.exists()


def test_the_database_refuses_a_second_reaction_of_the_same_kind(kudos, agent):
    Reaction.objects.create(kudos=kudos, user=agent, kind="heart")

    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(kudos=kudos, user=agent, kind="heart")


def test_an_unknown_kind_is_refused(kudos, agent):
    with pytest.raises(ValidationError) as refused:
        reaction_toggle(kudos=kudos, user=agent, kind="poop")

    assert refused.value.message_dict == {"kind": ["Choose one of the offered reactions."]}
    assert not Reaction.objects.exists()


def test_reactions_are_closed_while_a_kudos_is_under_review(kudos, agent):
    stale = Kudos.objects.get(pk=kudos.pk)
    Kudos.objects.filter(pk=kudos.pk).update(
        status=Kudos.Status.REPORTED, reported_at=kudos.created_at
    )

    with pytest.raises(ValidationError, match="under review"):
        reaction_toggle(kudos=stale, user=agent, kind="clap")
    assert not Reaction.objects.exists()


# --- The view ------------------------------------------------------------------------------


def test_htmx_gets_the_bar_back_in_place_with_the_reaction_pressed(agent_client, kudos, agent):
    response = agent_client.post(_url(kudos, "party"), {"on": "1", "next": "/kudos/"}, **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith(f'<div class="kudos-reactions" id="reactions-{kudos.pk}">')
    assert f'id="react-{kudos.pk}-party" aria-pressed="true"' in body
    assert f'id="react-{kudos.pk}-clap" aria-pressed="false"' in body
    assert f'title="{agent.name}"' in body
    assert f"Celebrate from {agent.name}" in body
    # Pressing it again asks for "off", and the next post keeps coming back to the wall.
    assert (
        '<input type="hidden" name="on" value="0"><input type="hidden" name="next" value="/kudos/">'
        in body
    )


def test_counts_add_up_across_people(client, kudos, agent, mentor):
    for person in (agent, mentor, UserFactory()):
        client.force_login(person)
        response = client.post(_url(kudos, "heart"), {"on": "1"}, **HTMX)

    assert Reaction.objects.filter(kudos=kudos, kind="heart").count() == 3
    assert '<span class="reaction-count">3</span>' in response.content.decode()


def test_a_plain_post_returns_to_the_page_it_came_from(agent_client, kudos):
    response = agent_client.post(_url(kudos), {"on": "1", "next": "/kudos/?page=2"})

    assert response.status_code == 302
    assert response["Location"] == "/kudos/?page=2"
    assert Reaction.objects.count() == 1


def test_a_foreign_next_goes_to_the_kudos_instead(agent_client, kudos):
    response = agent_client.post(_url(kudos), {"on": "1", "next": "https://evil.example/"})

    assert response["Location"] == kudos.get_absolute_url()


@pytest.mark.parametrize(
    ("kind", "data"),
    [("poop", {"on": "1"}), ("clap", {"on": "maybe"}), ("x" * 300, {}), ("clap", {"on": "9" * 50})],
)
def test_bad_input_is_a_400_with_a_message_and_changes_nothing(agent_client, kudos, kind, data):
    plain = agent_client.post(_url(kudos, kind), data)
    htmx = agent_client.post(_url(kudos, kind), data, **HTMX)

    assert plain.status_code == htmx.status_code == 400
    assert 'class="errorlist"' in plain.content.decode()
    assert 'role="alert"' in htmx.content.decode()
    assert not Reaction.objects.exists()


def test_a_kudos_under_review_refuses_even_its_giver(client, mentor, outsider):
    kudos = make_kudos(mentor, outsider, status=Kudos.Status.REPORTED)
    client.force_login(mentor)

    response = client.post(_url(kudos), {"on": "1"}, **HTMX)

    assert response.status_code == 400
    assert "Reactions are closed while this kudos is under review." in response.content.decode()
    assert not Reaction.objects.exists()


def test_a_hidden_or_unknown_kudos_is_a_404(agent_client, mentor, outsider):
    hidden = make_kudos(mentor, outsider, status=Kudos.Status.REPORTED)

    assert agent_client.post(_url(hidden), {"on": "1"}).status_code == 404
    assert (
        agent_client.post(reverse("recognition:kudos-react", args=[99999, "clap"])).status_code
        == 404
    )
    assert not Reaction.objects.exists()


def test_reacting_needs_a_post(agent_client, kudos):
    assert agent_client.get(_url(kudos)).status_code == 405


def test_the_wall_highlights_the_viewer_s_own_reactions(agent_client, kudos, agent, mentor):
    Reaction.objects.create(kudos=kudos, user=agent, kind="star")
    Reaction.objects.create(kudos=kudos, user=mentor, kind="clap")

    body = agent_client.get(reverse("recognition:wall")).content.decode()

    assert f'id="react-{kudos.pk}-star" aria-pressed="true"' in body
    assert f'id="react-{kudos.pk}-clap" aria-pressed="false"' in body


# --- Concurrency ---------------------------------------------------------------------------


def _raced_kudos(giver, recipient) -> Kudos:
    """A kudos in a transactional test, where an earlier one may have flushed the seeded
    values."""
    shown, _ = Value.objects.get_or_create(
        slug="team-player",
        defaults={"name": "Team player", "emoji": "🤝", "description": "x", "qualifies": "x"},
    )
    return make_kudos(giver, recipient, values=[shown])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_clicks_racing_to_turn_a_reaction_on_leave_one_row(mentor, outsider, agent):
    """Truly parallel on PostgreSQL (the unique constraint decides); SQLite serialises the
    writers, and the same must hold there."""
    kudos = _raced_kudos(mentor, outsider)

    outcomes = run_in_threads(
        lambda i: reaction_toggle(
            kudos=Kudos.objects.get(pk=kudos.pk), user=agent, kind="clap", on=True
        ),
        count=10,
    )

    assert outcomes == [True] * 10
    assert Reaction.objects.filter(kudos=kudos, user=agent, kind="clap").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_people_racing_to_react_each_get_one(mentor, outsider):
    kudos = _raced_kudos(mentor, outsider)
    people = [UserFactory() for _ in range(8)]

    run_in_threads(
        lambda i: reaction_toggle(kudos=kudos, user=people[i], kind="heart", on=True), count=8
    )

    assert Reaction.objects.filter(kudos=kudos, kind="heart").count() == 8


# --- In a browser --------------------------------------------------------------------------


@pytest.mark.browser
@requires_chromium
def test_a_colleague_reacts_and_comments_without_a_page_reload(new_page, mentor, outsider, agent):
    kudos = _raced_kudos(mentor, [outsider, agent])
    page = new_page()
    log_in(page, "outsider")
    page.goto("/kudos/")
    page.evaluate("window.notReloaded = true")

    page.locator(f"#react-{kudos.pk}-clap").click()
    expect(page.locator(f"#react-{kudos.pk}-clap")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#react-{kudos.pk}-clap .reaction-count")).to_have_text("1")
    page.locator(f"#react-{kudos.pk}-clap").click()
    expect(page.locator(f"#react-{kudos.pk}-clap")).to_have_attribute("aria-pressed", "false")
    page.locator(f"#react-{kudos.pk}-heart").click()
    expect(page.locator(f"#react-{kudos.pk}-heart")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.notReloaded") is True
    assert list(Reaction.objects.values_list("user__username", "kind")) == [("outsider", "heart")]
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary

    page.goto(kudos.get_absolute_url())
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Comment", exact=True).fill("Well deserved @agent")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment-status")).to_contain_text("Comment posted.")
    expect(page.locator(f"#comment-count-{kudos.pk}")).to_have_text("1 comment")
    expect(page.locator(".comment-body a.mention")).to_have_text("@agent")
    assert page.evaluate("window.notReloaded") is True
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary
    assert not page.errors
