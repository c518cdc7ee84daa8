"""The question list reads every row's tags in one query and builds its links from one
reversed prefix: the rows still link to their question and to each tag (keeping the tab),
and a question's tags are its own."""

from __future__ import annotations

from tests.questions.builders import make_question
from tests.search.pages import parse


def test_each_row_links_to_its_question_and_its_own_tags(client, agent):
    first = make_question(author=agent, title="How do I refund a gift card?", tags=["refunds"])
    second = make_question(
        author=agent, title="Where is the chargeback form?", tags=["chargebacks", "forms"]
    )
    untagged = make_question(author=agent, title="Who approves a goodwill credit?", tags=[])
    client.force_login(agent)
    page = parse(client.get("/questions/?tab=newest"))
    rows = {row.attrs["id"]: row for row in page.find_all("li", class_="question-row")}
    for question, tags in ((first, ["refunds"]), (second, ["chargebacks", "forms"])):
        row = rows[f"question-{question.pk}"]
        assert row.find("a", class_="question-title").attrs["href"] == f"/questions/{question.pk}/"
        links = [(a.text(), a.attrs["href"]) for a in row.find_all("a", class_="tag")]
        assert links == [(f"#{t}", f"/questions/?tab=newest&tag={t}") for t in tags]
    assert rows[f"question-{untagged.pk}"].find("a", class_="tag") is None
