"""Every training model has an admin: its list and change pages load for a superuser, with
the same number of queries however many rows there are, and what people did (attempts,
completions, sign-ups) or what is secret (a calendar feed's token) is never editable."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory, make_article
from tests.training.builders import enrol, make_session, make_track, quiz_answers
from training.models import (
    CalendarFeed,
    Enrolment,
    ExternalLearning,
    QuizAttempt,
    QuizQuestion,
    Rotation,
    Session,
    SessionSignup,
    StepCompletion,
    Track,
)

MODELS = [
    Track, QuizQuestion, Enrolment, StepCompletion, QuizAttempt, Session, CalendarFeed,
    Rotation, ExternalLearning,
]  # fmt: skip

# Measured, the same at both sizes: session and user (2), then the list page's own reads
# (count, total count, rows with what their columns show joined, and the filters' choices:
# tracks, teams, a date hierarchy's bounds). The most is 8 (enrolments, rotations).
LIST_LIMIT = 8
# A change page: the row, its inline rows and the names its relation widgets show (the
# track's four steps each show their article or session; a quiz question its options).
CHANGE_LIMITS = {
    Track: 14, QuizQuestion: 6, Enrolment: 6, StepCompletion: 11, QuizAttempt: 8,
    Session: 11, CalendarFeed: 5, Rotation: 8, ExternalLearning: 5,
}  # fmt: skip


def url(model, action: str = "changelist", *args) -> str:
    return reverse(f"admin:training_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def populate(editor, team, other_team):
    """`populate(n)`: n of everything: tracks (an article, a quiz, a task and a session step)
    with an enrolment, a completed step and a quiz attempt, sessions with a sign-up, calendar
    feeds, rotations and external learning."""
    article = make_article(author=editor, title="Active listening", approved_by=editor)
    serial = iter(range(10_000))

    def make(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            learner = UserFactory(team=team)
            session = make_session(
                organiser=editor, title=f"Listening lab {i}", presenters=[editor, learner]
            )
            track = make_track(
                owner=editor, title=f"Listening {i}", articles=[article], quiz=True, task=True,
                sessions=[session],
            )  # fmt: skip
            track.skills.add("Active listening")
            enrolment = enrol(learner, track, due_on=timezone.localdate() + timedelta(days=9))
            read, quiz = track.steps.get(kind="article"), track.steps.get(kind="quiz")
            StepCompletion.objects.create(
                enrolment=enrolment, step=read, revision=article.published_revision
            )
            QuizAttempt.objects.create(
                enrolment=enrolment, step=quiz, answers=quiz_answers(quiz), score=100, passed=True
            )
            SessionSignup.objects.create(session=session, user=learner, status="confirmed")
            CalendarFeed.objects.create(user=learner)
            start = timezone.localdate() + timedelta(days=10 + i)
            Rotation.objects.create(
                participant=learner, host_team=other_team, starts_on=start, ends_on=start,
                goals="See how tech support triages.",
            )  # fmt: skip
            ExternalLearning.objects.create(
                person=learner, title=f"Support conference {i}", starts_on=start, ends_on=start,
                hours=Decimal("6.5"),
            )  # fmt: skip

    return make


@pytest.mark.parametrize("size", [2, 8])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_list_page_loads_with_a_constant_number_of_queries(
    superuser_client, populate, model, size, django_assert_max_num_queries
):
    populate(size)
    with django_assert_max_num_queries(LIST_LIMIT):
        response = superuser_client.get(url(model))
    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_change_page_loads(superuser_client, populate, model, django_assert_max_num_queries):
    populate(3)
    obj = model.objects.order_by("pk").last()
    with django_assert_max_num_queries(CHANGE_LIMITS[model]):
        response = superuser_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("model", [Track, QuizQuestion, Session])
def test_the_add_page_loads_where_rows_can_be_added(superuser_client, model):
    assert superuser_client.get(url(model, "add")).status_code == 200


@pytest.mark.parametrize(
    "model", [Enrolment, StepCompletion, QuizAttempt, CalendarFeed, Rotation, ExternalLearning]
)
def test_what_the_site_creates_cannot_be_added_here(superuser_client, model):
    assert superuser_client.get(url(model, "add")).status_code == 403


@pytest.mark.parametrize("model", [StepCompletion, QuizAttempt])
def test_what_learners_did_is_shown_but_not_editable(superuser_client, populate, model):
    populate(1)
    obj = model.objects.get()
    page = superuser_client.get(url(model, "change", obj.pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert superuser_client.post(url(model, "change", obj.pk), {}).status_code == 403


def test_a_calendar_feeds_token_never_appears(superuser_client, populate):
    populate(2)
    feed = CalendarFeed.objects.first()
    for page in (url(CalendarFeed), url(CalendarFeed, "change", feed.pk)):
        response = superuser_client.get(page)
        assert response.status_code == 200
        assert feed.token not in response.content.decode()


def test_sign_ups_are_listed_on_the_session_but_not_editable(superuser_client, populate):
    populate(1)
    session = Session.objects.get()
    learner = session.signups.get().user
    response = superuser_client.get(url(Session, "change", session.pk))
    content = response.content.decode()
    assert str(learner) in content
    assert 'name="signups-0-status"' not in content


def test_an_enrolments_due_date_is_the_one_thing_an_admin_changes(superuser_client, populate):
    populate(1)
    enrolment = Enrolment.objects.get()
    due = timezone.localdate() + timedelta(days=30)
    response = superuser_client.post(
        url(Enrolment, "change", enrolment.pk),
        {"due_on": due.isoformat(), "status": "completed", "certificate_code": "FORGED"},
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.due_on == due
    assert enrolment.status == "active"
    assert enrolment.certificate_code is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"capacity": "-3"}, "capacity"),
        ({"capacity": "10000000000000000000000"}, "capacity"),
        ({"title": "x" * 500}, "title"),
        ({"title": ""}, "title"),
        ({"ends_at_1": "09:00"}, None),  # ends before it starts: a form-wide error
    ],
)
def test_bad_input_on_a_session_is_a_form_error_and_changes_nothing(
    superuser_client, editor, change, field
):
    session = make_session(organiser=editor, title="Tone workshop")
    before = Session.objects.values().get(pk=session.pk)
    data = {
        "title": "Tone workshop", "slug": session.slug, "kind": "workshop",
        "organiser": editor.pk, "presenters": [editor.pk],
        "starts_at_0": "2031-01-01", "starts_at_1": "10:00",
        "ends_at_0": "2031-01-01", "ends_at_1": "11:00",
        "capacity": "10", "visibility": "everyone", "location": "Room 2",
        "signups-TOTAL_FORMS": "0", "signups-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = superuser_client.post(url(Session, "change", session.pk), {**data, **change})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert (field or "__all__") in errors
    assert Session.objects.values().get(pk=session.pk) == before


def test_a_nul_byte_is_refused_before_the_admin_reads_it(superuser_client, editor):
    session = make_session(organiser=editor, title="Tone workshop")
    response = superuser_client.post(url(Session, "change", session.pk), {"title": "a\x00b"})
    assert response.status_code == 400
    assert Session.objects.get(pk=session.pk).title == "Tone workshop"
