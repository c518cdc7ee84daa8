"""Kudos cards are cached as rendered HTML under a digest of everything they show
(`people.fragments`): a card cached for one viewer never shows another viewer what is theirs
alone (their reactions, the title of work only they may open, their rights), its forms carry
the viewer's own CSRF token, and any change to what it shows, even by a bulk update that fires
no signal, shows at once."""

from __future__ import annotations

import re

from django.test import Client

from people.fragments import csrf_placeholder
from people.models import Role
from recognition.models import Kudos, Reaction
from recognition.services import reaction_toggle
from tests.factories import UserFactory, make_article
from tests.recognition.builders import make_kudos

CARD = "recognition/includes/kudos_card.html"


def _wall(client, user) -> str:
    client.force_login(user)
    response = client.get("/kudos/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_card_cached_for_one_viewer_shows_the_next_only_their_own_reactions(
    client, agent, mentor, outsider
):
    kudos = make_kudos(mentor, outsider)
    reaction_toggle(kudos=kudos, user=agent, kind="heart")

    theirs = _wall(client, mentor)  # rendered and cached first for someone who did not react
    mine = _wall(client, agent)

    assert f'id="react-{kudos.pk}-heart" aria-pressed="false"' in theirs
    assert f'id="react-{kudos.pk}-heart" aria-pressed="true"' in mine


def test_a_card_cached_for_a_reader_of_the_work_hides_its_title_from_others(
    client, agent, editor, outsider
):
    article = make_article(
        author=editor,
        title="Tech-only escalation runbook",
        visibility="teams",
        teams=[outsider.team],
        approved_by=UserFactory(roles=[Role.KB_EDITOR]),
    )
    make_kudos(outsider, UserFactory(team=outsider.team), article=article)

    assert "Tech-only escalation runbook" in _wall(client, outsider)  # cached with the title
    body = _wall(client, agent)

    assert "Tech-only escalation runbook" not in body
    assert article.get_absolute_url() not in body
    assert "For a knowledge-base article" in body


def test_a_cached_card_s_forms_carry_the_viewer_s_own_csrf_token(agent, mentor, outsider):
    kudos = make_kudos(mentor, outsider)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    _wall(first, mentor)
    body = _wall(second, agent)  # the card now comes from the cache

    assert csrf_placeholder() not in body
    url = f"/kudos/{kudos.pk}/react/heart/"
    form = re.search(rf'<form method="post" action="{url}".*?</form>', body).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = second.post(url, {"csrfmiddlewaretoken": token, "on": "1", "next": "/kudos/"})

    assert response.status_code == 302
    assert Reaction.objects.filter(kudos=kudos, user=agent, kind="heart").exists()


def test_a_card_shows_a_change_made_without_signals_at_once(client, agent, mentor, outsider):
    kudos = make_kudos(mentor, outsider, message="Thanks for the refund.")
    assert "Thanks for the refund." in _wall(client, agent)

    Kudos.objects.filter(pk=kudos.pk).update(message="Thanks for the quick refund.")
    outsider.display_name = "Sam the Refunder"
    outsider.save(update_fields=["display_name"])
    body = _wall(client, agent)

    assert "Thanks for the quick refund." in body
    assert "Sam the Refunder" in body


def test_a_card_seen_again_is_not_rendered_again(client, agent, mentor, outsider):
    make_kudos(mentor, outsider)
    client.force_login(agent)

    first = client.get("/kudos/")
    again = client.get("/kudos/")

    assert CARD in [t.name for t in first.templates]
    assert CARD not in [t.name for t in again.templates]
    assert _without_tokens(again) == _without_tokens(first)


def _without_tokens(response) -> str:
    # Each response masks the CSRF token anew.
    body = response.content.decode()
    return re.sub(r'(value="|"X-CSRFToken": ")[A-Za-z0-9]{64}', r"\1", body)
