"""What the dashboard's pages skip to be fast keeps them right: a CSV download builds its own
table alone, and the hand-over's successor selects, read once and written in one pass, still
offer every active colleague but the person, with the default chosen."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.handover import KINDS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_csv_download_reads_fewer_queries_than_the_page(manager_client, agent):
    page = _queries(manager_client, "/insights/")
    for slug in ("kudos", "training", "knowledge-risk"):
        assert _queries(manager_client, f"/insights/{slug}.csv") < page


def test_each_successor_select_offers_every_active_colleague_but_the_person(
    manager_client, manager, team
):
    leaver = UserFactory(username="leaver", team=team)
    colleague = UserFactory(username="colleague", team=team)
    gone = UserFactory(username="gone", team=team, is_active=False)

    page = manager_client.get(reverse("dashboard:handover", args=[leaver.username]))

    html = page.content.decode()
    for kind in KINDS:
        select = re.search(rf'<select name="{kind.key}"[^>]*>(.*?)</select>', html, re.S)
        assert select, kind.key
        options = dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[1]))
        assert str(colleague.pk) in options
        assert str(manager.pk) in options
        assert str(leaver.pk) not in options
        assert str(gone.pk) not in options
        assert ("" in options) == kind.may_release
        # The default successor, their manager, is the one chosen.
        chosen = re.findall(r'<option value="([^"]*)" selected>', select[1])
        assert chosen == [str(manager.pk)]
