"""Handing a person's work over: every kind moves to its successor, nothing stays with a
person who left, mentees are re-proposed or released with notice, the preview writes nothing,
bad choices are refused with nothing written, and two hand-overs of one person never both
apply."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dashboard.handover import KINDS, handover_apply, handover_preview, scope_for
from dashboard.models import HandOver
from kb.models import Article
from mentorship.models import Pairing
from notifications.models import Notification
from people.models import Role
from questions.models import Route
from search.models import ContentRequest
from tests.concurrency import run_in_threads
from tests.factories import UserFactory, make_article
from tests.mentorship.builders import make_pairing, make_profile, make_program
from tests.questions.builders import make_question
from tests.training.builders import make_session, make_track
from training.models import Session, Track


@dataclass
class Work:
    article: Article
    team_article: Article
    request: ContentRequest
    track: Track
    session: Session
    route: Route
    pairing: Pairing


def give_work(person, *, editor, team, mentee) -> Work:
    """One of each kind of work `person` may own, plus a team-only article of `team`."""
    article = make_article(author=person, approved_by=editor)
    team_article = make_article(
        author=person, title="Billing desk rota", visibility="teams", teams=[team]
    )
    request = ContentRequest.objects.create(
        query="gift card", title="Gift cards", owner=person, created_by=editor
    )
    track = make_track(owner=person)
    session = make_session(organiser=person)
    question = make_question(author=editor)
    route = Route.objects.create(question=question, person=person, reason="skill: refunds")
    pairing = make_pairing(program=make_program(), mentor=person, mentee=mentee)
    return Work(article, team_article, request, track, session, route, pairing)


def everyone(successor) -> dict:
    return {kind.key: successor for kind in KINDS}


def owned_by(person) -> dict[str, int]:
    """Everything a hand-over promises to leave nobody owning, counted per kind."""
    scope = scope_for(person=person, leaving=True, new_team=None)
    return {kind.key: kind.rows(scope).count() for kind in KINDS}


@pytest.fixture
def leaver(team):
    return UserFactory(username="leaver", team=team, roles=[Role.AGENT, Role.MENTOR])


@pytest.fixture
def mentee(team):
    return UserFactory(username="mentee", team=team, roles=[Role.AGENT])


@pytest.fixture
def work(leaver, editor, team, mentee):
    return give_work(leaver, editor=editor, team=team, mentee=mentee)


def test_after_deactivation_nothing_is_owned_by_the_inactive_person(leaver, work, manager, mentor):
    make_profile(mentor)
    successors = {**everyone(manager), "mentees": mentor}
    assert all(owned_by(leaver).values())

    record = handover_apply(
        actor=manager, person=leaver, action="deactivate", successors=successors
    )

    leaver.refresh_from_db()
    assert not leaver.is_active
    assert owned_by(leaver) == dict.fromkeys(owned_by(leaver), 0)
    assert Article.objects.get(pk=work.article.pk).owner == manager
    assert Article.objects.get(pk=work.team_article.pk).owner == manager
    assert ContentRequest.objects.get(pk=work.request.pk).owner == manager
    assert Track.objects.get(pk=work.track.pk).owner == manager
    session = Session.objects.get(pk=work.session.pk)
    assert session.organiser == manager
    assert list(session.presenters.all()) == [manager]
    assert not Route.objects.filter(person=leaver).exists()
    assert Route.objects.get(question=work.route.question, person=manager)
    assert record.moved["articles"]["count"] == 2
    assert record.total_moved() == 7


def test_history_stays_with_the_person(leaver, work, manager):
    handover_apply(actor=manager, person=leaver, action="deactivate", successors=everyone(manager))

    assert Article.objects.get(pk=work.article.pk).author == leaver
    assert work.article.revisions.filter(editor=leaver).exists()


def test_each_successor_is_told_once_what_they_received(leaver, work, manager, editor):
    successors = {**everyone(manager), "tracks": editor, "mentees": None}

    record = handover_apply(
        actor=manager, person=leaver, action="deactivate", successors=successors
    )

    told = Notification.objects.filter(kind="dashboard.handover")
    assert {n.recipient for n in told} == {manager, editor}
    to_editor = told.get(recipient=editor)
    assert to_editor.dedupe_key == f"dashboard.handover:{record.pk}:{editor.pk}"
    assert "1 training tracks they own" in to_editor.message
    assert Notification.objects.filter(
        kind="questions.route", recipient=manager, url=work.route.question.get_absolute_url()
    ).exists()


def test_the_mentee_is_proposed_to_the_successor_mentor(leaver, work, manager, mentor, mentee):
    make_profile(mentor)

    handover_apply(
        actor=manager,
        person=leaver,
        action="deactivate",
        successors={**everyone(manager), "mentees": mentor},
    )

    work.pairing.refresh_from_db()
    assert work.pairing.status == Pairing.Status.ENDED
    new = Pairing.objects.get(mentee=mentee, mentor=mentor)
    assert new.status == Pairing.Status.PROPOSED
    assert new.program == work.pairing.program
    assert Notification.objects.filter(recipient=mentor, kind="mentorship.request").exists()
    assert not Notification.objects.filter(kind="mentorship.released").exists()


def test_a_mentee_without_a_successor_is_released_with_notice(leaver, work, manager, mentee):
    record = handover_apply(
        actor=manager,
        person=leaver,
        action="deactivate",
        successors={**everyone(manager), "mentees": None},
    )

    assert not Pairing.objects.live().filter(mentee=mentee).exists()
    notice = Notification.objects.get(recipient=mentee, kind="mentorship.released")
    assert notice.dedupe_key == f"dashboard.handover.released:{record.pk}:{work.pairing.pk}"
    assert "Choose your next mentor" in notice.message


def test_a_mentee_the_successor_may_not_mentor_is_released(leaver, work, manager, mentee):
    # The manager is not open to mentoring: the mentee is released rather than left waiting.
    handover_apply(actor=manager, person=leaver, action="deactivate", successors=everyone(manager))

    assert not Pairing.objects.filter(mentee=mentee, mentor=manager).exists()
    assert Notification.objects.filter(recipient=mentee, kind="mentorship.released").exists()


def test_a_waiting_proposal_is_declined_and_handed_on(leaver, manager, mentor, team):
    make_profile(mentor)
    asking = UserFactory(team=team)
    waiting = make_pairing(program=make_program(), mentor=leaver, mentee=asking, active=False)

    handover_apply(
        actor=manager,
        person=leaver,
        action="deactivate",
        successors={**everyone(manager), "mentees": mentor},
    )

    waiting.refresh_from_db()
    assert waiting.status == Pairing.Status.DECLINED
    assert Pairing.objects.get(mentee=asking, mentor=mentor).status == Pairing.Status.PROPOSED


def test_the_preview_changes_nothing(leaver, work, manager, mentor, django_assert_num_queries):
    make_profile(mentor)
    before = (owned_by(leaver), Notification.objects.count(), Pairing.objects.count())
    scope = scope_for(person=leaver, leaving=True, new_team=None)

    preview = handover_preview(
        actor=manager, scope=scope, successors={**everyone(manager), "mentees": mentor}
    )

    assert preview.total == 7
    by_kind = {kind.key: kind for kind in preview.kinds}
    assert [row.label for row in by_kind["articles"].rows] == [
        "Billing desk rota",
        "How to issue a refund",
    ]
    assert "proposed to" in by_kind["mentees"].rows[0].note
    assert (owned_by(leaver), Notification.objects.count(), Pairing.objects.count()) == before
    leaver.refresh_from_db()
    assert leaver.is_active
    assert not HandOver.objects.exists()


def test_moving_team_hands_over_only_what_the_old_team_alone_may_open(
    leaver, work, manager, other_team, team
):
    elsewhere = UserFactory(team=other_team)
    kept = make_pairing(program=make_program(name="Cross-team"), mentor=leaver, mentee=elsewhere)

    record = handover_apply(
        actor=manager,
        person=leaver,
        action="move",
        new_team=other_team,
        successors={**everyone(manager), "mentees": None},
    )

    leaver.refresh_from_db()
    assert leaver.is_active
    assert leaver.team == other_team
    assert record.from_team == team
    assert record.to_team == other_team
    assert Article.objects.get(pk=work.team_article.pk).owner == manager
    # Open to everyone, or nobody's team's: it goes with them.
    assert Article.objects.get(pk=work.article.pk).owner == leaver
    assert ContentRequest.objects.get(pk=work.request.pk).owner == leaver
    assert Track.objects.get(pk=work.track.pk).owner == leaver
    work.pairing.refresh_from_db()  # mentoring within the old team is handed over
    assert work.pairing.status == Pairing.Status.ENDED
    kept.refresh_from_db()  # a mentee in another team keeps their mentor
    assert kept.status == Pairing.Status.ACTIVE


@pytest.mark.parametrize("bad", ["self", "inactive", "missing"])
def test_a_bad_successor_is_refused_with_nothing_written(leaver, work, manager, bad):
    before = owned_by(leaver)
    successor = {
        "self": leaver,
        "inactive": UserFactory(is_active=False),
        "missing": None,
    }[bad]

    with pytest.raises(ValidationError) as refused:
        handover_apply(
            actor=manager,
            person=leaver,
            action="deactivate",
            successors={**everyone(manager), "tracks": successor},
        )

    assert "tracks" in refused.value.error_dict
    leaver.refresh_from_db()
    assert leaver.is_active
    assert owned_by(leaver) == before
    assert not HandOver.objects.exists()


def test_a_move_to_their_own_team_is_refused(leaver, manager, team):
    with pytest.raises(ValidationError):
        handover_apply(
            actor=manager, person=leaver, action="move", new_team=team,
            successors=everyone(manager),
        )  # fmt: skip


def test_nobody_hands_over_themselves_or_outside_their_teams(leaver, manager, outsider):
    with pytest.raises(PermissionDenied):
        handover_apply(actor=leaver, person=leaver, action="deactivate", successors={})
    with pytest.raises(PermissionDenied):
        handover_apply(actor=outsider, person=leaver, action="deactivate", successors={})
    other_manager = UserFactory(team=outsider.team, roles=[Role.MANAGER])
    other_manager.managed_teams.add(outsider.team)
    with pytest.raises(PermissionDenied):
        handover_apply(actor=other_manager, person=leaver, action="deactivate", successors={})


def test_a_second_hand_over_finds_nothing_to_do(leaver, work, manager):
    handover_apply(actor=manager, person=leaver, action="deactivate", successors=everyone(manager))

    with pytest.raises(ValidationError, match="nothing to hand over"):
        handover_apply(
            actor=manager, person=leaver, action="deactivate", successors=everyone(manager)
        )
    assert HandOver.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_hand_overs_racing_apply_once(team):
    # Parallel on PostgreSQL, where the person's row lock serialises them; SQLite serialises
    # the writers itself, and the same outcome must hold.
    editor = UserFactory(team=team, roles=[Role.KB_EDITOR])
    manager = UserFactory(team=team, roles=[Role.MANAGER])
    manager.managed_teams.add(team)
    leaver = UserFactory(team=team)
    make_article(author=leaver, approved_by=editor)
    make_track(owner=leaver)

    def attempt(i: int) -> str:
        try:
            handover_apply(
                actor=manager, person=leaver, action="deactivate", successors=everyone(manager)
            )
        except ValidationError:
            return "refused"
        return "applied"

    outcomes = run_in_threads(attempt, count=2)

    assert sorted(outcomes) == ["applied", "refused"]
    assert HandOver.objects.count() == 1
    assert Notification.objects.filter(kind="dashboard.handover").count() == 1
