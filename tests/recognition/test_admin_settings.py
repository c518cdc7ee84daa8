"""Recognition's settings in the admin: values (with their criteria), badges' words, awards,
the reward catalogue and people's wallets (the one place a monthly allowance differs from the
default) are added and edited here, bad input is a form error that changes nothing; praise is
corrected here; people are chosen by autocomplete."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recognition.models import Award, Badge, Praise, Reward, Value, Wallet
from tests.factories import UserFactory
from tests.recognition.builders import make_praise

SETTINGS = [Value, Award, Reward, Wallet]


def url(model, action: str = "changelist", *args) -> str:
    return reverse(f"admin:recognition_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def wallet(agent):
    return Wallet.objects.create(user=agent, monthly_allowance=150)


@pytest.mark.parametrize("model", SETTINGS, ids=lambda m: m.__name__)
def test_settings_can_be_added_here(admin_client, model):
    assert admin_client.get(url(model, "add")).status_code == 200


def test_users_are_chosen_by_autocomplete(admin_client, agent):
    page = admin_client.get(url(Wallet, "add")).content.decode()
    assert 'class="admin-autocomplete"' in page
    found = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "recognition", "model_name": "wallet", "field_name": "user",
         "term": "agen"},
    ).json()  # fmt: skip
    assert [row["id"] for row in found["results"]] == [str(agent.pk)]


def test_a_wallets_monthly_allowance_is_edited_here(admin_client, wallet):
    response = admin_client.post(url(Wallet, "change", wallet.pk), {"monthly_allowance": "250"})
    assert response.status_code == 302
    assert Wallet.objects.get(pk=wallet.pk).allowance == 250
    admin_client.post(url(Wallet, "change", wallet.pk), {"monthly_allowance": ""})
    assert Wallet.objects.get(pk=wallet.pk).allowance == 100  # the organisation's default


@pytest.mark.parametrize("allowance", ["-1", "100001", "99999999999999999999", "ten", "1\x00"])
def test_a_bad_allowance_is_a_form_error_and_changes_nothing(admin_client, wallet, allowance):
    response = admin_client.post(url(Wallet, "change", wallet.pk), {"monthly_allowance": allowance})
    if "\x00" in allowance:  # refused before any view reads it
        assert response.status_code == 400
    else:
        assert response.status_code == 200
        assert response.context["errors"]
    assert Wallet.objects.get(pk=wallet.pk).monthly_allowance == 150


def test_a_second_wallet_for_one_person_is_a_form_error(admin_client, wallet):
    response = admin_client.post(url(Wallet, "add"), {"user": wallet.user_id,
                                                     "monthly_allowance": "10"})  # fmt: skip
    assert response.status_code == 200
    assert response.context["errors"]
    assert Wallet.objects.filter(user=wallet.user).count() == 1


def test_a_value_is_added_with_its_criteria(admin_client):
    response = admin_client.post(
        url(Value, "add"),
        {"name": "Calm under fire", "slug": "calm-under-fire", "emoji": "🧯",
         "description": "Kept a customer calm in a crisis.",
         "qualifies": "An outage, an angry caller, a deadline: steady, kind and clear.",
         "order": "9", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Value.objects.get(slug="calm-under-fire").is_active


@pytest.mark.parametrize(
    "change", [{"slug": "not a slug"}, {"name": "x" * 500}, {"name": "Two\nlines"}, {"name": ""}]
)
def test_bad_value_input_is_a_form_error(admin_client, change):
    data = {"name": "Calm", "slug": "calm", "emoji": "🧯", "description": "Calm.",
            "qualifies": "Calm.", "order": "1", **change}  # fmt: skip
    response = admin_client.post(url(Value, "add"), data)
    assert response.status_code == 200
    assert response.context["errors"]
    assert not Value.objects.filter(slug="calm").exists()


def test_a_badges_rule_is_not_edited_here(admin_client):
    badge = Badge.objects.get(rule="first-kudos")
    response = admin_client.post(
        url(Badge, "change", badge.pk),
        {"rule": "kudos-50", "name": "Welcome", "emoji": "🌱", "description": "First one.",
         "how_to_earn": "Receive one kudos.", "order": "0", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    badge.refresh_from_db()
    assert (badge.rule, badge.name) == ("first-kudos", "Welcome")


def test_a_praises_agents_are_corrected_here(admin_client, agent, mentor, manager):
    praise = make_praise(mentor, recorded_by=manager, csat=5)
    response = admin_client.post(
        url(Praise, "change", praise.pk),
        {"quote": praise.quote, "customer": "", "channel": "chat",
         "received_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
         "agents": [agent.pk], "ticket_ref": "", "csat": "4"},
    )  # fmt: skip
    assert response.status_code == 302
    praise.refresh_from_db()
    assert list(praise.agents.all()) == [agent]
    assert (praise.channel, praise.csat) == ("chat", 4)
