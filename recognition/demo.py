"""Demo recognition for `manage.py seed_demo`: three months of kudos between the demo people
(for articles, sessions, mentorship pairings and customer interactions, with reactions and
comments), customer praise, a success story pinned on the wall, a reward catalogue with a
redemption approved and one waiting, an award won last quarter and a nomination waiting for
the approvers, one kudos reported and waiting for an admin, and the badges all this earned.

Everything goes through the services people use, at the moment it happened (`now=` where a
service takes it; dates moved back afterwards where it does not), so each month's allowance
holds as it would have; what the services told people then is marked read, except what
happened in the last few days. Deterministic (a seeded random), and idempotent: the reward
catalogue is the mark, and a second run adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from kb.models import Article
from mentorship.models import Pairing
from notifications.models import Notification
from people.models import User
from recognition.demo_data import (
    ALLOWANCES,
    COMMENTS,
    FILLER,
    KUDOS,
    NOMINATIONS,
    PRAISE,
    QUEUES,
    REPORTED,
    REWARDS,
    STORY,
)
from recognition.models import (
    APPROVERS_GROUP,
    Award,
    Kudos,
    KudosComment,
    Nomination,
    Praise,
    Reaction,
    Redemption,
    Reward,
    Value,
    Wallet,
)
from recognition.seed import seed_rows
from recognition.selectors.accounts import allowance_for, points_balance
from recognition.services import badges, nominations, praise, rewards
from recognition.services import kudos as kudos_services
from training.models import Session

AWARD = "customer-champion-of-the-quarter"
APPROVERS = ["manager", "admin"]
# What happened this recently is still unread.
UNREAD_DAYS = 3
FILLER_PER_WEEK = 8
WEEKS = 13


def seed(*, log=print) -> None:
    # The rows migration 0002 seeds (values, badges, the award, the approvers' group), also in
    # a database whose tables were emptied since: only what is missing is added.
    seed_rows()
    # Every run: the people demo resets everyone's groups to their roles.
    group = Group.objects.get(name=APPROVERS_GROUP)
    group.user_set.add(*User.objects.filter(username__in=APPROVERS))
    if Reward.objects.filter(slug__in=REWARDS).exists():
        log("Demo recognition exists; left as it is.")
        return
    with transaction.atomic():
        people = {user.username: user for user in User.objects.select_related("team")}
        for username, allowance in ALLOWANCES.items():
            Wallet.objects.update_or_create(
                user=people[username], defaults={"monthly_allowance": allowance}
            )
        given = _kudos(people)
        _praise(people)
        _rewards(people)
        _nominations(people, given)
        awarded = badges.badges_award()
    log(
        f"Demo recognition: {Kudos.objects.count()} kudos, {Praise.objects.count()} praise, "
        f"{len(REWARDS)} rewards, {awarded} badges awarded."
    )


# --- Time -------------------------------------------------------------------------------------


def _at(days_ago: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    when = timezone.make_aware(datetime.combine(day, time(hour)))
    return min(when, timezone.now() - timedelta(minutes=5))


@contextmanager
def _then(when: datetime) -> Iterator[None]:
    """What the services tell people inside happened at `when`, and was read since unless it
    is recent."""
    last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    yield
    read = when if timezone.now() - when > timedelta(days=UNREAD_DAYS) else None
    Notification.objects.filter(pk__gt=last).update(created_at=when, read_at=read)


# --- Kudos ------------------------------------------------------------------------------------


def _target(spec, giver: User) -> dict:
    """The service's keywords for what a kudos was for, when the giver may name it (the demo
    data follows the other apps' demos; a piece that is not there is left out)."""
    if spec is None:
        return {}
    kind, *rest = spec
    if kind == "ticket":
        return {"ticket_ref": rest[0], "customer_quote": rest[1]}
    if kind == "article":
        article = Article.objects.published().visible_to(giver).filter(slug=rest[0]).first()
        return {"article": article} if article else {}
    if kind == "session":
        session = Session.objects.visible_to(giver).filter(slug=rest[0]).first()
        return {"session": session} if session else {}
    pairing = Pairing.objects.filter(
        mentor__username=rest[0], mentee__username=rest[1], status__in=["active", "completed"]
    ).first()
    return {"pairing": pairing} if pairing else {}


def _plan(people, rng: random.Random) -> list[tuple]:
    """Every kudos to give, oldest first: the written ones and weekly thank-yous between
    colleagues (key None), as (key, when, giver, recipients, values, points, message,
    target)."""
    plan = [
        (key, _at(days, hour), people[giver], [people[r] for r in recipients],
         values, points, message, target)
        for key, days, hour, giver, recipients, values, points, message, target in KUDOS
    ]  # fmt: skip
    colleagues = sorted(
        (p for p in people.values() if p.team_id and not p.is_superuser and p.is_active),
        key=lambda p: p.username,
    )
    for week in range(WEEKS):
        for _ in range(FILLER_PER_WEEK):
            giver, recipient = rng.sample(colleagues, 2)
            value, text = rng.choice(FILLER)
            message = text.format(
                first=recipient.name.split()[0], queue=QUEUES.get(recipient.team.slug, "support")
            )
            when = _at(WEEKS * 7 - week * 7 - rng.randint(0, 6), rng.choice([9, 11, 14, 16]))
            plan.append((None, when, giver, [recipient], [value], rng.choice([10, 10, 15, 20, 25]),
                         message, None))  # fmt: skip
    return sorted(plan, key=lambda row: row[1])


def _kudos(people) -> dict[str, Kudos]:
    rng = random.Random(14)
    values = {value.slug: value for value in Value.objects.all()}
    given = {}
    for key, when, giver, recipients, slugs, points, message, target in _plan(people, rng):
        # Within what is left of that month's allowance, as the give form would have said.
        left = allowance_for(giver, now=when).left // len(recipients)
        points = min(points, left)
        with _then(when):
            kudos = kudos_services.kudos_give(
                giver=giver, recipients=recipients, message=message,
                values=[values[slug] for slug in slugs], points=points,
                now=when, **_target(target, giver),
            )  # fmt: skip
        if key:
            given[key] = kudos
        _react(kudos, people, rng)
    for key, author, body in COMMENTS:
        kudos = given[key]
        when = kudos.created_at + timedelta(hours=2)
        with _then(when):
            comment = kudos_services.comment_add(kudos=kudos, author=people[author], body=body)
        KudosComment.objects.filter(pk=comment.pk).update(created_at=when)
    key, reporter, reason = REPORTED
    kudos_services.kudos_report(kudos=given[key], user=people[reporter], reason=reason)
    # Pinned today on the wall, by the manager who gave it.
    key, title, learned = STORY
    today = timezone.localdate()
    with _then(timezone.now()):
        praise.story_create(
            user=people["manager"], kudos=given[key], title=title, learned=learned,
            pinned_from=today, pinned_until=today + timedelta(days=14),
        )  # fmt: skip
    return given


def _react(kudos: Kudos, people, rng: random.Random) -> None:
    """A few colleagues react, most with applause, within a day."""
    crowd = sorted(people.values(), key=lambda p: p.username)
    kinds = ["clap", "clap", "clap", "heart", "party", "strong", "star"]
    for person in rng.sample(crowd, rng.randint(0, 6)):
        kudos_services.reaction_toggle(kudos=kudos, user=person, kind=rng.choice(kinds), on=True)
    when = kudos.created_at + timedelta(hours=rng.randint(1, 20))
    Reaction.objects.filter(kudos=kudos).update(created_at=min(when, timezone.now()))


# --- Praise, rewards, nominations -------------------------------------------------------------


def _praise(people) -> None:
    for days, channel, agents, quote, customer, ticket, csat, recorder in PRAISE:
        when = _at(days, 11)
        with _then(when):
            made = praise.praise_record(
                recorded_by=people[recorder], quote=quote, channel=channel,
                received_on=timezone.localdate() - timedelta(days=days),
                agents=[people[a] for a in agents], ticket_ref=ticket, csat=csat,
                customer=customer,
            )  # fmt: skip
        Praise.objects.filter(pk=made.pk).update(created_at=when)


def _rewards(people) -> None:
    catalogue = {}
    for slug, (name, description, price, stock, approver) in REWARDS.items():
        reward = Reward(
            slug=slug, name=name, description=description, price=price, stock=stock,
            approver=approver, created_at=_at(90, 9),
        )  # fmt: skip
        reward.full_clean()
        reward.save()
        catalogue[slug] = reward
    # The colleague who received most swapped points for a gift card ten days ago; the
    # agent asks for a hoodie (waiting for an admin).
    richest = max(
        (p for p in people.values() if p.username != "agent"),
        key=lambda p: (points_balance(p), p.username),
    )
    when = _at(10, 10)
    with _then(when):
        made = rewards.reward_redeem(
            person=richest, reward=catalogue["gift-card"], note="The bookshop, please."
        )
        rewards.redemption_approve(redemption=made, user=people["admin"])
    Redemption.objects.filter(pk=made.pk).update(
        created_at=when, decided_at=when + timedelta(hours=3)
    )
    agent = people["agent"]
    if points_balance(agent) >= catalogue["company-hoodie"].price:
        with _then(_at(1, 15)):
            made = rewards.reward_redeem(
                person=agent, reward=catalogue["company-hoodie"], note="Size M."
            )
        Redemption.objects.filter(pk=made.pk).update(created_at=_at(1, 15))


def _nominations(people, given: dict[str, Kudos]) -> None:
    """Last quarter's award, approved, and this quarter's nomination waiting for approval."""
    award = Award.objects.get(slug=AWARD)
    start = timezone.localdate().replace(day=1)
    last_quarter = start.replace(month=(start.month - 1) // 3 * 3 + 1) - timedelta(days=5)
    for nominee, nominator, approver, reason, evidence in NOMINATIONS:
        when = _at((timezone.localdate() - last_quarter).days, 10) if approver else _at(1, 9)
        links = "\n".join(given[key].get_absolute_url() for key in evidence)
        with _then(when):
            made = nominations.nomination_create(
                nominated_by=people[nominator], nominee=people[nominee], award=award,
                reason=reason, evidence=links, now=when,
            )  # fmt: skip
        if approver is None:
            continue
        decided = when + timedelta(days=2)
        with _then(decided):
            nominations.nomination_approve(
                nomination=made, user=people[approver], comment="Well deserved."
            )
        Nomination.objects.filter(pk=made.pk).update(decided_at=decided)
