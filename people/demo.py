"""Demo organisation for `manage.py seed_demo`: teams, people, roles, skills and goals.

Idempotent: people are matched by username, teams by slug; re-running updates in place and
never resets a password someone changed.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from people.models import Role, Team, User

DEMO_PASSWORD = "huddle-demo"

TEAMS = {
    "billing": ("Billing Support", "Refunds, invoices, payment failures and disputes."),
    "tech": ("Technical Support", "Log-in trouble, integrations, bugs and outages."),
    "success": ("Customer Success", "Onboarding and growing our business accounts."),
    "escalations": ("Escalations", "The hardest cases and unhappy customers, handled with care."),
}

# username: (display name, job title, team, level, roles, skills, interests, goals, days ago)
# Skills and interests are a realistic customer-service vocabulary that later features
# (mentor matching, search) work against.
PEOPLE: dict[str, tuple] = {
    "agent": (
        "Alex Agent",
        "Support Agent",
        "billing",
        "developing",
        [Role.AGENT],
        ["refunds", "invoicing", "live chat"],
        ["chargebacks", "de-escalation"],
        "Handle chargebacks on my own and join the escalations team.",
        120,
    ),
    "mentor": (
        "Morgan Mentor",
        "Senior Support Engineer",
        "tech",
        "expert",
        [Role.AGENT, Role.MENTOR],
        ["api troubleshooting", "account recovery", "two-factor auth", "sql", "coaching"],
        ["leadership", "public speaking"],
        "Lead the technical support team.",
        1400,
    ),
    "manager": (
        "Maria Manager",
        "Support Team Lead",
        "billing",
        "expert",
        [Role.MANAGER],
        ["coaching", "workforce planning", "refunds", "quality review"],
        ["data analysis", "leadership"],
        "Grow two team leads within a year.",
        2100,
    ),
    "editor": (
        "Eddie Editor",
        "Knowledge Manager",
        "success",
        "expert",
        [Role.KB_EDITOR, Role.AGENT],
        ["technical writing", "macros", "onboarding", "tone and empathy"],
        ["information architecture", "search"],
        "A knowledge base agents trust.",
        900,
    ),
    "admin": (
        "Ada Admin",
        "Support Operations",
        "tech",
        "expert",
        [Role.ADMIN],
        ["zendesk administration", "sql", "reporting"],
        ["automation"],
        "Automate the repetitive parts of support.",
        1800,
    ),
}

_FIRST = [
    "Priya",
    "Tom",
    "Aisha",
    "Lukas",
    "Mei",
    "Diego",
    "Fatima",
    "Jonas",
    "Chloe",
    "Ravi",
    "Sofia",
    "Kwame",
    "Hannah",
    "Mateo",
    "Yuki",
    "Omar",
    "Elena",
    "Noah",
    "Zara",
    "Felix",
    "Ines",
    "Samir",
    "Grace",
    "Ivan",
    "Leila",
    "Oscar",
    "Nadia",
    "Ben",
    "Amara",
    "Theo",
]
_LAST = [
    "Shah",
    "Becker",
    "Okafor",
    "Novak",
    "Chen",
    "Alvarez",
    "Haddad",
    "Lindqvist",
    "Martin",
    "Iyer",
    "Rossi",
    "Mensah",
    "Weber",
    "Garcia",
    "Tanaka",
    "Farouk",
    "Petrova",
    "Dubois",
    "Khan",
    "Schmidt",
    "Costa",
    "Nasser",
    "Murphy",
    "Ivanov",
    "Rahimi",
    "Berg",
    "Kowalski",
    "Clarke",
    "Eze",
    "Laurent",
]
_TEAM_SKILLS = {
    "billing": ["refunds", "chargebacks", "invoicing", "payment failures", "vat", "subscriptions"],
    "tech": [
        "api troubleshooting",
        "account recovery",
        "two-factor auth",
        "sso",
        "webhooks",
        "bug triage",
        "sql",
    ],
    "success": ["onboarding", "account reviews", "renewals", "product training", "macros"],
    "escalations": [
        "de-escalation",
        "tone and empathy",
        "complaints handling",
        "incident communication",
        "vip accounts",
    ],
}
_INTERESTS = [
    "coaching",
    "leadership",
    "data analysis",
    "technical writing",
    "sql",
    "public speaking",
    "automation",
    "product management",
    "quality review",
]
_TITLES = {
    "new": "Support Agent",
    "developing": "Support Agent",
    "experienced": "Senior Support Agent",
    "expert": "Support Specialist",
}
_LEVELS = ["new", "developing", "developing", "experienced", "experienced", "expert"]
_GOALS = [
    "Become a mentor for new starters.",
    "Move into quality assurance.",
    "Learn enough SQL to answer data questions myself.",
    "Lead a team within two years.",
    "Get certified in our enterprise product.",
    "",
]


def _generated_people() -> dict[str, tuple]:
    """30 colleagues, deterministic so re-seeding changes nothing."""
    people = {}
    team_keys = list(TEAMS)
    for i, (first, last) in enumerate(zip(_FIRST, _LAST, strict=True)):
        team = team_keys[i % len(team_keys)]
        level = _LEVELS[i % len(_LEVELS)]
        skills = _TEAM_SKILLS[team][i % 3 : i % 3 + 3]
        roles = [Role.AGENT] + ([Role.MENTOR] if level == "expert" else [])
        # Every seventh person joined recently and has not finished their profile, so the
        # onboarding reminder has someone to remind.
        incomplete = i % 7 == 6
        people[f"{first}.{last}".lower()] = (
            f"{first} {last}",
            "" if incomplete else _TITLES[level],
            team,
            "new" if incomplete else level,
            roles,
            [] if incomplete else skills,
            [] if incomplete else [_INTERESTS[i % len(_INTERESTS)]],
            "" if incomplete else _GOALS[i % len(_GOALS)],
            5 + i if incomplete else 60 + 37 * i,
        )
    return people


@transaction.atomic
def seed(*, log=print) -> None:
    teams = {}
    for slug, (name, description) in TEAMS.items():
        teams[slug], _ = Team.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
    # The role groups come from a data migration; get_or_create so the demo also seeds a
    # database whose groups were flushed (a transactional test, a hand-cleared table).
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
    password = make_password(DEMO_PASSWORD)  # hashed once: same password for every demo person
    now = timezone.now()
    created = 0
    for username, row in {**PEOPLE, **_generated_people()}.items():
        display, title, team, level, roles, skills, interests, goals, days_ago = row
        profile = {
            "display_name": display,
            "first_name": display.split()[0],
            "last_name": display.split()[-1],
            "email": f"{username}@huddle.example",
            "job_title": title,
            "team": teams[team],
            "experience_level": level,
            "career_goals": goals,
            "is_staff": Role.ADMIN in roles,
            "is_superuser": Role.ADMIN in roles,
        }
        # create_defaults replaces defaults on creation, so it repeats the profile; the
        # password and join date are set only once, never reset by a re-run.
        user, is_new = User.objects.update_or_create(
            username=username,
            defaults=profile,
            create_defaults={
                **profile,
                "password": password,
                "date_joined": now - timedelta(days=days_ago),
            },
        )
        created += is_new
        user.groups.set([groups[role] for role in roles])
        user.skills.set(skills)
        user.interests.set(interests)
    teams["billing"].managers.set([User.objects.get(username="manager")])
    teams["success"].managers.set([User.objects.get(username="manager")])
    teams["tech"].managers.set([User.objects.get(username="mentor")])
    teams["escalations"].managers.set([User.objects.get(username="admin")])
    log(f"People: {User.objects.count()} ({created} new) in {len(teams)} teams.")
