"""The give page as people use it: the form prefilled from a link, giving with the picker's
chips or typed usernames, where it goes afterwards, every refusal beside its field (400) with
nothing saved, the rate limit (429), and the page's query count at two sizes. The lookup the
picker asks is test_people_lookup.py; the service itself test_kudos_give.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from kb.models import Article
from mentorship.models import Pairing
from notifications.models import Notification
from recognition.forms.kudos import KudosForm, article_slug
from recognition.models import Kudos, KudosRecipient
from recognition.rendering import render_message
from recognition.selectors.accounts import allowance_for
from tests.factories import UserFactory, make_article
from tests.mentorship.builders import make_pairing, make_program
from tests.recognition.builders import make_kudos
from tests.search.pages import parse
from tests.training.builders import make_session
from training.models import Session

pytestmark = pytest.mark.django_db

URL = "/kudos/give/"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _form(**changes) -> dict:
    data = {
        "recipients": "mentor",
        "message": "Thanks for talking that customer through the refund.",
        "values": ["team-player"],
        "points": "10",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _rows() -> tuple[int, int]:
    return Kudos.objects.count(), KudosRecipient.objects.count()


def _field_errors(response, name: str) -> str:
    """The errors shown beside field `name` (its `id_<name>_error` list)."""
    errors = parse(response).find(id=f"id_{name}_error")
    assert errors is not None, f"no error beside {name}"
    return errors.text()


def _top_errors(response) -> str:
    alert = parse(response).find("div", role="alert")
    assert alert is not None, "no error at the top of the form"
    return alert.text()


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the page --------------------------------------------------------------------------------


def test_the_page_shows_the_form_with_the_values_and_what_is_left(agent_client, agent, mentor):
    make_kudos(agent, mentor, points=30)
    response = agent_client.get(URL)

    assert response.status_code == 200
    page = parse(response)
    form = page.find("form", class_="give-form")
    assert form.attrs["action"] == URL
    assert form.attrs["data-points-left"] == "70"
    names = [label.text() for label in form.find_all("li", class_="value-choice")]
    assert any("Went the extra mile" in name for name in names)
    assert len(names) == 6
    resets = allowance_for(agent).resets_on
    help_text = page.find(id="id_points_helptext").text()
    assert f"You have 70 of 100 points left this month, resets on 1 {resets:%B}." in help_text
    assert page.find("input", id="id_points").attrs["value"] == "10"
    # Each value shows what qualifies as a hint tied to its checkbox.
    box = page.find("input", id="id_values_0")
    hint = page.find(id=box.attrs["aria-describedby"])
    assert "Followed up unasked" in hint.text()
    assert page.find("script", src="/static/js/recognition-give.js") is not None


def test_a_link_prefills_recipients_but_never_the_viewer(agent_client, mentor, manager):
    response = agent_client.get(f"{URL}?to=mentor,agent,@manager")

    page = parse(response)
    assert page.find("input", id="id_recipients").attrs["value"] == "mentor, manager"
    chips = page.find("ul", data_chosen="").find_all("li")
    assert [(c.attrs["data-username"], c.attrs["data-name"]) for c in chips] == [
        ("mentor", mentor.name),
        ("manager", manager.name),
    ]


def test_a_link_prefills_an_article_with_its_title(agent_client, mentor, editor):
    article = make_article(author=mentor, title="Refunds for annual plans", approved_by=editor)
    page = parse(agent_client.get(f"{URL}?article={article.slug}"))
    assert page.find("input", id="id_article").attrs["value"] == article.slug
    assert "For Refunds for annual plans" in page.find("p", class_="give-article").text()
    assert "open" in page.find("details", class_="give-target").attrs


def test_a_prefilled_article_the_viewer_may_not_open_shows_no_title(
    client, outsider, mentor, editor, team
):
    hidden = make_article(
        author=mentor, title="Billing escalation contacts", approved_by=editor,
        visibility=Article.Visibility.TEAMS, teams=[team],
    )  # fmt: skip
    client.force_login(outsider)
    response = client.get(f"{URL}?article={hidden.slug}")
    assert response.status_code == 200
    assert "Billing escalation contacts" not in response.content.decode()


def test_a_link_prefills_a_session_and_a_pairing(agent_client, agent, mentor):
    session = make_session(organiser=mentor, title="Chargebacks deep dive", days=-2)
    old = make_session(organiser=mentor, title="Ancient history", slug="old", days=-200)
    pairing = make_pairing(program=make_program(), mentor=mentor, mentee=agent)

    page = parse(agent_client.get(f"{URL}?session={session.pk}&pairing={pairing.pk}"))
    sessions = page.find("select", id="id_session")
    chosen = sessions.find("option", selected="")
    assert chosen.attrs["value"] == str(session.pk)
    assert "Chargebacks deep dive" in chosen.text()
    # Sessions long past are not offered (unless prefilled from their page).
    assert "Ancient history" not in sessions.text()
    picked = page.find("select", id="id_pairing").find("option", selected="")
    assert picked.attrs["value"] == str(pairing.pk)
    assert f"Mentored by {mentor.name}" in picked.text()

    page = parse(agent_client.get(f"{URL}?session={old.pk}"))
    assert (
        "Ancient history" in page.find("select", id="id_session").find("option", selected="").text()
    )


def test_the_include_the_wall_uses_posts_here(agent):
    request = RequestFactory().get("/kudos/")
    request.user = agent
    html = render_to_string(
        "recognition/includes/give_form.html",
        {"form": KudosForm(giver=agent), "allowance": allowance_for(agent)},
        request=request,
    )
    form = parse(html).find("form")
    assert (form.attrs["action"], form.attrs["method"]) == (URL, "post")
    assert form.find("input", name="next") is None
    assert form.find("input", type="hidden", name="csrfmiddlewaretoken") is not None


# --- giving --------------------------------------------------------------------------------


def test_giving_saves_the_kudos_and_goes_to_the_wall_with_a_message(
    agent_client, agent, mentor, manager
):
    response = agent_client.post(URL, _form(recipients="mentor, manager"))

    assert response.status_code == 302
    assert response["Location"] == "/kudos/"
    kudos = Kudos.objects.get()
    assert kudos.giver == agent
    assert set(kudos.recipients.all()) == {mentor, manager}
    assert _messages(response) == [f"Kudos sent to {mentor.name} and {manager.name}."]
    assert Notification.objects.filter(kind="recognition.kudos").count() == 2


def test_the_picker_s_chips_and_typed_usernames_are_both_read(agent_client, mentor, manager):
    edith = UserFactory(username="Edith")
    response = agent_client.post(URL, _form(recipients=["mentor", "manager", "@edith mentor"]))
    assert response.status_code == 302
    assert set(Kudos.objects.get().recipients.all()) == {mentor, manager, edith}


def test_giving_for_an_article_by_its_link(agent_client, mentor, editor):
    article = make_article(author=mentor, approved_by=editor)
    link = f"https://huddle.example.com{article.get_absolute_url()}#steps"
    response = agent_client.post(URL, _form(article=link))
    assert response.status_code == 302
    assert Kudos.objects.get().article == article


def test_giving_for_a_customer_interaction(agent_client, mentor):
    response = agent_client.post(
        URL, _form(ticket_ref="T-2231", customer_quote="She fixed it in one call!")
    )
    assert response.status_code == 302
    kudos = Kudos.objects.get()
    assert (kudos.ticket_ref, kudos.customer_quote) == ("T-2231", "She fixed it in one call!")


def test_a_local_next_is_where_it_goes_afterwards(agent_client, mentor, editor):
    article = make_article(author=mentor, approved_by=editor)
    response = agent_client.post(URL, _form(next=article.get_absolute_url()))
    assert response["Location"] == article.get_absolute_url()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "http:///x"]
)
def test_a_next_off_the_site_is_ignored(agent_client, mentor, target):
    response = agent_client.post(URL, _form(next=target))
    assert response["Location"] == "/kudos/"


def test_the_page_carries_a_local_next_into_the_form(agent_client):
    page = parse(agent_client.get(URL, {"next": "/kb/a/refunds/"}))
    assert page.find("input", type="hidden", name="next").attrs["value"] == "/kb/a/refunds/"
    page = parse(agent_client.get(URL, {"next": "https://evil.example/"}))
    assert page.find("input", type="hidden", name="next") is None


def test_a_refused_form_keeps_next(agent_client, mentor):
    response = agent_client.post(URL, _form(message="", next="/kb/"))
    assert response.status_code == 400
    assert parse(response).find("input", type="hidden", name="next").attrs["value"] == "/kb/"


# --- refusals ------------------------------------------------------------------------------


def test_self_kudos_is_refused_beside_the_recipients(agent_client, mentor):
    before = _rows()
    response = agent_client.post(URL, _form(recipients="mentor, agent"))
    assert response.status_code == 400
    assert _field_errors(response, "recipients") == "You cannot give kudos to yourself."
    assert _rows() == before


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"message": ""}, "message", "Write a message."),
        ({"message": "   "}, "message", "Write a message."),
        ({"message": "x" * 1001}, "message", "Keep the message to 1000 characters (1001 now)."),
        ({"recipients": ""}, "recipients", "Choose at least one colleague."),
        ({"recipients": None}, "recipients", "Choose at least one colleague."),
        (
            {"recipients": "nobody-here"},
            "recipients",
            "No colleague has the username “nobody-here”",
        ),
        ({"recipients": "u" * 151}, "recipients", "No colleague has a username that long."),
        ({"recipients": "u" * 100_000}, "recipients", "No colleague has a username that long."),
        ({"recipients": ",".join(f"p{i}" for i in range(21))}, "recipients", "at most 20"),
        ({"values": None}, "values", "Choose at least one value."),
        ({"values": ["no-such-value"]}, "values", "“no-such-value” is not one of the values"),
        ({"points": "-5"}, "points", "Points cannot be negative."),
        ({"points": "101"}, "points", "you have 100 left this month"),
        ({"points": "1001"}, "points", "Give at most 1,000 points to each colleague."),
        ({"points": "9" * 40}, "points", "Give at most 1,000 points"),
        ({"points": "9" * 5000}, "points", "Write the points as a whole number."),
        ({"points": "ten"}, "points", "Write the points as a whole number."),
        ({"points": "2.5"}, "points", "Write the points as a whole number."),
        ({"points": ""}, "points", "Say how many points each colleague gets"),
        ({"article": "no-such-article"}, "article", "Choose a published article you can open."),
        ({"article": "https://x.example/kb/a/../../etc"}, "article", "Choose a published"),
        ({"article": "a" * 600}, "article", "Choose a published article you can open."),
        ({"session": "99999999999999999999"}, "session", "Choose a session you can see."),
        ({"session": "abc"}, "session", "Choose a session you can see."),
        ({"pairing": "-1"}, "pairing", "Choose a mentorship you are part of."),
        ({"ticket_ref": "T" * 51}, "ticket_ref", "at most 50 characters"),
        ({"ticket_ref": "T-1\nT-2"}, "ticket_ref", "single line"),
        ({"customer_quote": "Lovely"}, "ticket_ref", "Name the ticket"),
        ({"customer_quote": "q" * 1001, "ticket_ref": "T-1"}, "customer_quote", "1000 char"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_saves_nothing(
    agent_client, mentor, changes, field, words
):
    before = _rows()
    response = agent_client.post(URL, _form(**changes))
    assert response.status_code == 400
    assert words in _field_errors(response, field)
    assert _rows() == before


def test_an_inactive_recipient_is_refused(agent_client, mentor):
    UserFactory(username="gone", display_name="Gone Person", is_active=False)
    before = _rows()
    response = agent_client.post(URL, _form(recipients="mentor, gone"))
    assert response.status_code == 400
    assert "Gone Person can no longer sign in" in _field_errors(response, "recipients")
    assert _rows() == before


def test_two_pieces_of_work_are_refused_at_the_top(agent_client, mentor, editor):
    article = make_article(author=mentor, approved_by=editor)
    response = agent_client.post(URL, _form(article=article.slug, ticket_ref="T-1"))
    assert response.status_code == 400
    assert "one piece of work" in _top_errors(response)
    assert _rows() == (0, 0)


@pytest.mark.parametrize("field", ["message", "recipients", "ticket_ref", "article"])
def test_a_nul_character_is_a_400_with_a_message(agent_client, mentor, field):
    response = agent_client.post(URL, _form(**{field: "Thanks\x00"}))
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert _rows() == (0, 0)


def test_a_restricted_article_by_link_gets_the_same_words_as_a_missing_one(
    client, outsider, mentor, editor, team
):
    hidden = make_article(
        author=mentor, title="Billing escalation contacts", approved_by=editor,
        visibility=Article.Visibility.TEAMS, teams=[team],
    )  # fmt: skip
    client.force_login(outsider)
    refused = client.post(URL, _form(article=f"http://testserver{hidden.get_absolute_url()}"))
    missing = client.post(URL, _form(article="http://testserver/kb/a/not-there/"))
    assert refused.status_code == missing.status_code == 400
    assert _field_errors(refused, "article") == _field_errors(missing, "article")
    assert "Billing escalation contacts" not in refused.content.decode()
    assert _rows() == (0, 0)


def test_a_pairing_the_giver_is_not_in_is_refused(client, manager, agent, mentor):
    pairing = make_pairing(program=make_program(), mentor=mentor, mentee=agent)
    client.force_login(manager)
    page = parse(client.get(URL))
    assert page.find("select", id="id_pairing").find("option", value=str(pairing.pk)) is None
    response = client.post(URL, _form(pairing=str(pairing.pk)))
    assert response.status_code == 400
    assert _field_errors(response, "pairing") == "Choose a mentorship you are part of."
    assert _rows() == (0, 0)


def test_a_session_the_giver_cannot_see_is_refused(client, outsider, mentor, team):
    session = make_session(organiser=mentor, visibility=Session.Visibility.TEAMS)
    session.teams.set([team])
    client.force_login(outsider)
    response = client.post(URL, _form(session=str(session.pk)))
    assert response.status_code == 400
    assert _field_errors(response, "session") == "Choose a session you can see."
    assert session.title not in response.content.decode()


def test_script_in_the_message_and_quote_is_shown_as_text(agent_client, mentor):
    response = agent_client.post(
        URL, _form(values=None, message=XSS, ticket_ref="T-1", customer_quote=XSS)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert _rows() == (0, 0)


def test_script_in_a_given_message_is_stored_as_typed_and_rendered_escaped(agent_client, mentor):
    response = agent_client.post(URL, _form(message=XSS, ticket_ref="T-1", customer_quote=XSS))
    assert response.status_code == 302
    kudos = Kudos.objects.get()
    assert kudos.message == XSS
    for text in (kudos.message, kudos.customer_quote):
        html = render_message(text)
        assert "<script" not in html
        assert "<img" not in html
        assert "&lt;script&gt;" in html


def test_a_link_in_a_message_becomes_a_safe_link():
    html = render_message("See https://example.com/guide and javascript:alert(1)")
    assert 'href="https://example.com/guide"' in html
    assert 'href="javascript' not in html


def test_other_methods_are_not_allowed(agent_client):
    assert agent_client.put(URL).status_code == 405


# --- the rate limit ------------------------------------------------------------------------


def test_posting_faster_than_the_rate_is_a_429_with_the_form_and_nothing_saved(
    agent_client, mentor, settings
):
    settings.RECOGNITION_KUDOS_RATE = "2/m"
    for _ in range(2):
        assert agent_client.post(URL, _form(points="1")).status_code == 302

    response = agent_client.post(URL, _form(points="1", message="A third thank-you"))

    assert response.status_code == 429
    assert "faster than Huddle allows (at most 2 in a minute)" in _top_errors(response)
    assert "A third thank-you" in response.content.decode()  # what they wrote is kept
    assert Kudos.objects.count() == 2


def test_the_rate_is_counted_per_person(client, agent, mentor, settings):
    settings.RECOGNITION_KUDOS_RATE = "1/m"
    client.force_login(agent)
    assert client.post(URL, _form()).status_code == 302
    assert client.post(URL, _form()).status_code == 429
    client.force_login(mentor)
    assert client.post(URL, _form(recipients="agent")).status_code == 302


# --- article links -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("refunds", "refunds"),
        ("/kb/a/refunds/", "refunds"),
        ("https://huddle.example.com/kb/a/refunds/edit/?x=1", "refunds"),
        ("https://huddle.example.com/kb/c/refunds/", None),
        ("not a slug", None),
        ("http://[::1", None),
    ],
)
def test_an_article_is_read_from_its_slug_or_any_of_its_links(text, slug):
    assert article_slug(text) == slug


# --- query counts --------------------------------------------------------------------------


@pytest.fixture
def busy(agent, mentor, team):
    """`size` sessions the agent may pick, `size` pairings they are in, `size` kudos they
    gave this month and `size` colleagues to prefill (20 at most, the form's limit)."""

    def create(size: int) -> list[str]:
        program = make_program()
        today = timezone.localdate()
        colleagues = UserFactory.create_batch(size, team=team)
        for i, colleague in enumerate(colleagues):
            make_session(organiser=mentor, title=f"Session {i}", slug=f"session-{i}", days=i % 10)
            Pairing.objects.create(
                program=program, mentor=agent, mentee=colleague, status=Pairing.Status.ACTIVE,
                source=Pairing.Source.MANAGER, started_on=today,
                ends_on=today + timedelta(days=90),
            )  # fmt: skip
            make_kudos(agent, colleague, points=1)
        return [c.username for c in colleagues[:20]]

    return create


# Measured: the page 10 (session, user, roles; the prefilled people and article; the
# allowance's wallet and sum; the values, the sessions and the pairings offered), the same at
# both sizes. A post the service refuses (more points than left) 22: it reads the posted
# people, values and article, then the service checks the article, creates and locks the
# wallet and sums what was spent (with its savepoints), and the page is shown again.
PAGE_QUERIES = 10
REFUSED_POST_QUERIES = 22


@pytest.mark.parametrize("size", [3, 30])
def test_the_page_reads_a_constant_number_of_queries(
    agent_client, busy, mentor, editor, size, django_assert_max_num_queries
):
    usernames = busy(size)
    article = make_article(author=mentor, approved_by=editor)
    url = f"{URL}?to={','.join(usernames)}&article={article.slug}"

    with django_assert_max_num_queries(PAGE_QUERIES):
        response = agent_client.get(url)

    assert response.status_code == 200
    page = parse(response)
    assert len(page.find("ul", data_chosen="").find_all("li")) == min(size, 20)
    assert len(page.find("select", id="id_pairing").find_all("option")) == size + 1

    data = _form(recipients=usernames, article=article.slug, points="1000")
    with django_assert_max_num_queries(REFUSED_POST_QUERIES):
        response = agent_client.post(URL, data)
    assert response.status_code == 400


def test_the_values_page_link_ticks_its_value(agent_client):
    response = agent_client.get("/kudos/give/?value=team-player,unknown-value")
    ticked = [value.slug for value, on in response.context["form"].value_options if on]
    assert ticked == ["team-player"]
