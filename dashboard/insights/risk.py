"""Knowledge risk: what depends on one person, so a manager sees the bus factor before
someone leaves.

An item's bus factor is the fewest people who together hold more than half of it: the
owners of more than half of a category's published articles, the mentors of a skill, the
authors of more than half of a topic's accepted answers. An item is at risk when that is one
person, and that person is one of the teams' people (the only ones a manager can hand over).
Only what the viewer may read is counted, by each app's own `visible_to`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse

from dashboard.insights.tables import Row, Table
from kb.models import Article
from mentorship.matching.features import skill_key
from mentorship.models import MentoringProfile, TaggedMentoringTopic
from people.models import TaggedSkill, User
from questions.models import Answer

CATEGORY, SKILL, TOPIC = "KB category", "Mentoring skill", "Question topic"


def bus_factor(shares: Iterable[int]) -> int:
    """The fewest holders who together hold more than half of the total of `shares`."""
    ordered = sorted(shares, reverse=True)
    total, held = sum(ordered), 0
    for count, share in enumerate(ordered, start=1):
        held += share
        if held * 2 > total:
            return count
    return len(ordered)


@dataclass(frozen=True)
class Risk:
    kind: str
    item: str
    url: str
    person_id: int
    held: int  # what the person holds: articles owned, mentees they could take, answers
    total: int
    unit: str

    @property
    def share(self) -> str:
        return f"{self.held} of {self.total} {self.unit}"


def _single(
    kind: str, item: str, url: str, holders: Counter, unit: str, people: set[int] | None
) -> Risk | None:
    if not holders or bus_factor(holders.values()) != 1:
        return None
    person_id, held = holders.most_common(1)[0]
    if people is not None and person_id not in people:
        return None
    return Risk(kind, item, url, person_id, held, sum(holders.values()), unit)


def category_risks(*, viewer: User, people: set[int] | None) -> list[Risk]:
    """Categories where one person owns more than half the published articles. One query."""
    owners: dict[int, Counter] = defaultdict(Counter)
    names: dict[int, tuple[str, str]] = {}
    rows = (
        Article.objects.published()
        .visible_to(viewer)
        .order_by()
        .values("category", "category__name", "category__slug", "category__parent__name", "owner")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        owners[row["category"]][row["owner"]] += row["n"]
        parent = row["category__parent__name"]
        name = f"{parent} / {row['category__name']}" if parent else row["category__name"]
        names[row["category"]] = (name, reverse("kb:category", args=[row["category__slug"]]))
    found = (
        _single(CATEGORY, *names[pk], holders, "articles", people) for pk, holders in owners.items()
    )
    return [risk for risk in found if risk]


def skill_risks(*, people: set[int] | None) -> list[Risk]:
    """Skills that only one mentor offers: the mentor pool's mentoring topics and profile
    skills, compared as matching compares them (case-insensitively). Three queries."""
    pool = list(MentoringProfile.objects.mentor_pool().values_list("user_id", flat=True))
    offered: dict[str, dict[int, str]] = defaultdict(dict)
    topics = TaggedMentoringTopic.objects.filter(content_object__user_id__in=pool).values_list(
        "content_object__user_id", "tag__name"
    )
    skills = TaggedSkill.objects.filter(content_object_id__in=pool).values_list(
        "content_object_id", "tag__name"
    )
    for user_id, name in [*topics, *skills]:
        offered[skill_key(name)].setdefault(user_id, name)
    found = []
    for mentors in offered.values():
        if len(mentors) == 1:
            ((user_id, name),) = mentors.items()
            risk = _single(SKILL, name, "", Counter({user_id: 1}), "mentors", people)
            if risk:
                found.append(risk)
    return found


def topic_risks(*, viewer: User, people: set[int] | None) -> list[Risk]:
    """Question tags where one person wrote more than half of the accepted answers the
    viewer may read. One query."""
    authors: dict[str, Counter] = defaultdict(Counter)
    rows = (
        Answer.objects.visible_to(viewer)
        .accepted()
        .filter(question__tags__isnull=False)
        .order_by()
        .values("question__tags__name", "author")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        authors[row["question__tags__name"]][row["author"]] += row["n"]
    found = (
        _single(TOPIC, tag, "", holders, "accepted answers", people)
        for tag, holders in authors.items()
    )
    return [risk for risk in found if risk]


def risk_table(*, viewer: User, people: set[int] | None) -> Table:
    """Every item at risk, the person it depends on and a link to hand their work over.
    Six queries."""
    risks = [
        *category_risks(viewer=viewer, people=people),
        *skill_risks(people=people),
        *topic_risks(viewer=viewer, people=people),
    ]
    persons = User.objects.in_bulk({r.person_id for r in risks})
    risks.sort(key=lambda r: (persons[r.person_id].name.lower(), r.kind, r.item.lower()))
    rows = tuple(
        Row(
            f"{risk.kind}: {risk.item}",
            (1, persons[risk.person_id].name, risk.share),
            url=risk.url,
            # Nobody hands over their own work (a manager at risk asks theirs).
            action_url=""
            if risk.person_id == viewer.pk
            else reverse("dashboard:handover", args=[persons[risk.person_id].username]),
        )
        for risk in risks
    )
    return Table(
        slug="knowledge-risk",
        title="Knowledge risk",
        caption="What depends on one person: bus factor 1",
        columns=("Item", "Bus factor", "Depends on", "Share"),
        rows=rows,
        action="Hand over",
        note=(
            "Each item's bus factor is the fewest people who together hold more than half of"
            " it: a category's published articles, a skill's mentors, a topic's accepted"
            " answers. Listed: those that depend on one person in the teams shown."
        ),
    )
