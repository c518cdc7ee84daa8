"""The rewards pages as people use them: the catalogue (balance, price, stock left, why a
reward cannot be redeemed), redeeming with a note, the approval queue and its decisions with
and without htmx, who gets a 403 or a 404, bad input answered with a 4xx and a message while
nothing changes, and the query counts of both pages at two sizes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from people.models import Role
from recognition.models import Redemption, Reward
from recognition.selectors.accounts import points_balance
from recognition.services.rewards import redemption_approve, redemption_decline, reward_redeem
from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.factories import TeamFactory, UserFactory
from tests.recognition.builders import make_kudos
from tests.search.pages import page_text, parse

pytestmark = pytest.mark.django_db

REWARDS = "/kudos/rewards/"
QUEUE = "/kudos/redemptions/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _reward(name: str = "Extra afternoon off", *, price: int = 100, **fields) -> Reward:
    slug = name.lower().replace(" ", "-")
    return Reward.objects.create(name=name, slug=slug, price=price, **fields)


def _redeem_url(reward) -> str:
    return f"{REWARDS}{reward.slug}/redeem/"


def _decide_url(redemption) -> str:
    return f"{QUEUE}{redemption.pk}/decide/"


@pytest.fixture
def admin(other_team):
    return UserFactory(username="admin", team=other_team, is_superuser=True, is_staff=True)


@pytest.fixture
def giver(team):
    return UserFactory(username="giver", team=team, roles=[Role.AGENT])


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def _card(response, reward):
    return parse(response).find("li", id=reward.slug)


def _messages(response) -> list[str]:
    found = parse(response).find("ul", class_="messages")
    return [li.text() for li in found.find_all("li")] if found else []


# --- The catalogue --------------------------------------------------------------------------


def test_the_catalogue_shows_my_balance_prices_stock_and_what_i_miss(agent_client, agent, giver):
    make_kudos(giver, agent, points=120)
    afternoon = _reward(price=100, stock=3)
    lunch = _reward("Lunch with a director", price=160, approver=Reward.Approver.MANAGER)
    gift = _reward("Gift card", price=20, stock=1)
    _reward("Old mug", price=5, is_active=False)
    other = UserFactory()
    make_kudos(giver, other, points=20)
    reward_redeem(person=other, reward=gift)

    response = agent_client.get(REWARDS)

    assert response.status_code == 200
    page = parse(response)
    assert page.find("p", class_="reward-balance").text() == "120 points"
    assert [h.text() for h in page.find_all("h2", class_="small-heading")][:3] == [
        "Gift card", "Extra afternoon off", "Lunch with a director",
    ]  # fmt: skip
    assert "Old mug" not in page_text(response)

    afternoon_card = _card(response, afternoon)
    assert "100 points" in afternoon_card.text()
    assert "3 left" in afternoon_card.text()
    assert afternoon_card.find("form", action=_redeem_url(afternoon)) is not None

    lunch_card = _card(response, lunch)
    button = lunch_card.find("button", disabled="")
    assert button is not None
    assert lunch_card.find(id=button.attrs["aria-describedby"]).text() == "You need 40 more points."
    assert "your manager or an admin" in lunch_card.text()
    assert lunch_card.find("form") is None

    gift_card = _card(response, gift)
    assert "Sold out" in gift_card.text()
    assert gift_card.find("button", disabled="") is not None
    assert gift_card.find(id=f"{gift.slug}-why").text() == "Sold out: every one is taken."


def test_the_catalogue_summarises_my_redemptions_and_links_to_my_recognition(
    agent_client, agent, giver, admin
):
    make_kudos(giver, agent, points=300)
    reward = _reward(price=50)
    reward_redeem(person=agent, reward=reward)
    redemption_approve(redemption=reward_redeem(person=agent, reward=reward), user=admin)
    redemption_decline(
        redemption=reward_redeem(person=agent, reward=reward), user=admin, reason="No budget."
    )

    response = agent_client.get(REWARDS)

    mine = parse(response).find("section", aria_labelledby="mine-h")
    assert [li.text() for li in mine.find_all("li")] == [
        "1 waiting for approval", "1 approved", "1 declined, points returned",
    ]  # fmt: skip
    assert mine.find("a", href="/kudos/me/") is not None
    assert parse(response).find("p", class_="reward-balance").text() == "200 points"


def test_an_empty_catalogue_says_so(agent_client):
    response = agent_client.get(REWARDS)

    assert response.status_code == 200
    assert "No rewards are offered yet." in page_text(response)


def test_the_link_to_the_queue_shows_for_those_who_decide(client, agent, manager):
    client.force_login(agent)
    assert parse(client.get(REWARDS)).find("a", href=QUEUE) is None
    client.force_login(manager)
    assert parse(client.get(REWARDS)).find("a", href=QUEUE) is not None


# --- Redeeming ------------------------------------------------------------------------------


def test_redeeming_with_a_note_spends_the_points_and_says_who_decides(agent_client, agent, giver):
    make_kudos(giver, agent, points=120)
    reward = _reward(price=100, approver=Reward.Approver.MANAGER)

    response = agent_client.post(_redeem_url(reward), {"note": "A Friday, please"}, follow=True)

    assert response.redirect_chain == [(REWARDS, 302)]
    redemption = Redemption.objects.get()
    assert (redemption.person, redemption.reward, redemption.points) == (agent, reward, 100)
    assert redemption.note == "A Friday, please"
    assert _messages(response) == [
        "You redeemed “Extra afternoon off” for 100 points. Your manager or an admin will "
        "approve or decline it; you are told either way."
    ]
    assert parse(response).find("p", class_="reward-balance").text() == "20 points"


def test_an_unknown_reward_is_a_404(agent_client, agent, giver):
    make_kudos(giver, agent, points=120)

    assert agent_client.post(f"{REWARDS}no-such-reward/redeem/").status_code == 404
    assert not Redemption.objects.exists()


def test_redeeming_is_a_post(agent_client, agent, giver):
    make_kudos(giver, agent, points=120)

    assert agent_client.get(_redeem_url(_reward(price=10))).status_code == 405
    assert not Redemption.objects.exists()


def test_a_reward_no_longer_offered_is_refused_with_a_message(agent_client, agent, giver):
    make_kudos(giver, agent, points=120)
    reward = _reward(price=10, is_active=False)

    response = agent_client.post(_redeem_url(reward), {"note": ""})

    assert response.status_code == 400
    assert _messages(response) == ["“Extra afternoon off” is not offered any more."]
    assert not Redemption.objects.exists()


def test_a_short_balance_is_refused_on_the_reward_s_card(agent_client, agent, giver):
    make_kudos(giver, agent, points=60)
    reward = _reward(price=100)

    response = agent_client.post(_redeem_url(reward), {"note": ""})

    assert response.status_code == 400
    alert = _card(response, reward).find(role="alert")
    assert alert.text() == (
        "“Extra afternoon off” costs 100 points and your balance is 60: you need 40 more."
    )
    assert not Redemption.objects.exists()


def test_a_sold_out_reward_is_refused(agent_client, agent, giver):
    make_kudos(giver, agent, points=60)
    reward = _reward(price=10, stock=1)
    other = UserFactory()
    make_kudos(giver, other, points=60)
    reward_redeem(person=other, reward=reward)

    response = agent_client.post(_redeem_url(reward), {"note": ""})

    assert response.status_code == 400
    assert "is sold out: all 1 are taken." in _card(response, reward).find(role="alert").text()
    assert Redemption.objects.get().person == other


@pytest.mark.parametrize(
    ("note", "said"),
    [
        ("x" * 301, "Ensure this value has at most 300 characters (it has 301)."),
        ("Friday\r\nor Monday", "Use a single line without control characters"),
    ],
    ids=["too-long", "line-break"],
)
def test_a_bad_note_is_a_form_error_and_nothing_is_saved(agent_client, agent, giver, note, said):
    make_kudos(giver, agent, points=120)
    reward = _reward(price=10)

    response = agent_client.post(_redeem_url(reward), {"note": note})

    assert response.status_code == 400
    card = _card(response, reward)
    assert card.find("details").attrs.get("open") is not None
    assert said in card.find("ul", class_="errorlist").text()
    assert not Redemption.objects.exists()
    assert points_balance(agent) == 120


def test_a_nul_byte_in_the_note_is_a_400_with_a_message(agent_client, agent, giver):
    make_kudos(giver, agent, points=120)

    response = agent_client.post(_redeem_url(_reward(price=10)), {"note": "Friday\x00"})

    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert not Redemption.objects.exists()


# --- The approval queue ---------------------------------------------------------------------


@pytest.fixture
def redemptions(agent, outsider, giver):
    """An admin-approved and a manager-approved redemption by the agent (the manager's team),
    and a manager-approved one by an outsider (another team)."""
    make_kudos(giver, [agent, outsider], points=500)
    by_admin = _reward("Training budget", price=50)
    by_manager = _reward("Lunch with a director", price=50, approver=Reward.Approver.MANAGER)
    return {
        "agent-admin": reward_redeem(person=agent, reward=by_admin),
        "agent-manager": reward_redeem(person=agent, reward=by_manager, note="Any Tuesday"),
        "outsider-manager": reward_redeem(person=outsider, reward=by_manager),
    }


def _queued(response) -> list[str]:
    queue = parse(response).find("ul", class_="redemption-queue")
    return [li.attrs["id"] for li in queue.find_all("li", class_="redemption-row")] if queue else []


def test_agents_who_decide_nothing_get_a_403(agent_client, redemptions):
    response = agent_client.get(QUEUE)

    assert response.status_code == 403
    assert "Only managers and admins decide on redemptions." in response.content.decode()


def test_a_manager_s_queue_has_their_team_s_manager_approved_redemptions(
    manager_client, redemptions
):
    response = manager_client.get(QUEUE)

    assert response.status_code == 200
    assert _queued(response) == [f"redemption-{redemptions['agent-manager'].pk}"]
    row = parse(response).find("li", class_="redemption-row")
    assert "Any Tuesday" in row.text()
    reason = row.find("textarea")
    assert row.find("label").attrs["for"] == reason.attrs["id"]


def test_an_admin_s_queue_has_every_pending_redemption_oldest_first(admin_client, redemptions):
    response = admin_client.get(QUEUE)

    assert _queued(response) == [f"redemption-{r.pk}" for r in redemptions.values()]
    assert "Waiting for you (3, 150 points)" in page_text(response)


def test_the_queue_lists_recent_decisions(admin_client, admin, redemptions):
    redemption_decline(
        redemption=redemptions["agent-admin"], user=admin, reason="Budget spent this year."
    )

    response = admin_client.get(QUEUE)

    recent = parse(response).find("section", class_="redemption-recent").find("tbody")
    (row,) = recent.find_all("tr")
    assert "Training budget" in row.text()
    assert "Declined" in row.text()
    assert "Budget spent this year." in row.text()
    assert len(_queued(response)) == 2


# --- Deciding -------------------------------------------------------------------------------


def test_approving_takes_the_redemption_out_of_the_queue(manager_client, manager, redemptions):
    redemption = redemptions["agent-manager"]

    response = manager_client.post(_decide_url(redemption), {"decision": "approve"}, follow=True)

    assert response.redirect_chain == [(QUEUE, 302)]
    assert _messages(response) == [
        f"Approved: “Lunch with a director” for {redemption.person.name}."
    ]
    redemption.refresh_from_db()
    assert (redemption.status, redemption.decided_by) == (Redemption.Status.APPROVED, manager)
    assert _queued(response) == []


def test_declining_with_htmx_answers_with_the_row_and_returns_the_points(
    admin_client, agent, redemptions
):
    redemption = redemptions["agent-admin"]
    before = points_balance(agent)

    response = admin_client.post(
        _decide_url(redemption), {"decision": "decline", "reason": "Not this quarter."}, **HTMX
    )

    assert response.status_code == 200
    page = parse(response)
    row = page.find("li", id=f"redemption-{redemption.pk}")
    assert "Declined, points returned" in row.text()
    assert "Not this quarter." in row.text()
    assert page.find(id="decision-status").attrs["hx-swap-oob"] == "true"
    assert "their 50 points are back" in page.find(id="decision-status").text()
    assert points_balance(agent) == before + 50


def test_declining_without_a_reason_is_a_form_error(admin_client, agent, redemptions):
    redemption = redemptions["agent-admin"]

    response = admin_client.post(_decide_url(redemption), {"decision": "decline", "reason": " "})

    assert response.status_code == 400
    row = parse(response).find("li", id=f"redemption-{redemption.pk}")
    assert row.find("details").attrs.get("open") is not None
    assert row.find("ul", class_="errorlist").text() == "Write why you decline it."
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.PENDING


def test_declining_without_a_reason_with_htmx_answers_400_with_the_row(admin_client, redemptions):
    redemption = redemptions["agent-admin"]

    response = admin_client.post(_decide_url(redemption), {"decision": "decline"}, **HTMX)

    assert response.status_code == 400
    row = parse(response).find("li", id=f"redemption-{redemption.pk}")
    assert "Write why you decline it." in row.find("ul", class_="errorlist").text()
    assert row.find("form") is not None


def test_declining_twice_is_refused_the_second_time(admin_client, agent, redemptions):
    redemption = redemptions["agent-admin"]
    data = {"decision": "decline", "reason": "No."}
    admin_client.post(_decide_url(redemption), data, follow=True)
    balance = points_balance(agent)

    response = admin_client.post(_decide_url(redemption), data)

    assert response.status_code == 400
    assert _messages(response) == [
        "This redemption was already decided (declined, points returned)."
    ]
    assert points_balance(agent) == balance


@pytest.mark.parametrize("decision", ["", "maybe", "approve" * 1000])
def test_an_unknown_decision_is_refused(admin_client, redemptions, decision):
    redemption = redemptions["agent-admin"]

    response = admin_client.post(_decide_url(redemption), {"decision": decision})

    assert response.status_code == 400
    assert "Choose to approve or to decline." in page_text(response)
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.PENDING


def test_an_unknown_redemption_is_a_404(admin_client, redemptions):
    assert admin_client.post(f"{QUEUE}999999/decide/", {"decision": "approve"}).status_code == 404
    assert admin_client.post(f"{QUEUE}{10**30}/decide/", {"decision": "approve"}).status_code == 404


def test_an_agent_gets_a_403_on_their_own_and_a_404_on_others(client, agent, outsider, redemptions):
    client.force_login(agent)
    own = redemptions["agent-admin"]
    others = redemptions["outsider-manager"]

    assert client.post(_decide_url(own), {"decision": "approve"}).status_code == 403
    assert client.post(_decide_url(others), {"decision": "approve"}).status_code == 404
    assert not Redemption.objects.exclude(status=Redemption.Status.PENDING).exists()


def test_a_manager_cannot_decide_admin_rewards_or_other_teams(manager_client, redemptions):
    for name in ("agent-admin", "outsider-manager"):
        response = manager_client.post(_decide_url(redemptions[name]), {"decision": "approve"})
        assert response.status_code == 404
    assert not Redemption.objects.exclude(status=Redemption.Status.PENDING).exists()


def test_nobody_decides_their_own_on_the_page(client, admin, giver):
    make_kudos(giver, admin, points=100)
    own = reward_redeem(person=admin, reward=_reward(price=10))
    client.force_login(admin)

    assert client.post(_decide_url(own), {"decision": "approve"}).status_code == 403
    assert _queued(client.get(QUEUE)) == []
    own.refresh_from_db()
    assert own.status == Redemption.Status.PENDING


def test_deciding_is_a_post(admin_client, redemptions):
    assert admin_client.get(_decide_url(redemptions["agent-admin"])).status_code == 405


# --- Query counts ---------------------------------------------------------------------------

# Session, user, the viewer's roles (the tabs), the balance (received, held), the rewards
# with their stock taken, the viewer's redemptions counted by state.
CATALOGUE_QUERIES = 7
# Session, user (an admin's roles need no query), the queue, the recent decisions.
QUEUE_QUERIES = 4


@pytest.mark.parametrize("size", [3, 30])
def test_the_catalogue_query_count_is_constant(
    agent_client, agent, giver, size, django_assert_max_num_queries
):
    make_kudos(giver, agent, points=1000)
    for n in range(size):
        reward = _reward(f"Reward {n}", price=10 + n, stock=5 if n % 2 else None)
        reward_redeem(person=agent, reward=reward)

    with django_assert_max_num_queries(CATALOGUE_QUERIES):
        response = agent_client.get(REWARDS)

    assert response.status_code == 200
    assert len(parse(response).find_all("li", class_="reward-card")) == size


@pytest.mark.parametrize("size", [3, 30])
def test_the_queue_query_count_is_constant(
    admin_client, admin, giver, size, django_assert_max_num_queries
):
    reward = _reward(price=10)
    for n in range(size):
        person = UserFactory(team=TeamFactory(slug=f"queue-{n}"))
        make_kudos(giver, person, points=30)
        reward_redeem(person=person, reward=reward)
        decided = reward_redeem(person=person, reward=reward)
        redemption_decline(redemption=decided, user=admin, reason="Only one each.")

    with django_assert_max_num_queries(QUEUE_QUERIES):
        response = admin_client.get(QUEUE)

    assert response.status_code == 200
    assert len(_queued(response)) == size
    recent = parse(response).find("section", class_="redemption-recent").find("tbody")
    assert len(recent.find_all("tr")) == min(size, 20)


# --- In a browser ---------------------------------------------------------------------------


@pytest.mark.browser
@requires_chromium
def test_in_a_browser_an_agent_redeems_and_an_admin_declines_without_a_reload(
    new_page, agent, giver, admin
):
    make_kudos(giver, agent, points=120)
    reward = _reward(price=100, stock=2)
    _reward("Lunch with a director", price=500)
    page = new_page()
    log_in(page, "agent")
    page.goto(REWARDS)
    violations, report = serious_a11y_violations(page)
    assert not violations, report

    page.get_by_text("Redeem…").first.click()
    page.get_by_label("A note for the approver (optional)").fill("A Friday, please")
    page.get_by_role("button", name="Redeem for 100 points").click()
    expect(page.locator(".messages")).to_contain_text("You redeemed “Extra afternoon off”")
    expect(page.locator(".reward-balance")).to_have_text("20 points")
    expect(page.locator(f"#{reward.slug}")).to_contain_text("1 left")
    redemption = Redemption.objects.get()

    approver = new_page()
    log_in(approver, "admin")
    approver.goto(QUEUE)
    violations, report = serious_a11y_violations(approver)
    assert not violations, report
    row = approver.locator(f"#redemption-{redemption.pk}")
    row.get_by_text("Decline…").click()
    row.get_by_role("button", name=f"Decline and return the points to {agent.name}").click()
    expect(row.locator(".errorlist")).to_have_text("Write why you decline it.")
    row.get_by_label("Why decline?").fill("The team is short that Friday.")
    row.get_by_role("button", name=f"Decline and return the points to {agent.name}").click()
    expect(row).to_contain_text("Declined, points returned")
    expect(approver.locator("#decision-status")).to_contain_text("their 100 points are back")
    assert not approver.errors, approver.errors
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.DECLINED
    assert points_balance(agent) == 120
