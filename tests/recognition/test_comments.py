"""Short comments on a kudos: the giver, the recipients and everyone @mentioned are told, each
once per comment; mentions show as links; bad input is a form error; closed while the kudos
is under review."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import Notification
from recognition.models import Kudos, KudosComment
from recognition.services import comment_add
from tests.factories import UserFactory
from tests.recognition.builders import make_kudos

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def kudos(mentor, agent, outsider):
    return make_kudos(mentor, [agent, outsider])


def _told(kind: str = "recognition.comment") -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def _url(kudos: Kudos) -> str:
    return reverse("recognition:kudos-comment", args=[kudos.pk])


# --- The service ---------------------------------------------------------------------------


def test_the_giver_recipients_and_mentioned_are_told_once_each(kudos, editor):
    commenter = UserFactory(username="commenter")

    comment = comment_add(
        kudos=kudos, author=commenter, body="Agreed! @editor @editor @agent see this"
    )

    assert comment.body == "Agreed! @editor @editor @agent see this"
    assert _told() == ["agent", "editor", "mentor", "outsider"]
    notification = Notification.objects.get(recipient=editor)
    assert notification.url == kudos.get_absolute_url()
    assert "commented on a kudos" in notification.message


def test_the_author_is_not_told_of_their_own_comment(kudos, agent):
    comment_add(kudos=kudos, author=agent, body="Thanks, @agent is grateful")

    assert _told() == ["mentor", "outsider"]


def test_inactive_people_are_not_told(kudos, outsider):
    outsider.is_active = False
    outsider.save()

    comment_add(kudos=kudos, author=UserFactory(), body="Nice")

    assert _told() == ["agent", "mentor"]


def test_each_comment_tells_again(kudos, agent):
    comment_add(kudos=kudos, author=agent, body="One")
    comment_add(kudos=kudos, author=agent, body="Two")

    assert Notification.objects.filter(recipient__username="mentor").count() == 2


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write a comment."),
        ("   ", "Write a comment."),
        ("x" * 501, "Keep a comment to 500 characters (501 now)."),
        ("bad\x00byte", "This text holds a character that cannot be stored."),
    ],
)
def test_bad_comments_are_refused(kudos, agent, body, error):
    with pytest.raises(ValidationError) as refused:
        comment_add(kudos=kudos, author=agent, body=body)

    assert refused.value.message_dict == {"body": [error]}
    assert not KudosComment.objects.exists()
    assert not Notification.objects.exists()


def test_comments_are_closed_while_a_kudos_is_under_review(kudos, agent):
    stale = Kudos.objects.get(pk=kudos.pk)
    Kudos.objects.filter(pk=kudos.pk).update(
        status=Kudos.Status.REPORTED, reported_at=kudos.created_at
    )

    with pytest.raises(ValidationError, match="under review"):
        comment_add(kudos=stale, author=agent, body="Hello")
    assert not KudosComment.objects.exists()


# --- The view ------------------------------------------------------------------------------


def test_posting_a_comment_comes_back_to_it(agent_client, kudos):
    response = agent_client.post(_url(kudos), {"body": "Well deserved, @mentor!"})

    comment = KudosComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{kudos.get_absolute_url()}#comment-{comment.pk}"
    page = agent_client.get(kudos.get_absolute_url()).content.decode()
    assert "Comment posted." in page
    assert '<a class="mention" href="/people/u/mentor/"' in page


def test_htmx_gets_the_comments_back_in_place(agent_client, kudos, agent):
    response = agent_client.post(_url(kudos), {"body": "Bravo"}, **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith('<section id="comments"')
    assert "Comments (1)" in body
    assert "Bravo" in body
    assert "Comment posted." in body
    assert "just-posted" in body
    # The card's count above the section moves on too (an out-of-band swap).
    assert f'id="comment-count-{kudos.pk}" hx-swap-oob="true">1 comment</a>' in body


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write a comment first."),
        ("x" * 501, "Ensure this value has at most 500 characters (it has 501)."),
        ("Thanks @nobody-by-that-name", "No one here is called @nobody-by-that-name."),
    ],
)
def test_bad_comments_are_form_errors_and_save_nothing(agent_client, kudos, body, error):
    plain = agent_client.post(_url(kudos), {"body": body})
    htmx = agent_client.post(_url(kudos), {"body": body}, **HTMX)

    assert plain.status_code == htmx.status_code == 400
    assert error in plain.content.decode()
    assert error in htmx.content.decode()
    assert not KudosComment.objects.exists()


def test_a_nul_byte_is_refused_before_anything_reads_it(agent_client, kudos):
    response = agent_client.post(_url(kudos), {"body": "a\x00b"})

    assert response.status_code == 400
    assert not KudosComment.objects.exists()


def test_a_comment_on_a_kudos_under_review_is_refused_with_the_reason(client, mentor, agent):
    kudos = make_kudos(mentor, agent, status=Kudos.Status.REPORTED)
    client.force_login(mentor)

    response = client.post(_url(kudos), {"body": "Hello"})

    assert response.status_code == 400
    assert "Comments are closed while this kudos is under review." in response.content.decode()
    assert not KudosComment.objects.exists()


def test_a_hidden_kudos_cannot_be_commented_on_by_others(agent_client, mentor, outsider):
    kudos = make_kudos(mentor, outsider, status=Kudos.Status.REPORTED)

    assert agent_client.post(_url(kudos), {"body": "Hello"}).status_code == 404
    assert not KudosComment.objects.exists()


def test_xss_in_a_comment_is_escaped(agent_client, kudos):
    agent_client.post(_url(kudos), {"body": "<script>alert(1)</script> @mentor"})

    page = agent_client.get(kudos.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_card_counts_the_comments(agent_client, kudos, agent):
    for n in range(3):
        KudosComment.objects.create(kudos=kudos, author=agent, body=f"Comment {n}")

    wall = agent_client.get(reverse("recognition:wall")).content.decode()

    assert f'<a href="{kudos.get_absolute_url()}#comments">3 comments' in wall
