"""Who is likely to know the answer to a question, and why.

The evidence is what people have actually done in Huddle, in the question's tags (compared
case-insensitively: "Refunds" and "refunds" are one topic):

- answers of theirs that were accepted on other questions with those tags;
- published articles with those tags that they own, or verified on purpose (the verification
  an approval records for the approving editor says nothing about what they know);
- a skill on their profile named like one of the tags, or like a word of the title.

Score: each accepted answer counts 4, each owned article 3, each verified article 2 (an
article they own and verified counts once, as owned), each skill named like a tag 2 and each
skill named like a title word 1. Each kind counts at most `PER_KIND_CAP` items, so a person
with varied evidence is not buried under one who owns thirty articles. An answer that was
accepted is the most direct proof; owning an article means keeping it right; verifying is a
lighter check; a profile skill is only what someone says of themselves.

Six queries at most (seven for a question limited to teams), whatever the numbers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper
from django.db.models.functions import Lower
from whoosh.analysis import STOP_WORDS

from kb.models import Article
from kb.querysets import EXPLICITLY_VERIFIED
from people.models import TaggedSkill, User
from questions.models import Answer, Question
from questions.querysets import QUESTION_AUDIENCE
from searchkit.audience import principals

ACCEPTED, OWNED, VERIFIED, SKILL, TITLE = "accepted", "owned", "verified", "skill", "title"
# Points per item of evidence, strongest first (the order also breaks ties between reasons).
WEIGHTS = {ACCEPTED: 4, OWNED: 3, VERIFIED: 2, SKILL: 2, TITLE: 1}
PER_KIND_CAP = 5
# Title words shorter than this, or filler words, name no skill.
_MIN_WORD = 3
_WORD = re.compile(r"\w+(?:[-'&+]\w+)*")


@dataclass(frozen=True)
class Expert:
    """A person likely to know the answer: `reason` names their strongest evidence in the
    third person ("owns 4 articles tagged refunds"), `reason_to_them` in the second ("you
    own 4 articles tagged refunds"), for the message that asks them."""

    person: User
    score: int
    reason: str
    reason_to_them: str


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _either(names: Iterable[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _both(names: Iterable[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def folds(text: str) -> set[str]:
    """`text` lower-cased as Python and PostgreSQL do it, and as SQLite's `lower()` does (ASCII
    letters only), so a name compared with the database's `Lower()` matches on both."""
    return {text.lower(), "".join(ch.lower() if ch.isascii() else ch for ch in text)}


def title_phrases(title: str) -> set[str]:
    """The lower-cased words of `title` and its two- and three-word phrases, which a skill
    may be named like ("split payments"), each also without or with a plural "s"."""
    words = _WORD.findall(title)
    found = [w for w in words if len(w) >= _MIN_WORD and w.lower() not in STOP_WORDS]
    for size in (2, 3):
        found.extend(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))
    phrases = set()
    for phrase in found:
        for folded in folds(phrase):
            phrases.update({folded, folded.removesuffix("s"), f"{folded}s"})
    phrases.discard("")
    return phrases


class _Evidence:
    """One person's evidence: for each kind, the items (article, answer or skill) and the
    topics they were found under."""

    def __init__(self):
        self.items: dict[str, dict[object, set[str]]] = defaultdict(lambda: defaultdict(set))

    def add(self, kind: str, item: object, topic: str) -> None:
        self.items[kind][item].add(topic)

    def points(self, kind: str) -> int:
        return WEIGHTS[kind] * min(len(self.items.get(kind, ())), PER_KIND_CAP)

    @property
    def score(self) -> int:
        return sum(self.points(kind) for kind in WEIGHTS)

    def strongest(self) -> tuple[str, int, list[str]]:
        """The kind giving the most points (the stronger kind on a tie), how many items, and
        their topics, the most frequent first."""
        kind = max(
            (k for k in WEIGHTS if self.items.get(k)),
            key=lambda k: (self.points(k), -list(WEIGHTS).index(k)),
        )
        counts: dict[str, int] = defaultdict(int)
        for topics in self.items[kind].values():
            for topic in topics:
                counts[topic] += 1
        ordered = sorted(counts, key=lambda t: (-counts[t], t.casefold()))
        return kind, len(self.items[kind]), ordered


def _reasons(kind: str, n: int, topics: list[str]) -> tuple[str, str]:
    tagged = _either(topics[:3])
    if kind == ACCEPTED:
        said = f"{_plural(n, 'accepted answer')} on {tagged}"
        return said, f"you have {said}"
    if kind == OWNED:
        said = f"{_plural(n, 'article')} tagged {tagged}"
        return f"owns {said}", f"you own {said}"
    if kind == VERIFIED:
        said = f"verified {_plural(n, 'article')} tagged {tagged}"
        return said, f"you {said}"
    skills = _both(topics[:3])
    return f"lists {skills} among their skills", f"you list {skills} among your skills"


def _gather(question: Question, tags: dict[str, str], words: set[str]) -> dict[int, _Evidence]:
    """Everyone's evidence for the question's tag keys (`tags`: key to the name shown) and
    title `words`: three queries."""
    found: dict[int, _Evidence] = defaultdict(_Evidence)
    keys = list(tags)
    if keys:
        articles = (
            Article.objects.published()
            .annotate(topic=Lower("tags__name"))
            .filter(topic__in=keys)
            .order_by()
            .values_list(
                "pk", "owner_id", "verified_by_id", "topic",
                ExpressionWrapper(EXPLICITLY_VERIFIED, output_field=BooleanField()),
            )
        )  # fmt: skip
        for pk, owner_id, verifier_id, topic, on_purpose in articles:
            found[owner_id].add(OWNED, pk, tags[topic])
            if verifier_id and verifier_id != owner_id and on_purpose:
                found[verifier_id].add(VERIFIED, pk, tags[topic])
        answers = (
            Answer.objects.accepted()
            .exclude(question=question)
            .annotate(topic=Lower("question__tags__name"))
            .filter(topic__in=keys)
            .order_by()
            .values_list("author_id", "pk", "topic")
        )
        for author_id, pk, topic in answers:
            found[author_id].add(ACCEPTED, pk, tags[topic])
    if keys or words:
        skills = (
            TaggedSkill.objects.annotate(lowered=Lower("tag__name"))
            .filter(lowered__in=[*keys, *(words - set(keys))])
            .order_by()
            .values_list("content_object_id", "tag__name", "lowered")
        )
        for person_id, name, lowered in skills:
            found[person_id].add(SKILL if lowered in tags else TITLE, lowered, name)
    return found


def _readers(ids: Iterable[int], question: Question) -> list[User]:
    """The active people among `ids` who may read `question` (QUESTION_AUDIENCE, asked
    without a query per person): two queries, three for a question limited to teams."""
    people = list(
        User.objects.active().filter(pk__in=list(ids)).prefetch_related("groups").order_by()
    )
    if not people:
        return []
    admitted = set(QUESTION_AUDIENCE.tokens(question))
    readers = []
    for person in people:
        # The roles from the prefetched groups, not a query per person.
        person.__dict__["role_names"] = frozenset(g.name for g in person.groups.all())
        if principals(person) & admitted:
            readers.append(person)
    return readers


def likely_experts(
    *, question: Question, exclude: Iterable = (), limit: int | None = None
) -> list[Expert]:
    """The people most likely to know the answer to `question`, best first (score, then
    name): never its asker, only active people who may read it, none of `exclude` (people
    or their ids: those it was already brought to). At most `limit` of them."""
    tags: dict[str, str] = {}
    for name in question.tags.values_list("name", flat=True):
        for key in folds(name):
            tags.setdefault(key, name)
    found = _gather(question, tags, title_phrases(question.title))
    skip = {getattr(person, "pk", person) for person in exclude} | {question.author_id, None}
    candidates = {pk: evidence for pk, evidence in found.items() if pk not in skip}
    if not candidates:
        return []
    experts = []
    for person in _readers(candidates, question):
        evidence = candidates[person.pk]
        reason, to_them = _reasons(*evidence.strongest())
        experts.append(Expert(person, evidence.score, reason[:200], to_them))
    experts.sort(key=lambda e: (-e.score, e.person.name.casefold(), e.person.pk))
    return experts if limit is None else experts[:limit]


__all__ = ["Expert", "folds", "likely_experts", "title_phrases"]
