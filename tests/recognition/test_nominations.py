"""The nomination services: who may nominate (managers, or everyone when the setting says so),
the award's period on the organisation's calendar, the checks on a nomination (not oneself,
nobody who left, an open award, a reason, links as evidence, once per period, also when two
requests race), the approvers told once; the decision (approvers only, never on one's own
nomination or about oneself, a comment to reject, once, also when two approvers race) and who
is told of it (the nominee only of an approval)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import Notification
from people.models import Role, User
from recognition.models import APPROVERS_GROUP, Award, Nomination
from recognition.services.nominations import (
    can_nominate,
    nomination_approve,
    nomination_create,
    nomination_reject,
    period_label,
)
from tests.concurrency import run_in_threads
from tests.factories import UserFactory

REASON = "Turned a furious customer into a fan in one call."
DONE = "done"
NOT_A_LINK = "is not a link: start it with https:// or, for a page of Huddle, with /"
NOT_AN_APPROVER = (
    "Only award approvers decide nominations, and never one they made or one about themselves."
)


@pytest.fixture
def award(db):
    return Award.objects.get_or_create(
        slug="customer-champion-of-the-quarter",
        defaults={"name": "Customer Champion of the quarter", "period": Award.Period.QUARTER},
    )[0]


@pytest.fixture
def approver(other_team):
    return UserFactory(username="approver", team=other_team, roles=[APPROVERS_GROUP])


@pytest.fixture
def admin(other_team):
    return UserFactory(username="admin", team=other_team, is_superuser=True, is_staff=True)


def _nominate(manager, nominee, award, **fields) -> Nomination:
    fields.setdefault("reason", REASON)
    return nomination_create(nominated_by=manager, nominee=nominee, award=award, **fields)


def _refusal(call) -> dict[str, list[str]] | list[str]:
    with pytest.raises(ValidationError) as refused:
        call()
    error = refused.value
    return error.message_dict if hasattr(error, "error_dict") else error.messages


def _told(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind__startswith=kind).values_list(
            "recipient__username", flat=True
        )
    )


# --- Who nominates, and the period --------------------------------------------------------


@pytest.mark.django_db
def test_only_managers_nominate_unless_the_setting_opens_it_to_all(agent, manager, settings):
    settings.RECOGNITION_NOMINATIONS_OPEN_TO_ALL = False
    assert can_nominate(manager)
    assert not can_nominate(agent)

    settings.RECOGNITION_NOMINATIONS_OPEN_TO_ALL = True
    assert can_nominate(agent)


@pytest.mark.django_db
def test_someone_who_left_cannot_nominate_even_when_open_to_all(agent, settings):
    settings.RECOGNITION_NOMINATIONS_OPEN_TO_ALL = True
    agent.is_active = False

    assert not can_nominate(agent)


@pytest.mark.django_db
def test_an_agent_s_nomination_is_refused_and_nothing_is_saved(agent, mentor, award, settings):
    settings.RECOGNITION_NOMINATIONS_OPEN_TO_ALL = False

    assert _refusal(lambda: _nominate(agent, mentor, award)) == [
        "Only managers nominate colleagues for awards."
    ]
    assert not Nomination.objects.exists()


@pytest.mark.django_db
def test_an_agent_nominates_when_the_setting_opens_it_to_all(agent, mentor, award, settings):
    settings.RECOGNITION_NOMINATIONS_OPEN_TO_ALL = True

    nomination = _nominate(agent, mentor, award)

    assert nomination.nominated_by == agent


@pytest.mark.parametrize(
    ("period", "day", "label"),
    [
        (Award.Period.QUARTER, date(2026, 11, 3), "2026 Q4"),
        (Award.Period.QUARTER, date(2026, 1, 1), "2026 Q1"),
        (Award.Period.QUARTER, date(2026, 6, 30), "2026 Q2"),
        (Award.Period.MONTH, date(2026, 11, 3), "November 2026"),
        (Award.Period.YEAR, date(2026, 11, 3), "2026"),
    ],
)
def test_the_period_label_names_the_award_s_period(period, day, label):
    assert period_label(Award(period=period), day) == label


def test_a_moment_s_period_is_the_organisation_s_day(settings):
    settings.TIME_ZONE = "Pacific/Auckland"
    # 30 September in UTC, already 1 October in Auckland: the new quarter has begun.
    moment = datetime(2026, 9, 30, 12, 0, tzinfo=UTC)

    assert period_label(Award(period=Award.Period.QUARTER), moment) == "2026 Q4"
    assert period_label(Award(period=Award.Period.MONTH), moment) == "October 2026"


# --- Nominating ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_nomination_is_for_the_current_period_and_tells_each_approver_once(
    manager, agent, award, approver, admin
):
    now = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)

    nomination = _nominate(manager, agent, award, now=now, evidence="https://crm.example/t/42")

    nomination.refresh_from_db()
    assert nomination.period_label == "2026 Q4"
    assert nomination.status == Nomination.Status.PENDING
    assert nomination.created_at == now
    assert nomination.evidence == "https://crm.example/t/42"
    assert _told("recognition.nomination") == ["admin", "approver"]
    ask = Notification.objects.get(recipient=approver)
    assert ask.message == (
        f"{manager.name} nominated {agent.name} for Customer Champion of the quarter "
        "(2026 Q4): please approve or reject the nomination."
    )
    assert ask.url == f"/kudos/nominations/{nomination.pk}/"


@pytest.mark.django_db
def test_an_approver_who_is_the_nominee_or_left_is_not_told(manager, award, approver):
    nominee = UserFactory(username="nominee", roles=[APPROVERS_GROUP])
    UserFactory(username="gone", roles=[APPROVERS_GROUP], is_active=False)

    _nominate(manager, nominee, award)

    assert _told("recognition.nomination") == ["approver"]


@pytest.mark.django_db
def test_nobody_nominates_themselves_in_the_service(manager, award):
    assert _refusal(lambda: _nominate(manager, manager, award)) == {
        "nominee": ["You cannot nominate yourself: ask a colleague to."]
    }
    assert not Nomination.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_a_self_nomination_too(manager, award):
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(
            award=award, period_label="2026 Q4", nominee=manager, nominated_by=manager,
            reason=REASON,
        )  # fmt: skip


@pytest.mark.django_db
def test_a_colleague_who_left_or_a_closed_award_is_refused(manager, agent, award):
    gone = UserFactory(display_name="Tom Baker", is_active=False)
    closed = Award.objects.create(name="Old award", slug="old", is_active=False)

    assert _refusal(lambda: _nominate(manager, gone, award)) == {
        "nominee": ["Tom Baker can no longer sign in to Huddle."]
    }
    assert _refusal(lambda: _nominate(manager, agent, closed)) == {
        "award": ["This award is not open for nominations."]
    }
    assert not Nomination.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("", "Write the reason."),
        ("   \n ", "Write the reason."),
        ("x" * 2001, "Keep the reason to 2,000 characters (2,001 now)."),
        ("Fine\x00work", "This text holds a character that cannot be stored."),
    ],
)
def test_a_reason_is_required_short_and_storable(manager, agent, award, reason, error):
    assert _refusal(lambda: _nominate(manager, agent, award, reason=reason)) == {"reason": [error]}
    assert not Nomination.objects.exists()


@pytest.mark.django_db
def test_evidence_is_links_one_per_line_stored_without_blank_lines(manager, agent, award):
    evidence = "  https://crm.example/tickets/42  \n\n/kb/a/refund-policy/\nhttp://intranet.example/x?y=1\n"

    nomination = _nominate(manager, agent, award, evidence=evidence)

    assert nomination.evidence == (
        "https://crm.example/tickets/42\n/kb/a/refund-policy/\nhttp://intranet.example/x?y=1"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("javascript:alert(1)", NOT_A_LINK),
        ("ftp://files.example/report", NOT_A_LINK),
        ("see the ticket", "holds spaces or characters a link cannot have"),
        ("//evil.example/x", "starts with “//”: write the whole address, starting with https://"),
        ("/\\evil.example", "holds spaces or characters a link cannot have"),
        ("https://", "is not a complete web address"),
        ("crm.example/t/1", NOT_A_LINK),
    ],
)  # fmt: skip
def test_evidence_that_is_not_a_link_is_refused_naming_the_line(
    manager, agent, award, line, problem
):
    evidence = f"https://crm.example/t/1\n{line}"

    refusal = _refusal(lambda: _nominate(manager, agent, award, evidence=evidence))

    assert refusal == {"evidence": [f"Link 2 (“{line}”) {problem}."]}
    assert not Nomination.objects.exists()


@pytest.mark.django_db
def test_evidence_has_at_most_ten_links_of_500_characters(manager, agent, award):
    eleven = "\n".join(f"/kb/a/article-{n}/" for n in range(11))
    long_link = "https://crm.example/" + "a" * 481

    assert _refusal(lambda: _nominate(manager, agent, award, evidence=eleven)) == {
        "evidence": ["Give at most 10 links (11 now)."]
    }
    assert _refusal(lambda: _nominate(manager, agent, award, evidence=long_link)) == {
        "evidence": [
            f"Link 1 (“{long_link[:59]}…”) is 501 characters long; a link has at most 500."
        ]
    }
    assert not Nomination.objects.exists()


@pytest.mark.django_db
def test_evidence_longer_than_the_column_in_all_is_refused(manager, agent, award):
    ten = "\n".join(f"https://crm.example/{n}/" + "a" * 400 for n in range(10))

    assert _refusal(lambda: _nominate(manager, agent, award, evidence=ten)) == {
        "evidence": ["Keep the links to 2,000 characters in all (4,229 now)."]
    }


@pytest.mark.django_db
def test_a_second_nomination_of_the_same_colleague_in_the_period_is_refused(
    manager, agent, award, team
):
    now = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
    _nominate(manager, agent, award, now=now)

    refusal = _refusal(lambda: _nominate(manager, agent, award, now=now + timedelta(days=20)))

    assert refusal == {
        "nominee": [
            f"You already nominated {agent.name} for Customer Champion of the quarter in "
            "2026 Q4: one nomination each per period."
        ]
    }
    # Another manager's nomination, or the next quarter's, is a new one.
    other = UserFactory(team=team, roles=[Role.MANAGER])
    _nominate(other, agent, award, now=now)
    _nominate(manager, agent, award, now=datetime(2027, 1, 2, tzinfo=UTC))
    assert Nomination.objects.count() == 3


# --- Deciding -----------------------------------------------------------------------------


@pytest.fixture
def nomination(manager, agent, award, approver):
    return _nominate(manager, agent, award)


@pytest.mark.django_db
def test_an_approval_tells_the_nominee_and_the_nominator_once_and_settles_the_asks(
    nomination, approver, manager, agent
):
    nomination_approve(nomination=nomination, user=approver, comment="Well deserved!")

    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.APPROVED
    assert nomination.decided_by == approver
    assert nomination.decided_at is not None
    assert nomination.decision_comment == "Well deserved!"
    award_note = Notification.objects.get(kind="recognition.award")
    assert award_note.recipient == agent
    assert award_note.message == (
        f"Congratulations: you are Customer Champion of the quarter of {nomination.period_label}! "
        f"{manager.name} nominated you. Their comment: “Well deserved!”"
    )
    assert _told("recognition.nomination_decided") == ["manager"]
    ask = Notification.objects.get(kind="recognition.nomination", recipient=approver)
    assert ask.read_at is not None


@pytest.mark.django_db
def test_a_rejection_needs_a_comment_and_changes_nothing_without_one(nomination, approver):
    for comment in ("", "   "):
        assert _refusal(
            lambda comment=comment: nomination_reject(
                nomination=nomination, user=approver, comment=comment
            )
        ) == {"comment": ["Write why, for the nominator."]}

    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.PENDING
    assert not Notification.objects.filter(kind="recognition.nomination_decided").exists()


@pytest.mark.django_db
def test_the_database_refuses_a_rejection_without_a_comment(nomination):
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.filter(pk=nomination.pk).update(
            status=Nomination.Status.REJECTED, decided_at=timezone.now()
        )


@pytest.mark.django_db
def test_a_rejection_tells_the_nominator_why_and_never_the_nominee(
    nomination, approver, manager, agent
):
    nomination_reject(nomination=nomination, user=approver, comment="Not enough evidence yet.")

    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.REJECTED
    told = Notification.objects.get(kind="recognition.nomination_decided")
    assert told.recipient == manager
    assert told.message.endswith("Why: “Not enough evidence yet.”")
    assert not Notification.objects.filter(recipient=agent).exists()


@pytest.mark.django_db
def test_only_approvers_decide(nomination, mentor, team, admin):
    other_manager = UserFactory(team=team, roles=[Role.MANAGER])
    for person in (mentor, other_manager):
        refusal = _refusal(
            lambda person=person: nomination_approve(nomination=nomination, user=person)
        )
        assert refusal == [NOT_AN_APPROVER]
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.PENDING

    nomination_approve(nomination=nomination, user=admin)

    nomination.refresh_from_db()
    assert nomination.decided_by == admin


@pytest.mark.django_db
def test_an_approver_never_decides_their_own_nomination_or_one_about_themselves(
    approver, award, mentor, settings
):
    settings.RECOGNITION_NOMINATIONS_OPEN_TO_ALL = True
    theirs = _nominate(approver, mentor, award)
    about_them = _nominate(mentor, approver, award)

    for nomination in (theirs, about_them):
        with pytest.raises(ValidationError, match="never one they made"):
            nomination_approve(nomination=nomination, user=approver)
        with pytest.raises(ValidationError, match="never one they made"):
            nomination_reject(nomination=nomination, user=approver, comment="No.")
    assert set(Nomination.objects.values_list("status", flat=True)) == {"pending"}


@pytest.mark.django_db
def test_a_nomination_is_decided_once(nomination, approver, admin):
    nomination_approve(nomination=nomination, user=approver)

    decided = [f"This nomination was already decided by {approver.name}: approved."]
    assert (
        _refusal(lambda: nomination_reject(nomination=nomination, user=admin, comment="No."))
        == decided
    )
    assert _refusal(lambda: nomination_approve(nomination=nomination, user=admin)) == decided
    nomination.refresh_from_db()
    assert nomination.decided_by == approver
    assert Notification.objects.filter(kind="recognition.award").count() == 1


@pytest.mark.django_db
def test_a_second_approval_of_the_same_win_is_refused(nomination, approver, agent, award, team):
    other = UserFactory(team=team, roles=[Role.MANAGER])
    second = _nominate(other, agent, award)
    nomination_approve(nomination=nomination, user=approver)

    assert _refusal(lambda: nomination_approve(nomination=second, user=approver)) == [
        f"{agent.name} is already Customer Champion of the quarter of {second.period_label}. "
        "Reject this nomination, saying so, to close it."
    ]
    nomination_reject(nomination=second, user=approver, comment="Already won this quarter.")


@pytest.mark.django_db
def test_a_comment_too_long_or_with_a_nul_is_refused(nomination, approver):
    assert _refusal(
        lambda: nomination_approve(nomination=nomination, user=approver, comment="x" * 1001)
    ) == {"comment": ["Keep your comment to 1,000 characters (1,001 now)."]}
    assert _refusal(
        lambda: nomination_reject(nomination=nomination, user=approver, comment="no\x00")
    ) == {"comment": ["This text holds a character that cannot be stored."]}
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.PENDING


# --- Racing requests (truly parallel on PostgreSQL; SQLite serialises the writers) ----------


def _create(nominator_pk: int, nominee_pk: int, award_pk: int) -> str:
    try:
        nomination_create(
            nominated_by=User.objects.get(pk=nominator_pk),
            nominee=User.objects.get(pk=nominee_pk),
            award=Award.objects.get(pk=award_pk),
            reason=REASON,
        )
    except ValidationError as refused:
        return " ".join(refused.messages)
    return DONE


def _decide(nomination_pk: int, approver_pk: int, approve: bool) -> str:
    nomination = Nomination.objects.get(pk=nomination_pk)
    user = User.objects.get(pk=approver_pk)
    try:
        if approve:
            nomination_approve(nomination=nomination, user=user)
        else:
            nomination_reject(nomination=nomination, user=user, comment="Not this time.")
    except ValidationError as refused:
        return " ".join(refused.messages)
    return DONE


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_nomination_sent_twice_at_once_is_saved_once(manager, agent, award):
    outcomes = run_in_threads(lambda i: _create(manager.pk, agent.pk, award.pk), count=4)

    assert outcomes.count(DONE) == 1
    assert {o for o in outcomes if o != DONE} == {
        f"You already nominated {agent.name} for Customer Champion of the quarter in "
        f"{period_label(award, timezone.now())}: one nomination each per period."
    }
    assert Nomination.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvers_deciding_at_once_make_one_decision(manager, agent, award, approver, admin):
    nomination = _nominate(manager, agent, award)
    deciders = [approver, admin]

    outcomes = run_in_threads(
        lambda i: _decide(nomination.pk, deciders[i].pk, approve=i == 0), count=2
    )

    assert outcomes.count(DONE) == 1
    (refusal,) = [o for o in outcomes if o != DONE]
    assert refusal.startswith("This nomination was already decided by ")
    nomination.refresh_from_db()
    assert nomination.status != Nomination.Status.PENDING
    assert Notification.objects.filter(kind="recognition.nomination_decided").count() == 1
