"""Questions in the admin: every model's list and change pages load for a superuser in a
constant number of queries; people without staff access are sent to the admin's login; what
people wrote is a record (never added, rewritten or, for votes, edits and routes, deleted
here); closing goes through the service; a question's plain fields are edited with the site's
rules; only an answer that is not the accepted one may be deleted."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from kb.models import Category
from questions.models import Answer, Comment, Question, Revision, Route, Vote
from tests.factories import TeamFactory, UserFactory, make_article
from tests.questions.builders import make_answer, make_question

pytestmark = pytest.mark.django_db

MODELS = [Question, Answer, Vote, Comment, Revision, Route]
# Session and user, then the list's own reads: the count, the total count and the rows with
# what their columns show joined; a question's list also reads its category filter's choices,
# and the vote and route lists the values their "value" and "round" filters offer. Measured;
# the same at both sizes.
LIST_LIMITS = {Question: 6, Answer: 5, Vote: 6, Comment: 5, Revision: 5, Route: 6}
# A change page: session, user and the row with what it shows joined; a question's page also
# reads its teams (the form's and the widget's), answers and routes (inlines, with their
# people), the category choices and its tags. Measured; the same at both sizes.
CHANGE_LIMITS = {Question: 10, Answer: 3, Vote: 3, Comment: 3, Revision: 3, Route: 3}
RECORDS = [Vote, Revision, Route]


def warm() -> None:
    """The models' content types, which Django reads once per process and keeps (any earlier
    admin page would have): read before counting, so a count never depends on test order."""
    ContentType.objects.get_for_models(*MODELS)


def url(model, action: str = "changelist", *args) -> str:
    return reverse(f"admin:questions_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


@pytest.fixture
def populate(team, other_team):
    """`populate(n)`: n questions, each in a category under a parent, limited to a team,
    answered twice (one answer accepted), voted on, commented, edited and routed."""
    parent = Category.objects.create(name="Payments", slug="payments")
    serial = iter(range(10_000))

    def make(n: int) -> list[Question]:
        made = []
        for _ in range(n):
            i = next(serial)
            asker = UserFactory(username=f"asker{i}", team=team)
            expert = UserFactory(username=f"expert{i}", team=TeamFactory())
            other = UserFactory(username=f"other{i}", team=team)
            category = Category.objects.create(name=f"Refunds {i}", slug=f"refunds-{i}",
                                               parent=parent)  # fmt: skip
            question = make_question(
                author=asker, title=f"How do I refund order number {i}?", category=category,
                tags=["refunds", f"tag {i}"], teams=[team, other_team],
                urgency=Question.Urgency.CUSTOMER_WAITING,
            )  # fmt: skip
            accepted = make_answer(question=question, author=expert, accepted_by=asker)
            second = make_answer(question=question, author=other, body="Ask billing first.")
            Vote.objects.create(voter=other, post_author=asker, question=question, value=1)
            Vote.objects.create(voter=asker, post_author=expert, answer=accepted, value=1)
            Vote.objects.create(voter=expert, post_author=other, answer=second, value=-1)
            Comment.objects.create(author=expert, question=question, body="Which card?")
            Comment.objects.create(author=asker, answer=accepted, body="Thanks, that worked.")
            Revision.objects.create(question=question, editor=asker, title="Refund?",
                                    body="Old text")  # fmt: skip
            Revision.objects.create(answer=second, editor=other, body="Older answer")
            Route.objects.create(question=question, person=expert, reason="owns 2 articles")
            Route.objects.create(question=question, person=other, round=2,
                                 reason="answered refunds before")  # fmt: skip
            made.append(question)
        return made

    return make


# --- Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 6])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_list_page_loads_with_a_constant_number_of_queries(
    admin_client, populate, model, size, django_assert_max_num_queries
):
    populate(size)
    warm()
    with django_assert_max_num_queries(LIST_LIMITS[model]):
        response = admin_client.get(url(model))
    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count()


@pytest.mark.parametrize("size", [2, 6])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_change_page_loads_with_a_constant_number_of_queries(
    admin_client, populate, model, size, django_assert_max_num_queries
):
    question = populate(size)[-1]
    # The question with the most of everything: more answers and routes on its page.
    for n in range(size):
        make_answer(question=question, author=UserFactory(), body=f"Another idea {n}.")
        Route.objects.create(question=question, person=UserFactory(), reason="knows refunds")
    obj = model.objects.order_by("pk").last()
    warm()
    with django_assert_max_num_queries(CHANGE_LIMITS[model]):
        response = admin_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200


def test_a_question_page_shows_its_thread_and_tags(admin_client, populate):
    (question,) = populate(1)
    body = admin_client.get(url(Question, "change", question.pk)).content.decode()
    assert "Ask billing first." in body  # the answers inline
    assert "owns 2 articles" in body  # the routes inline
    assert "refunds, tag 0" in body
    assert "Payments / Refunds 0" in body


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_people_without_staff_access_are_sent_to_the_admin_login(client, agent, populate, model):
    populate(1)
    client.force_login(agent)
    pages = [url(model), url(model, "change", model.objects.first().pk)]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "query",
    [{"q": "refund"}, {"q": "a\x00b"}, {"q": "x" * 5000}, {"category": "999999"},
     {"category": "nope"}, {"category": "9" * 30}, {"category": "²"}, {"accepted": "maybe"},
     {"status": "open"}, {"on": "answer"}],
)  # fmt: skip
def test_filters_and_search_never_fail(admin_client, populate, query):
    populate(2)
    for model in MODELS:
        # A list, a redirect to it (a filter it does not have), or a refusal of a NUL byte.
        assert admin_client.get(url(model), query).status_code in (200, 302, 400)


def test_the_category_filter_finds_its_questions(admin_client, populate):
    first, _ = populate(2)
    response = admin_client.get(url(Question), {"category": str(first.category_id)})
    assert list(response.context["cl"].result_list) == [first]


# --- Records ----------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Answer, *RECORDS, Comment], ids=lambda m: m.__name__)
def test_what_people_wrote_is_not_added_or_rewritten_here(admin_client, populate, model):
    populate(1)
    obj = model.objects.order_by("pk").first()
    before = model.objects.values().get(pk=obj.pk)
    assert admin_client.get(url(model, "add")).status_code == 403
    admin_client.post(url(model, "change", obj.pk), {"body": "Forged", "value": "-1"})
    assert model.objects.values().get(pk=obj.pk) == before


@pytest.mark.parametrize("model", RECORDS, ids=lambda m: m.__name__)
def test_votes_edits_and_routes_are_never_deleted_here(admin_client, populate, model):
    populate(1)
    obj = model.objects.first()
    assert admin_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_a_comment_may_be_deleted(admin_client, populate):
    populate(1)
    comment = Comment.objects.first()
    response = admin_client.post(url(Comment, "delete", comment.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_only_an_answer_not_accepted_may_be_deleted(admin_client, populate):
    populate(1)
    accepted = Answer.objects.get(accepted_at__isnull=False)
    other = Answer.objects.get(accepted_at__isnull=True)

    refused = admin_client.post(url(Answer, "delete", accepted.pk), {"post": "yes"})
    allowed = admin_client.post(url(Answer, "delete", other.pk), {"post": "yes"})

    assert refused.status_code == 403
    assert allowed.status_code == 302
    assert list(Answer.objects.all()) == [accepted]


def test_answers_have_no_bulk_delete(admin_client, populate):
    populate(1)
    form = admin_client.get(url(Answer)).context["action_form"]
    assert form is None or "delete_selected" not in dict(form.fields["action"].choices)


# --- Closing ----------------------------------------------------------------------------------


def act(client, model, action: str, objs) -> list[str]:
    """Run an admin action on `objs` from the list page; the messages it left."""
    response = client.post(
        url(model), {"action": action, "_selected_action": [obj.pk for obj in objs]}, follow=True
    )
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def test_close_closes_open_questions_and_reports_the_others(admin_client, agent):
    waiting = make_question(author=agent, title="Where is the refund form kept?")
    done = make_question(author=agent, title="Who approves a goodwill credit?",
                         status=Question.Status.CLOSED)  # fmt: skip

    notes = act(admin_client, Question, "close", [waiting, done])

    waiting.refresh_from_db()
    assert waiting.status == Question.Status.CLOSED
    assert waiting.closed_at is not None
    assert "1 question(s) closed." in notes
    assert f"{done}: This question is already closed." in notes
    # Run again: nothing left to close, nothing changes.
    closed_at = waiting.closed_at
    act(admin_client, Question, "close", [waiting])
    waiting.refresh_from_db()
    assert waiting.closed_at == closed_at


def test_a_staff_member_who_is_not_an_editor_may_not_close_someone_elses_question(client, agent):
    from django.contrib.auth.models import Permission

    staff = UserFactory(username="helpdesk", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="questions", codename__in=["view_question", "change_question"]
        )
    )
    client.force_login(staff)
    question = make_question(author=agent)

    notes = act(client, Question, "close", [question])

    assert Question.objects.get(pk=question.pk).status == Question.Status.OPEN
    assert notes == [f"{question}: Only the asker and KB editors close a question."]


# --- Plain edits ------------------------------------------------------------------------------


def _question_form(question, **change) -> dict:
    data = {
        "author": question.author_id, "urgency": question.urgency,
        "category": question.category_id or "", "visibility": question.visibility,
        "teams": list(question.teams.values_list("pk", flat=True)),
        "article": question.article_id or "",
        "answers-TOTAL_FORMS": "0", "answers-INITIAL_FORMS": "0",
        "routes-TOTAL_FORMS": "0", "routes-INITIAL_FORMS": "0",
    }  # fmt: skip
    return {**data, **change}


def test_a_questions_plain_fields_are_edited_and_its_text_is_not(
    admin_client, agent, mentor, team, django_capture_on_commit_callbacks
):
    question = make_question(author=agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url(Question, "change", question.pk),
            _question_form(question, author=mentor.pk, urgency="customer_waiting",
                           visibility="teams", teams=[team.pk], title="Forged title",
                           body="<script>x</script>", status="answered"),
        )  # fmt: skip
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.author, question.urgency, question.visibility) == (
        mentor, "customer_waiting", "teams"
    )  # fmt: skip
    assert list(question.teams.all()) == [team]
    assert question.title == "How do I refund a split payment?"
    assert question.status == Question.Status.OPEN
    assert "script" not in question.body


@pytest.mark.parametrize(
    "change",
    [
        {"visibility": "teams", "teams": []},
        {"visibility": "nobody"},
        {"urgency": "x" * 500},
        {"category": "999999"},
        {"author": "99999999999999999999999"},
        {"article": "__article__"},  # linked without a promotion date
    ],
)
def test_bad_question_input_is_a_form_error_and_changes_nothing(admin_client, agent, editor,
                                                                 change):  # fmt: skip
    question = make_question(author=agent)
    if change.get("article") == "__article__":
        change = {"article": str(make_article(author=editor).pk)}
    before = Question.objects.values().get(pk=question.pk)

    response = admin_client.post(url(Question, "change", question.pk),
                                 _question_form(question, **change))  # fmt: skip

    assert response.status_code == 200
    assert response.context["errors"]
    assert Question.objects.values().get(pk=question.pk) == before


def test_a_nul_byte_is_refused_and_changes_nothing(admin_client, agent):
    question = make_question(author=agent)
    before = Question.objects.values().get(pk=question.pk)
    response = admin_client.post(
        url(Question, "change", question.pk), _question_form(question, category="a\x00b")
    )
    assert 400 <= response.status_code < 500
    assert Question.objects.values().get(pk=question.pk) == before


def test_a_question_linked_to_its_article_keeps_the_link(admin_client, agent, editor):
    article = make_article(author=editor, approved_by=editor)
    question = make_question(author=agent, article=article, promoted_at=timezone.now(),
                             status=Question.Status.ANSWERED)  # fmt: skip
    page = admin_client.get(url(Question, "change", question.pk)).content.decode()
    assert 'name="article"' in page
    response = admin_client.post(url(Question, "change", question.pk), _question_form(question))
    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).article == article


def test_the_asker_is_chosen_by_autocomplete(admin_client, agent):
    question = make_question(author=agent)
    page = admin_client.get(url(Question, "change", question.pk)).content.decode()
    assert 'class="admin-autocomplete"' in page
    found = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "questions", "model_name": "question", "field_name": "author",
         "term": "agen"},
    ).json()  # fmt: skip
    assert [row["id"] for row in found["results"]] == [str(agent.pk)]


def test_deleting_a_question_takes_its_thread_with_it(admin_client, populate):
    (question,) = populate(1)
    response = admin_client.post(url(Question, "delete", question.pk), {"post": "yes"})
    assert response.status_code == 302
    for model in MODELS:
        assert not model.objects.exists(), model
