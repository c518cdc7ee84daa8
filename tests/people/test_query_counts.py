"""The profile page: its database queries stay the same however many skills and interests a
person lists, so an N+1 (a query per tag) shows up as a failure.

The directory and team pages are pinned in test_profile_views.py."""

from __future__ import annotations

import pytest

from people.models import Role
from tests.factories import UserFactory

SIZES = [2, 12]

# Measured, the same at both sizes (2 and 12) on SQLite and PostgreSQL: session, user, roles
# (3); the person with their team joined, their skills, their interests (3); kb's profile
# section counting their articles (1; its lists are pinned in test_profile_sections.py);
# training's learning section: the completed tracks, and for oneself the hours and the recent
# external learning too (3); mentorship's section: the mentoring profile with its load, and
# the running mentoring roles (2); recognition's section: the latest kudos received with their
# count, the latest praise with its count, the badges (3; their values add one when kudos
# were received), and on one's own profile the allowance (wallet, spent) and the balance
# (received, held) (4); questions' section: the answers given and accepted counted (1).
PROFILE_LIMIT = 20


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("whose", ["other", "own"])
def test_profile_page_query_count_is_constant(
    client, agent, team, size, whose, django_assert_max_num_queries
):
    person = UserFactory(
        team=team,
        roles=[Role.AGENT],
        skills=[f"skill {i}" for i in range(size)],
        interests=[f"interest {i}" for i in range(size)],
    )
    client.force_login(person if whose == "own" else agent)
    with django_assert_max_num_queries(PROFILE_LIMIT):
        response = client.get(f"/people/u/{person.username}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="tag"') == size
    assert body.count('class="tag interest"') == size
    assert ("Edit my profile" in body) == (whose == "own")
