"""The giving service, `recognition.services.kudos.kudos_give`: what a kudos stores and whom it
tells, and every refusal (by field, nothing saved). The allowance has its own file
(test_allowance.py), the form and page theirs (test_give_view.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kb.models import Article
from mentorship.models import Pairing
from notifications.models import Notification
from recognition.models import Kudos, KudosRecipient, Value
from recognition.models.kudos import MESSAGE_MAX, POINTS_MAX
from recognition.services.kudos import MAX_RECIPIENTS, kudos_give
from tests.factories import UserFactory, make_article
from tests.mentorship.builders import make_pairing, make_program
from tests.recognition.builders import make_kudos, value
from tests.training.builders import make_session
from training.models import Session

pytestmark = pytest.mark.django_db


def _give(giver, recipients, **changes) -> Kudos:
    arguments = {
        "recipients": recipients if isinstance(recipients, list) else [recipients],
        "message": "Thank you for taking the angry refund call off my hands.",
        "values": [value("team-player")],
        "points": 10,
    }
    arguments.update(changes)
    return kudos_give(giver=giver, **arguments)


def _rows() -> tuple[int, int, int]:
    return Kudos.objects.count(), KudosRecipient.objects.count(), Notification.objects.count()


def _refused(field: str, giver, recipients, **changes) -> str:
    """Give, expecting a refusal on `field` that saved nothing; returns its words."""
    before = _rows()
    with pytest.raises(ValidationError) as refusal:
        _give(giver, recipients, **changes)
    assert field in refusal.value.message_dict, refusal.value.message_dict
    assert _rows() == before
    return " ".join(refusal.value.message_dict[field])


def test_a_kudos_to_two_colleagues_stores_each_with_the_points_and_tells_each_once(
    agent, mentor, manager
):
    kudos = _give(
        agent, [mentor, manager], points=15,
        values=[value("team-player"), value("shared-knowledge")],
    )  # fmt: skip

    kudos.refresh_from_db()
    assert kudos.giver == agent
    assert kudos.points == 15
    assert kudos.status == Kudos.Status.VISIBLE
    assert set(kudos.values.values_list("slug", flat=True)) == {"team-player", "shared-knowledge"}
    rows = KudosRecipient.objects.filter(kudos=kudos)
    assert {(r.recipient, r.giver, r.points) for r in rows} == {
        (mentor, agent, 15),
        (manager, agent, 15),
    }
    for person in (mentor, manager):
        (note,) = Notification.objects.filter(recipient=person, kind="recognition.kudos")
        assert agent.name in note.message
        assert "+15 points" in note.message
        assert note.url == kudos.get_absolute_url()
    assert not Notification.objects.filter(recipient=agent).exists()


def test_the_same_colleague_twice_is_one_recipient(agent, mentor):
    kudos = _give(agent, [mentor, mentor])
    assert kudos.recipient_rows.count() == 1


def test_the_message_is_stored_trimmed(agent, mentor):
    kudos = _give(agent, mentor, message="   Thanks for the handover.  \n")
    assert kudos.message == "Thanks for the handover."


def test_it_rejects_self_kudos(agent, mentor):
    words = _refused("recipients", agent, [mentor, agent])
    assert words == "You cannot give kudos to yourself."


def test_the_database_refuses_a_recipient_row_to_the_giver(agent, mentor):
    kudos = make_kudos(agent, mentor)
    with pytest.raises(IntegrityError), transaction.atomic():
        KudosRecipient.objects.create(kudos=kudos, recipient=agent, giver=agent, points=10)
    assert kudos.recipient_rows.count() == 1


def test_it_rejects_an_inactive_recipient(agent, mentor):
    gone = UserFactory(display_name="Gone Person", is_active=False)
    words = _refused("recipients", agent, [mentor, gone])
    assert "Gone Person can no longer sign in" in words


def test_it_rejects_no_recipient_and_too_many(agent):
    assert _refused("recipients", agent, []) == "Choose at least one colleague."
    crowd = UserFactory.create_batch(MAX_RECIPIENTS + 1)
    assert "at most 20" in _refused("recipients", agent, crowd)


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("", "Write a message."),
        ("   \n ", "Write a message."),
        ("x" * (MESSAGE_MAX + 1), "Keep a message to 1,000 characters (1,001 now)."),
        ("Thanks\x00", "cannot be stored"),
    ],
)
def test_it_rejects_an_empty_long_or_unstorable_message(agent, mentor, message, words):
    assert words in _refused("message", agent, mentor, message=message)


def test_a_message_of_exactly_the_limit_is_fine(agent, mentor):
    assert len(_give(agent, mentor, message="y" * MESSAGE_MAX).message) == MESSAGE_MAX


def test_it_rejects_no_value_and_a_retired_value(agent, mentor):
    assert _refused("values", agent, mentor, values=[]) == "Choose at least one value."
    retired = Value.objects.create(
        name="Old value", slug="old", emoji="x", description="Old.", qualifies="Old.",
        is_active=False,
    )  # fmt: skip
    assert "still offered" in _refused("values", agent, mentor, values=[retired])


@pytest.mark.parametrize("points", [-1, POINTS_MAX + 1, 10**30, True, "10", 2.5, None])
def test_it_rejects_points_out_of_range_or_not_a_whole_number(agent, mentor, points):
    assert "between 0 and 1,000" in _refused("points", agent, mentor, points=points)


def test_zero_points_is_a_thank_you_without_points(agent, mentor):
    kudos = _give(agent, mentor, points=0)
    assert kudos.recipient_rows.get().points == 0
    note = Notification.objects.get(recipient=mentor)
    assert "points" not in note.message


def test_it_rejects_two_pieces_of_work(agent, mentor, editor):
    article = make_article(author=mentor, approved_by=editor)
    words = _refused("target", agent, mentor, article=article, ticket_ref="T-1")
    assert "one piece of work" in words


def test_a_customer_quote_needs_its_ticket(agent, mentor):
    words = _refused("ticket_ref", agent, mentor, customer_quote="Best support ever")
    assert words == "Name the ticket the customer's words come from."


def test_a_customer_interaction_is_stored_with_its_ticket_and_quote(agent, mentor):
    kudos = _give(agent, mentor, ticket_ref=" T-1234 ", customer_quote="Best support ever")
    kudos.refresh_from_db()
    assert (kudos.ticket_ref, kudos.customer_quote) == ("T-1234", "Best support ever")
    assert kudos.is_customer_interaction


@pytest.mark.parametrize(
    ("field", "text", "words"),
    [
        ("ticket_ref", "T-1\x00", "cannot be stored"),
        ("customer_quote", "Great\x00", "cannot be stored"),
        ("ticket_ref", "T" * 51, "at most 50 characters"),
        ("ticket_ref", "T-1\nT-2", "single line"),
        ("customer_quote", "q" * (MESSAGE_MAX + 1), "at most 1000 characters"),
    ],
)
def test_it_rejects_a_ticket_or_quote_it_cannot_store(agent, mentor, field, text, words):
    extra = {} if field == "ticket_ref" else {"ticket_ref": "T-1"}
    assert words in _refused(field, agent, mentor, **{field: text, **extra})


def test_a_kudos_for_a_published_article_the_giver_can_open(agent, mentor, editor):
    article = make_article(author=mentor, approved_by=editor)
    assert _give(agent, mentor, article=article).article == article


def test_it_refuses_an_article_restricted_to_another_team(outsider, mentor, editor, team):
    restricted = make_article(
        author=mentor, title="Billing escalations", visibility=Article.Visibility.TEAMS,
        teams=[team], approved_by=editor,
    )  # fmt: skip
    draft = make_article(author=mentor, title="Not yet")
    hidden = _refused("article", outsider, mentor, article=restricted)
    # A draft (which nobody but its writers may open) gets the very same words: the refusal
    # does not tell the giver that the restricted article exists.
    assert hidden == _refused("article", outsider, mentor, article=draft)
    assert hidden == "Choose a published article you can open."


def test_a_team_member_may_thank_for_their_team_s_restricted_article(agent, mentor, editor, team):
    restricted = make_article(
        author=mentor, title="Billing escalations", visibility=Article.Visibility.TEAMS,
        teams=[team], approved_by=editor,
    )  # fmt: skip
    assert _give(agent, mentor, article=restricted).article == restricted


def test_it_refuses_a_session_the_giver_cannot_see(outsider, agent, mentor, team):
    session = make_session(organiser=mentor, visibility=Session.Visibility.TEAMS)
    session.teams.set([team])
    assert _refused("session", outsider, mentor, session=session) == (
        "Choose a session you can see."
    )
    assert _give(agent, mentor, session=session).session == session


def test_it_refuses_a_pairing_the_giver_is_not_in(agent, mentor, manager):
    pairing = make_pairing(program=make_program(), mentor=mentor, mentee=agent)
    words = _refused("pairing", manager, mentor, pairing=pairing)
    assert words == "Choose a mentorship you are part of."
    # Either side of the pair may thank the other for it.
    assert _give(agent, mentor, pairing=pairing).pairing == pairing
    assert _give(mentor, agent, pairing=pairing).pairing_id == pairing.pk
    assert Pairing.objects.get(pk=pairing.pk).kudos.count() == 2


def test_more_points_than_left_is_refused_with_what_is_left(agent, mentor, manager):
    _give(agent, mentor, points=90)
    words = _refused("points", agent, [mentor, manager], points=10)
    assert "That is 20 points (10 for each of 2)" in words
    assert "you have 10 left this month" in words
