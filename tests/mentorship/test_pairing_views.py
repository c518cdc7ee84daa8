"""The pairing page and its lifecycle forms, as people use them: who sees what, who may do
what (403 for someone who sees the pairing but may not act, 404 for someone who may not see
it), refusals as the page again with the reason (400) and nothing changed, and the page's
query count pinned at two sizes of plan."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mentorship.models import (
    ActionItem,
    Goal,
    Meeting,
    MentorRequest,
    Milestone,
    Pairing,
    PairingFeedback,
)
from mentorship.services import pairings as services
from notifications.models import Notification
from tests.factories import UserFactory
from tests.mentorship.builders import make_profile, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(other_team):
    """A programme manager from another team."""
    return UserFactory(username="progman", team=other_team)


@pytest.fixture
def admin(other_team):
    return UserFactory(username="admin", team=other_team, is_superuser=True, is_staff=True)


@pytest.fixture
def program(boss):
    return make_program(managers=[boss], cadence_days=10, milestones=[("Kick-off", 7)])


@pytest.fixture
def proposal(program, mentor, agent, manager):
    make_profile(mentor, capacity=3)
    return services.pairing_assign(
        program=program, mentee=agent, mentor=mentor, manager=manager, message="Refund wizardry"
    )


@pytest.fixture
def active(proposal, mentor):
    return services.pairing_accept(pairing=proposal, mentor=mentor)


def _url(pairing, action: str = "") -> str:
    return f"/mentorship/pairings/{pairing.pk}/{action + '/' if action else ''}"


def _get(client, user, pairing):
    client.force_login(user)
    return client.get(_url(pairing))


def _post(client, user, pairing, action, data=None):
    client.force_login(user)
    return client.post(_url(pairing, action), data or {})


def _errors(response) -> str:
    html = response.content.decode()
    assert 'class="errorlist' in html
    return html


def _status(pairing) -> str:
    return Pairing.objects.get(pk=pairing.pk).status


# Who sees the page.


@pytest.mark.parametrize("viewer", ["mentor", "agent", "manager", "boss", "admin"])
def test_the_pair_and_those_who_oversee_it_see_the_page(client, request, active, viewer):
    response = _get(client, request.getfixturevalue(viewer), active)

    assert response.status_code == 200
    html = response.content.decode()
    assert active.mentor.name in html
    assert active.mentee.name in html
    assert "Meet every 10 days" in html
    assert "Assigned by a manager" in html


@pytest.mark.parametrize(
    ("viewer", "tab"),
    [
        ("mentor", "My mentoring"),
        ("agent", "My mentoring"),
        ("manager", "Team mentoring"),
        ("admin", "Team mentoring"),
        ("boss", "Programmes"),  # runs the programme, manages nobody in it
    ],
)
def test_the_section_tab_is_the_viewer_s_way_to_the_pairing(client, request, active, viewer, tab):
    html = _get(client, request.getfixturevalue(viewer), active).content.decode()

    assert html.count('aria-current="page"') == 1
    assert f'aria-current="page">{tab}</a>' in html


def test_anyone_else_gets_404(client, active, outsider, editor, other_team):
    other_manager = UserFactory(team=other_team, roles=["manager"])
    other_team.managers.add(other_manager)
    for stranger in (outsider, editor, other_manager):
        assert _get(client, stranger, active).status_code == 404
        assert _post(client, stranger, active, "complete").status_code == 404
    assert _status(active) == "active"


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, active):
    response = client.get(_url(active))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_members_see_the_plan_and_the_overseers_its_health(client, active, mentor, manager):
    member = _get(client, mentor, active).content.decode()
    overseer = _get(client, manager, active).content.decode()

    assert 'id="plan"' in member
    assert "How it is going" not in member
    assert 'id="plan"' not in overseer
    assert "How it is going" in overseer
    assert "Meetings held" in overseer


def test_overseers_see_a_stalled_pairing_at_risk_with_its_overdue_milestones(
    client, active, manager
):
    long_ago = timezone.now() - timedelta(days=25)
    Pairing.objects.filter(pk=active.pk).update(started_on=long_ago.date() - timedelta(days=5))
    Milestone.objects.filter(pairing=active).update(due_on=long_ago.date())
    Meeting.objects.create(pairing=active, starts_at=long_ago)
    Goal.objects.create(pairing=active, title="One", progress=100, status="met", met_at=long_ago)
    Goal.objects.create(pairing=active, title="Two", progress=50)
    Goal.objects.create(pairing=active, title="Dropped", progress=0, status="dropped")

    html = _get(client, manager, active).content.decode()

    assert "At risk: no meeting in two cadences (20 days)." in html
    assert "<dt>Goals met</dt><dd>1 of 2</dd>" in html
    assert "75%" in html
    assert "0 of 1 done" in html
    assert "1 overdue" in html


@pytest.mark.parametrize("viewer", ["mentor", "agent", "manager", "boss"])
def test_the_header_says_at_risk_for_a_stalled_pairing(client, request, active, viewer):
    user = request.getfixturevalue(viewer)
    assert 'class="pill status-active">Active</span>' in _get(client, user, active).content.decode()

    # Started 25 days ago, never met: two cadences of 10 days have passed.
    Pairing.objects.filter(pk=active.pk).update(
        started_on=timezone.localdate() - timedelta(days=25)
    )
    html = _get(client, user, active).content.decode()

    assert '<span class="pill mentoring-state-at_risk">At risk</span>' in html
    assert 'class="pill status-active"' not in html
    assert "at risk</span>: no meeting in 20 days" in html


def test_the_plan_comes_before_the_facts_and_the_health_too(client, active, mentor, manager):
    member = _get(client, mentor, active).content.decode()
    overseer = _get(client, manager, active).content.decode()

    assert member.index('id="plan"') < member.index('aria-label="Details"')
    assert member.index('aria-label="Details"') < member.index("Change the pairing")
    assert overseer.index("How it is going") < overseer.index('aria-label="Details"')


def test_the_request_s_message_is_for_the_pair_and_its_author(client, active, mentor, boss):
    assert "Refund wizardry" in _get(client, mentor, active).content.decode()
    assert "Refund wizardry" in _get(client, active.request.requested_by, active).content.decode()
    assert "Refund wizardry" not in _get(client, boss, active).content.decode()


# A proposal: the mentor answers, the mentee or their manager may withdraw it.


def test_the_mentor_sees_accept_and_decline_with_the_deadline(client, proposal, mentor):
    html = _get(client, mentor, proposal).content.decode()

    assert "Will you mentor" in html
    assert _url(proposal, "accept") in html
    assert _url(proposal, "decline") in html
    assert _url(proposal, "withdraw") not in html
    deadline = timezone.localtime(proposal.request.expires_at, mentor.zone)
    assert deadline.strftime("%d") in html
    assert "Please answer by" in html


@pytest.mark.parametrize("viewer", ["agent", "manager"])
def test_the_mentee_and_their_manager_see_withdraw_not_accept(client, request, proposal, viewer):
    html = _get(client, request.getfixturevalue(viewer), proposal).content.decode()

    assert _url(proposal, "withdraw") in html
    assert _url(proposal, "accept") not in html
    assert "has until" in html


def test_the_mentor_accepts(client, proposal, mentor, agent):
    response = _post(client, mentor, proposal, "accept")

    assert response.status_code == 302
    assert response["Location"] == _url(proposal)
    assert _status(proposal) == "active"
    assert Milestone.objects.filter(pairing=proposal).count() == 1
    assert Notification.objects.filter(recipient=agent, kind="mentorship.accepted").exists()


@pytest.mark.parametrize("viewer", ["agent", "manager", "boss"])
def test_nobody_but_the_mentor_answers(client, request, proposal, viewer):
    user = request.getfixturevalue(viewer)

    assert _post(client, user, proposal, "accept").status_code == 403
    assert _post(client, user, proposal, "decline", {"reason": "No"}).status_code == 403
    assert _status(proposal) == "proposed"


def test_answering_is_a_post(client, proposal, mentor):
    client.force_login(mentor)

    assert client.get(_url(proposal, "accept")).status_code == 405
    assert _status(proposal) == "proposed"


def test_accepting_after_the_window_is_refused_with_the_reason(client, proposal, mentor):
    request = proposal.request
    MentorRequest.objects.filter(pk=request.pk).update(
        created_at=request.created_at - timedelta(days=8),
        expires_at=request.expires_at - timedelta(days=8),
    )

    response = _post(client, mentor, proposal, "accept")

    assert response.status_code == 400
    assert "This request has expired" in response.content.decode()
    assert _status(proposal) == "proposed"
    assert not Milestone.objects.exists()
    # The page shows the request as expired, with no answer buttons left.
    html = _get(client, mentor, proposal).content.decode()
    assert "Expired unanswered" in html
    assert _url(proposal, "accept") not in html


def test_declining_after_the_window_says_why_though_the_form_is_gone(client, proposal, mentor):
    request = proposal.request
    MentorRequest.objects.filter(pk=request.pk).update(
        created_at=request.created_at - timedelta(days=8),
        expires_at=request.expires_at - timedelta(days=8),
    )

    response = _post(client, mentor, proposal, "decline", {"reason": "Busy"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "This request has expired" in html
    assert _url(proposal, "decline") not in html
    assert _status(proposal) == "proposed"


def test_declining_with_a_reason_tells_the_mentee(client, proposal, mentor, agent):
    response = _post(client, mentor, proposal, "decline", {"reason": "Fully booked until June"})

    assert response.status_code == 302
    assert _status(proposal) == "declined"
    note = Notification.objects.get(recipient=agent, kind="mentorship.declined")
    assert "Fully booked until June" in note.message
    html = _get(client, agent, proposal).content.decode()
    assert "Fully booked until June" in html
    assert services.suggestions_url(proposal) in html


def test_a_decline_reason_too_long_is_a_form_error(client, proposal, mentor):
    response = _post(client, mentor, proposal, "decline", {"reason": "x" * 2001})

    assert response.status_code == 400
    assert "at most 2000 characters" in _errors(response)
    assert _status(proposal) == "proposed"


def test_the_mentee_withdraws(client, proposal, agent, mentor):
    response = _post(client, agent, proposal, "withdraw")

    assert response.status_code == 302
    assert _status(proposal) == "withdrawn"
    assert Notification.objects.filter(recipient=mentor, kind="mentorship.withdrawn").exists()


def test_the_mentor_cannot_withdraw(client, proposal, mentor):
    assert _post(client, mentor, proposal, "withdraw").status_code == 403
    assert _status(proposal) == "proposed"


def test_withdrawing_an_answered_request_is_refused(client, active, agent):
    response = _post(client, agent, active, "withdraw")

    assert response.status_code == 400
    assert "Only a request still waiting" in response.content.decode()
    assert _status(active) == "active"


# An active pairing: extend, complete, end early.


@pytest.mark.parametrize("viewer", ["mentor", "agent", "manager", "boss", "admin"])
def test_the_pair_and_their_managers_see_the_actions(client, request, active, viewer):
    html = _get(client, request.getfixturevalue(viewer), active).content.decode()

    for action in ("extend", "complete", "end"):
        assert _url(active, action) in html


def test_ending_early_needs_a_reason(client, active, agent):
    response = _post(client, agent, active, "end", {"reason": "  "})

    assert response.status_code == 400
    assert "This field is required." in _errors(response)
    assert _status(active) == "active"


def test_ending_early_with_a_reason(client, active, manager, mentor):
    response = _post(client, manager, active, "end", {"reason": "Team reorganised"})

    assert response.status_code == 302
    pairing = Pairing.objects.get(pk=active.pk)
    assert pairing.status == "ended"
    assert pairing.end_reason == "Team reorganised"
    html = _get(client, mentor, active).content.decode()
    assert "Team reorganised" in html
    assert _url(active, "end") not in html


def test_extending_to_a_later_day(client, active, mentor):
    later = active.ends_on + timedelta(days=30)

    response = _post(client, mentor, active, "extend", {"ends_on": later.isoformat()})

    assert response.status_code == 302
    assert Pairing.objects.get(pk=active.pk).ends_on == later


@pytest.mark.parametrize(
    ("offset", "says"),
    [
        (-1, "after the current end"),
        (0, "after the current end"),
        (800, "at most two years"),
        (None, "Enter a valid date."),
    ],
)
def test_extending_is_refused_beside_the_date(client, active, mentor, offset, says):
    value = "31/02/2030" if offset is None else (active.ends_on + timedelta(days=offset))

    response = _post(client, mentor, active, "extend", {"ends_on": str(value)})

    assert response.status_code == 400
    assert says in _errors(response)
    assert Pairing.objects.get(pk=active.pk).ends_on == active.ends_on


def test_completing_asks_first_and_says_what_follows(client, active):
    html = _get(client, active.mentor, active).content.decode()

    confirm = html[html.index('<details class="pairing-confirm">') :]
    confirm = confirm[: confirm.index("</details>")]
    assert '<summary class="button secondary">Mark as completed…</summary>' in confirm
    assert f'action="{_url(active, "complete")}"' in confirm
    assert "asked for feedback" in confirm
    assert ">Yes, mark it completed</button>" in confirm


def test_completing_then_completing_again(client, active, agent):
    assert _post(client, agent, active, "complete").status_code == 302
    assert _status(active) == "completed"

    response = _post(client, agent, active, "complete")

    assert response.status_code == 400
    assert "only an active one can change" in response.content.decode()


# Feedback, at the end.


@pytest.fixture
def completed(active, mentor):
    return services.pairing_complete(pairing=active, user=mentor)


@pytest.mark.parametrize("viewer", ["mentor", "agent"])
def test_each_member_rates_a_completed_pairing_once(client, request, completed, viewer):
    user = request.getfixturevalue(viewer)
    assert 'name="rating"' in _get(client, user, completed).content.decode()

    response = _post(client, user, completed, "feedback", {"rating": "4", "comments": "Good"})

    assert response.status_code == 302
    html = _get(client, user, completed).content.decode()
    assert "Thanks for your feedback." in html
    assert 'name="rating"' not in html
    again = _post(client, user, completed, "feedback", {"rating": "1"})
    assert again.status_code == 400
    assert "already gave feedback" in again.content.decode()
    assert PairingFeedback.objects.get(author=user).rating == 4


@pytest.mark.parametrize("rating", ["0", "6", "five", ""])
def test_a_rating_is_1_to_5(client, completed, agent, rating):
    response = _post(client, agent, completed, "feedback", {"rating": rating})

    assert response.status_code == 400
    _errors(response)
    assert not PairingFeedback.objects.exists()


@pytest.mark.parametrize("viewer", ["manager", "boss"])
def test_only_the_pair_gives_feedback(client, request, completed, viewer):
    user = request.getfixturevalue(viewer)
    assert 'name="rating"' not in _get(client, user, completed).content.decode()

    assert _post(client, user, completed, "feedback", {"rating": "5"}).status_code == 403
    assert not PairingFeedback.objects.exists()


def test_feedback_waits_for_the_end(client, active, agent):
    response = _post(client, agent, active, "feedback", {"rating": "5"})

    assert response.status_code == 400
    assert "once the pairing is completed" in response.content.decode()
    assert not PairingFeedback.objects.exists()


def test_feedback_is_read_by_programme_managers_only(
    client, completed, mentor, agent, manager, boss, admin
):
    services.feedback_give(pairing=completed, author=agent, rating=5, comments="Zanzibarish")

    for reader in (boss, admin):
        html = _get(client, reader, completed).content.decode()
        assert "Zanzibarish" in html
        assert "5 of 5" in html
    for other in (mentor, agent, manager):
        assert "Zanzibarish" not in _get(client, other, completed).content.decode()


# Query counts: the page costs the same whatever the size of the plan.

SIZES = (2, 12)
# The pair's page reads its plan and, for the header's "At risk", its health row.
LIMITS = {"member": 11, "overseer": 8}


def _grow(pairing, size: int) -> None:
    """`size` goals, milestones, held meetings with two action items each, and one ahead."""
    now = timezone.now()
    for i in range(size):
        Goal.objects.create(pairing=pairing, title=f"Goal {i}", progress=10 * (i % 10))
        Milestone.objects.create(
            pairing=pairing, title=f"Milestone {i}", due_on=pairing.started_on + timedelta(i)
        )
        meeting = Meeting.objects.create(
            pairing=pairing, starts_at=now - timedelta(days=i + 1), notes=f"Notes {i}"
        )
        for owner in (pairing.mentor, pairing.mentee):
            ActionItem.objects.create(meeting=meeting, title=f"Do {i}", owner=owner)
    Meeting.objects.create(pairing=pairing, starts_at=now + timedelta(days=3))


@pytest.mark.parametrize("size", SIZES)
def test_the_member_page_query_count_is_constant(
    client, active, mentor, size, django_assert_max_num_queries
):
    _grow(active, size)
    client.force_login(mentor)

    with django_assert_max_num_queries(LIMITS["member"]):
        response = client.get(_url(active))

    assert response.status_code == 200
    assert response.content.decode().count("Goal ") >= size


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("viewer", ["manager", "boss"])
def test_the_overseer_page_query_count_is_constant(
    client, request, active, size, viewer, django_assert_max_num_queries
):
    _grow(active, size)
    client.force_login(request.getfixturevalue(viewer))

    with django_assert_max_num_queries(LIMITS["overseer"]):
        response = client.get(_url(active))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<dt>Meetings held</dt><dd>{size}</dd>" in html
    assert f"0 of {size}" in html  # goals met
    assert "Goal 0" not in html


# Asking for a mentor, as the mentee does from a suggestion: bad asks say why, save nothing.


def _ask(client, user, slug: str, mentor_username: str):
    client.force_login(user)
    return client.post(
        f"/mentorship/programmes/{slug}/request/{mentor_username}/", {"message": "Please"}
    )


def test_asking_in_an_unknown_programme_is_404(client, agent, mentor):
    make_profile(mentor)

    assert _ask(client, agent, "no-such-programme", mentor.username).status_code == 404
    assert not Pairing.objects.exists()


@pytest.mark.parametrize(
    ("case", "says"),
    [
        ("closed", "This programme is closed"),
        ("not_open", "is not open to mentoring"),
        ("no_profile", "is not open to mentoring"),
        ("self", "two different people"),
    ],
)
def test_a_bad_ask_is_refused_with_the_reason(client, program, agent, mentor, case, says):
    make_profile(mentor, open_to_mentor=case != "not_open")
    if case == "closed":
        program.is_open = False
        program.save()
    if case == "self":
        make_profile(agent)
    target = {"self": agent, "no_profile": UserFactory(username="nobody")}.get(case, mentor)

    response = _ask(client, agent, program.slug, target.username)

    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Pairing.objects.exists()
    assert not Notification.objects.filter(kind="mentorship.request").exists()
