"""The rows recognition needs before anyone gives a kudos: the service values, the badges (one
per rule in `recognition.badges`), a first periodic award and the approvers' group. Admins
reword or retire them afterwards; seeding again changes nothing already there.

Migration 0002 seeds them, and a later migration that adds a badge seeds that one badge
(`seed_badges`); the demo seeding and the tests that start from an emptied database
(transactional tests) call `seed_rows` again.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps as global_apps

VALUES = [
    (
        "went-the-extra-mile",
        "Went the extra mile",
        "🚀",
        "Did more than the ticket asked, so the customer did not have to come back.",
        "Followed up unasked, fixed the cause and not only the symptom, or stayed with a "
        "customer until the problem was really gone.",
    ),
    (
        "solved-the-hard-one",
        "Solved the hard one",
        "🧩",
        "Cracked a problem others had given up on.",
        "A ticket escalated or reopened before, a cause nobody had found, or a fix that needed "
        "digging through logs, systems or other teams.",
    ),
    (
        "shared-knowledge",
        "Shared knowledge",
        "📚",
        "Made what they know findable for everyone.",
        "Wrote or improved an article, presented a session, answered a colleague's question "
        "in a way the next person can reuse.",
    ),
    (
        "customer-champion",
        "Customer champion",
        "🏅",
        "Stood up for the customer's interest inside the company.",
        "Pushed for a refund, a bug fix or a policy change a customer needed, with the "
        "evidence to back it.",
    ),
    (
        "team-player",
        "Team player",
        "🤝",
        "Made the team stronger than the sum of its people.",
        "Covered a queue, mentored a colleague, handed over cleanly, or helped someone through "
        "a rough shift.",
    ),
    (
        "proactive-service",
        "Proactive service",
        "🔭",
        "Solved problems before customers had them.",
        "Spotted a pattern in tickets and acted on it, warned customers ahead of an outage, or "
        "fixed a confusing macro or article before it caused contacts.",
    ),
]

BADGES = [
    (
        "first-kudos",
        "First kudos",
        "🌱",
        "Received a first kudos from a colleague.",
        "Receive one kudos from a colleague.",
    ),
    ("kudos-10", "Appreciated", "⭐", "Received 10 kudos.", "Receive 10 kudos from colleagues."),
    (
        "kudos-50",
        "Highly appreciated",
        "🌟",
        "Received 50 kudos.",
        "Receive 50 kudos from colleagues.",
    ),
    (
        "giver-10",
        "Generous",
        "🎁",
        "Gave 10 kudos: recognising others counts too.",
        "Give 10 kudos to colleagues.",
    ),
    (
        "first-article",
        "Author",
        "✍️",
        "Published a first knowledge-base article.",
        "Write an article that an editor publishes.",
    ),
    (
        "verifier-5",
        "Fact checker",
        "✅",
        "Verified 5 articles as still correct.",
        "Verify 5 published articles you own or know.",
    ),
    ("track-done", "Learner", "🎓", "Completed a training track.", "Complete any training track."),
    (
        "mentor-trained",
        "Ready to mentor",
        "🧭",
        "Completed mentor training.",
        "Complete the track a mentoring programme requires of its mentors.",
    ),
    (
        "presenter",
        "Presenter",
        "🎤",
        "Presented at a knowledge-sharing session.",
        "Present a session that takes place.",
    ),
    (
        "mentor-done",
        "Mentor",
        "🤲",
        "Completed a mentorship as the mentor.",
        "See a mentoring pairing through to completion as its mentor.",
    ),
    (
        "first-praise",
        "Customer favourite",
        "💬",
        "Was named in a customer's praise.",
        "Be one of the agents a customer praised.",
    ),
    (
        "first-answer",
        "Helpful colleague",
        "💡",
        "Had a first answer to a colleague's question accepted.",
        "Answer a question on the questions page; the asker (or a KB editor) accepts it.",
    ),
    (
        "answers-10",
        "Go-to expert",
        "🦉",
        "Had 10 answers to colleagues' questions accepted.",
        "Have 10 of your answers accepted as the answer to a question.",
    ),
]


def seed_rows(apps=global_apps) -> None:
    """Create whichever of the seeded rows are missing (with `apps`, a migration's registry
    or the project's)."""
    Value = apps.get_model("recognition", "Value")
    Award = apps.get_model("recognition", "Award")
    Group = apps.get_model("auth", "Group")
    for order, (slug, name, emoji, description, qualifies) in enumerate(VALUES):
        Value.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "emoji": emoji,
                "description": description,
                "qualifies": qualifies,
                "order": order,
            },
        )
    seed_badges(apps)
    Award.objects.get_or_create(
        slug="customer-champion-of-the-quarter",
        defaults={
            "name": "Customer Champion of the quarter",
            "description": "The colleague whose service customers and teammates will "
            "remember this quarter.",
            "period": "quarter",
        },
    )
    Group.objects.get_or_create(name="Award approver")


def seed_badges(apps=global_apps, rules: Iterable[str] | None = None) -> None:
    """Create whichever badges of `BADGES` are missing (only those of `rules` when given: a
    migration that adds a rule seeds its own badge, not the ones an admin deleted since)."""
    Badge = apps.get_model("recognition", "Badge")
    wanted = None if rules is None else set(rules)
    for order, (rule, name, emoji, description, how) in enumerate(BADGES):
        if wanted is not None and rule not in wanted:
            continue
        Badge.objects.get_or_create(
            rule=rule,
            defaults={
                "name": name,
                "emoji": emoji,
                "description": description,
                "how_to_earn": how,
                "order": order,
            },
        )
