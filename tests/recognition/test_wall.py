"""The wall (/kudos/): the give form, the success stories pinned today, and one feed of kudos,
customer praise and approved awards, newest first; its filters (team, value, person, period,
kind), pagination, what a card may reveal of the work a kudos was for, escaping, and a
constant number of queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Pairing
from people.models import Role
from recognition.models import Award, Kudos, Nomination, SuccessStory
from recognition.selectors.wall import PER_PAGE
from tests.factories import UserFactory, make_article
from tests.mentorship.builders import make_pairing, make_program
from tests.recognition.builders import make_kudos, make_praise
from tests.training.builders import make_session

URL = reverse("recognition:wall")


def _award(nominee, nominated_by, *, reason="Calm under pressure all quarter.", **fields):
    fields.setdefault("decided_at", timezone.now())
    return Nomination.objects.create(
        award=Award.objects.get(slug="customer-champion-of-the-quarter"),
        period_label=fields.pop("period_label", "2026 Q4"),
        nominee=nominee,
        nominated_by=nominated_by,
        reason=reason,
        status=fields.pop("status", Nomination.Status.APPROVED),
        **fields,
    )


def _feed(response) -> list[str]:
    """The feed's cards in order, as "kudos-<pk>", "praise-<pk>" or "award-<pk>"."""
    feed = response.content.decode().split('class="plain wall-feed"', 1)[1].split("</ol>", 1)[0]
    return re.findall(
        r'<article class="card (?:kudos|praise|award)-card[^"]*" id="([a-z]+-\d+)"', feed
    )


def _page(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


# --- The feed ------------------------------------------------------------------------------


def test_the_feed_mixes_kudos_praise_and_awards_newest_first(agent_client, agent, mentor, manager):
    now = timezone.now()
    old_kudos = make_kudos(mentor, agent, created_at=now - timedelta(days=3))
    praise = make_praise(agent, created_at=now - timedelta(days=2))
    award = _award(agent, manager, decided_at=now - timedelta(days=1))
    new_kudos = make_kudos(agent, mentor, created_at=now - timedelta(hours=1))

    feed = _feed(_page(agent_client))

    assert feed == [
        f"kudos-{new_kudos.pk}",
        f"award-{award.pk}",
        f"praise-{praise.pk}",
        f"kudos-{old_kudos.pk}",
    ]


def test_pending_and_rejected_nominations_never_reach_the_wall(agent_client, agent, manager):
    _award(agent, manager, status=Nomination.Status.PENDING, decided_at=None)
    _award(
        agent,
        manager,
        status=Nomination.Status.REJECTED,
        period_label="2026 Q3",
        decision_comment="Not this time.",
    )

    assert _feed(_page(agent_client)) == []


def test_a_kudos_card_shows_giver_recipients_values_points_and_message(agent_client, agent, mentor):
    other = UserFactory(display_name="Tom Baker")
    make_kudos(
        mentor,
        [agent, other],
        values=["team-player", "shared-knowledge"],
        points=15,
        message="You rebuilt the refund macro in an afternoon.",
    )

    body = _page(agent_client).content.decode()

    assert f'href="{mentor.get_absolute_url()}">{mentor.name}</a>' in body
    assert f'href="{other.get_absolute_url()}">Tom Baker</a>' in body
    assert "+15 points each" in body
    assert "🤝</span> Team player" in body
    assert "📚</span> Shared knowledge" in body
    assert "You rebuilt the refund macro in an afternoon." in body


def test_the_give_form_and_the_allowance_are_at_the_top(agent_client, agent, mentor):
    make_kudos(agent, mentor, points=30)

    body = _page(agent_client).content.decode()

    assert body.index('action="/kudos/give/"') < body.index('class="plain wall-feed"')
    assert "70 of 100 points left this month" in body
    assert '<input type="hidden" name="next" value="/kudos/">' in body


def test_pinned_stories_show_at_the_top_with_what_we_learned(agent_client, agent, mentor, manager):
    today = timezone.localdate()
    kudos = make_kudos(mentor, agent, message="Stayed late to migrate the account.")
    SuccessStory.objects.create(
        kudos=kudos,
        title="The midnight migration",
        learned="Pair on risky migrations.",
        pinned_from=today - timedelta(days=1),
        pinned_until=today + timedelta(days=5),
        created_by=manager,
    )
    SuccessStory.objects.create(
        praise=make_praise(agent),
        title="Old news",
        learned="Long ago.",
        pinned_from=today - timedelta(days=30),
        pinned_until=today - timedelta(days=10),
    )

    body = _page(agent_client).content.decode()

    assert "The midnight migration" in body
    assert "Pair on risky migrations." in body
    assert "Old news" not in body
    assert body.index("The midnight migration") < body.index("</aside>")


def test_a_story_of_a_reported_kudos_is_not_pinned(agent_client, agent, mentor, outsider):
    today = timezone.localdate()
    kudos = make_kudos(outsider, mentor, status=Kudos.Status.REPORTED)
    SuccessStory.objects.create(
        kudos=kudos, title="Hidden story", learned="x", pinned_from=today, pinned_until=today
    )

    assert "Hidden story" not in _page(agent_client).content.decode()


# --- Hidden kudos --------------------------------------------------------------------------


def test_a_reported_kudos_is_hidden_from_others_and_marked_for_its_giver(client, agent, mentor):
    make_kudos(mentor, agent, message="SECRET-REPORTED", status=Kudos.Status.REPORTED)
    admin = UserFactory(is_superuser=True)

    client.force_login(agent)  # a recipient is no exception
    seen = _page(client)
    assert "SECRET-REPORTED" not in seen.content.decode()
    assert "0 items" in seen.content.decode()

    for viewer in (mentor, admin):
        client.force_login(viewer)
        body = _page(client).content.decode()
        assert "SECRET-REPORTED" in body
        assert "Under review" in body


# --- What a kudos was for ------------------------------------------------------------------


def test_the_wall_never_reveals_a_restricted_article_s_title(client, agent, editor, outsider):
    reviewer = UserFactory(roles=[Role.KB_EDITOR])
    article = make_article(
        author=editor,
        title="Tech-only escalation runbook",
        visibility="teams",
        teams=[outsider.team],
        approved_by=reviewer,
    )
    open_article = make_article(
        author=editor, title="Refunds for everyone", slug="refunds", approved_by=reviewer
    )
    make_kudos(outsider, UserFactory(team=outsider.team), article=article)
    make_kudos(outsider, agent, article=open_article)

    client.force_login(agent)
    body = _page(client).content.decode()
    assert "Tech-only escalation runbook" not in body
    assert article.get_absolute_url() not in body
    assert "For a knowledge-base article" in body
    assert (
        f'the article <a href="{open_article.get_absolute_url()}">Refunds for everyone</a>' in body
    )

    client.force_login(outsider)
    assert "Tech-only escalation runbook" in _page(client).content.decode()


def test_the_wall_never_reveals_a_hidden_session_s_title(client, agent, outsider):
    session = make_session(organiser=outsider, title="Tech team retro", visibility="teams")
    session.teams.set([outsider.team])
    make_kudos(outsider, UserFactory(team=outsider.team), session=session)

    client.force_login(agent)
    body = _page(client).content.decode()
    assert "Tech team retro" not in body
    assert session.get_absolute_url() not in body
    assert "For a training session" in body

    client.force_login(outsider)
    assert "the session <a" in _page(client).content.decode()


def test_a_pairing_s_kudos_never_leaks_the_pairing_to_others(client, agent, mentor, outsider):
    pairing = make_pairing(program=make_program(), mentor=mentor, mentee=agent)
    make_kudos(agent, mentor, pairing=pairing, message="Thanks for the coaching.")
    link = f'<a href="{pairing.get_absolute_url()}">their mentoring</a>'

    client.force_login(outsider)
    body = _page(client).content.decode()
    assert "For their mentoring" in body
    assert pairing.get_absolute_url() not in body
    assert pairing.program.name not in body
    assert not Pairing.objects.visible_to(outsider).filter(pk=pairing.pk).exists()

    client.force_login(mentor)
    assert link in _page(client).content.decode()


def test_a_customer_interaction_shows_its_ticket_and_quote(agent_client, agent, mentor):
    make_kudos(mentor, agent, ticket_ref="ZD-4411", customer_quote="She fixed it in minutes!")

    body = _page(agent_client).content.decode()

    assert "For a customer interaction (ticket ZD-4411)" in body
    assert "She fixed it in minutes!" in body


def test_xss_in_a_message_quote_praise_and_award_is_escaped(agent_client, agent, mentor, manager):
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    make_kudos(mentor, agent, message=attack, ticket_ref="T-1", customer_quote=attack)
    make_praise(agent, quote=attack, customer="<b>Evil</b>")
    _award(agent, manager, reason=attack)

    body = _page(agent_client).content.decode()

    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert "<b>Evil</b>" not in body
    assert body.count("&lt;script&gt;alert") == 4


# --- Queries ---------------------------------------------------------------------------------

# Measured, the same at both sizes: the session and the user (2), roles for the tabs (1); the
# give form: allowance (2) and its values, sessions and pairings (3); the filters' teams and
# values (2); the stories and the people they name (3); the feed's count and page (2); the
# page's kudos with giver, values, recipients, reactions and comment counts (4), who reacted
# (1), the articles, sessions and pairings the viewer may open (3); praise and agents (2);
# awards (1).
WALL_QUERIES = 26


def _fill(size: int, *, agent, mentor, manager, editor) -> None:
    """`size` kudos of every kind of work, with reactions, and as much praise and awards."""
    reviewer = UserFactory(roles=[Role.KB_EDITOR])
    program = make_program()
    today = timezone.localdate()
    for n in range(size):
        colleague = UserFactory(team=agent.team)
        article = make_article(
            author=editor, title=f"Article {n}", slug=f"article-{n}", approved_by=reviewer
        )
        session = make_session(organiser=colleague, title=f"Session {n}")
        pairing = make_pairing(program=program, mentor=colleague, mentee=UserFactory())
        for target in (
            {"article": article},
            {"session": session},
            {"pairing": pairing},
            {"ticket_ref": f"T-{n}", "customer_quote": "Great"},
        ):
            kudos = make_kudos(colleague, [agent, mentor], **target)
            kudos.reactions.create(user=agent, kind="clap")
            kudos.reactions.create(user=mentor, kind="heart")
            kudos.comments.create(author=mentor, body="Well deserved")
        make_praise([agent, colleague])
        _award(colleague, manager, period_label=f"2026 Q{n}")
        SuccessStory.objects.create(
            kudos=kudos,
            title=f"Kudos story {n}",
            learned="Quote the customer back.",
            pinned_from=today,
            pinned_until=today,
        )
        SuccessStory.objects.create(
            praise=make_praise(colleague),
            title=f"Story {n}",
            learned="Listen first.",
            pinned_from=today,
            pinned_until=today,
        )


@pytest.mark.parametrize("size", [1, 6])
def test_the_wall_s_queries_do_not_grow_with_its_rows(
    client, agent, mentor, manager, editor, size, django_assert_max_num_queries
):
    _fill(size, agent=agent, mentor=mentor, manager=manager, editor=editor)
    client.force_login(agent)

    with django_assert_max_num_queries(WALL_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(_feed(response)) == min(size * 7, PER_PAGE)

    with django_assert_max_num_queries(WALL_QUERIES + 2):  # the team and value looked up
        response = client.get(URL, {"team": agent.team.slug, "value": "went-the-extra-mile"})
    assert response.status_code == 200
