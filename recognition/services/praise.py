"""Customer praise and success stories: recording what a customer said about agents, a manager
promoting a kudos or a praise to a success story pinned at the top of the wall, and turning a
story's lesson into a draft best-practice article through the knowledge base's own authoring
service (the draft then goes through kb's review like any other).

Anyone signed in records praise: agents forward what customers wrote to them. Promoting is for
managers (`User.is_manager`, admins included); drafting the article for managers and KB editors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator

from kb.models import Article, Category
from kb.services import article_create
from notifications.services import notify
from people.models import User
from people.validators import validate_single_line
from recognition.models import Kudos, Praise, SuccessStory
from recognition.models.praise import QUOTE_MAX
from recognition.selectors.periods import organisation_today
from recognition.services.kudos import MAX_RECIPIENTS

CUSTOMER_MAX = Praise._meta.get_field("customer").max_length
TICKET_MAX = Praise._meta.get_field("ticket_ref").max_length
TITLE_MAX = SuccessStory._meta.get_field("title").max_length
LEARNED_MAX = SuccessStory._meta.get_field("learned").max_length
# Praise older than this is history, not news for the wall (and an old date is a typo).
PRAISE_MAX_AGE_DAYS = 730
# A story is pinned for two weeks unless the manager says otherwise, and never for longer
# than a quarter: a wall whose top never changes stops being read.
STORY_DEFAULT_DAYS = 14
STORY_MAX_DAYS = 90
# How far ahead a story may be scheduled to start.
STORY_MAX_LEAD_DAYS = 365
# The category a best-practice draft goes in unless the author picks another.
BEST_PRACTICES = ("best practices", "best practice", "best-practices")
ARTICLE_SUMMARY_MAX = 300

# "No contact details" for the customer's name: an email address or a phone number (seven
# digits or more, with the usual separators) is refused; the wall is read by everyone.
_EMAIL = re.compile(r"\S+@\S+\.\S+")
_PHONE = re.compile(r"(?:\+?\d[\s().\-/]*){7,}")

UNSTORABLE = "This text holds a character that cannot be stored."


def _text(
    value, *, field: str, limit: int, label: str, required: bool = True, single_line: bool = False
) -> str:
    text = str(value or "").strip()
    if not text:
        if required:
            raise ValidationError({field: f"Write {label}."})
        return ""
    # PostgreSQL refuses a NUL character in text: a refusal here, not a database error later.
    if "\x00" in text:
        raise ValidationError({field: UNSTORABLE})
    if len(text) > limit:
        raise ValidationError({field: f"Keep {label} to {limit:,} characters ({len(text):,} now)."})
    if single_line:
        try:
            validate_single_line(text)
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None
    return text


def _local_today(user) -> date:
    return timezone.localtime(timezone.now(), user.zone).date()


# --- Customer praise -------------------------------------------------------------------------


def _check_agents(agents: Sequence[User]) -> list[User]:
    people = list({person.pk: person for person in agents}.values())
    if not people:
        raise ValidationError({"agents": "Name at least one colleague the customer praised."})
    if len(people) > MAX_RECIPIENTS:
        raise ValidationError({"agents": f"Name at most {MAX_RECIPIENTS} colleagues."})
    inactive = [person.name for person in people if not person.is_active]
    if inactive:
        raise ValidationError({"agents": f"{', '.join(inactive)} can no longer sign in to Huddle."})
    return people


def _check_received_on(received_on, recorded_by) -> date:
    if not isinstance(received_on, date):
        raise ValidationError({"received_on": "Enter the date the praise was received."})
    # The recorder's own today: a praise received this morning in their zone is not "future"
    # because the organisation's clock is still on yesterday.
    today = max(_local_today(recorded_by), organisation_today())
    if received_on > today:
        raise ValidationError({"received_on": "The date received cannot be in the future."})
    oldest = today - timedelta(days=PRAISE_MAX_AGE_DAYS)
    if received_on < oldest:
        raise ValidationError(
            {"received_on": f"Record praise from the last two years (since "
             f"{date_format(oldest, 'j F Y')})."}
        )  # fmt: skip
    return received_on


def _check_csat(csat) -> int | None:
    if csat is None or csat == "":
        return None
    if isinstance(csat, bool) or not isinstance(csat, int) or not 1 <= csat <= 5:
        raise ValidationError({"csat": "A CSAT score is a whole number from 1 to 5, or none."})
    return csat


@transaction.atomic
def praise_record(
    *,
    recorded_by: User,
    quote: str,
    channel: str,
    received_on: date,
    agents: Sequence[User],
    ticket_ref: str = "",
    csat: int | None = None,
    customer: str = "",
) -> Praise:
    """Record what a customer said about one or more active colleagues; each of them is told
    once (the recorder too only when they name someone else). Refused (ValidationError by
    field, nothing saved) for an empty or long quote, an unknown channel, a date in the future
    or more than two years back, no or an inactive agent, a CSAT score outside 1 to 5, or
    contact details where the customer is named."""
    people = _check_agents(agents)
    quote = _text(quote, field="quote", limit=QUOTE_MAX, label="what the customer said")
    if channel not in Praise.Channel.values:
        raise ValidationError({"channel": "Choose where the praise came from."})
    received_on = _check_received_on(received_on, recorded_by)
    customer = _text(
        customer, field="customer", limit=CUSTOMER_MAX, label="the customer's name",
        required=False, single_line=True,
    )  # fmt: skip
    if _EMAIL.search(customer) or _PHONE.search(customer):
        raise ValidationError(
            {"customer": "Name the customer without contact details (no email address or "
             "phone number): everyone reads the wall."}
        )  # fmt: skip
    ticket_ref = _text(
        ticket_ref, field="ticket_ref", limit=TICKET_MAX, label="the ticket reference",
        required=False, single_line=True,
    )  # fmt: skip
    csat = _check_csat(csat)

    praise = Praise(
        quote=quote, customer=customer, channel=channel, received_on=received_on,
        ticket_ref=ticket_ref, csat=csat, recorded_by=recorded_by,
    )  # fmt: skip
    praise.full_clean()
    praise.save()
    praise.agents.set(people)
    by = customer or "A customer"
    for person in people:
        if person.pk == recorded_by.pk:
            continue  # they recorded it: nothing to tell them
        notify(
            recipient=person,
            kind="recognition.praise",
            message=f"{by} praised you ({praise.get_channel_display().lower()}): “{quote}”"
            f" Recorded by {recorded_by.name}.",
            url=praise.get_absolute_url(),
            dedupe_key=f"recognition.praise:{praise.pk}:{person.pk}",
        )
    return praise


# --- Success stories -------------------------------------------------------------------------


def story_default_period(today: date | None = None) -> tuple[date, date]:
    """The period a new story is pinned for unless the manager changes it: today and the
    next two weeks."""
    today = today or organisation_today()
    return today, today + timedelta(days=STORY_DEFAULT_DAYS)


def _check_period(user: User, pinned_from, pinned_until) -> tuple[date, date]:
    if not isinstance(pinned_from, date):
        raise ValidationError({"pinned_from": "Enter the date the story is pinned from."})
    if not isinstance(pinned_until, date):
        raise ValidationError({"pinned_until": "Enter the date the story is pinned until."})
    # Either clock's today is fine: the wall pins by the organisation's date.
    earliest = min(_local_today(user), organisation_today())
    if pinned_from < earliest:
        raise ValidationError({"pinned_from": "Pin the story from today or a later date."})
    if pinned_from > earliest + timedelta(days=STORY_MAX_LEAD_DAYS):
        raise ValidationError({"pinned_from": "Pin the story to start within a year."})
    if pinned_until < pinned_from:
        raise ValidationError({"pinned_until": "The end cannot be before the start."})
    if (pinned_until - pinned_from).days > STORY_MAX_DAYS:
        raise ValidationError({"pinned_until": f"Pin a story for at most {STORY_MAX_DAYS} days."})
    return pinned_from, pinned_until


def _source(kudos: Kudos | None, praise: Praise | None) -> tuple[Kudos | None, Praise | None]:
    """The kudos or the praise, reread under a lock so two managers promoting the same one
    at once queue, and a report that landed since the form was drawn is seen."""
    if (kudos is None) == (praise is None):
        raise ValidationError("A success story tells one kudos or one praise.")
    if kudos is not None:
        kudos = Kudos.objects.select_for_update().filter(pk=kudos.pk).first()
        if kudos is None or kudos.status != Kudos.Status.VISIBLE:
            raise ValidationError(
                "A kudos that was reported or removed cannot become a success story."
            )
        if SuccessStory.objects.filter(kudos=kudos).exists():
            raise ValidationError("This kudos is already a success story.")
        return kudos, None
    praise = Praise.objects.select_for_update().filter(pk=praise.pk).first()
    if praise is None:
        raise ValidationError("This praise is not there any more.")
    if SuccessStory.objects.filter(praise=praise).exists():
        raise ValidationError("This praise is already a success story.")
    return None, praise


def _tell_story(story: SuccessStory, user: User) -> None:
    """Everyone the story names, once each: the kudos's giver and recipients, or the agents
    the customer praised."""
    told: dict[int, tuple[User, str]] = {}
    about = f"{user.name} pinned a success story on the wall"
    if story.kudos_id:
        kudos = story.kudos
        for row in kudos.recipient_rows.select_related("recipient"):
            told[row.recipient_id] = (row.recipient, f"{about} about the kudos you received")
        told.setdefault(kudos.giver_id, (kudos.giver, f"{about} about the kudos you gave"))
    else:
        for agent in story.praise.agents.all():
            told[agent.pk] = (agent, f"{about} about a customer's praise for you")
    for person, message in told.values():
        if person.pk == user.pk or not person.is_active:
            continue
        notify(
            recipient=person,
            kind="recognition.story",
            message=f"{message}: “{story.title}”.",
            url=story.get_absolute_url(),
            dedupe_key=f"recognition.story:{story.pk}:{person.pk}",
        )


@transaction.atomic
def story_create(
    *,
    user: User,
    kudos: Kudos | None = None,
    praise: Praise | None = None,
    title: str,
    learned: str,
    pinned_from: date,
    pinned_until: date,
) -> SuccessStory:
    """Promote a visible kudos or a praise to a success story pinned at the top of the wall
    from `pinned_from` to `pinned_until` (at most 90 days), with what the team learned. Only
    managers (PermissionDenied otherwise); one story per kudos or praise; the people it names
    are told once. Refused (ValidationError, nothing saved) for a hidden kudos, a second story,
    an empty or long title or lesson, or a period out of order, too long or in the past."""
    if not user.is_manager:
        raise PermissionDenied("Only managers promote kudos and praise to success stories.")
    title = _text(title, field="title", limit=TITLE_MAX, label="a title", single_line=True)
    learned = _text(learned, field="learned", limit=LEARNED_MAX, label="what the team learned")
    pinned_from, pinned_until = _check_period(user, pinned_from, pinned_until)
    kudos, praise = _source(kudos, praise)

    story = SuccessStory(
        kudos=kudos, praise=praise, title=title, learned=learned, pinned_from=pinned_from,
        pinned_until=pinned_until, created_by=user,
    )  # fmt: skip
    story.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            story.save()
    except IntegrityError:
        # Another manager's promotion won the race (PostgreSQL lets both pass the check).
        raise ValidationError(
            f"This {'kudos' if kudos else 'praise'} is already a success story."
        ) from None
    _tell_story(story, user)
    return story


# --- The lesson as a draft article -----------------------------------------------------------


def story_can_draft(user) -> bool:
    """Whether `user` may turn a story's lesson into a draft article: managers, who promote
    the stories, and KB editors, who look after the knowledge base."""
    return user.is_authenticated and (user.is_manager or user.is_kb_editor)


def story_default_category() -> Category | None:
    """Where a best-practice draft goes unless its author picks another: a category named
    like "Best practices" if there is one, else the first top-level category by name."""
    for category in Category.objects.order_by("parent_id", "name", "pk"):
        if category.name.strip().lower() in BEST_PRACTICES or category.slug in BEST_PRACTICES:
            return category
    return Category.objects.top_level().order_by("name", "pk").first()


def _quoted(text: str) -> str:
    # A Markdown blockquote; a blank line inside stays inside the quote.
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines())


def _article_content(story: SuccessStory) -> dict:
    """The draft's title, summary and body: the story's title, its lesson, and what happened
    (the kudos or the customer's words) with a link back to the story."""
    if story.kudos_id:
        kudos = story.kudos
        names = ", ".join(row.recipient.name for row in kudos.recipient_rows.all())
        situation = f"{kudos.giver.name} thanked {names}:\n\n{_quoted(kudos.message)}"
    else:
        praise = story.praise
        names = ", ".join(agent.name for agent in praise.agents.all())
        received = date_format(praise.received_on, "j F Y")
        situation = (
            f"A customer praised {names} ({praise.get_channel_display().lower()}, "
            f"{received}):\n\n{_quoted(praise.quote)}"
        )
    body = (
        f"## Situation\n\n{situation}\n\n"
        f"## What worked\n\n\n"
        f"## Lessons learned\n\n{story.learned}\n\n"
        f"---\n\nFrom the success story [{story.title}]({story.get_absolute_url()})."
    )
    summary = Truncator(" ".join(story.learned.split())).chars(ARTICLE_SUMMARY_MAX)
    return {"title": story.title, "summary": summary, "body": body}


@transaction.atomic
def story_article_draft(
    *, story: SuccessStory, user: User, category: Category | None = None
) -> Article:
    """Turn the story's lesson into a DRAFT best-practice article by `user` (its author) in
    `category` (the default category when none), created through kb's `article_create` so it
    enters the review workflow like any draft; the story keeps it. Once per story: a second
    request is refused while the first draft exists. Managers and KB editors only
    (PermissionDenied otherwise); a story the user may not see is refused as missing."""
    if not story_can_draft(user):
        raise PermissionDenied("Only managers and KB editors turn a lesson into an article.")
    story = (
        SuccessStory.objects.visible_to(user)
        .select_for_update(of=("self",))
        .filter(pk=story.pk)
        .first()
    )
    if story is None:
        raise ValidationError("This success story is not there any more.")
    if story.article_id is not None:
        raise ValidationError("This lesson already has its article: open it from the story.")
    category = category or story_default_category()
    if category is None:
        raise ValidationError(
            {"category": "The knowledge base has no category yet: ask a KB editor to add one."}
        )
    # The texts are read after the lock: what the story tells as it is now.
    story = (
        SuccessStory.objects.select_related("kudos__giver", "praise")
        .prefetch_related("kudos__recipient_rows__recipient", "praise__agents")
        .get(pk=story.pk)
    )
    article = article_create(
        author=user,
        content=_article_content(story),
        meta={
            "type": Article.Type.BEST_PRACTICE,
            "category": category,
            "visibility": Article.Visibility.EVERYONE,
            "tags": ["best practice", "success story"],
            "teams": [],
        },
        change_note="Drafted from a success story",
    )
    story.article = article
    story.save(update_fields=["article"])
    return article
