"""The home page reads a constant number of queries however much each person has: every kind
of item, kudos, badges, articles and sessions, measured at two data sizes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kb.models import Article, ArticleView, Category
from mentorship.models.profiles import MAX_CAPACITY
from people.models import Role
from recognition.models import Badge, BadgeAward
from tests.dashboard import builders
from tests.factories import NotificationFactory, UserFactory, make_article
from tests.mentorship.builders import make_profile, make_program
from tests.recognition.builders import make_kudos
from tests.training.builders import make_session

# At most 36, 38, 39 on SQLite at size 12 (measured 37, 39, 40 while the KB group first asked
# whether they own an article; size 2 reads nine fewer: a list shorter than its five rows
# needs no count query). Every role: session, user, roles, profile gaps (2), the KB
# groups (the intervals of their articles, the due ones and their count), requests,
# questions, training (due, outdated, their counts), mentoring (pairings, actions, milestones
# and counts), requests, sessions, managed teams; below: kudos and count, allowance (2),
# badges, popular, updated in topics read, upcoming sessions, notifications, teammates, the
# team. Editors add the review queue and its count; managers the rotations; approvers the
# nominations and their count.
HOME_QUERIES = {"agent": 36, "editor": 38, "manager": 39}


def _give_everything(viewer, *, n, team, other_team, writer, editor, mentor):
    """`n` of every kind of item, and of everything below, for `viewer`."""
    topic = Category.objects.create(
        name="Refunds", slug="refunds", parent=Category.objects.create(name="Pay", slug="pay")
    )
    program = make_program(name="Home mentoring", milestones=[("Check-in", 3)])
    # A mentor takes `MAX_CAPACITY` mentees at most, proposals included: the viewer mentors
    # four and is asked by four more, whatever the size (as a mentee they have `n` mentors).
    make_profile(viewer, capacity=MAX_CAPACITY)
    for i in range(n):
        read = make_article(author=writer, title=f"Read {i}", category=topic, approved_by=editor)
        for person in (viewer, UserFactory(team=team)):
            ArticleView.objects.create(article=read, user=person, day=timezone.localdate())
        hidden = make_article(
            author=writer, title=f"Hidden {i}", visibility=Article.Visibility.TEAMS,
            teams=[other_team], approved_by=editor,
        )  # fmt: skip
        ArticleView.objects.create(
            article=hidden, user=UserFactory(team=team), day=timezone.localdate()
        )
        category = Category.objects.create(name=f"C{i}", slug=f"c{i}", verification_days=10 + i)
        builders.lapsed_article(
            viewer, writer=writer, editor=editor, title=f"Due {i}", category=category
        )
        builders.waiting_review(author=UserFactory(team=team), title=f"New {i}")
        builders.assigned_request(viewer, editor=editor, query=f"missing thing {i}")
        builders.routed_question(viewer, author=writer, title=f"Question {i}?",
                                 customer_waiting=bool(i % 2))  # fmt: skip
        builders.due_track(viewer, owner=writer, days=i - 3, title=f"Track {i}")
        builders.outdated_step(viewer, editor=editor, writer=writer, title=f"Changed {i}")
        if i < 4:
            # From another team: a manager does not mentor their own people.
            builders.mentoring(UserFactory(team=other_team), mentor=viewer, program=program)
        own = make_program(name=f"Mentored {i}", milestones=[("Check-in", i)])
        builders.mentoring(viewer, mentor=UserFactory(team=team), program=own,
                           overdue_action=f"Action {i}")  # fmt: skip
        if i < 4:
            builders.mentor_request(viewer, mentee=UserFactory(team=other_team),
                                    program=make_program(name=f"Asked {i}"))  # fmt: skip
        builders.signed_up_session(viewer, organiser=writer, days=1 + i % 5, title=f"Session {i}")
        make_session(organiser=writer, title=f"Open session {i}", days=2 + i)
        if viewer.is_manager:
            builders.rotation_to_approve(viewer, host_team=other_team)
            builders.pending_nomination(nominee=UserFactory(team=team), nominated_by=mentor)
        make_kudos(UserFactory(team=team), viewer, message=f"Thanks {i}")
        NotificationFactory(recipient=viewer)
        UserFactory(team=team)
    for badge in Badge.objects.all()[:n]:
        BadgeAward.objects.create(user=viewer, badge=badge)


@pytest.mark.parametrize("role", ["agent", "editor", "manager"])
@pytest.mark.parametrize("size", [2, 12])
def test_home_query_count_is_constant(
    client, role, size, team, other_team, editor, mentor, django_assert_max_num_queries
):
    writer = UserFactory(username="writer", team=team, roles=[Role.AGENT])
    roles = {"agent": [Role.AGENT], "editor": [Role.KB_EDITOR], "manager": [Role.MANAGER]}
    viewer = UserFactory(username=f"busy-{role}", team=team, roles=roles[role])
    if role == "manager":
        team.managers.add(viewer)
        builders.make_approver(viewer)
    _give_everything(
        viewer, n=size, team=team, other_team=other_team, writer=writer, editor=editor,
        mentor=mentor,
    )  # fmt: skip
    client.force_login(viewer)

    with django_assert_max_num_queries(HOME_QUERIES[role]):
        response = client.get("/")

    body = response.content.decode()
    assert response.status_code == 200
    if role != "editor":  # editors may open every article
        assert "Hidden " not in body
    assert ("today-reviews-h" in body) == (role == "editor")
    for present in ("verification", "requests", "questions", "training", "mentoring",
                    "mentor-requests", "sessions"):  # fmt: skip
        assert f"today-{present}-h" in body
    assert ("today-rotations-h" in body) == (role == "manager")
    assert ("today-nominations-h" in body) == (role == "manager")
