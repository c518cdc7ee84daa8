"""The weekly recognition digest: once per person and ISO week, from Monday 08:00 on their own
clock, what the past week brought them and their team; nothing when there is nothing to say,
for people who turned email off or cannot sign in; inside the person's one digest when they
have one."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from notifications.digests import digests_send
from notifications.models import Delivery, Notification
from notifications.services import notify, reminders_sweep
from recognition.models import Badge, BadgeAward, Kudos, SuccessStory
from recognition.reminders.digest import MESSAGE_MAX, weekly_digest
from tests.factories import TeamFactory, UserFactory
from tests.notifications.builders import prefer
from tests.recognition.builders import make_kudos, make_praise

pytestmark = pytest.mark.django_db

# ISO week 2026-W47 runs from Monday 16 to Sunday 22 November; its digest is due from
# Monday 23 November 08:00 on each reader's clock.
MONDAY = date(2026, 11, 16)
WEEK = "2026-W47"
DUE = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
WEDNESDAY = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


def digests(now: datetime = DUE) -> dict[str, object]:
    """What the source says at `now`, by username."""
    return {reminder.recipient.username: reminder for reminder in weekly_digest(now)}


def stored(person) -> list[Notification]:
    return list(Notification.objects.filter(kind="recognition.digest", recipient=person))


def story(kudos, *, title: str, on: date) -> SuccessStory:
    return SuccessStory.objects.create(
        kudos=kudos, title=title, learned="Ask before closing.", pinned_from=on,
        pinned_until=on + timedelta(days=7),
    )  # fmt: skip


def test_the_digest_tells_what_the_week_brought(agent, mentor, manager, outsider):
    make_kudos(mentor, agent, points=10, created_at=WEDNESDAY,
               values=["went-the-extra-mile", "team-player"])  # fmt: skip
    make_kudos(manager, [agent, mentor], points=5, created_at=WEDNESDAY,
               values=["went-the-extra-mile"])  # fmt: skip
    make_kudos(agent, outsider, created_at=WEDNESDAY)  # the team gave it (agent is in it)
    make_kudos(outsider, agent, created_at=WEDNESDAY)  # another team's, to the agent
    BadgeAward.objects.create(
        badge=Badge.objects.get(rule="first-kudos"), user=agent, awarded_at=WEDNESDAY
    )
    story(make_kudos(manager, mentor, created_at=WEDNESDAY), title="Refund rescue",
          on=MONDAY + timedelta(days=2))  # fmt: skip

    reminder = digests()["agent"]

    assert reminder.kind == "recognition.digest"
    assert reminder.url == "/kudos/me/"
    assert reminder.dedupe_key == f"recognition.digest:{agent.pk}:{WEEK}"
    assert reminder.message == (
        "Your recognition for 16 Nov to 22 Nov: you received 3 kudos (+25 points) for "
        "🚀 Went the extra mile (3), 🤝 Team player; Billing Support gave 4 kudos; "
        "new badge: 🌱 First kudos; success story: “Refund rescue”."
    )


def test_each_person_gets_the_digest_once_a_week(agent, mentor):
    make_kudos(mentor, agent, created_at=WEDNESDAY)

    reminders_sweep(now=DUE)
    reminders_sweep(now=DUE + timedelta(hours=3))
    reminders_sweep(now=DUE + timedelta(days=3))

    assert len(stored(agent)) == 1
    assert len(stored(mentor)) == 1  # their team gave a kudos: something to tell
    # The next week has its own digest.
    make_kudos(mentor, agent, created_at=WEDNESDAY + timedelta(days=7))
    reminders_sweep(now=DUE + timedelta(days=7))
    assert [n.dedupe_key for n in stored(agent)] == [
        f"recognition.digest:{agent.pk}:2026-W48",
        f"recognition.digest:{agent.pk}:{WEEK}",
    ]


def test_nothing_is_sent_when_there_is_nothing_to_say(agent, mentor, outsider):
    make_kudos(mentor, agent, created_at=WEDNESDAY - timedelta(days=7))  # the week before
    make_kudos(mentor, agent, created_at=DUE)  # this week

    assert digests() == {}
    reminders_sweep(now=DUE)
    assert not Notification.objects.filter(kind="recognition.digest").exists()


def test_hidden_kudos_are_not_in_the_digest(agent, mentor, outsider):
    make_kudos(mentor, agent, created_at=WEDNESDAY, status=Kudos.Status.REPORTED)
    make_kudos(mentor, agent, created_at=WEDNESDAY, status=Kudos.Status.REMOVED)
    hidden = make_kudos(outsider, mentor, status=Kudos.Status.REPORTED, created_at=WEDNESDAY)
    story(hidden, title="Under review", on=MONDAY)

    assert digests() == {}


def test_people_who_turned_email_off_or_left_get_no_digest(agent, mentor):
    make_kudos(mentor, agent, created_at=WEDNESDAY)
    agent.email_notifications = False
    agent.save(update_fields=["email_notifications"])
    mentor.is_active = False
    mentor.save(update_fields=["is_active"])

    assert digests() == {}


def test_the_digest_waits_for_monday_eight_on_the_reader_s_clock(team):
    tokyo = UserFactory(username="tokyo", team=team, timezone="Asia/Tokyo")
    new_york = UserFactory(username="newyork", team=team, timezone="America/New_York")
    giver = UserFactory(team=team)
    make_kudos(giver, [tokyo, new_york], created_at=WEDNESDAY)

    # Monday 07:59 in Tokyo (Sunday evening in New York): nobody yet.
    tokyo_eight = datetime(2026, 11, 23, 8, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert "tokyo" not in digests(tokyo_eight - timedelta(minutes=1))
    assert set(digests(tokyo_eight)) >= {"tokyo"}
    assert "newyork" not in digests(tokyo_eight)

    new_york_eight = datetime(2026, 11, 23, 8, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    assert "newyork" not in digests(new_york_eight - timedelta(minutes=1))
    reminder = digests(new_york_eight)["newyork"]
    assert reminder.dedupe_key == f"recognition.digest:{new_york.pk}:{WEEK}"


def test_the_week_is_monday_to_sunday_on_the_reader_s_clock(team):
    zone = zoneinfo.ZoneInfo("America/New_York")
    reader = UserFactory(username="reader", team=TeamFactory(), timezone="America/New_York")
    giver = UserFactory(team=reader.team)
    monday = datetime(2026, 11, 16, 0, 0, tzinfo=zone)
    next_monday = datetime(2026, 11, 23, 0, 0, tzinfo=zone)
    make_kudos(giver, reader, points=1, created_at=monday - timedelta(seconds=1))
    make_kudos(giver, reader, points=2, created_at=monday)
    make_kudos(giver, reader, points=4, created_at=next_monday - timedelta(seconds=1))
    make_kudos(giver, reader, points=8, created_at=next_monday)

    message = digests(datetime(2026, 11, 23, 9, 0, tzinfo=zone))["reader"].message

    assert "you received 2 kudos (+6 points)" in message


def test_a_long_digest_stays_a_short_message(team):
    team.name = "T" * 100
    team.save(update_fields=["name"])
    reader = UserFactory(username="reader", team=team)
    giver = UserFactory(team=team)
    slugs = ["went-the-extra-mile", "solved-the-hard-one", "shared-knowledge",
             "customer-champion", "team-player", "proactive-service"]  # fmt: skip
    for _ in range(40):
        make_kudos(giver, reader, values=slugs, created_at=WEDNESDAY)
    for badge in Badge.objects.all():
        BadgeAward.objects.create(badge=badge, user=reader, awarded_at=WEDNESDAY)
    for n in range(6):
        story(make_kudos(giver, reader, created_at=WEDNESDAY), title=f"{n} " + "s" * 148,
              on=MONDAY)  # fmt: skip

    message = digests()["reader"].message

    assert len(message) <= MESSAGE_MAX
    assert message.startswith("Your recognition for 16 Nov to 22 Nov: you received 46 kudos")


def test_a_story_about_praise_is_in_everyone_s_digest(agent, mentor):
    praise = make_praise(agent)
    SuccessStory.objects.create(praise=praise, title="Five stars", learned="Listen first.",
                                pinned_from=MONDAY, pinned_until=MONDAY)  # fmt: skip

    found = digests()

    assert set(found) == {"agent", "mentor"}
    assert found["mentor"].message.endswith("success story: “Five stars”.")


def _world(size: int) -> None:
    """`size` people in three teams, each of whom received a kudos and a badge in the week."""
    teams = [TeamFactory() for _ in range(3)]
    badge = Badge.objects.get(rule="first-kudos")
    people = [UserFactory(team=teams[n % 3]) for n in range(size)]
    for n, person in enumerate(people):
        make_kudos(people[n - 1], person, created_at=WEDNESDAY)
        BadgeAward.objects.create(badge=badge, user=person, awarded_at=WEDNESDAY)
    story(make_kudos(people[0], people[1], created_at=WEDNESDAY), title="Saved", on=MONDAY)


@pytest.mark.parametrize("size", [3, 30])
def test_the_digest_reads_in_constant_queries(size, django_assert_max_num_queries):
    _world(size)

    # The people; for their chunk the digests sent already, kudos received, their teams'
    # kudos, their badges and the week's stories.
    with django_assert_max_num_queries(6):
        found = list(weekly_digest(DUE))

    assert len(found) == size
    # Once sent, a sweep reads the people and what was sent, and stops there.
    for reminder in found:
        Notification.objects.create(
            recipient=reminder.recipient, kind=reminder.kind, message=reminder.message,
            dedupe_key=reminder.dedupe_key,
        )  # fmt: skip
    with django_assert_max_num_queries(2):
        assert list(weekly_digest(DUE + timedelta(hours=1))) == []


def test_it_folds_into_the_one_digest_of_people_who_have_one(
    agent, mentor, mailoutbox, django_capture_on_commit_callbacks
):
    # The agent gets a digest (knowledge base items) and left recognition "at once"; the
    # mentor has no digest, so the weekly summary stays its own email, as before.
    prefer(agent, digest=("kb",))
    make_kudos(mentor, agent, created_at=WEDNESDAY)
    make_kudos(agent, mentor, created_at=WEDNESDAY)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reminders_sweep(now=DUE)

    assert [m.to for m in mailoutbox] == [[mentor.email]]
    assert stored(agent)[0].delivery == Delivery.DIGEST
    # The next digest carries it, with the agent's other items: one email.
    notify(recipient=agent, kind="kb.review", message="Refunds waits for your review")
    mailoutbox.clear()
    assert digests_send(now=timezone.now() + timedelta(days=1)).sent == 1
    assert len(mailoutbox) == 1
    assert "Your recognition for 16 Nov to 22 Nov" in mailoutbox[0].body
    assert "Refunds waits for your review" in mailoutbox[0].body
