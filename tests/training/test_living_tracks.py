"""Living tracks: a newly published revision of an article a track uses flags the read step
for the learners who completed it (and only them), tells them once and the track's owner
once; a pending edit flags nothing; reading again clears the flag; an article nobody can
read any more is brought to the owner once. Revisions are made through kb's services."""

from __future__ import annotations

import pytest

from kb.models import Article
from kb.services.workflow import (
    article_approve,
    article_archive,
    article_delete,
    article_submit,
    article_update,
)
from notifications.models import Notification
from notifications.services import reminders_sweep
from tests.factories import UserFactory
from tests.training.builders import enrol, make_track
from training.models import Enrolment, StepCompletion
from training.selectors.learning import my_training, track_page
from training.services import learning
from training.services.progress import step_complete

pytestmark = pytest.mark.django_db

LEARNER_KIND = "training.step_updated"
OWNER_KIND = "training.step_updated_owner"
UNREADABLE_KIND = "training.step_unreadable"


def _edit(article: Article, editor, body: str) -> Article:
    """A new revision of `article`, not yet published (waiting for review)."""
    revision = article.latest_revision
    article = article_update(
        article=article,
        editor=editor,
        content={"title": revision.title, "summary": revision.summary, "body": body},
        meta={},
    )
    return article_submit(article=article, user=editor)


def _publish_new_revision(article: Article, editor, body: str = "## Steps\n\nNew way.") -> Article:
    return article_approve(article=_edit(article, editor, body), editor=editor)


@pytest.fixture
def read_track(editor, article):
    """A track of one article step and a practical task."""
    return make_track(owner=editor, title="Listening", articles=[article], task=True)


@pytest.fixture
def learners(read_track):
    """done: read the article; not_done: enrolled, has not read it; left: read it, then
    withdrew; finished: completed the whole track."""
    step = read_track.steps.get(kind="article")
    task = read_track.steps.get(kind="task")
    people = {name: UserFactory(username=name) for name in ("done", "not_done", "left", "finished")}
    enrolments = {name: enrol(user, read_track) for name, user in people.items()}
    for name in ("done", "left", "finished"):
        step_complete(enrolment=enrolments[name], step=step)
    step_complete(enrolment=enrolments["finished"], step=task)
    learning.track_withdraw(enrolment=enrolments["left"], user=people["left"])
    return people


def _outdated_users() -> set[str]:
    return set(
        StepCompletion.objects.outdated().values_list("enrolment__user__username", flat=True)
    )


def test_a_published_revision_flags_only_those_who_completed_the_step(
    read_track, learners, article, editor
):
    assert _outdated_users() == set()
    _publish_new_revision(article, editor)
    assert _outdated_users() == {"done", "finished"}
    # The finished track stays completed: the certificate was earned on the old text.
    finished = Enrolment.objects.get(user=learners["finished"])
    assert finished.status == Enrolment.Status.COMPLETED

    reminders_sweep()
    told = set(
        Notification.objects.filter(kind=LEARNER_KIND).values_list("recipient__username", flat=True)
    )
    assert told == {"done", "finished"}
    notice = Notification.objects.filter(kind=LEARNER_KIND).first()
    assert notice.message == (
        f"“{article.title}” in “{read_track.title}” was updated since you read it."
    )
    assert notice.url == read_track.get_absolute_url()


def test_a_pending_edit_flags_nothing(read_track, learners, article, editor):
    _edit(article, editor, "## Steps\n\nNot reviewed yet.")
    assert _outdated_users() == set()
    reminders_sweep()
    assert not Notification.objects.filter(kind__in=[LEARNER_KIND, OWNER_KIND]).exists()


def test_the_owner_is_told_once_per_revision_with_how_many_learners(
    read_track, learners, article, editor
):
    _publish_new_revision(article, editor)
    reminders_sweep()
    reminders_sweep()
    owner_notices = Notification.objects.filter(kind=OWNER_KIND)
    assert owner_notices.count() == 1
    notice = owner_notices.get()
    assert notice.recipient == editor
    assert "2 learners" in notice.message
    assert notice.url == f"/training/tracks/{read_track.slug}/edit/"
    assert Notification.objects.filter(kind=LEARNER_KIND).count() == 2
    # Another publication is another occasion, for the owner and the learners.
    _publish_new_revision(article, editor, body="## Steps\n\nNewer still.")
    reminders_sweep()
    assert Notification.objects.filter(kind=OWNER_KIND).count() == 2
    assert Notification.objects.filter(kind=LEARNER_KIND).count() == 4


def test_reading_again_clears_the_flag_and_settles_the_notice(
    read_track, learners, article, editor
):
    _publish_new_revision(article, editor)
    reminders_sweep()
    enrolment = Enrolment.objects.get(user=learners["done"])
    step = read_track.steps.get(kind="article")
    page = track_page(track=read_track, user=learners["done"])
    assert [row.state for row in page.rows] == ["outdated", "todo"]
    assert len(my_training(user=learners["done"]).outdated) == 1

    learning.article_step_read(enrolment=enrolment, step=step)

    assert _outdated_users() == {"finished"}
    page = track_page(track=read_track, user=learners["done"])
    assert [row.state for row in page.rows] == ["done", "todo"]
    assert my_training(user=learners["done"]).outdated == []
    notice = Notification.objects.get(kind=LEARNER_KIND, recipient=learners["done"])
    assert notice.read_at is not None
    reminders_sweep()  # nothing new for someone who read the current text
    assert Notification.objects.filter(kind=LEARNER_KIND, recipient=learners["done"]).count() == 1


def test_step_complete_on_the_article_step_also_clears_it(read_track, learners, article, editor):
    _publish_new_revision(article, editor)
    enrolment = Enrolment.objects.get(user=learners["finished"])
    step_complete(enrolment=enrolment, step=read_track.steps.get(kind="article"))
    assert _outdated_users() == {"done"}


def test_a_learner_who_can_no_longer_read_the_article_is_not_told(
    read_track, learners, article, editor, other_team
):
    _publish_new_revision(article, editor)
    Article.objects.filter(pk=article.pk).update(visibility="teams")
    article.teams.set([other_team])
    reminders_sweep()
    assert not Notification.objects.filter(kind=LEARNER_KIND).exists()
    # For them the step is skipped, not "updated".
    page = track_page(track=read_track, user=learners["done"])
    assert page.rows[0].state == "skipped"
    assert my_training(user=learners["done"]).outdated == []


@pytest.mark.parametrize("how", ["archived", "deleted"])
def test_the_owner_is_told_once_when_nobody_can_read_a_steps_article(
    read_track, article, editor, how
):
    if how == "archived":
        article_archive(article=article, editor=editor)
    else:
        article_delete(article=article, editor=editor)
    reminders_sweep()
    reminders_sweep()
    notice = Notification.objects.get(kind=UNREADABLE_KIND)
    assert notice.recipient == editor
    assert f"was {how}" in notice.message
    assert read_track.title in notice.message


def test_a_readable_article_step_is_not_reported(read_track, article, editor):
    reminders_sweep()
    assert not Notification.objects.filter(kind=UNREADABLE_KIND).exists()
