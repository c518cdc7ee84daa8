"""The awards pages as people use them: the awards page (awards open, "Nominate someone" for
those who may, my nominations, the approvers' queue oldest first, the winners), nominating
with its form errors, a nomination's page (404 for those who may not see it, the nominee
above all), the approvers' decisions, bad input answered with a 4xx and a message while
nothing changes, and the query counts of the awards page and a nomination's page at two
sizes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from people.models import Role
from recognition.models import APPROVERS_GROUP, Award, Nomination
from recognition.services.nominations import (
    nomination_approve,
    nomination_create,
    nomination_reject,
)
from tests.factories import TeamFactory, UserFactory
from tests.search.pages import parse

pytestmark = pytest.mark.django_db

LIST = "/kudos/nominations/"
NEW = "/kudos/nominations/new/"
REASON = "Turned a furious customer into a fan in one call."
# Session and viewer, then the awards open, my nominations, the queue, the winners.
LIST_QUERIES = 6
# Session and viewer, then the nomination with its award and people.
DETAIL_QUERIES = 3


@pytest.fixture
def award(db):
    return Award.objects.get(slug="customer-champion-of-the-quarter")


@pytest.fixture
def approver(other_team):
    return UserFactory(username="approver", team=other_team, roles=[APPROVERS_GROUP])


@pytest.fixture
def admin(other_team):
    return UserFactory(username="admin", team=other_team, is_superuser=True, is_staff=True)


@pytest.fixture
def approver_client(client, approver):
    client.force_login(approver)
    return client


def _nominate(nominator, nominee, award, **fields) -> Nomination:
    fields.setdefault("reason", REASON)
    return nomination_create(nominated_by=nominator, nominee=nominee, award=award, **fields)


def _url(nomination) -> str:
    return f"/kudos/nominations/{nomination.pk}/"


def _decide(client, nomination, **data):
    return client.post(f"{_url(nomination)}decide/", data)


def _messages(response) -> list[str]:
    found = parse(response).find("ul", class_="messages")
    return [li.text() for li in found.find_all("li")] if found else []


def _errors(response) -> list[str]:
    return [li.text() for li in parse(response).find_all("li") if "errorlist" in li.parent.classes]


def _ids(response, class_: str) -> list[str]:
    return [li.attrs["id"] for li in parse(response).find_all("li", class_=class_)]


def _form(nominee, award, /, **changes) -> dict:
    return {"award": award.slug, "nominee": nominee.pk, "reason": REASON, **changes}


# --- The awards page ------------------------------------------------------------------------


def test_an_agent_sees_the_awards_but_cannot_nominate(agent_client, award, settings):
    settings.RECOGNITION_NOMINATIONS_OPEN_TO_ALL = False

    response = agent_client.get(LIST)

    assert response.status_code == 200
    page = parse(response)
    card = page.find("li", id=f"award-{award.slug}")
    assert "Customer Champion of the quarter" in card.text()
    assert "Quarterly award. Nominations now are for" in card.text()
    assert page.find("a", href=f"{NEW}?award={award.slug}") is None
    assert "Managers nominate colleagues for awards." in page.text()
    assert page.find("section", class_="nomination-queue") is None


def test_a_manager_and_with_the_setting_everyone_gets_nominate_someone(
    client, manager, agent, award, settings
):
    settings.RECOGNITION_NOMINATIONS_OPEN_TO_ALL = False
    client.force_login(manager)
    assert parse(client.get(LIST)).find("a", href=f"{NEW}?award={award.slug}") is not None

    settings.RECOGNITION_NOMINATIONS_OPEN_TO_ALL = True
    client.force_login(agent)
    assert parse(client.get(LIST)).find("a", href=f"{NEW}?award={award.slug}") is not None


def test_a_closed_award_is_not_offered(agent_client, award):
    Award.objects.create(name="Old award", slug="old-award", is_active=False)

    page = parse(agent_client.get(LIST))

    assert page.find("li", id="award-old-award") is None
    assert page.find("li", id=f"award-{award.slug}") is not None


def test_my_nominations_show_their_status(manager_client, manager, agent, mentor, award, approver):
    waiting = _nominate(manager, agent, award)
    rejected = _nominate(manager, mentor, award)
    nomination_reject(nomination=rejected, user=approver, comment="Not enough evidence.")

    response = manager_client.get(LIST)

    mine = parse(response).find("section", class_="nomination-mine")
    assert [li.attrs["id"] for li in mine.find_all("li")] == [
        f"mine-{rejected.pk}",
        f"mine-{waiting.pk}",
    ]
    assert "Waiting for approval" in mine.find("li", id=f"mine-{waiting.pk}").text()
    assert "Not approved" in mine.find("li", id=f"mine-{rejected.pk}").text()


def test_the_queue_shows_approvers_what_they_may_decide_oldest_first(
    approver_client, approver, manager, agent, mentor, award, settings
):
    settings.RECOGNITION_NOMINATIONS_OPEN_TO_ALL = True
    now = timezone.now()
    newer = _nominate(manager, agent, award, now=now - timedelta(days=1))
    older = _nominate(manager, mentor, award, now=now - timedelta(days=4))
    _nominate(mentor, approver, award)  # about the approver: never shown to them
    _nominate(approver, manager, award)  # theirs: under their nominations, not to decide
    decided = _nominate(mentor, agent, award)
    nomination_approve(nomination=decided, user=UserFactory(is_superuser=True))

    response = approver_client.get(LIST)

    assert _ids(response, "nomination-row") == [
        f"queued-{older.pk}",
        f"queued-{newer.pk}",
        f"mine-{Nomination.objects.get(nominated_by=approver).pk}",
    ]
    assert "Waiting for your decision (2)" in parse(response).text()


def test_the_winners_are_the_approved_nominations(agent_client, manager, mentor, award, approver):
    won = _nominate(manager, mentor, award)
    nomination_approve(nomination=won, user=approver)
    _nominate(manager, UserFactory(), award)

    page = parse(agent_client.get(LIST))

    cards = page.find_all("article", class_="award-card")
    assert [card.attrs["id"] for card in cards] == [f"award-{won.pk}"]


def test_the_nominee_never_sees_a_pending_or_rejected_nomination(
    agent_client, agent, manager, award, approver, team
):
    pending = _nominate(manager, agent, award)
    other = UserFactory(team=team, roles=[Role.MANAGER])
    rejected = _nominate(other, agent, award)
    nomination_reject(nomination=rejected, user=approver, comment="Not this quarter.")

    body = agent_client.get(LIST).content.decode()

    assert REASON not in body
    for nomination in (pending, rejected):
        assert _url(nomination) not in body
        assert agent_client.get(_url(nomination)).status_code == 404
    assert not Notification.objects.filter(recipient=agent).exists()


def test_an_approver_who_is_the_nominee_gets_404_while_it_waits(
    approver_client, approver, manager, award, admin
):
    nomination = _nominate(manager, approver, award)

    assert approver_client.get(_url(nomination)).status_code == 404
    assert _decide(approver_client, nomination, decision="approve").status_code == 404

    nomination_approve(nomination=nomination, user=admin)
    assert approver_client.get(_url(nomination)).status_code == 200


# --- Nominating -----------------------------------------------------------------------------


def test_an_agent_gets_403_unless_nominations_are_open_to_all(
    agent_client, mentor, award, settings
):
    settings.RECOGNITION_NOMINATIONS_OPEN_TO_ALL = False
    assert agent_client.get(NEW).status_code == 403
    assert agent_client.post(NEW, _form(mentor, award)).status_code == 403
    assert not Nomination.objects.exists()

    settings.RECOGNITION_NOMINATIONS_OPEN_TO_ALL = True
    assert agent_client.get(NEW).status_code == 200
    response = agent_client.post(NEW, _form(mentor, award))
    assert response.status_code == 302
    assert Nomination.objects.get().nominee == mentor


def test_the_form_offers_open_awards_and_active_colleagues_but_not_me(
    manager_client, manager, agent, award
):
    UserFactory(display_name="Gone Person", is_active=False)
    Award.objects.create(name="Old award", slug="old-award", is_active=False)

    response = manager_client.get(f"{NEW}?award={award.slug}&nominee={agent.username}")

    assert response.status_code == 200
    page = parse(response)
    nominees = [o.text() for o in page.find("select", name="nominee").find_all("option")]
    assert f"{agent.name} (Billing Support)" in nominees
    assert manager.name not in " ".join(nominees)
    assert "Gone Person" not in " ".join(nominees)
    awards = page.find("select", name="award").find_all("option")
    assert [o.attrs["value"] for o in awards] == ["", award.slug]
    assert page.find("option", value=award.slug).attrs.get("selected") is not None
    assert page.find("option", value=str(agent.pk)).attrs.get("selected") is not None
    assert page.find("label", **{"for": "id_evidence"}) is not None


def test_a_manager_nominates_and_lands_on_the_nomination(manager_client, manager, agent, award):
    response = manager_client.post(
        NEW, _form(agent, award, evidence="https://crm.example/t/42\n/kb/a/refunds/")
    )

    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(nomination)
    page = manager_client.get(_url(nomination))
    assert _messages(page) == [
        f"You nominated {agent.name} for Customer Champion of the quarter "
        f"({nomination.period_label}). The approvers decide; you are told either way."
    ]
    evidence = parse(page).find("ul", class_="nomination-evidence")
    assert [a.attrs["href"] for a in evidence.find_all("a")] == [
        "https://crm.example/t/42",
        "/kb/a/refunds/",
    ]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"nominee": "self"}, "You cannot nominate yourself: ask a colleague to."),
        ({"nominee": ""}, "Choose the colleague you nominate."),
        ({"nominee": "987654"}, "Choose a colleague from the list."),
        ({"nominee": "-3"}, "Choose a colleague from the list."),
        ({"nominee": "9" * 40}, "Choose a colleague from the list."),
        ({"nominee": "abc"}, "Choose a colleague from the list."),
        ({"award": ""}, "Choose an award."),
        ({"award": "no-such-award"}, "Choose one of the awards open for nominations."),
        ({"award": "old-award"}, "This award is not open for nominations."),
        ({"reason": "  "}, "Write why they deserve it."),
        ({"reason": "x" * 2001}, "Ensure this value has at most 2000 characters (it has 2001)."),
        ({"evidence": "javascript:alert(1)"},
         "Link 1 (“javascript:alert(1)”) is not a link: start it with https:// or, for a page "
         "of Huddle, with /."),
    ],
)  # fmt: skip
def test_bad_input_is_a_form_error_and_saves_nothing(
    manager_client, manager, agent, award, change, error
):
    Award.objects.create(name="Old award", slug="old-award", is_active=False)
    if change.get("nominee") == "self":
        change = {"nominee": manager.pk}

    response = manager_client.post(NEW, _form(agent, award, **change))

    assert response.status_code == 400
    assert error in _errors(response)
    assert not Nomination.objects.exists()


def test_every_field_s_error_shows_at_once(manager_client, award):
    response = manager_client.post(
        NEW, {"award": award.slug, "nominee": "", "reason": "", "evidence": "ftp://x\n/ok/"}
    )

    assert response.status_code == 400
    assert _errors(response) == [
        "Choose the colleague you nominate.",
        "Write why they deserve it.",
        "Link 1 (“ftp://x”) is not a link: start it with https:// or, for a page of Huddle, "
        "with /.",
    ]


def test_a_nul_character_is_refused_before_the_form(manager_client, agent, award):
    response = manager_client.post(NEW, _form(agent, award, reason="Great\x00work"))

    assert response.status_code == 400
    assert not Nomination.objects.exists()


def test_a_colleague_who_left_is_refused_with_the_reason(manager_client, award):
    gone = UserFactory(display_name="Tom Baker", is_active=False)

    response = manager_client.post(NEW, _form(gone, award))

    assert response.status_code == 400
    assert "Tom Baker can no longer sign in to Huddle." in _errors(response)


def test_a_duplicate_nomination_is_a_clear_form_error(manager_client, manager, agent, award):
    first = _nominate(manager, agent, award)

    response = manager_client.post(NEW, _form(agent, award))

    assert response.status_code == 400
    assert (
        f"You already nominated {agent.name} for Customer Champion of the quarter in "
        f"{first.period_label}: one nomination each per period."
    ) in _errors(response)
    assert Nomination.objects.count() == 1


def test_with_no_award_open_the_form_says_so(manager_client, award):
    Award.objects.update(is_active=False)

    response = manager_client.get(NEW)

    assert response.status_code == 200
    assert "No award is open for nominations right now." in parse(response).text()
    assert parse(response).find("form", class_="nomination-form") is None


# --- A nomination's page and its decision ---------------------------------------------------


@pytest.fixture
def nomination(manager, agent, award, approver):
    return _nominate(manager, agent, award, evidence="https://crm.example/t/42")


def test_who_sees_a_pending_nomination(client, nomination, manager, approver, admin, outsider):
    for person, status in ((manager, 200), (approver, 200), (admin, 200), (outsider, 404)):
        client.force_login(person)
        assert client.get(_url(nomination)).status_code == status, person.username


def test_everyone_sees_an_approved_nomination_celebrated(
    client, nomination, approver, agent, outsider
):
    nomination_approve(nomination=nomination, user=approver, comment="Well deserved!")

    for person in (agent, outsider):
        client.force_login(person)
        response = client.get(_url(nomination))
        assert response.status_code == 200
        page = parse(response)
        assert page.find("article", id=f"award-{nomination.pk}") is not None
        assert response.content.decode().count(REASON) == 1  # in the celebration, once
        assert "Well deserved!" in page.find("section", class_="nomination-decision").text()
        assert page.find("section", class_="nomination-decide") is None


def test_the_approver_decides_on_the_page(approver_client, nomination, agent):
    page = parse(approver_client.get(_url(nomination)))
    decide = page.find("section", class_="nomination-decide")
    assert decide is not None
    assert {label.attrs["for"] for label in decide.find_all("label")} == {
        "id_approve_comment",
        "id_reject_comment",
    }

    response = _decide(approver_client, nomination, decision="approve", comment="Bravo.")

    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.APPROVED
    assert nomination.decision_comment == "Bravo."
    assert _messages(approver_client.get(_url(nomination)))[0].startswith(
        f"Approved: {agent.name} is Customer Champion of the quarter"
    )


def test_rejecting_without_a_comment_is_a_form_error(approver_client, nomination):
    response = _decide(approver_client, nomination, decision="reject", comment=" ")

    assert response.status_code == 400
    assert "Write why, for the nominator." in _errors(response)
    reject = parse(response).find("details", class_="decision-decline")
    assert "open" in reject.attrs
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.PENDING


def test_rejecting_with_a_comment_tells_the_nominator(approver_client, nomination, manager):
    response = _decide(approver_client, nomination, decision="reject", comment="Too early.")

    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.REJECTED
    assert Notification.objects.get(kind="recognition.nomination_decided").recipient == manager


def test_deciding_twice_is_refused_with_who_decided(client, nomination, approver, admin):
    nomination_approve(nomination=nomination, user=approver)
    client.force_login(admin)

    response = _decide(client, nomination, decision="reject", comment="No.")

    assert response.status_code == 400
    assert _messages(response) == [
        f"This nomination was already decided by {approver.name}: approved."
    ]
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.APPROVED


def test_people_who_are_not_approvers_get_403_or_404(client, nomination, manager, mentor, team):
    client.force_login(manager)  # the nominator sees it, but does not decide it
    assert _decide(client, nomination, decision="approve").status_code == 403
    client.force_login(mentor)  # an agent does not even see it
    assert _decide(client, nomination, decision="approve").status_code == 404
    other_manager = UserFactory(team=team, roles=[Role.MANAGER])
    client.force_login(other_manager)
    assert _decide(client, nomination, decision="approve").status_code == 404
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.PENDING


def test_an_approved_nomination_is_403_to_decide_for_a_non_approver(
    client, nomination, approver, mentor
):
    nomination_approve(nomination=nomination, user=approver)
    client.force_login(mentor)

    assert _decide(client, nomination, decision="reject", comment="No.").status_code == 403


@pytest.mark.parametrize(
    "data",
    [{}, {"decision": "maybe"}, {"decision": "approve", "comment": "x" * 1001}],
)
def test_a_malformed_decision_is_a_400_and_changes_nothing(approver_client, nomination, data):
    response = _decide(approver_client, nomination, **data)

    assert response.status_code == 400
    assert _errors(response)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.PENDING


def test_an_unknown_nomination_is_404(approver_client):
    assert approver_client.get("/kudos/nominations/987654/").status_code == 404
    assert approver_client.post("/kudos/nominations/987654/decide/").status_code == 404


def test_a_decision_must_be_posted(approver_client, nomination):
    assert approver_client.get(f"{_url(nomination)}decide/").status_code == 405


def test_a_reason_with_markup_is_shown_as_text(client, manager, agent, award, approver):
    nomination = _nominate(manager, agent, award, reason='<script>alert("x")</script> Great')
    client.force_login(approver)

    body = client.get(_url(nomination)).content.decode()

    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;" in body


def test_evidence_edited_outside_the_service_is_shown_as_text(approver_client, nomination):
    Nomination.objects.filter(pk=nomination.pk).update(evidence="javascript:alert(1)")

    evidence = parse(approver_client.get(_url(nomination))).find("ul", class_="nomination-evidence")

    assert evidence.find("a") is None
    assert evidence.text() == "javascript:alert(1)"


# --- Query counts ---------------------------------------------------------------------------


def _many(size: int, *, approver, award) -> Nomination:
    """`size` nominations waiting, `size` approved and `size` rejected, by a manager each."""
    last = None
    for n in range(size):
        team = TeamFactory(slug=f"nom-{n}")
        nominator = UserFactory(team=team, roles=[Role.MANAGER])
        for status in ("pending", "approved", "rejected"):
            last = _nominate(
                nominator, UserFactory(team=team), award, evidence="/kb/a/x/\n/kb/a/y/"
            )
            if status == "approved":
                nomination_approve(nomination=last, user=approver)
            elif status == "rejected":
                nomination_reject(nomination=last, user=approver, comment="Not now.")
    return last


@pytest.mark.parametrize("size", [3, 30])
def test_the_awards_page_query_count_is_constant(
    client, admin, approver, award, size, django_assert_max_num_queries
):
    _many(size, approver=approver, award=award)
    for n in range(size):
        Award.objects.create(name=f"Award {n}", slug=f"award-{n}")
    client.force_login(admin)

    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST)

    assert response.status_code == 200
    assert len(_ids(response, "nomination-row")) == size
    assert len(parse(response).find_all("article", class_="award-card")) == min(size, 6)


@pytest.mark.parametrize("size", [3, 30])
def test_the_nomination_page_query_count_is_constant(
    client, admin, approver, award, size, django_assert_max_num_queries
):
    last = _many(size, approver=approver, award=award)
    waiting = Nomination.objects.filter(status="pending").last()
    client.force_login(admin)

    for nomination in (last, waiting):
        with django_assert_max_num_queries(DETAIL_QUERIES):
            response = client.get(_url(nomination))
        assert response.status_code == 200
