"""Success stories: managers promote a kudos or a praise (everyone else 403), once each, never
a reported kudos, for a period that holds; the people named are told once; the story's page
(404 with its kudos hidden, but for admins); the lesson turned into a draft best-practice
article through kb's own service, once; and the story page's queries at two sizes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kb.models import Article, Category
from notifications.models import Notification
from people.models import Role
from recognition.models import Kudos, SuccessStory
from recognition.selectors.periods import organisation_today
from recognition.services.praise import story_article_draft, story_create
from tests.concurrency import run_in_threads
from tests.factories import UserFactory
from tests.recognition.builders import make_kudos, make_praise

pytestmark = pytest.mark.django_db


def _promote_url(source) -> str:
    name = "recognition:praise-promote" if hasattr(source, "quote") else "recognition:kudos-promote"
    return reverse(name, args=[source.pk])


def _form(**fields) -> dict:
    today = organisation_today()
    data = {
        "title": "Calm under a billing outage",
        "learned": "Tell the customer what you will do next, and when.",
        "pinned_from": today.isoformat(),
        "pinned_until": (today + timedelta(days=14)).isoformat(),
    }
    data.update(fields)
    return data


def _story(user, *, kudos=None, praise=None, **fields) -> SuccessStory:
    today = organisation_today()
    fields = {
        "title": "Calm under a billing outage",
        "learned": "Tell the customer what you will do next.",
        "pinned_from": today,
        "pinned_until": today + timedelta(days=14),
        **fields,
    }
    return story_create(user=user, kudos=kudos, praise=praise, **fields)


def _story_notes(person):
    return Notification.objects.filter(recipient=person, kind="recognition.story")


@pytest.fixture
def admin(team):
    return UserFactory(username="admin", team=team, is_superuser=True, is_staff=True)


@pytest.fixture
def kudos(mentor, agent, editor):
    return make_kudos(mentor, [agent, editor], message="You calmed a furious customer.")


# --- Promoting -------------------------------------------------------------------------------


def test_the_form_starts_today_for_two_weeks(manager_client, kudos):
    page = manager_client.get(_promote_url(kudos)).content.decode()
    today = organisation_today()

    assert f'value="{today.isoformat()}"' in page
    assert f'value="{(today + timedelta(days=14)).isoformat()}"' in page
    assert "You calmed a furious customer." in page  # the kudos beside the form


def test_a_manager_promotes_a_kudos_and_its_people_are_told_once(
    manager_client, manager, kudos, mentor, agent, editor
):
    response = manager_client.post(_promote_url(kudos), _form())

    story = SuccessStory.objects.get()
    assert response.status_code == 302
    assert response.url == story.get_absolute_url()
    assert (story.kudos, story.praise, story.created_by) == (kudos, None, manager)
    assert story.pinned_until - story.pinned_from == timedelta(days=14)
    for person in (mentor, agent, editor):
        assert _story_notes(person).count() == 1
    assert "about the kudos you gave" in _story_notes(mentor).get().message
    assert "about the kudos you received" in _story_notes(agent).get().message
    assert not _story_notes(manager).exists()


def test_a_manager_promotes_a_praise_and_its_agents_are_told_once(manager_client, agent, mentor):
    praise = make_praise([agent, mentor])

    response = manager_client.post(_promote_url(praise), _form())

    story = SuccessStory.objects.get()
    assert response.url == story.get_absolute_url()
    assert story.praise == praise
    assert _story_notes(agent).count() == 1
    assert _story_notes(mentor).count() == 1


def test_the_story_is_pinned_at_the_top_of_the_wall(manager_client, kudos):
    manager_client.post(_promote_url(kudos), _form())

    page = manager_client.get(reverse("recognition:wall")).content.decode()

    assert 'class="card story-card"' in page
    assert "Calm under a billing outage" in page


@pytest.mark.parametrize("who", ["agent", "editor", "mentor"])
def test_anyone_but_a_manager_gets_403_and_nothing_changes(client, request, who, kudos):
    client.force_login(request.getfixturevalue(who))
    praise = make_praise(kudos.giver)

    for source in (kudos, praise):
        assert client.get(_promote_url(source)).status_code == 403
        assert client.post(_promote_url(source), _form()).status_code == 403
    assert not SuccessStory.objects.exists()
    with pytest.raises(PermissionDenied):
        _story(request.getfixturevalue(who), kudos=kudos)


def test_an_admin_promotes_as_a_manager(client, admin, kudos):
    client.force_login(admin)

    assert client.post(_promote_url(kudos), _form()).status_code == 302
    assert SuccessStory.objects.filter(kudos=kudos).exists()


def test_a_second_story_for_the_same_kudos_or_praise_is_refused(manager_client, manager, kudos):
    praise = make_praise(kudos.giver)
    for source in (kudos, praise):
        manager_client.post(_promote_url(source), _form())

        again = manager_client.post(_promote_url(source), _form(title="Again"))

        assert again.status_code == 400
        assert "already a success story" in again.content.decode()
        assert manager_client.get(_promote_url(source)).status_code == 400
    assert SuccessStory.objects.count() == 2
    with pytest.raises(ValidationError, match="already a success story"):
        _story(manager, kudos=kudos)
    with pytest.raises(ValidationError, match="already a success story"):
        _story(manager, praise=praise)


def test_a_reported_kudos_is_404_to_a_manager_and_refused_for_an_admin(
    client, manager, admin, mentor, agent
):
    for status in (Kudos.Status.REPORTED, Kudos.Status.REMOVED):
        hidden = make_kudos(mentor, agent, status=status)
        client.force_login(manager)
        assert client.get(_promote_url(hidden)).status_code == 404
        assert client.post(_promote_url(hidden), _form()).status_code == 404
        client.force_login(admin)
        refused = client.post(_promote_url(hidden), _form())
        assert refused.status_code == 400
        assert "reported or removed cannot become a success story" in refused.content.decode()
        with pytest.raises(ValidationError, match="reported or removed"):
            _story(admin, kudos=hidden)
    assert not SuccessStory.objects.exists()


def test_a_kudos_reported_after_the_form_was_drawn_is_still_refused(manager, kudos):
    stale = Kudos.objects.get(pk=kudos.pk)
    Kudos.objects.filter(pk=kudos.pk).update(status="reported", reported_at=timezone.now())

    with pytest.raises(ValidationError, match="reported or removed"):
        _story(manager, kudos=stale)


def test_unknown_kudos_and_praise_are_404(manager_client):
    for name in ("recognition:kudos-promote", "recognition:praise-promote"):
        assert manager_client.get(reverse(name, args=[99999])).status_code == 404
    assert manager_client.get("/kudos/99999999999999999999999/story/").status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Write a title."),
        ({"title": "x" * 151}, "Keep the title to 150 characters"),
        ({"title": "Two\nlines"}, "single line"),
        ({"learned": ""}, "Write what the team learned."),
        ({"learned": "x" * 2001}, "Keep it to 2000 characters"),
        ({"learned": "bad\x00byte"}, "NUL character"),
        ({"pinned_from": ""}, "Enter the pinned from."),
        ({"pinned_until": "soon"}, "Enter a real date"),
        ({"pinned_until": "99999-12-31"}, "Enter a real date"),
        ({"pinned_from": "-2026-01-01"}, "Enter a real date"),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(manager_client, kudos, fields, message):
    response = manager_client.post(_promote_url(kudos), _form(**fields))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SuccessStory.objects.exists()
    assert not Notification.objects.filter(kind="recognition.story").exists()


def test_the_period_must_be_in_order_short_enough_and_not_past(manager_client, manager, kudos):
    today = organisation_today()
    cases = [
        (today, today - timedelta(days=1), "The end cannot be before the start."),
        (today, today + timedelta(days=91), "Pin a story for at most 90 days."),
        (today - timedelta(days=2), today, "Pin the story from today or a later date."),
        (today + timedelta(days=400), today + timedelta(days=401), "start within a year"),
    ]
    for start, end, message in cases:
        fields = {"pinned_from": start.isoformat(), "pinned_until": end.isoformat()}
        response = manager_client.post(_promote_url(kudos), _form(**fields))
        assert response.status_code == 400, message
        assert message in response.content.decode()
        with pytest.raises(ValidationError, match=message.rstrip(".")):
            _story(manager, kudos=kudos, pinned_from=start, pinned_until=end)
    assert not SuccessStory.objects.exists()


def test_a_one_day_and_a_ninety_day_story_are_fine(manager, kudos, agent):
    today = organisation_today()

    _story(manager, kudos=kudos, pinned_from=today, pinned_until=today)
    _story(manager, praise=make_praise(agent), pinned_from=today,
           pinned_until=today + timedelta(days=90))  # fmt: skip

    assert SuccessStory.objects.count() == 2


def test_the_service_refuses_neither_or_both_sources(manager, kudos, agent):
    with pytest.raises(ValidationError, match="one kudos or one praise"):
        _story(manager)
    with pytest.raises(ValidationError, match="one kudos or one praise"):
        _story(manager, kudos=kudos, praise=make_praise(agent))


# --- The story's page ------------------------------------------------------------------------


def test_the_story_page_shows_the_story_its_kudos_and_the_lesson(client, outsider, manager, kudos):
    story = _story(manager, kudos=kudos, learned="Say what happens next.")
    client.force_login(outsider)

    page = client.get(story.get_absolute_url()).content.decode()

    assert "Calm under a billing outage" in page
    assert "Say what happens next." in page
    assert f'id="kudos-{kudos.pk}"' in page
    assert "On the wall" in page
    assert "Turn the lesson into a draft" not in page  # an agent does not draft


def test_a_praise_story_shows_the_praise(agent_client, manager, agent):
    praise = make_praise(agent, quote="Best chat ever.")
    story = _story(manager, praise=praise)

    page = agent_client.get(story.get_absolute_url()).content.decode()

    assert f'id="praise-{praise.pk}"' in page
    assert "Best chat ever." in page


def test_a_story_whose_kudos_is_reported_is_404_to_all_but_admins(
    client, manager, admin, mentor, agent, kudos
):
    story = _story(manager, kudos=kudos)
    Kudos.objects.filter(pk=kudos.pk).update(status="reported", reported_at=timezone.now())

    for person in (agent, mentor, manager):  # mentor gave it: they still see the kudos itself
        client.force_login(person)
        assert client.get(story.get_absolute_url()).status_code == 404
        assert client.post(reverse("recognition:story-article", args=[story.pk])).status_code in (
            403, 404,
        )  # fmt: skip
        assert (
            "Calm under a billing outage"
            not in client.get(reverse("recognition:wall")).content.decode()
        )
    client.force_login(admin)
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert "Off the wall while under review" in response.content.decode()
    assert Article.objects.count() == 0


def test_markup_in_the_story_is_shown_as_text(agent_client, manager, kudos):
    story = _story(manager, kudos=kudos, title="<b>Bold</b>", learned="<script>x()</script>")

    page = agent_client.get(story.get_absolute_url()).content.decode()

    assert "<script>x()" not in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page
    assert "<b>Bold</b>" not in page


def test_an_unknown_story_is_404(agent_client):
    assert agent_client.get(reverse("recognition:story-detail", args=[99999])).status_code == 404


# --- The lesson as a draft article -----------------------------------------------------------


@pytest.fixture
def categories(db):
    billing = Category.objects.create(name="Billing", slug="billing")
    best = Category.objects.create(name="Best practices", slug="best-practices")
    return billing, best


def _draft_url(story) -> str:
    return reverse("recognition:story-article", args=[story.pk])


@pytest.mark.parametrize("who", ["manager", "editor"])
def test_managers_and_editors_create_one_draft_article_through_kb(
    client, request, who, manager, kudos, categories
):
    story = _story(manager, kudos=kudos, learned="Say what happens next.")
    author = request.getfixturevalue(who)
    client.force_login(author)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Turn the lesson into a draft best-practice article" in page
    assert f'<option value="{categories[1].pk}" selected>' in page  # "Best practices"

    response = client.post(_draft_url(story), {"category": categories[1].pk})

    article = Article.objects.get()
    assert response.status_code == 302
    assert response.url == article.get_absolute_url()
    assert article.status == Article.Status.DRAFT
    assert (article.author, article.owner) == (author, author)
    assert article.type == Article.Type.BEST_PRACTICE
    assert article.category == categories[1]
    revision = article.latest_revision
    assert revision.title == "Calm under a billing outage"
    assert "Say what happens next." in revision.body
    assert f"]({story.get_absolute_url()})" in revision.body  # the link back
    assert "You calmed a furious customer." in revision.body
    assert revision.editor == author
    story.refresh_from_db()
    assert story.article == article
    # It is a draft like any other: in its author's drafts, and for no reader yet.
    assert article in Article.objects.filter(status="draft", author=author)
    assert article.title in client.get(reverse("kb:my-articles")).content.decode()
    assert not Article.objects.published().exists()


def test_a_second_draft_is_refused_and_the_page_links_the_first(
    manager_client, manager, kudos, categories
):
    story = _story(manager, kudos=kudos)
    manager_client.post(_draft_url(story), {"category": categories[0].pk})

    again = manager_client.post(_draft_url(story), {"category": categories[0].pk})

    assert again.status_code == 400
    assert "already has its article" in again.content.decode()
    assert Article.objects.count() == 1
    with pytest.raises(ValidationError, match="already has its article"):
        story_article_draft(story=story, user=manager)
    page = manager_client.get(story.get_absolute_url()).content.decode()
    article = Article.objects.get()
    assert f'href="{article.get_absolute_url()}"' in page
    assert "Turn the lesson into a draft best-practice article" not in page


def test_another_manager_reads_that_a_draft_exists_without_a_link(
    client, manager, team, kudos, categories
):
    story = _story(manager, kudos=kudos)
    article = story_article_draft(story=story, user=manager)
    other = UserFactory(team=team, roles=[Role.MANAGER])
    client.force_login(other)

    page = client.get(story.get_absolute_url()).content.decode()

    assert "A best-practice article is being written" in page
    assert article.get_absolute_url() not in page


def test_the_default_category_is_best_practices_else_the_first_top_level(manager, kudos, agent):
    billing = Category.objects.create(name="Billing", slug="billing")
    Category.objects.create(name="Accounts", slug="accounts")
    Category.objects.create(name="Refunds", slug="refunds", parent=billing)

    first = story_article_draft(story=_story(manager, kudos=kudos), user=manager)
    assert first.category.slug == "accounts"

    best = Category.objects.create(name="Best Practices", slug="lessons", parent=billing)
    second = story_article_draft(story=_story(manager, praise=make_praise(agent)), user=manager)
    assert second.category == best


def test_a_praise_story_s_draft_quotes_the_customer(manager, agent, categories):
    praise = make_praise(agent, quote="You were so patient.\n\nThank you!")
    article = story_article_draft(story=_story(manager, praise=praise), user=manager)

    body = article.latest_revision.body
    assert "> You were so patient." in body
    assert "> Thank you!" in body
    assert agent.name in body


@pytest.mark.parametrize("who", ["agent", "mentor", "outsider"])
def test_anyone_but_managers_and_editors_gets_403(client, request, who, manager, kudos, categories):
    story = _story(manager, kudos=kudos)
    person = request.getfixturevalue(who)
    client.force_login(person)

    assert client.get(_draft_url(story)).status_code == 403
    assert client.post(_draft_url(story), {"category": categories[0].pk}).status_code == 403
    assert not Article.objects.exists()
    with pytest.raises(PermissionDenied):
        story_article_draft(story=story, user=person)


@pytest.mark.parametrize("category", ["", "abc", "999999", "-1", "9" * 40])
def test_a_bad_category_is_a_form_error(manager_client, manager, kudos, categories, category):
    story = _story(manager, kudos=kudos)

    response = manager_client.post(_draft_url(story), {"category": category})

    assert response.status_code == 400
    assert "Choose" in response.content.decode()
    assert not Article.objects.exists()
    story.refresh_from_db()
    assert story.article is None


def test_without_any_category_the_draft_is_refused_with_a_reason(manager, kudos):
    with pytest.raises(ValidationError, match="no category yet"):
        story_article_draft(story=_story(manager, kudos=kudos), user=manager)
    assert not Article.objects.exists()


def test_the_draft_page_opens_for_a_direct_link(manager_client, manager, kudos, categories):
    story = _story(manager, kudos=kudos)

    response = manager_client.get(_draft_url(story))

    assert response.status_code == 200
    assert "Create the draft" in response.content.decode()


# --- Queries ---------------------------------------------------------------------------------

# Measured, the same at 3 and 30 people (a kudos story; a praise story takes 7): the session
# and the user (2), roles for the tabs and the drafting form (1); the story with its praise,
# creator and article (1); the kudos's card: the kudos with giver, values, recipients and
# reactions (4), who reacted (1); the default category and the category list (2). With the
# draft linked instead of the form: the article check instead of the categories (10).
STORY_PAGE_QUERIES = 11


def _kudos_story(size: int, manager):
    giver = UserFactory()
    people = [UserFactory() for _ in range(size)]
    kudos = make_kudos(giver, people, values=["team-player", "shared-knowledge"])
    for person in people:
        kudos.reactions.create(user=person, kind="clap")
        kudos.comments.create(author=person, body="Well deserved")
    return _story(manager, kudos=kudos)


@pytest.mark.parametrize("size", [3, 30])
def test_the_story_page_s_queries_do_not_grow(
    client, manager, editor, size, django_assert_max_num_queries
):
    Category.objects.create(name="Best practices", slug="best-practices")
    kudos_story = _kudos_story(size, manager)
    praise_story = _story(manager, praise=make_praise([UserFactory() for _ in range(size)]))
    client.force_login(manager)

    for story in (kudos_story, praise_story):
        with django_assert_max_num_queries(STORY_PAGE_QUERIES):
            response = client.get(story.get_absolute_url())
        assert response.status_code == 200
    # With its draft article linked instead of the form, no more.
    story_article_draft(story=kudos_story, user=manager)
    with django_assert_max_num_queries(STORY_PAGE_QUERIES):
        assert client.get(kudos_story.get_absolute_url()).status_code == 200


# --- Concurrency -----------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_managers_promoting_the_same_praise_at_once_make_one_story(team, agent):
    praise = make_praise(agent)
    managers = [UserFactory(team=team, roles=[Role.MANAGER]) for _ in range(4)]

    def promote(i: int) -> str:
        try:
            _story(managers[i], praise=praise, title=f"Story {i}")
        except ValidationError as refused:
            return " ".join(refused.messages)
        return "created"

    outcomes = run_in_threads(promote, count=4)

    assert outcomes.count("created") == 1
    assert all("already a success story" in o for o in outcomes if o != "created")
    assert SuccessStory.objects.count() == 1
    assert Notification.objects.filter(recipient=agent, kind="recognition.story").count() == 1
