"""Badges follow from real work: each rule on hand-built data (earned at its threshold, not
before), only kudos that count, only active badges and people, each award once and told
once, in a constant number of queries."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from kb.models import Article
from kb.querysets import EXPLICITLY_VERIFIED
from kb.services.verification import article_verify
from kb.services.workflow import article_approve, article_archive, article_submit, article_update
from mentorship.services.lifecycle import pairing_complete
from notifications.models import Notification
from people.models import Role
from recognition import tasks
from recognition.badges import RULES, earners
from recognition.models import Badge, BadgeAward, Kudos
from recognition.services.badges import badges_award
from tests.concurrency import run_in_threads
from tests.factories import UserFactory, make_article
from tests.mentorship.builders import make_pairing, make_program
from tests.recognition.builders import make_kudos, make_praise
from tests.training.builders import enrol, make_session, make_track

pytestmark = pytest.mark.django_db


def holders(rule: str) -> set:
    return set(BadgeAward.objects.filter(badge__rule=rule).values_list("user__username", flat=True))


def completed(user, track, code: str):
    return enrol(
        user, track, status="completed", completed_at=timezone.now(), certificate_code=code
    )


def test_every_rule_has_its_check_and_reads_in_one_query(django_assert_num_queries):
    assert set(RULES) == set(Badge.Rule.values)
    assert set(Badge.objects.values_list("rule", flat=True)) == set(Badge.Rule.values)
    now = timezone.now()
    for rule in Badge.Rule.values:
        with django_assert_num_queries(1):
            list(earners(rule, now=now))


def test_first_kudos_goes_to_the_recipients_not_the_giver(agent, mentor, manager):
    make_kudos(manager, [agent, mentor])

    assert badges_award() == 2
    assert holders("first-kudos") == {"agent", "mentor"}


def test_hidden_kudos_earn_nothing(agent, mentor):
    make_kudos(mentor, agent, status=Kudos.Status.REPORTED)
    make_kudos(mentor, agent, status=Kudos.Status.REMOVED)

    assert badges_award() == 0
    assert not BadgeAward.objects.exists()


def test_ten_kudos_received_is_earned_at_the_tenth_not_the_ninth(agent, team):
    givers = [UserFactory(team=team) for _ in range(3)]
    for n in range(9):
        make_kudos(givers[n % 3], agent)
    # A hidden tenth does not count.
    make_kudos(givers[0], agent, status=Kudos.Status.REPORTED)
    badges_award()
    assert holders("kudos-10") == set()

    make_kudos(givers[1], agent)
    badges_award()
    assert holders("kudos-10") == {"agent"}
    assert holders("kudos-50") == set()


def test_fifty_kudos_received_is_earned_at_the_fiftieth(agent, mentor):
    for _ in range(49):
        make_kudos(mentor, agent)
    badges_award()
    assert holders("kudos-50") == set()

    make_kudos(mentor, agent)
    badges_award()
    assert holders("kudos-50") == {"agent"}


def test_kudos_received_counts_each_kudos_once_for_each_recipient(agent, mentor, manager):
    for _ in range(10):
        make_kudos(manager, [agent, mentor])

    badges_award()

    assert holders("kudos-10") == {"agent", "mentor"}


def test_ten_kudos_given_counts_kudos_not_recipients(agent, mentor, manager, editor):
    for _ in range(9):
        make_kudos(agent, [mentor, manager, editor])
    make_kudos(agent, mentor, status=Kudos.Status.REMOVED)
    badges_award()
    assert holders("giver-10") == set()

    make_kudos(agent, editor)
    badges_award()
    assert holders("giver-10") == {"agent"}


def test_first_article_goes_to_the_author_once_published(agent, editor):
    draft = make_article(author=agent, title="A draft")
    badges_award()
    assert holders("first-article") == set()

    published = make_article(author=agent, title="Refunds", approved_by=editor)
    badges_award()
    assert holders("first-article") == {"agent"}  # not the editor who approved it
    assert draft.status == "draft"
    assert published.published_at is not None


def test_an_article_published_then_archived_still_earns_its_author_the_badge(agent, editor):
    article = make_article(author=agent, approved_by=editor)
    article_archive(article=article, editor=editor)

    badges_award()

    assert holders("first-article") == {"agent"}


def test_five_articles_verified_counts_explicit_verifications(agent, mentor, editor):
    articles = [
        make_article(author=agent, owner=mentor, title=f"Article {n}", approved_by=editor)
        for n in range(5)
    ]
    for article in articles[:4]:
        article_verify(article=article, user=mentor)
    badges_award()
    assert holders("verifier-5") == set()  # approving five is not verifying them

    article_verify(article=articles[4], user=mentor)
    badges_award()
    assert holders("verifier-5") == {"mentor"}


def _edit_and_approve(article, *, author, editor):
    """The author's edit, submitted and approved by an editor: approval stamps the editor
    as the article's latest verifier, after its first publication."""
    latest = article.latest_revision
    content = {"title": latest.title, "summary": latest.summary, "body": "Changed."}
    changed = article_update(article=article, editor=author, meta={}, content=content)
    article_approve(article=article_submit(article=changed, user=author), editor=editor)


def test_approving_edits_is_not_verifying(agent, editor):
    for n in range(5):
        article = make_article(author=agent, title=f"Article {n}", approved_by=editor)
        _edit_and_approve(article, author=agent, editor=editor)
    assert Article.objects.filter(EXPLICITLY_VERIFIED, verified_by=editor).count() == 5

    badges_award()

    assert holders("verifier-5") == set()


def test_a_completed_track_earns_the_learner_badge(agent, mentor, editor):
    track = make_track(owner=editor)
    enrol(agent, track)
    completed(mentor, track, "CERT-1")

    badges_award()

    assert holders("track-done") == {"mentor"}


def test_mentor_training_is_the_track_a_programme_requires(agent, mentor, editor):
    training = make_track(owner=editor, title="Mentor training")
    other = make_track(owner=editor, title="Refunds basics")
    make_program(required_track=training)
    completed(agent, other, "CERT-1")
    badges_award()
    assert holders("mentor-trained") == set()
    assert holders("track-done") == {"agent"}

    completed(mentor, training, "CERT-2")
    enrol(agent, training)  # started, not completed
    badges_award()
    assert holders("mentor-trained") == {"mentor"}


def test_presenters_of_a_session_that_took_place_earn_the_badge(agent, mentor, editor, manager):
    make_session(organiser=manager, title="Coming up", days=2, presenters=[agent])
    make_session(organiser=manager, title="Called off", days=-2, presenters=[agent],
                 status="cancelled")  # fmt: skip
    badges_award()
    assert holders("presenter") == set()

    make_session(organiser=manager, title="Held", days=-1, presenters=[mentor, editor])
    badges_award()
    assert holders("presenter") == {"mentor", "editor"}  # not the organiser


def test_a_session_earns_the_badge_once_it_is_over(agent, manager):
    session = make_session(organiser=manager, days=0, presenters=[agent])
    badges_award(now=session.ends_at - timedelta(minutes=1))
    assert holders("presenter") == set()

    badges_award(now=session.ends_at)
    assert holders("presenter") == {"agent"}


def test_a_completed_mentorship_earns_its_mentor_the_badge(agent, mentor):
    pairing = make_pairing(program=make_program(), mentor=mentor, mentee=agent)
    badges_award()
    assert holders("mentor-done") == set()

    pairing_complete(pairing=pairing, user=mentor)
    badges_award()
    assert holders("mentor-done") == {"mentor"}


def test_customer_praise_earns_each_agent_named_the_badge(agent, mentor, manager):
    make_praise([agent, mentor], recorded_by=manager)

    badges_award()

    assert holders("first-praise") == {"agent", "mentor"}


def test_a_badge_no_longer_awarded_is_not_awarded(agent, mentor):
    Badge.objects.filter(rule="first-kudos").update(is_active=False)
    make_kudos(mentor, agent)

    assert badges_award() == 0
    assert holders("first-kudos") == set()


def test_inactive_people_earn_nothing_until_they_are_back(agent, mentor):
    make_kudos(mentor, agent)
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert badges_award() == 0

    agent.is_active = True
    agent.save(update_fields=["is_active"])
    assert badges_award() == 1
    assert holders("first-kudos") == {"agent"}


def test_each_award_is_made_and_told_once(agent, mentor):
    make_kudos(mentor, agent)
    now = timezone.now()

    assert badges_award(now=now) == 1
    assert badges_award() == 0

    award = BadgeAward.objects.get()
    assert (award.user, award.badge.rule, award.awarded_at) == (agent, "first-kudos", now)
    told = Notification.objects.get(kind="recognition.badge")
    assert told.recipient == agent
    assert told.url == "/kudos/badges/#first-kudos"
    assert told.dedupe_key == f"recognition.badge:{award.badge.pk}:{agent.pk}"
    assert "🌱 First kudos" in told.message


def test_a_badge_held_already_is_not_told_again_when_an_admin_rewords_it(agent, mentor):
    make_kudos(mentor, agent)
    badges_award()
    Badge.objects.filter(rule="first-kudos").update(name="Welcome aboard")

    assert badges_award() == 0
    assert Notification.objects.filter(kind="recognition.badge").count() == 1


def test_the_task_awards(agent, mentor):
    make_kudos(mentor, agent)

    assert tasks.badges_award() == 1
    assert tasks.badges_award() == 0
    assert holders("first-kudos") == {"agent"}


def _world(size: int) -> None:
    """`size` people who each earn first kudos, first praise and the presenter badge."""
    giver = UserFactory(roles=[Role.AGENT])
    people = [UserFactory(team=giver.team) for _ in range(size)]
    make_kudos(giver, people)
    make_praise(people)
    make_session(organiser=giver, days=-1, presenters=people)


# The service's transaction (a savepoint and its release inside the test's), one read of the
# badges, then per badge one read of its new earners.
QUIET = 2 + 1 + len(Badge.Rule.values)
# Per badge that has new earners (three here): one insert, one read of the rows it wrote.
SWEEP = QUIET + 2 * 3
# What `notify` costs for each person told: the recipient's check, their delivery preference
# (email at once, digest or in-app), a savepoint, the insert and the savepoint's release.
# Linear in the people told, and nothing else is.
PER_NOTIFICATION = 5


@pytest.mark.parametrize("size", [3, 30])
def test_the_sweep_reads_in_constant_queries(size, django_assert_max_num_queries):
    _world(size)

    with django_assert_max_num_queries(SWEEP + PER_NOTIFICATION * 3 * size) as captured:
        assert badges_award() == 3 * size
    assert len(captured) == SWEEP + PER_NOTIFICATION * 3 * size
    assert Notification.objects.filter(kind="recognition.badge").count() == 3 * size

    # Nothing new: one read per badge, whatever the number of holders.
    with django_assert_max_num_queries(QUIET):
        assert badges_award() == 0


def _reseed() -> None:
    """The seeded badges again: a transactional test may follow one that emptied the tables."""
    seed = importlib.import_module("recognition.migrations.0002_seed").seed
    seed(django_apps, None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_award_and_tell_each_person_once(team):
    """Truly parallel on PostgreSQL, where the second sweep's insert waits on the first's
    rows and then skips them (the unique constraint); SQLite serialises the sweeps."""
    _reseed()
    giver = UserFactory(team=team)
    people = [UserFactory(team=team) for _ in range(5)]
    make_kudos(giver, people)
    make_praise(people)

    outcomes = run_in_threads(lambda i: badges_award(), count=2)

    assert sum(outcomes) == 10
    assert BadgeAward.objects.count() == 10
    assert Notification.objects.filter(kind="recognition.badge").count() == 10
    assert badges_award() == 0
