"""The digest: one email per person and period gathering what they set to "digest only",
sent exactly once however often (or however simultaneously) the sweep runs, skipped when
empty, with periods that end at the chosen hour on the person's own clock."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest

from notifications import tasks
from notifications.digests import digests_send, due_period
from notifications.models import Delivery, Digest, Notification, NotificationPreference
from notifications.services import notify
from tests.concurrency import run_in_threads
from tests.factories import UserFactory
from tests.notifications.builders import prefer

pytestmark = pytest.mark.django_db

# Tuesday 17 November 2026; the daily digest at 08:00 UTC covers Monday 08:00 to now.
MONDAY_NOON = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
TUESDAY_EIGHT = datetime(2026, 11, 17, 8, 0, tzinfo=UTC)


def _item(user, kind: str, at: datetime, message: str | None = None) -> Notification:
    item = notify(recipient=user, kind=kind, message=message or f"About {kind}", url="/kb/")
    Notification.objects.filter(pk=item.pk).update(created_at=at)
    return item


def test_one_email_per_person_gathers_several_kinds(agent, mentor, mailoutbox):
    prefer(agent, digest=("kb", "training", "mentorship"))
    prefer(mentor, digest=("questions",))
    _item(agent, "kb.review", MONDAY_NOON, "Refunds waits for your review")
    _item(agent, "training.overdue", MONDAY_NOON + timedelta(hours=1), "Billing 101 is overdue")
    _item(agent, "mentorship.meeting_tomorrow", MONDAY_NOON + timedelta(hours=2), "Meet Sam")
    _item(mentor, "questions.route", MONDAY_NOON, "A question for you")
    mailoutbox.clear()  # the digest's own emails only

    report = digests_send(now=TUESDAY_EIGHT + timedelta(minutes=5))

    assert report.sent == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([agent.email, mentor.email])
    email = next(m for m in mailoutbox if m.to == [agent.email])
    assert email.subject.startswith("[Huddle] Your digest: 3 updates since")
    html = email.alternatives[0][0]
    for text in ("Refunds waits for your review", "Billing 101 is overdue", "Meet Sam"):
        assert text in email.body
        assert text in html
    assert "A question for you" not in email.body
    assert "/notifications/unsubscribe/" in email.body
    assert email.extra_headers["List-Unsubscribe"].startswith("<http")
    digest = Digest.objects.get(recipient=agent)
    assert digest.sent_at is not None
    assert digest.item_count == 3
    assert Notification.objects.filter(digest=digest).count() == 3


def test_items_sent_at_once_or_in_app_only_are_not_in_the_digest(agent, mailoutbox):
    prefer(agent, digest=("kb",), in_app=("training",))
    _item(agent, "kb.review", MONDAY_NOON, "In the digest")
    _item(agent, "training.overdue", MONDAY_NOON, "In the app only")
    _item(agent, "recognition.kudos", MONDAY_NOON, "Emailed at once")
    mailoutbox.clear()

    digests_send(now=TUESDAY_EIGHT)

    assert len(mailoutbox) == 1
    assert "In the digest" in mailoutbox[0].body
    assert "In the app only" not in mailoutbox[0].body
    assert "Emailed at once" not in mailoutbox[0].body


def test_a_second_sweep_sends_nothing_more(agent, mailoutbox):
    prefer(agent, digest=("kb",))
    _item(agent, "kb.review", MONDAY_NOON)

    first = digests_send(now=TUESDAY_EIGHT)
    second = digests_send(now=TUESDAY_EIGHT + timedelta(minutes=15))

    assert (first.sent, second.sent, second.already_sent) == (1, 0, 1)
    assert len(mailoutbox) == 1
    assert Digest.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_sweeps_send_each_digest_once(mailoutbox):
    people = [UserFactory() for _ in range(3)]
    for person in people:
        prefer(person, digest=("kb",))
        _item(person, "kb.review", MONDAY_NOON)

    reports = run_in_threads(lambda i: digests_send(now=TUESDAY_EIGHT), count=4)

    assert sum(report.sent for report in reports) == 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)
    assert Digest.objects.filter(sent_at__isnull=False).count() == 3


def test_nothing_is_sent_when_there_is_nothing_new(agent, mentor, mailoutbox):
    prefer(agent, digest=("kb",))
    prefer(mentor, digest=("kb",))
    _item(mentor, "kb.review", MONDAY_NOON).mark_read()  # already seen in the app
    _item(mentor, "kb.review", MONDAY_NOON - timedelta(days=2))  # an earlier period's

    report = digests_send(now=TUESDAY_EIGHT)

    assert (report.sent, report.empty) == (0, 2)
    assert mailoutbox == []
    assert not Digest.objects.exists()


def test_people_who_turned_email_off_or_left_get_no_digest(agent, mentor, mailoutbox):
    for person in (agent, mentor):
        prefer(person, digest=("kb",))
        _item(person, "kb.review", MONDAY_NOON)
    agent.email_notifications = False
    agent.save(update_fields=["email_notifications"])
    mentor.is_active = False
    mentor.save(update_fields=["is_active"])
    mailoutbox.clear()

    assert digests_send(now=TUESDAY_EIGHT).sent == 0
    assert mailoutbox == []


def test_the_period_ends_at_the_chosen_hour_on_the_person_s_clock(mailoutbox):
    person = UserFactory(timezone="America/New_York")  # UTC-5 in November
    prefer(person, digest=("kb",), digest_hour=8)
    before = _item(person, "kb.review", datetime(2026, 11, 17, 12, 30, tzinfo=UTC))  # 07:30
    after = _item(person, "kb.review", datetime(2026, 11, 17, 13, 30, tzinfo=UTC))  # 08:30

    # 07:59 in New York: today's period has not ended, and yesterday's had nothing.
    assert digests_send(now=datetime(2026, 11, 17, 12, 59, tzinfo=UTC)).sent == 0
    # 08:00 in New York (13:00 UTC, when a UTC reader's 08:00 is long past).
    assert digests_send(now=datetime(2026, 11, 17, 13, 0, tzinfo=UTC)).sent == 1
    assert Notification.objects.get(pk=before.pk).digest is not None
    assert Notification.objects.get(pk=after.pk).digest is None  # tomorrow's
    assert digests_send(now=datetime(2026, 11, 18, 13, 0, tzinfo=UTC)).sent == 1
    assert Notification.objects.get(pk=after.pk).digest is not None
    assert len(mailoutbox) == 2


def test_a_weekly_digest_covers_the_week_before_the_chosen_day_and_hour():
    preference = NotificationPreference(
        digest_frequency="weekly",
        digest_weekday=4,
        digest_hour=17,  # Friday 17:00
    )
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    # Wednesday 18 November: the last period ended on Friday 13 November, 17:00 in Paris.
    period = due_period(preference, paris, datetime(2026, 11, 18, 12, 0, tzinfo=UTC))
    assert period.end == datetime(2026, 11, 13, 17, 0, tzinfo=paris)
    assert period.start == datetime(2026, 11, 6, 17, 0, tzinfo=paris)
    # Friday 20 November at 17:00 in Paris (16:00 UTC) the next one ends.
    period = due_period(preference, paris, datetime(2026, 11, 20, 16, 0, tzinfo=UTC))
    assert period.end == datetime(2026, 11, 20, 17, 0, tzinfo=paris)


def test_a_failed_send_is_released_for_the_next_sweep(agent, settings, mailoutbox):
    prefer(agent, digest=("kb",))
    _item(agent, "kb.review", MONDAY_NOON)
    # A server that refuses the connection: a real failure from a socket.
    backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    failed = digests_send(now=TUESDAY_EIGHT)

    assert (failed.sent, failed.failed) == (0, [agent.pk])
    assert not Digest.objects.exists()
    settings.EMAIL_BACKEND = backend
    assert digests_send(now=TUESDAY_EIGHT + timedelta(minutes=15)).sent == 1
    assert len(mailoutbox) == 1


def test_the_beat_task_runs_the_sweep(agent, mailoutbox):
    now = datetime.now(UTC)
    # The period that ended last: at the top of the hour before the last one, UTC.
    prefer(agent, digest=("kb",), digest_hour=(now - timedelta(hours=1)).hour)
    _item(agent, "kb.review", now - timedelta(hours=2))
    mailoutbox.clear()

    assert tasks.digests_send() == {"sent": 1, "empty": 0, "already_sent": 0}
    assert tasks.digests_send() == {"sent": 0, "empty": 0, "already_sent": 1}
    assert len(mailoutbox) == 1


def _world(size: int) -> None:
    for person in UserFactory.create_batch(size):
        prefer(person, digest=("kb", "training"))
        _item(person, "kb.review", MONDAY_NOON)
        _item(person, "training.overdue", MONDAY_NOON)


@pytest.mark.parametrize("size", [2, 20])
def test_the_sweep_reads_in_constant_queries(size, django_assert_max_num_queries, mailoutbox):
    _world(size)
    with django_assert_max_num_queries(7):
        assert digests_send(now=TUESDAY_EIGHT).sent == size
    assert all(n.delivery == Delivery.DIGEST for n in Notification.objects.all())
