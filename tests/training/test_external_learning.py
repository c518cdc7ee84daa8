"""External learning: logging it, asking the manager's approval beforehand, the decision,
changing an entry, sharing the takeaways once as a draft lesson learned; bad input is a form
error with nothing saved; outsiders get 404; the list's query count is pinned."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kb.models import Article
from notifications.models import Notification
from people.models import Role
from tests.factories import TeamFactory, UserFactory
from tests.search.pages import parse
from training.models import ExternalLearning
from training.services.crosstraining import (
    external_decide,
    external_log,
    external_share,
    external_update,
)

SIZES = [2, 8]
# Measured at both sizes: the session, the user and their roles (3), their entries counted
# and one page of them, and their people's entries waiting for approval (3).
LIST_QUERIES = 6

DATA = {
    "title": "Support Driven Expo", "kind": "conference", "provider": "Support Driven",
    "starts_on": date(2026, 5, 4), "ends_on": date(2026, 5, 6), "hours": Decimal("18"),
    "url": "https://example.com/expo", "takeaways": "",
}  # fmt: skip


def _form(**changes) -> dict:
    data = {**DATA, "starts_on": "2026-05-04", "ends_on": "2026-05-06", "hours": "18"}
    return {**data, **changes}


def _field_errors(response, name: str) -> str:
    errors = parse(response).find(id=f"id_{name}_error")
    return errors.text() if errors else ""


@pytest.fixture
def deputy(team):
    user = UserFactory(username="deputy", team=team, roles=[Role.MANAGER])
    team.managers.add(user)
    return user


def test_logging_without_approval(agent):
    entry = external_log(person=agent, data=DATA)
    assert entry.approval == ExternalLearning.Approval.NOT_ASKED
    assert entry.hours == Decimal("18.0")
    assert not Notification.objects.exists()


def test_asking_approval_tells_each_manager_once(agent, manager, deputy):
    entry = external_log(person=agent, data=DATA, ask_approval=True)
    assert entry.approval == ExternalLearning.Approval.PENDING
    for person in (manager, deputy):
        assert Notification.objects.filter(recipient=person, kind="training.external").count() == 1


def test_asking_without_a_manager_is_refused(outsider):
    with pytest.raises(ValidationError) as refused:
        external_log(person=outsider, data=DATA, ask_approval=True)
    assert "ask_approval" in refused.value.message_dict
    assert not ExternalLearning.objects.exists()


def test_approval_and_decline_with_a_reason(agent, manager, deputy):
    entry = external_log(person=agent, data=DATA, ask_approval=True)
    with pytest.raises(ValidationError) as refused:
        external_decide(entry=entry, manager=manager, approve=False, reason=" ")
    assert "reason" in refused.value.message_dict
    external_decide(entry=entry, manager=manager, approve=True)
    entry.refresh_from_db()
    assert entry.approval == ExternalLearning.Approval.APPROVED
    assert entry.decided_by == manager
    # Decided: the managers' "asks your approval" notices no longer ask anything.
    assert not Notification.objects.filter(recipient__in=[manager, deputy], read_at=None).exists()
    assert "approved" in Notification.objects.get(recipient=agent).message
    with pytest.raises(ValidationError):
        external_decide(entry=entry, manager=deputy, approve=False, reason="Too late")

    second = external_log(person=agent, data={**DATA, "title": "Course"}, ask_approval=True)
    external_decide(entry=second, manager=deputy, approve=False, reason="No budget this quarter")
    second.refresh_from_db()
    assert second.approval == ExternalLearning.Approval.DECLINED
    assert second.decline_reason == "No budget this quarter"
    told = Notification.objects.filter(recipient=agent, message__contains="No budget")
    assert told.count() == 1


def test_only_the_persons_managers_decide(agent, manager, outsider):
    other_manager = UserFactory(team=outsider.team, roles=[Role.MANAGER])
    outsider.team.managers.add(other_manager)
    entry = external_log(person=agent, data=DATA, ask_approval=True)
    for person in (agent, outsider, other_manager):
        with pytest.raises(PermissionDenied):
            external_decide(entry=entry, manager=person, approve=True)
    entry.refresh_from_db()
    assert entry.approval == ExternalLearning.Approval.PENDING


def test_changing_what_was_approved_asks_again_takeaways_do_not(agent, manager):
    entry = external_log(person=agent, data=DATA, ask_approval=True)
    external_decide(entry=entry, manager=manager, approve=True)
    external_update(entry=entry, user=agent, data={**DATA, "takeaways": "Macros save time."})
    entry.refresh_from_db()
    assert entry.approval == ExternalLearning.Approval.APPROVED
    external_update(entry=entry, user=agent, data={**DATA, "hours": Decimal("24")})
    entry.refresh_from_db()
    assert entry.approval == ExternalLearning.Approval.PENDING
    assert entry.decided_by is None
    assert Notification.objects.filter(recipient=manager, kind="training.external").count() == 2
    with pytest.raises(PermissionDenied):
        external_update(entry=entry, user=manager, data=DATA)


def test_a_declined_entry_can_ask_again(agent, manager):
    entry = external_log(person=agent, data=DATA, ask_approval=True)
    external_decide(entry=entry, manager=manager, approve=False, reason="Pick the May one")
    external_update(entry=entry, user=agent, data={**DATA, "ask_approval": True})
    entry.refresh_from_db()
    assert entry.approval == ExternalLearning.Approval.PENDING
    assert entry.decline_reason == ""


def test_sharing_takeaways_once_as_a_draft_by_the_person(agent, manager, editor):
    entry = external_log(person=agent, data=DATA)
    with pytest.raises(ValidationError, match="takeaways"):
        external_share(entry=entry, user=agent)
    external_update(entry=entry, user=agent, data={"takeaways": "Macros save time."})
    with pytest.raises(PermissionDenied):
        external_share(entry=entry, user=manager)
    article = external_share(entry=entry, user=agent)
    entry.refresh_from_db()
    assert entry.article == article
    assert article.author == agent
    assert article.type == Article.Type.BEST_PRACTICE
    assert Article.objects.awaiting_review().filter(pk=article.pk).exists()
    assert "Macros save time." in article.latest_revision.body
    with pytest.raises(ValidationError, match="already shared"):
        external_share(entry=entry, user=agent)
    assert Article.objects.count() == 1


def test_a_declined_entry_is_not_shared(agent, manager):
    entry = external_log(person=agent, data={**DATA, "takeaways": "x"}, ask_approval=True)
    external_decide(entry=entry, manager=manager, approve=False, reason="No")
    with pytest.raises(ValidationError, match="declined"):
        external_share(entry=entry, user=agent)


# The pages.


def test_the_form_logs_and_asks(agent_client, manager):
    response = agent_client.post("/training/external/new/", _form(ask_approval="on"))
    entry = ExternalLearning.objects.get()
    assert response.status_code == 302
    assert response.url == entry.get_absolute_url()
    assert entry.approval == ExternalLearning.Approval.PENDING
    assert Notification.objects.filter(recipient=manager).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": "2026-05-03"}, "ends_on"),
        ({"hours": "0"}, "hours"),
        ({"hours": "-1"}, "hours"),
        ({"hours": str(10**9)}, "hours"),
        ({"hours": "1000.5"}, "hours"),
        ({"hours": "NaN"}, "hours"),
        ({"hours": "1e400"}, "hours"),
        ({"hours": ""}, "hours"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Two\nlines"}, "title"),
        ({"kind": "party"}, "kind"),
        ({"starts_on": "2026-02-30"}, "starts_on"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"takeaways": "x" * 5001}, "takeaways"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(agent_client, changes, field):
    response = agent_client.post("/training/external/new/", _form(**changes))
    assert response.status_code == 400
    assert _field_errors(response, field)
    assert not ExternalLearning.objects.exists()


def test_a_nul_character_is_refused_and_nothing_is_saved(agent_client):
    response = agent_client.post("/training/external/new/", _form(title="Expo\x00"))
    assert response.status_code == 400
    assert not ExternalLearning.objects.exists()


def test_asking_without_a_manager_is_an_error_beside_the_checkbox(client, outsider):
    client.force_login(outsider)
    response = client.post("/training/external/new/", _form(ask_approval="on"))
    assert response.status_code == 400
    assert "no manager" in _field_errors(response, "ask_approval")
    assert not ExternalLearning.objects.exists()


def test_editing_keeps_what_was_typed_on_error(agent_client, agent):
    entry = external_log(person=agent, data=DATA)
    url = f"/training/external/{entry.pk}/edit/"
    assert agent_client.get(url).status_code == 200
    response = agent_client.post(url, _form(title="Renamed", hours="0"))
    assert response.status_code == 400
    assert 'value="Renamed"' in response.content.decode()
    entry.refresh_from_db()
    assert entry.title == DATA["title"]
    response = agent_client.post(url, _form(title="Renamed", takeaways="Good talks"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Renamed"


def test_the_decision_page_and_post(client, agent, manager):
    entry = external_log(person=agent, data=DATA, ask_approval=True)
    url = f"/training/external/{entry.pk}/decide/"
    client.force_login(agent)
    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "approve"}).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "decline", "reason": ""})
    assert response.status_code == 400
    assert _field_errors(response, "reason")
    entry.refresh_from_db()
    assert entry.approval == ExternalLearning.Approval.PENDING
    assert client.post(url, {"decision": "approve"}).status_code == 302
    entry.refresh_from_db()
    assert entry.approval == ExternalLearning.Approval.APPROVED
    client.force_login(manager)
    assert client.get(f"/training/external/{entry.pk}/edit/").status_code == 403


def test_the_decision_reads_waiting_for_you_then_you_approved(client, agent, manager):
    entry = external_log(person=agent, data=DATA, ask_approval=True)
    client.force_login(agent)
    page = parse(client.get(entry.get_absolute_url()))
    assert f"Waiting for {manager.name} to approve it." in page.text()
    client.force_login(manager)
    page = parse(client.get(entry.get_absolute_url()))
    assert page.find("div", class_="page-head").find("span", class_="pill").text() == (
        "Waiting for you"
    )
    action = f"/training/external/{entry.pk}/decide/"
    approve, decline = page.find_all("form", action=action)
    assert approve.find("button").text().startswith("Approve")
    assert page.find("details", class_="decision-decline").find("summary").text() == "Decline…"
    assert decline.find("textarea", name="reason")
    html = client.get(entry.get_absolute_url()).content.decode()
    assert html.index('aria-label="Details"') < html.index(f'action="{action}"')
    external_decide(entry=entry, manager=manager, approve=True)
    page = parse(client.get(entry.get_absolute_url()))
    assert "You approved on " in page.text()
    assert not page.find("form", action=action)


def test_nothing_logged_is_a_sentence_not_an_empty_table(agent_client):
    mine = parse(agent_client.get("/training/external/")).find("section", aria_labelledby="mine-h")
    assert not mine.find("table")
    assert "Nothing logged yet." in mine.text()


def test_pending_rows_have_a_review_button_and_hours_read_plainly(client, agent, manager):
    entry = external_log(person=agent, data=DATA, ask_approval=True)
    client.force_login(manager)
    pending = parse(client.get("/training/external/")).find("section", aria_labelledby="pending-h")
    review = pending.find("a", class_="button", href=f"/training/external/{entry.pk}/decide/")
    assert review.text().startswith("Review")
    assert "18.0" not in pending.text()


def test_the_share_button_shares(agent_client, agent):
    entry = external_log(person=agent, data={**DATA, "takeaways": "Macros save time."})
    assert agent_client.get(f"/training/external/{entry.pk}/share/").status_code == 405
    response = agent_client.post(f"/training/external/{entry.pk}/share/")
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.article.author == agent


def test_outsiders_get_404_for_others_entries(client, agent, manager):
    entry = external_log(person=agent, data={**DATA, "takeaways": "x"}, ask_approval=True)
    colleague = UserFactory(team=agent.team, roles=[Role.AGENT])
    stranger_manager = UserFactory(team=TeamFactory(slug="sales"), roles=[Role.MANAGER])
    stranger_manager.team.managers.add(stranger_manager)
    for person in (colleague, stranger_manager):
        client.force_login(person)
        assert client.get(entry.get_absolute_url()).status_code == 404
        for action in ("edit", "decide"):
            assert client.get(f"/training/external/{entry.pk}/{action}/").status_code == 404
        for action in ("edit", "decide", "share"):
            response = client.post(
                f"/training/external/{entry.pk}/{action}/", _form(decision="approve")
            )
            assert response.status_code == 404
        assert entry.title not in client.get("/training/external/").content.decode()
    entry.refresh_from_db()
    assert entry.approval == ExternalLearning.Approval.PENDING
    assert entry.article is None


def test_the_list_shows_mine_and_my_peoples_pending_requests(client, agent, manager):
    external_log(person=agent, data=DATA, ask_approval=True)
    external_log(person=manager, data={**DATA, "title": "Leadership course"})
    client.force_login(manager)
    page = parse(client.get("/training/external/"))
    assert "Support Driven Expo" in page.find("section", aria_labelledby="pending-h").text()
    assert "Leadership course" in page.find("section", aria_labelledby="mine-h").text()


@pytest.mark.parametrize("size", SIZES)
def test_the_list_query_count_is_constant(
    client, team, manager, size, django_assert_max_num_queries
):
    for i in range(size):
        person = UserFactory(team=team, roles=[Role.AGENT])
        external_log(person=person, data={**DATA, "title": f"Course {i}"}, ask_approval=True)
        external_log(person=manager, data={**DATA, "title": f"Mine {i}", "takeaways": "x"})
    client.force_login(manager)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get("/training/external/")
    assert response.status_code == 200
    page = parse(response)
    assert len(page.find("section", aria_labelledby="pending-h").find_all("tr")) == size + 1
    assert len(page.find("section", aria_labelledby="mine-h").find_all("tr")) == size + 1
