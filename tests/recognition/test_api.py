"""The kudos API: the wall as `Kudos.objects.visible_to` allows (a reported kudos for its giver
and admins only), the work a kudos was for named only to those who may open it; giving with
the form's rules and words, throttled; reacting; in a constant number of queries."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from people.models import Role
from recognition.models import Kudos, KudosRecipient, Reaction, Wallet
from recognition.services.kudos import kudos_report
from tests.factories import UserFactory, make_article
from tests.mentorship.builders import make_pairing, make_program
from tests.recognition.builders import make_kudos
from tests.training.builders import make_session

SECRET_TITLE = "Escalations only: the VIP refund override"
KUDOS_FIELDS = {
    "id", "giver", "recipients", "values", "points", "message", "created_at", "target",
    "reactions", "comment_count", "status",
}  # fmt: skip


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _ids(client) -> list[int]:
    response = client.get("/api/kudos/")
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def _give(client, **data):
    body = {
        "recipients": ["mentor"],
        "values": ["team-player"],
        "points": 10,
        "message": "Thanks for covering my queue during the billing outage.",
        **data,
    }
    return client.post("/api/kudos/", body, content_type="application/json")


# --- Reading -------------------------------------------------------------------------------


def test_a_kudos_reads_with_its_people_values_and_reactions(client, agent, mentor, editor):
    kudos = make_kudos(editor, [agent, mentor], values=["team-player", "shared-knowledge"],
                       points=15, message="Your **macro** saved us hours <3")  # fmt: skip
    Reaction.objects.create(kudos=kudos, user=agent, kind="clap")
    Reaction.objects.create(kudos=kudos, user=mentor, kind="clap")
    client.force_login(agent)

    row = client.get("/api/kudos/").json()["results"][0]

    assert set(row) == KUDOS_FIELDS
    assert row["giver"] == {"username": "editor", "name": editor.name}
    assert [r["username"] for r in row["recipients"]] == ["agent", "mentor"]
    assert row["values"] == ["shared-knowledge", "team-player"]
    assert (row["points"], row["status"], row["target"]) == (15, "visible", None)
    assert row["message"] == "Your **macro** saved us hours <3"
    clap = next(r for r in row["reactions"] if r["kind"] == "clap")
    assert (clap["count"], clap["mine"], clap["emoji"]) == (2, True, "👏")
    assert client.get(f"/api/kudos/{kudos.pk}/").json() == row


def test_a_reported_kudos_is_listed_to_its_giver_and_admins_only(
    client, agent, mentor, editor, outsider, root
):
    shown = make_kudos(editor, agent, message="Shown to all")
    reported = make_kudos(editor, agent, message="Under review")
    kudos_report(kudos=reported, user=mentor, reason="Not appropriate")
    everyone, giver = [shown.pk], [reported.pk, shown.pk]
    cases = [(agent, everyone), (outsider, everyone), (mentor, everyone), (editor, giver),
             (root, giver)]  # fmt: skip
    for viewer, expected in cases:
        client.force_login(viewer)
        assert _ids(client) == expected, viewer.username
        detail = client.get(f"/api/kudos/{reported.pk}/")
        assert detail.status_code == (200 if reported.pk in expected else 404), viewer.username
        if reported.pk not in expected:
            assert "Under review" not in client.get("/api/kudos/").content.decode()
    client.force_login(editor)
    assert client.get(f"/api/kudos/{reported.pk}/").json()["status"] == "reported"


def test_a_restricted_articles_title_never_reaches_who_may_not_open_it(
    client, agent, editor, outsider, other_team
):
    article = make_article(author=editor, approved_by=editor, title=SECRET_TITLE,
                           visibility="teams", teams=[other_team])  # fmt: skip
    kudos = make_kudos(outsider, editor, article=article)
    client.force_login(agent)
    for url in ("/api/kudos/", f"/api/kudos/{kudos.pk}/"):
        body = client.get(url).content.decode()
        assert SECRET_TITLE not in body
        assert article.slug not in body
    assert client.get(f"/api/kudos/{kudos.pk}/").json()["target"] == {"kind": "article"}
    client.force_login(outsider)
    assert client.get(f"/api/kudos/{kudos.pk}/").json()["target"] == {
        "kind": "article", "id": article.pk, "title": SECRET_TITLE,
        "url": article.get_absolute_url(),
    }  # fmt: skip


def test_a_pairing_is_named_to_those_who_may_see_it_and_never_titled(
    client, agent, mentor, outsider
):
    pairing = make_pairing(program=make_program(), mentor=mentor, mentee=agent)
    kudos = make_kudos(agent, mentor, pairing=pairing)
    client.force_login(outsider)
    assert client.get(f"/api/kudos/{kudos.pk}/").json()["target"] == {"kind": "pairing"}
    client.force_login(mentor)
    assert client.get(f"/api/kudos/{kudos.pk}/").json()["target"] == {
        "kind": "pairing", "id": pairing.pk, "url": pairing.get_absolute_url()
    }  # fmt: skip


def test_sessions_and_customer_interactions_are_named(client, agent, mentor, editor):
    session = make_session(organiser=editor, title="Chargeback clinic", days=-2)
    for_session = make_kudos(agent, editor, session=session)
    for_customer = make_kudos(agent, mentor, ticket_ref="ZD-4411",
                              customer_quote="She fixed my 2FA lockout in minutes.")  # fmt: skip
    client.force_login(mentor)
    targets = {row["id"]: row["target"] for row in client.get("/api/kudos/").json()["results"]}
    assert targets[for_session.pk] == {
        "kind": "session", "id": session.pk, "title": "Chargeback clinic",
        "url": session.get_absolute_url(),
    }  # fmt: skip
    assert targets[for_customer.pk] == {
        "kind": "customer", "ticket_ref": "ZD-4411",
        "customer_quote": "She fixed my 2FA lockout in minutes.",
    }  # fmt: skip


def test_anonymous_callers_are_refused(client, agent, editor):
    kudos = make_kudos(editor, agent)
    assert client.get("/api/kudos/").status_code == 403
    assert client.get(f"/api/kudos/{kudos.pk}/").status_code == 403
    assert _give(client).status_code == 403
    assert not Kudos.objects.exclude(pk=kudos.pk).exists()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/kudos/a%00b/", 404),
        ("/api/kudos/0.5/", 404),
        ("/api/kudos/99999999999999999999/", 404),
        ("/api/kudos/-1/", 404),
        ("/api/kudos/?page=99999", 404),
        ("/api/kudos/?page=a%00b", 404),
    ],
)
def test_bad_parameters_get_a_json_4xx(agent_client, url, status):
    response = agent_client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_reads_in_a_constant_number_of_queries(
    client, agent, editor, outsider, other_team, team, size, django_assert_max_num_queries
):
    article = make_article(author=editor, approved_by=editor, title=SECRET_TITLE,
                           visibility="teams", teams=[other_team])  # fmt: skip
    session = make_session(organiser=editor, days=-2)
    pairing = make_pairing(program=make_program(), mentor=editor, mentee=agent)
    for i in range(size):
        giver = UserFactory(team=team)
        target = [{"article": article}, {"session": session}, {"ticket_ref": f"T-{i}"}, {}][i % 4]
        kudos = make_kudos(giver, [agent, editor, UserFactory(team=other_team)],
                           values=["team-player", "customer-champion"], **target)  # fmt: skip
        Reaction.objects.create(kudos=kudos, user=giver, kind="party")
        Reaction.objects.create(kudos=kudos, user=agent, kind="clap")
    make_kudos(agent, editor, pairing=pairing)
    client.force_login(agent)
    # Session and user; the count and the page of ids; the cards: the rows with their giver,
    # their values, recipients and reactions, the viewer's roles (the articles' rule), the
    # articles, sessions and pairings they were for, and the names of who reacted. Measured:
    # 13 at both sizes.
    with django_assert_max_num_queries(13):
        response = client.get("/api/kudos/")
    assert response.json()["count"] == size + 1


# --- Giving --------------------------------------------------------------------------------


def test_giving_spends_the_allowance_and_tells_each_recipient(client, agent, mentor, editor):
    client.force_login(agent)
    response = _give(client, recipients=["mentor", "editor"], values=["team-player"], points=20)
    assert response.status_code == 201
    row = response.json()
    kudos = Kudos.objects.get()
    assert row["id"] == kudos.pk
    assert [r["username"] for r in row["recipients"]] == ["mentor", "editor"]
    assert row["values"] == ["team-player"]
    assert sorted(KudosRecipient.objects.values_list("recipient__username", "points")) == [
        ("editor", 20), ("mentor", 20)
    ]  # fmt: skip
    assert Notification.objects.filter(kind="recognition.kudos").count() == 2


def test_giving_for_an_article_a_session_or_a_ticket(client, agent, mentor, editor):
    article = make_article(author=mentor, approved_by=editor, title="Two-factor lockouts")
    session = make_session(organiser=editor, days=-1)
    client.force_login(agent)
    made = _give(client, article=article.slug).json()
    assert made["target"]["title"] == "Two-factor lockouts"
    made = _give(client, session=session.pk, points=0).json()
    assert made["target"]["id"] == session.pk
    made = _give(client, ticket_ref="ZD-1", customer_quote="Best support ever", points=0).json()
    assert made["target"] == {
        "kind": "customer", "ticket_ref": "ZD-1", "customer_quote": "Best support ever"
    }  # fmt: skip


def test_a_message_is_stored_and_returned_as_typed_never_as_html(client, agent, mentor):
    client.force_login(agent)
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = _give(client, message=attack)
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert response.json()["message"] == attack
    assert Kudos.objects.get().message == attack
    listed = client.get("/api/kudos/")
    assert listed["Content-Type"] == "application/json"
    assert listed.json()["results"][0]["message"] == attack


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"recipients": ["agent"]}, "recipients", "yourself"),
        ({"recipients": ["gone"]}, "recipients", "can no longer sign in"),
        ({"recipients": ["nobody-like-this"]}, "recipients", "No colleague has the username"),
        ({"recipients": []}, "recipients", "Choose at least one colleague."),
        ({"recipients": [f"user{i}" for i in range(21)]}, "recipients", "at most 20"),
        ({"values": ["best-dancer"]}, "values", "is not one of the values offered"),
        ({"values": []}, "values", "Choose at least one value."),
        ({"values": "team-player"}, "values", ""),
        ({"points": 101}, "points", "you have 100 left this month"),
        ({"points": -5}, "points", "Points cannot be negative."),
        ({"points": 10**20}, "points", "at most 1,000 points"),
        ({"points": "ten"}, "points", "whole number"),
        ({"message": ""}, "message", "Write a message."),
        ({"message": "   "}, "message", "Write a message."),
        ({"message": "x" * 1001}, "message", "1000 characters"),
        ({"message": "Thanks\x00"}, "message", "Null characters are not allowed."),
        ({"ticket_ref": "ZD\x001"}, "ticket_ref", "Null characters are not allowed."),
        ({"customer_quote": "Lovely"}, "ticket_ref", "Name the ticket"),
        ({"article": "no-such-article"}, "article", "Choose a published article you can open."),
        ({"article": "a\x00b"}, "article", "Choose a published article you can open."),
        ({"session": 99999999}, "session", "Choose a session you can see."),
        ({"session": 10**20}, "session", ""),
        ({"pairing": 99999999}, "pairing", "Choose a mentorship you are part of."),
        ({"session": "__session__", "ticket_ref": "ZD-2"}, "target", "one piece of work"),
    ],
)
def test_bad_input_is_a_400_by_field_and_saves_nothing(
    client, agent, mentor, editor, change, field, words
):
    UserFactory(username="gone", is_active=False)
    session = make_session(organiser=editor, days=-1)
    change = {k: session.pk if v == "__session__" else v for k, v in change.items()}
    client.force_login(agent)
    response = _give(client, **change)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "invalid"
    # The one error body: messages by field, an item of a list by its path ("recipients.0").
    messages = [
        text
        for name, texts in body["fields"].items()
        if name == field or name.startswith(f"{field}.")
        for text in texts
    ]
    assert messages, body
    assert words in " ".join(messages)
    assert not Kudos.objects.exists()
    assert not Notification.objects.filter(kind="recognition.kudos").exists()


def test_a_personal_allowance_is_the_limit(client, agent, mentor):
    Wallet.objects.create(user=agent, monthly_allowance=30)
    client.force_login(agent)
    assert _give(client, points=20).status_code == 201
    refused = _give(client, points=20)
    assert refused.status_code == 400
    assert "you have 10 left" in refused.json()["fields"]["points"][0]
    assert Kudos.objects.count() == 1


def test_work_the_giver_may_not_open_is_refused_as_if_missing(
    client, agent, mentor, editor, outsider, other_team
):
    hidden = make_article(author=editor, approved_by=editor, title=SECRET_TITLE,
                          visibility="teams", teams=[other_team])  # fmt: skip
    theirs = make_pairing(program=make_program(), mentor=mentor, mentee=outsider)
    client.force_login(agent)
    assert _give(client, article=hidden.slug).json()["fields"] == {
        "article": ["Choose a published article you can open."]
    }
    assert _give(client, pairing=theirs.pk).json()["fields"] == {
        "pairing": ["Choose a mentorship you are part of."]
    }
    assert not Kudos.objects.exists()


def test_posting_too_fast_is_a_429_not_a_500(client, agent, mentor):
    client.force_login(agent)
    # The rate is 10 a minute (settings): every post counts, refused ones too.
    answers = [_give(client, points=0, message=f"Thanks {n}").status_code for n in range(10)]
    assert answers == [201] * 10
    throttled = _give(client, points=0)
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert Kudos.objects.count() == 10
    # Reading is not limited.
    assert client.get("/api/kudos/").status_code == 200


# --- Reacting ------------------------------------------------------------------------------


def _react(client, kudos, **data):
    return client.post(f"/api/kudos/{kudos.pk}/react/", data, content_type="application/json")


def _clap(row) -> tuple[int, bool]:
    clap = next(r for r in row["reactions"] if r["kind"] == "clap")
    return clap["count"], clap["mine"]


def test_reacting_toggles_and_on_sets(client, agent, mentor, editor):
    kudos = make_kudos(editor, mentor)
    client.force_login(agent)
    assert _clap(_react(client, kudos, kind="clap").json()) == (1, True)
    assert _clap(_react(client, kudos, kind="clap").json()) == (0, False)
    assert _clap(_react(client, kudos, kind="clap", on=True).json()) == (1, True)
    assert _clap(_react(client, kudos, kind="clap", on=True).json()) == (1, True)
    assert Reaction.objects.filter(kudos=kudos, user=agent, kind="clap").count() == 1
    assert _clap(_react(client, kudos, kind="clap", on=False).json()) == (0, False)


@pytest.mark.parametrize("kind", ["thumbs", "", "a\x00b", None])
def test_an_unknown_reaction_is_a_400(client, agent, mentor, editor, kind):
    kudos = make_kudos(editor, mentor)
    client.force_login(agent)
    response = _react(client, kudos, kind=kind)
    assert response.status_code == 400
    assert "kind" in response.json()["fields"]
    assert not Reaction.objects.exists()


def test_a_kudos_one_may_not_see_is_a_404_and_one_under_review_takes_no_reactions(
    client, agent, mentor, editor
):
    kudos = make_kudos(editor, mentor)
    kudos_report(kudos=kudos, user=mentor, reason="Wrong person")
    client.force_login(agent)
    assert _react(client, kudos, kind="clap").status_code == 404
    assert client.post("/api/kudos/99999999/react/", {"kind": "clap"}).status_code == 404
    client.force_login(editor)  # the giver still sees it, under review
    refused = _react(client, kudos, kind="clap")
    assert refused.status_code == 400
    assert "under review" in refused.json()["detail"]
    assert not Reaction.objects.exists()


def test_managers_and_agents_alike_may_use_the_api(client, mentor, editor):
    lead = UserFactory(username="lead", roles=[Role.MANAGER])
    kudos = make_kudos(editor, mentor)
    client.force_login(lead)
    assert _ids(client) == [kudos.pk]


def test_reacting_answers_with_a_format_suffix(client, agent, mentor, editor):
    kudos = make_kudos(editor, mentor)
    client.force_login(agent)
    response = client.post(f"/api/kudos/{kudos.pk}/react.json", {"kind": "star"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert client.get("/api/kudos.json").status_code == 200
