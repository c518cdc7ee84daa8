"""The demo organisation's recognition: three months of kudos for every kind of work within
each month's allowance, with reactions and comments; customer praise, a pinned success story,
rewards and redemptions, an award won and a nomination waiting, one reported kudos, badges;
seeding twice changes nothing."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from kb.models import Article
from notifications.models import Notification
from people.models import User
from recognition.models import (
    APPROVERS_GROUP,
    BadgeAward,
    Kudos,
    KudosComment,
    KudosRecipient,
    Nomination,
    Praise,
    Reaction,
    Redemption,
    Reward,
    SuccessStory,
    Wallet,
)
from recognition.selectors.accounts import month_start, points_balance
from recognition.selectors.periods import organisation_today
from training.models import Session

pytestmark = pytest.mark.django_db


def _rows() -> dict[str, int]:
    counted = {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("recognition").get_models()
    }
    approvers = User.objects.filter(groups__name=APPROVERS_GROUP).count()
    return {**counted, "notifications": Notification.objects.count(), "approvers": approvers}


def test_seeding_twice_changes_nothing(demo):
    rows = _rows()
    states = list(Kudos.objects.order_by("pk").values_list("status", "points", "created_at"))
    call_command("seed_demo", verbosity=0)
    assert _rows() == rows
    assert list(Kudos.objects.order_by("pk").values_list("status", "points", "created_at")) == (
        states
    )


def test_three_months_of_kudos_for_every_kind_of_work(demo):
    now = timezone.now()
    kudos = Kudos.objects.all()
    assert kudos.count() >= 100
    oldest = kudos.order_by("created_at").first().created_at
    assert now - timedelta(days=95) < oldest < now - timedelta(days=80)
    assert not kudos.filter(created_at__gt=now).exists()
    # For articles, sessions, pairings and customer interactions, with quotes and tickets.
    assert kudos.filter(article__isnull=False).count() >= 5
    assert kudos.filter(session__isnull=False).count() >= 2
    assert kudos.filter(pairing__isnull=False).count() >= 3
    assert kudos.exclude(ticket_ref="").exclude(customer_quote="").count() >= 3
    # Varied values, several recipients at times, reactions and comments.
    assert kudos.filter(values__isnull=False).values("values").distinct().count() == 6
    assert KudosRecipient.objects.values("kudos").distinct().count() == kudos.count()
    assert KudosRecipient.objects.count() > kudos.count()  # some thank several colleagues
    assert Reaction.objects.count() >= kudos.count()
    assert KudosComment.objects.count() >= 5
    for row in kudos:
        row.full_clean()


def test_every_kudos_names_work_its_giver_may_open(demo):
    for kudos in Kudos.objects.select_related("giver", "pairing"):
        if kudos.article_id:
            readable = Article.objects.published().visible_to(kudos.giver)
            assert readable.filter(pk=kudos.article_id).exists(), kudos
        if kudos.session_id:
            assert Session.objects.visible_to(kudos.giver).filter(pk=kudos.session_id).exists()
        if kudos.pairing_id:
            assert kudos.giver_id in (kudos.pairing.mentor_id, kudos.pairing.mentee_id)
    # One for an article only some teams may open: the walk checks its title stays hidden.
    assert Kudos.objects.filter(article__visibility="teams").exists()


def test_no_month_of_anyone_is_overspent(demo):
    spent = defaultdict(int)
    for row in KudosRecipient.objects.select_related("kudos"):
        spent[row.giver_id, month_start(row.kudos.created_at)] += row.points
    allowances = dict(Wallet.objects.values_list("user_id", "monthly_allowance"))
    for (giver, _), total in spent.items():
        assert total <= (allowances.get(giver) or 100)
    assert Wallet.objects.get(user__username="manager").allowance == 200


def test_the_demo_agent_gives_receives_and_has_allowance_left(demo):
    agent = User.objects.get(username="agent")
    assert Kudos.objects.filter(giver=agent).count() >= 5
    assert KudosRecipient.objects.filter(recipient=agent).count() >= 5
    this_month = KudosRecipient.objects.filter(giver=agent, kudos__created_at__gte=month_start())
    assert sum(row.points for row in this_month) <= 60
    assert points_balance(agent) >= 0


def test_praise_story_badges_rewards_and_nominations(demo):
    assert Praise.objects.count() >= 6
    assert Praise.objects.filter(csat__isnull=False).exists()
    assert Praise.objects.filter(agents__username="agent").exists()
    story = SuccessStory.objects.pinned(organisation_today()).get()
    assert story.kudos.status == "visible"
    assert BadgeAward.objects.values("badge").distinct().count() >= 5
    assert BadgeAward.objects.filter(user__username="agent").exists()
    assert Reward.objects.offered().count() == 5
    assert Reward.objects.filter(stock__isnull=False).exists()
    statuses = set(Redemption.objects.values_list("status", flat=True))
    assert {"pending", "approved"} <= statuses
    assert Nomination.objects.pending().count() == 1
    assert Nomination.objects.approved().count() == 1
    for username in ("manager", "admin"):
        assert Nomination.is_approver(User.objects.get(username=username))
    for person in User.objects.filter(Q(redemptions__isnull=False)).distinct():
        assert points_balance(person) >= 0


def test_one_kudos_is_reported_and_waits_for_an_admin(demo):
    reported = Kudos.objects.get(status="reported")
    assert reported.reported_by.username == "manager"
    assert reported.report_reason
    assert Notification.objects.filter(
        kind="recognition.report", recipient__username="admin", read_at=None
    ).exists()
    for viewer in ("agent", "manager", "mentor"):
        user = User.objects.get(username=viewer)
        assert not Kudos.objects.visible_to(user).filter(pk=reported.pk).exists()
    assert Kudos.objects.visible_to(reported.giver).filter(pk=reported.pk).exists()


def test_what_happened_long_ago_was_read(demo):
    recognition = Notification.objects.filter(kind__startswith="recognition.")
    now = timezone.now()
    old = recognition.filter(created_at__lt=now - timedelta(days=4))
    assert old.count() >= 100
    assert not old.filter(read_at=None).exists()
    assert not recognition.filter(created_at__gt=now).exists()
