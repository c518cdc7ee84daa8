"""One kudos's page (/kudos/<pk>/): the card, its comments with mentions linked, the comment
form; a 404 for a kudos the viewer may not see; the same secrecy about the work it was for as
the wall; escaping; a constant number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from people.models import Role
from recognition.models import Kudos, KudosComment, Reaction
from tests.factories import UserFactory, make_article
from tests.mentorship.builders import make_pairing, make_program
from tests.recognition.builders import make_kudos


def _get(client, kudos: Kudos):
    return client.get(reverse("recognition:kudos-detail", args=[kudos.pk]))


def test_the_page_shows_the_card_comments_and_the_form(agent_client, agent, mentor, outsider):
    kudos = make_kudos(mentor, [agent, outsider], message="You saved the launch.")
    KudosComment.objects.create(kudos=kudos, author=outsider, body="So true, @agent")
    Reaction.objects.create(kudos=kudos, user=outsider, kind="party")

    response = _get(agent_client, kudos)

    body = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>Kudos from {mentor.name}</h1>" in body
    assert "You saved the launch." in body
    assert "Comments (1)" in body
    assert '<a class="mention" href="/people/u/agent/"' in body
    assert f'action="{reverse("recognition:kudos-comment", args=[kudos.pk])}"' in body
    assert f'id="react-{kudos.pk}-party" aria-pressed="false"' in body
    assert f'<a href="#comments" id="comment-count-{kudos.pk}">1 comment</a>' in body
    assert 'data-suggest-url="/people/mention-suggest/"' in body


def test_an_unknown_kudos_is_a_404(agent_client):
    assert agent_client.get(reverse("recognition:kudos-detail", args=[424242])).status_code == 404


@pytest.mark.parametrize("status", [Kudos.Status.REPORTED, Kudos.Status.REMOVED])
def test_a_hidden_kudos_is_a_404_for_all_but_its_giver_and_admins(client, agent, mentor, status):
    kudos = make_kudos(mentor, agent, status=status)

    client.force_login(agent)
    assert _get(client, kudos).status_code == 404
    client.force_login(mentor)
    assert _get(client, kudos).status_code == 200
    client.force_login(UserFactory(is_superuser=True))
    assert _get(client, kudos).status_code == 200


def test_the_page_keeps_a_restricted_article_s_title_secret(client, agent, editor, outsider):
    article = make_article(
        author=editor,
        title="Tech-only runbook",
        visibility="teams",
        teams=[outsider.team],
        approved_by=UserFactory(roles=[Role.KB_EDITOR]),
    )
    kudos = make_kudos(outsider, UserFactory(team=outsider.team), article=article)

    client.force_login(agent)
    body = _get(client, kudos).content.decode()
    assert "Tech-only runbook" not in body
    assert "For a knowledge-base article" in body


def test_the_page_links_a_pairing_only_for_those_who_see_it(client, agent, mentor, outsider):
    pairing = make_pairing(program=make_program(), mentor=mentor, mentee=agent)
    kudos = make_kudos(agent, mentor, pairing=pairing)

    client.force_login(outsider)
    assert pairing.get_absolute_url() not in _get(client, kudos).content.decode()
    client.force_login(agent)
    assert pairing.get_absolute_url() in _get(client, kudos).content.decode()


def test_xss_in_message_and_quote_is_escaped_on_the_page(agent_client, agent, mentor):
    attack = '<script>alert(1)</script><a href="javascript:alert(2)">x</a>'
    kudos = make_kudos(mentor, agent, message=attack, ticket_ref="<b>T</b>", customer_quote=attack)

    body = _get(agent_client, kudos).content.decode()

    assert "<script>alert(1)" not in body
    assert '<a href="javascript' not in body
    assert "<b>T</b>" not in body
    assert body.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2


def test_links_in_a_message_are_clickable_and_safe(agent_client, agent, mentor):
    kudos = make_kudos(mentor, agent, message="See https://example.com/case/1 for the story")

    body = _get(agent_client, kudos).content.decode()

    assert '<a href="https://example.com/case/1" rel="noopener noreferrer nofollow">' in body


# Measured, the same at both sizes: the session and the user (2); the kudos with giver, values,
# recipients, reactions and comment count (4); the viewer's roles, read once for the article's
# audience and the tabs (1); the article the viewer may open (1); who reacted (1); the comments
# with their authors, and the people mentioned (2).
DETAIL_QUERIES = 11


@pytest.mark.parametrize("size", [2, 25])
def test_the_page_s_queries_do_not_grow_with_comments_and_reactions(
    client, agent, mentor, editor, size, django_assert_max_num_queries
):
    article = make_article(author=editor, approved_by=UserFactory(roles=[Role.KB_EDITOR]))
    people = [UserFactory() for _ in range(size)]
    kudos = make_kudos(mentor, [agent, *people[:3]], article=article)
    for n, person in enumerate(people):
        KudosComment.objects.create(
            kudos=kudos, author=person, body=f"Yes @{people[-1 - n].username}"
        )
        Reaction.objects.create(kudos=kudos, user=person, kind=Reaction.Kind.values[n % 5])
    client.force_login(agent)

    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = _get(client, kudos)

    assert response.status_code == 200
    assert response.content.decode().count('class="mention"') == size
