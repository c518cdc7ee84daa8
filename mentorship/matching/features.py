"""What matching knows about people, read for whole lists of them at once.

Scoring compares a mentee's wishes with a mentor's offer on six factors; everything those
factors need is read here, for any number of people, in a fixed number of queries (mentees:
four; mentors: eight), never one per person or per pair. Skill names are compared
case-insensitively (`casefold`), in Python: the knowledge base tags articles with its own
vocabulary, and SQLite's `lower()` only folds ASCII.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.db.models import F, Q
from django.utils import timezone
from whoosh.analysis import STOP_WORDS, StemmingAnalyzer

from kb.models import Article
from mentorship.models import MentoringProfile, TaggedDevelopSkill, TaggedMentoringTopic
from people.models import TaggedInterest, TaggedSkill, User
from questions.models import Answer
from training.models import Enrolment, Session

# Experience levels in order: the experience factor compares their positions.
LEVELS = {
    User.ExperienceLevel.NEW: 0,
    User.ExperienceLevel.DEVELOPING: 1,
    User.ExperienceLevel.EXPERIENCED: 2,
    User.ExperienceLevel.EXPERT: 3,
}
LEVEL_NAMES = ("new", "developing", "experienced", "expert")

# Whoosh's stop list is made for search queries; goals are first-person sentences ("I want to
# get better at…"), whose filler words would otherwise count as shared ground.
_GOAL_STOP_WORDS = frozenset(STOP_WORDS) | {
    "i", "me", "my", "mine", "our", "ours", "they", "their", "them", "he", "she", "his", "her",
    "want", "wants", "would", "like", "get", "getting", "become", "more", "most", "also",
    "into", "about", "do", "doing", "been", "being", "was", "were", "has", "had", "so",
    "some", "any", "all", "other", "than", "then", "very", "just", "over", "up", "out",
    "who", "what", "which", "how", "why", "where", "one", "day", "better", "good", "new",
    "year", "years", "work", "working", "etc",
}  # fmt: skip
_ANALYZER = StemmingAnalyzer(stoplist=_GOAL_STOP_WORDS)

# Evidence kinds, as the breakdown names them.
OWNED, VERIFIED, ANSWERED, SESSION, TRACK = "owned", "verified", "answered", "session", "track"


def skill_key(name: str) -> str:
    """How two skill names are compared: "Refunds" and "refunds" are the same skill."""
    return name.strip().casefold()


def text_words(*texts: str) -> dict[str, str]:
    """The stems of `texts` (tokenised, stop words dropped, stemmed by Whoosh's analyser),
    each with the first word it came from, lower-cased, for the breakdown to show."""
    words: dict[str, str] = {}
    for text in texts:
        if text:
            for stem, word in _analysed(text):
                words.setdefault(stem, word)
    return words


@lru_cache(maxsize=8192)
def _analysed(text: str) -> tuple[tuple[str, str], ...]:
    # A ranking reads every mentor's texts, which rarely change: analysing them is most of
    # the Python time of a ranking, so the results are kept (bounded, keyed by the text).
    return tuple(
        (token.text, token.original.lower()) for token in _ANALYZER(text, keeporiginal=True)
    )


@dataclass(frozen=True)
class Evidence:
    """One thing a mentor has done in Huddle that shows a skill: a published article they own
    or verified, an answer of theirs accepted on a colleague's question, a session they
    presented, a track they completed."""

    kind: str  # OWNED, VERIFIED, ANSWERED, SESSION or TRACK
    pk: int
    skills: frozenset[str]  # skill keys it is tagged with


@dataclass(frozen=True, eq=False)
class Mentee:
    user: User
    level: int
    team_id: int | None
    wishes: dict[str, str]  # skill key -> the name the mentee wrote
    interests: dict[int, str]  # interest id -> name
    goal_words: dict[str, str]  # stem -> word (career goals + what they want from mentoring)


@dataclass(frozen=True, eq=False)
class Mentor:
    user: User
    level: int
    team_id: int | None
    offers: dict[str, str]  # skill key -> name (mentoring topics and profile skills)
    interests: dict[int, str]
    background_words: dict[str, str]  # stem -> word (job title, career goals, topics)
    evidence: tuple[Evidence, ...]  # only in skills some mentee in the batch wants


def _people(user_ids: Sequence[int]) -> list[User]:
    """The people, in the order of `user_ids` (ids of nobody left out)."""
    found = User.objects.filter(pk__in=user_ids).select_related("team").in_bulk()
    return [found[pk] for pk in dict.fromkeys(user_ids) if pk in found]


def _tags(rows: Iterable[tuple[int, str]]) -> dict[int, dict[str, str]]:
    by_person: dict[int, dict[str, str]] = defaultdict(dict)
    for user_id, name in rows:
        by_person[user_id].setdefault(skill_key(name), name)
    return by_person


def _interests(ids: Sequence[int]) -> dict[int, dict[int, str]]:
    by_person: dict[int, dict[int, str]] = defaultdict(dict)
    rows = TaggedInterest.objects.filter(content_object_id__in=ids).values_list(
        "content_object_id", "tag_id", "tag__name"
    )
    for user_id, tag_id, name in rows:
        by_person[user_id][tag_id] = name
    return by_person


def load_mentees(user_ids: Sequence[int]) -> list[Mentee]:
    """Mentees' features in four queries: people (with teams), wished skills, interests, and
    their mentoring profiles' goals."""
    people = _people(user_ids)
    ids = [p.pk for p in people]
    wishes = _tags(
        TaggedDevelopSkill.objects.filter(content_object__user_id__in=ids).values_list(
            "content_object__user_id", "tag__name"
        )
    )
    interests = _interests(ids)
    goals = dict(MentoringProfile.objects.filter(user_id__in=ids).values_list("user_id", "goals"))
    return [
        Mentee(
            user=p,
            level=LEVELS.get(p.experience_level, 0),
            team_id=p.team_id,
            wishes=dict(sorted(wishes.get(p.pk, {}).items(), key=lambda kv: kv[1].casefold())),
            interests=interests.get(p.pk, {}),
            goal_words=text_words(p.career_goals, goals.get(p.pk, "")),
        )
        for p in people
    ]


def load_mentors(
    user_ids: Sequence[int], *, wished: Iterable[str], now: datetime | None = None
) -> list[Mentor]:
    """Mentors' features in eight queries: people, profile skills, mentoring topics,
    interests, and their evidence in the `wished` skill keys (published articles they own or
    verified, accepted answers, sessions they presented, tracks they completed)."""
    people = _people(user_ids)
    ids = [p.pk for p in people]
    skills = _tags(
        TaggedSkill.objects.filter(content_object_id__in=ids).values_list(
            "content_object_id", "tag__name"
        )
    )
    topics = _tags(
        TaggedMentoringTopic.objects.filter(content_object__user_id__in=ids).values_list(
            "content_object__user_id", "tag__name"
        )
    )
    interests = _interests(ids)
    evidence = _evidence(ids, set(wished), now or timezone.now())
    mentors = []
    for p in people:
        own_topics = topics.get(p.pk, {})
        mentors.append(
            Mentor(
                user=p,
                level=LEVELS.get(p.experience_level, 0),
                team_id=p.team_id,
                offers={**skills.get(p.pk, {}), **own_topics},
                interests=interests.get(p.pk, {}),
                background_words=text_words(p.job_title, p.career_goals, *own_topics.values()),
                evidence=evidence.get(p.pk, ()),
            )
        )
    return mentors


def _evidence(ids: list[int], wished: set[str], now: datetime) -> dict[int, tuple[Evidence, ...]]:
    """Each mentor's evidence in the wished skills: four queries (none when nobody wishes
    anything). Rows carry tag names; the wished ones are kept here, case-insensitively."""
    if not ids or not wished:
        return {}
    found: dict[int, dict[tuple[str, int], set[str]]] = defaultdict(lambda: defaultdict(set))
    mentors = set(ids)
    # Only published articles: a draft, one in review or an archived one shows nothing yet.
    articles = (
        Article.objects.published()
        .filter(Q(owner__in=ids) | Q(verified_by__in=ids), tags__isnull=False)
        .order_by()
        .values_list("pk", "owner_id", "verified_by_id", "tags__name")
    )
    for pk, owner_id, verifier_id, tag in articles:
        if (key := skill_key(tag)) not in wished:
            continue
        if owner_id in mentors:
            found[owner_id][(OWNED, pk)].add(key)
        if verifier_id in mentors and verifier_id != owner_id:
            found[verifier_id][(VERIFIED, pk)].add(key)
    # Their answers accepted on a colleague's question tagged with the skill: what they know
    # shown where someone needed it. An answer to their own question helped nobody else; an
    # acceptance withdrawn no longer counts.
    answers = (
        Answer.objects.accepted()
        .filter(author__in=ids, question__tags__isnull=False)
        .exclude(question__author=F("author"))
        .order_by()
        .values_list("author_id", "pk", "question__tags__name")
    )
    for user_id, answer_id, tag in answers:
        if (key := skill_key(tag)) in wished:
            found[user_id][(ANSWERED, answer_id)].add(key)
    # Sessions they presented that took place: started, and not cancelled.
    presented = (
        Session.presenters.through.objects.filter(
            user_id__in=ids, session__starts_at__lte=now, session__skills__isnull=False
        )
        .exclude(session__status=Session.Status.CANCELLED)
        .values_list("user_id", "session_id", "session__skills__name")
    )
    for user_id, session_id, tag in presented:
        if (key := skill_key(tag)) in wished:
            found[user_id][(SESSION, session_id)].add(key)
    completed = (
        Enrolment.objects.completed()
        .filter(user_id__in=ids, track__skills__isnull=False)
        .order_by()
        .values_list("user_id", "track_id", "track__skills__name")
    )
    for user_id, track_id, tag in completed:
        if (key := skill_key(tag)) in wished:
            found[user_id][(TRACK, track_id)].add(key)
    return {
        user_id: tuple(
            Evidence(kind=kind, pk=pk, skills=frozenset(keys))
            for (kind, pk), keys in sorted(items.items())
        )
        for user_id, items in found.items()
    }
