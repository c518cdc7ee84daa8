"""The onboarding reminder: once per person whose profile is unfinished N days after joining."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.engine import Reminder, reminder_source
from notifications.models import Notification
from notifications.services import reminders_sweep
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _joined(days: int, **kwargs):
    return UserFactory(date_joined=timezone.now() - timedelta(days=days), **kwargs)


@pytest.fixture
def people(settings):
    settings.ONBOARDING_REMINDER_DAYS = 3
    return {
        "due": _joined(5, job_title="", skills=["sql"], interests=["coaching"]),
        "no_skills": _joined(5, interests=["coaching"]),
        "complete": _joined(5, skills=["sql"], interests=["coaching"]),
        "too_new": _joined(1, job_title=""),
        "inactive": _joined(9, job_title="", is_active=False),
    }


def test_sweep_reminds_each_due_person_once(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_sweep()
        second = reminders_sweep()
    reminded = set(
        Notification.objects.filter(kind="onboarding").values_list("recipient", flat=True)
    )
    assert reminded == {people["due"].pk, people["no_skills"].pk}
    assert (first.sent, second.sent, second.already_sent) == (2, 0, 2)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["due"].email, people["no_skills"].email]
    )
    link = Notification.objects.filter(recipient=people["due"]).get().url
    assert link == f"/people/u/{people['due'].username}/edit/"


def test_finishing_the_profile_in_time_means_no_reminder(people):
    people["due"].job_title = "Agent"
    people["due"].save()
    people["no_skills"].skills.add("refunds")
    reminders_sweep()
    assert not Notification.objects.exists()


def test_a_failing_source_does_not_stop_the_others(people):
    @reminder_source("tests.broken")
    def broken(now):
        raise RuntimeError("source is broken")
        yield Reminder(recipient=None, kind="", message="", url="", dedupe_key="")

    from notifications import engine

    try:
        report = reminders_sweep()
    finally:
        engine._sources.pop("tests.broken")
    assert report.failed_sources == ["tests.broken"]
    assert report.sent == 2
