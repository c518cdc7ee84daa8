"""Reporting an inappropriate kudos: it is hidden from everyone but its giver and admins (the
wall, its page, the counts) until an admin decides; restored, it shows and counts again;
removed, it stays hidden. The admins are told once per report."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import Notification
from recognition.models import Kudos, KudosRecipient
from recognition.selectors.accounts import points_received
from recognition.services import kudos_remove, kudos_report, kudos_restore
from tests.factories import UserFactory
from tests.recognition.builders import make_kudos

WALL = reverse("recognition:wall")


@pytest.fixture
def admin(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def kudos(mentor, outsider):
    return make_kudos(mentor, outsider, message="SECRET-MESSAGE", points=20)


def _report_url(kudos: Kudos) -> str:
    return reverse("recognition:kudos-report", args=[kudos.pk])


def _sees(client, person, kudos: Kudos) -> tuple[bool, int]:
    """(the wall shows the kudos's message, its page's status) for `person`."""
    client.force_login(person)
    wall = client.get(WALL).content.decode()
    return "SECRET-MESSAGE" in wall, client.get(kudos.get_absolute_url()).status_code


# --- The service ---------------------------------------------------------------------------


def test_a_report_hides_the_kudos_and_tells_the_admins_once(kudos, agent, admin):
    other_admin = UserFactory(is_superuser=True)
    UserFactory(is_superuser=True, is_active=False)

    reported = kudos_report(kudos=kudos, user=agent, reason="  It mocks a colleague.  ")

    assert reported.status == Kudos.Status.REPORTED
    assert (reported.reported_by, reported.report_reason) == (agent, "It mocks a colleague.")
    assert reported.reported_at is not None
    told = Notification.objects.filter(kind="recognition.report")
    assert sorted(told.values_list("recipient", flat=True)) == sorted([admin.pk, other_admin.pk])
    assert "It mocks a colleague." in told.first().message


def test_hidden_kudos_never_count(kudos, agent, outsider):
    assert points_received(outsider) == 20

    kudos_report(kudos=kudos, user=agent, reason="Spam")

    assert points_received(outsider) == 0
    assert not Kudos.objects.counted().exists()
    assert not KudosRecipient.objects.counted().exists()


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("", "Write what is wrong."),
        ("x" * 501, "Keep what is wrong to 500 characters (501 now)."),
        ("bad\x00byte", "This text holds a character that cannot be stored."),
    ],
)
def test_a_report_needs_a_short_reason(kudos, agent, reason, error):
    with pytest.raises(ValidationError) as refused:
        kudos_report(kudos=kudos, user=agent, reason=reason)

    assert refused.value.message_dict == {"reason": [error]}
    kudos.refresh_from_db()
    assert kudos.status == Kudos.Status.VISIBLE


def test_nobody_reports_their_own_kudos(kudos, mentor):
    with pytest.raises(ValidationError, match="cannot be reported"):
        kudos_report(kudos=kudos, user=mentor, reason="Oops")


def test_a_kudos_is_reported_once(kudos, agent, editor, admin):
    kudos_report(kudos=kudos, user=agent, reason="Spam")

    with pytest.raises(ValidationError, match="not there any more"):
        kudos_report(kudos=kudos, user=editor, reason="Spam too")
    assert Notification.objects.filter(kind="recognition.report").count() == 1


def test_restored_it_shows_and_counts_again(kudos, agent, outsider, admin):
    kudos_report(kudos=kudos, user=agent, reason="Spam")

    restored = kudos_restore(kudos=kudos, admin=admin)

    assert restored.status == Kudos.Status.VISIBLE
    assert (restored.decided_by, restored.decided_at is not None) == (admin, True)
    assert points_received(outsider) == 20


def test_removed_it_stays_hidden(kudos, agent, outsider, admin):
    kudos_report(kudos=kudos, user=agent, reason="Spam")

    kudos_remove(kudos=kudos, admin=admin)

    kudos.refresh_from_db()
    assert kudos.status == Kudos.Status.REMOVED
    assert points_received(outsider) == 0
    assert not Kudos.objects.visible_to(agent).filter(pk=kudos.pk).exists()


def test_an_admin_may_remove_a_kudos_nobody_reported(kudos, admin):
    removed = kudos_remove(kudos=kudos, admin=admin)

    removed.refresh_from_db()
    assert removed.status == Kudos.Status.REMOVED
    assert (removed.reported_by, removed.decided_by) == (admin, admin)


def test_a_restored_kudos_can_be_reported_again(kudos, agent, admin):
    kudos_report(kudos=kudos, user=agent, reason="Spam")
    kudos_restore(kudos=kudos, admin=admin)

    kudos_report(kudos=kudos, user=agent, reason="Still spam")

    kudos.refresh_from_db()
    assert kudos.status == Kudos.Status.REPORTED
    assert (kudos.decided_by, kudos.decided_at) == (None, None)
    assert Notification.objects.filter(kind="recognition.report").count() == 2


def test_only_admins_decide(kudos, agent, manager):
    kudos_report(kudos=kudos, user=agent, reason="Spam")

    for decide in (kudos_restore, kudos_remove):
        with pytest.raises(ValidationError, match="Only admins"):
            decide(kudos=kudos, admin=manager)
    kudos.refresh_from_db()
    assert kudos.status == Kudos.Status.REPORTED


# --- Who sees it ---------------------------------------------------------------------------


def test_hidden_from_all_but_its_giver_and_admins_until_an_admin_decides(
    client, kudos, agent, mentor, outsider, admin
):
    kudos_report(kudos=kudos, user=agent, reason="Spam")

    for person in (agent, outsider, UserFactory()):
        assert _sees(client, person, kudos) == (False, 404)
    for person in (mentor, admin):
        assert _sees(client, person, kudos) == (True, 200)
        page = client.get(kudos.get_absolute_url()).content.decode()
        assert "Under review" in page
        assert "Comments are closed while this kudos is under review." in page

    kudos_restore(kudos=kudos, admin=admin)

    for person in (agent, outsider, mentor):
        assert _sees(client, person, kudos) == (True, 200)
    assert "Under review" not in client.get(WALL).content.decode()


def test_a_removed_kudos_is_marked_for_its_giver(client, kudos, mentor, agent, admin):
    kudos_report(kudos=kudos, user=agent, reason="Spam")
    kudos_remove(kudos=kudos, admin=admin)

    assert _sees(client, agent, kudos) == (False, 404)
    assert _sees(client, mentor, kudos) == (True, 200)
    assert "Removed by an admin" in client.get(WALL).content.decode()


# --- The view ------------------------------------------------------------------------------


def test_the_card_offers_a_report_to_others_only(client, kudos, mentor, agent):
    client.force_login(agent)
    assert f'action="{_report_url(kudos)}"' in client.get(WALL).content.decode()

    client.force_login(mentor)
    assert f'action="{_report_url(kudos)}"' not in client.get(WALL).content.decode()


def test_reporting_from_the_card_hides_it_and_comes_back_to_the_wall(agent_client, kudos):
    response = agent_client.post(_report_url(kudos), {"reason": "It is a joke at her expense."})

    assert response.status_code == 302
    assert response["Location"] == WALL
    kudos.refresh_from_db()
    assert kudos.status == Kudos.Status.REPORTED
    wall = agent_client.get(WALL).content.decode()
    assert "hidden from everyone but its giver until an admin decides" in wall
    assert "SECRET-MESSAGE" not in wall


def test_the_report_page_shows_the_form(agent_client, kudos):
    response = agent_client.get(_report_url(kudos))

    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("", "Say what is wrong with it."),
        ("x" * 501, "Ensure this value has at most 500 characters (it has 501)."),
        ("   ", "Say what is wrong with it."),
    ],
)
def test_a_bad_reason_is_a_form_error_and_hides_nothing(agent_client, kudos, reason, error):
    response = agent_client.post(_report_url(kudos), {"reason": reason})

    assert response.status_code == 400
    assert error in response.content.decode()
    kudos.refresh_from_db()
    assert kudos.status == Kudos.Status.VISIBLE


def test_the_giver_cannot_report_their_own(client, kudos, mentor):
    client.force_login(mentor)

    page = client.get(_report_url(kudos))
    post = client.post(_report_url(kudos), {"reason": "Mine"})

    assert page.status_code == post.status_code == 400
    assert "You cannot report your own kudos." in page.content.decode()
    assert "cannot be reported" in post.content.decode()
    kudos.refresh_from_db()
    assert kudos.status == Kudos.Status.VISIBLE


def test_a_hidden_or_unknown_kudos_is_a_404(agent_client, mentor, outsider):
    hidden = make_kudos(mentor, outsider, status=Kudos.Status.REPORTED)

    assert agent_client.post(_report_url(hidden), {"reason": "x"}).status_code == 404
    missing = reverse("recognition:kudos-report", args=[99999])
    assert agent_client.get(missing).status_code == 404
