"""The article page reuses its "Related articles" choice (the index's more-like-this answer)
for a short time, per article version and per audience: what it shows is still read from the
database with the reader's visibility on every request, an edit that is published brings a
fresh choice, and readers who may open different articles never share one."""

from __future__ import annotations

import pytest

from kb.services import article_approve, article_archive, article_submit, article_update
from searchkit import pipeline
from tests.factories import make_article
from tests.search.pages import related_titles

GIFT = "Check the gift card balance in the wallet tab before a voucher refund."
LABEL = "Print a shipping label from the carrier tab and attach it to the parcel box."


@pytest.fixture
def write(agent, editor):
    def make(title, body, **meta):
        return make_article(author=agent, title=title, summary="", body=body,
                            approved_by=editor, **meta)  # fmt: skip

    return make


def test_an_article_archived_since_the_list_was_chosen_is_not_shown(
    client, agent, editor, write, search_index
):
    base = write("Gift card balance", GIFT)
    sibling = write("Gift card wallet", "The wallet tab lists each gift card and its balance.")
    pipeline.rebuild()
    client.force_login(agent)
    assert related_titles(client.get(base.get_absolute_url())) == ["Gift card wallet"]
    # The index is not told, as when its update is still queued: the database re-check hides it.
    article_archive(article=sibling, editor=editor)
    assert related_titles(client.get(base.get_absolute_url())) == []


def test_a_published_edit_of_the_article_brings_a_fresh_choice(
    client, agent, editor, write, search_index
):
    base = write("Gift card balance", GIFT)
    write("Gift card wallet", "The wallet tab lists each gift card and its balance.")
    write("Shipping label printing", LABEL)
    pipeline.rebuild()
    client.force_login(agent)
    assert related_titles(client.get(base.get_absolute_url()))[0] == "Gift card wallet"
    article_update(
        article=base, editor=agent, meta={},
        content={"title": "Shipping label reprint", "summary": "", "body": LABEL},
    )  # fmt: skip
    article_submit(article=base, user=agent)
    article_approve(article=base, editor=editor)
    pipeline.rebuild()
    assert related_titles(client.get(base.get_absolute_url()))[0] == "Shipping label printing"


def test_a_reader_of_another_team_never_gets_a_teams_choice(
    client, agent, outsider, team, write, search_index
):
    # Five team-only near-copies are the closest matches for the team; the outsider's places
    # go to the public sibling, whoever asked first.
    base = write("Gift card balance", GIFT)
    for n in range(5):
        write(f"Gift card balance copy {n}", GIFT, visibility="teams", teams=[team])
    write("Gift card wallet", "The wallet tab lists each gift card and its balance.")
    pipeline.rebuild()
    client.force_login(agent)
    seen_by_team = related_titles(client.get(base.get_absolute_url()))
    assert len(seen_by_team) == 5
    assert all(title.startswith("Gift card balance copy") for title in seen_by_team)
    client.force_login(outsider)
    assert related_titles(client.get(base.get_absolute_url())) == ["Gift card wallet"]
