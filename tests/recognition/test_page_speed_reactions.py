"""The reactions bar is built by a template tag for speed; what it shows each viewer is
unchanged: their own reactions pressed, forms only while the kudos is open, who reacted."""

from __future__ import annotations

from django.utils import timezone

from recognition.models import Kudos
from recognition.services import reaction_toggle
from tests.recognition.builders import make_kudos


def test_each_viewer_sees_only_their_own_reaction_pressed(client, agent, mentor, outsider):
    kudos = make_kudos(mentor, outsider)
    reaction_toggle(kudos=kudos, user=agent, kind="heart")

    client.force_login(agent)
    mine = client.get("/kudos/").content.decode()
    client.force_login(mentor)
    theirs = client.get("/kudos/").content.decode()

    assert f'id="react-{kudos.pk}-heart" aria-pressed="true"' in mine
    assert f'id="react-{kudos.pk}-heart" aria-pressed="false"' in theirs
    assert f'action="/kudos/{kudos.pk}/react/heart/"' in theirs
    assert 'name="csrfmiddlewaretoken"' in theirs
    assert f"from {agent.name}" in theirs


def test_a_kudos_under_review_shows_counts_without_forms(client, agent, mentor, outsider):
    kudos = make_kudos(mentor, outsider)
    reaction_toggle(kudos=kudos, user=agent, kind="clap")
    Kudos.objects.filter(pk=kudos.pk).update(
        status=Kudos.Status.REPORTED, reported_at=timezone.now()
    )

    client.force_login(mentor)  # its giver still sees it
    body = client.get(f"/kudos/{kudos.pk}/").content.decode()

    assert f'id="reactions-{kudos.pk}"' in body
    assert f"/kudos/{kudos.pk}/react/" not in body
    assert '<span class="reaction-count">1</span>' in body
