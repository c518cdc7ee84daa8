"""Customer praise: recording it (the service and the form), who is told, what bad input
gets (a form error, nothing saved, never a 500), escaping of what the customer wrote, and the
praise's page with a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from recognition.models import Praise, SuccessStory
from recognition.services.praise import praise_record
from tests.factories import UserFactory
from tests.recognition.builders import make_kudos, make_praise

pytestmark = pytest.mark.django_db

URL = reverse("recognition:praise-create")
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _post(client, **fields):
    data = {
        "quote": "Maria fixed my invoice in five minutes. Brilliant!",
        "agents": "agent",
        "channel": "email",
        "received_on": timezone.localdate().isoformat(),
        "customer": "Jana, a Premium customer",
        "ticket_ref": "T-1042",
        "csat": "5",
    }
    data.update(fields)
    return client.post(URL, data)


def _record(recorded_by, agents, **fields):
    fields.setdefault("quote", "Thank you for your patience.")
    fields.setdefault("channel", Praise.Channel.CHAT)
    fields.setdefault("received_on", timezone.localdate())
    return praise_record(recorded_by=recorded_by, agents=agents, **fields)


def _praise_notes(person):
    return Notification.objects.filter(recipient=person, kind="recognition.praise")


# --- Recording -------------------------------------------------------------------------------


def test_anyone_signed_in_records_praise_and_sees_it_on_its_page(agent_client, agent, mentor):
    response = _post(agent_client, agents="agent, mentor")

    praise = Praise.objects.get()
    assert response.status_code == 302
    assert response.url == praise.get_absolute_url()
    assert set(praise.agents.all()) == {agent, mentor}
    assert praise.recorded_by == agent
    assert (praise.channel, praise.csat, praise.ticket_ref) == ("email", 5, "T-1042")
    assert praise.customer == "Jana, a Premium customer"
    page = agent_client.get(response.url).content.decode()
    assert "Maria fixed my invoice in five minutes." in page
    assert f'href="{agent.get_absolute_url()}">{agent.name}</a>' in page  # recorded by


def test_each_agent_is_told_once_and_the_recorder_not_about_themselves(agent, mentor, editor):
    praise = _record(agent, [agent, mentor, editor, mentor])

    assert _praise_notes(mentor).count() == 1
    assert _praise_notes(editor).count() == 1
    assert not _praise_notes(agent).exists()
    note = _praise_notes(mentor).get()
    assert note.url == praise.get_absolute_url()
    assert "Thank you for your patience." in note.message
    assert agent.name in note.message


def test_the_form_is_prefilled_with_the_colleagues_from_the_address(agent_client, mentor):
    page = agent_client.get(URL, {"to": "mentor"}).content.decode()

    assert 'value="mentor"' in page
    assert f'value="{timezone.localdate().isoformat()}"' in page


def test_csat_is_optional(agent_client):
    assert _post(agent_client, csat="").status_code == 302

    assert Praise.objects.get().csat is None


def test_the_agents_box_takes_usernames_with_at_signs_and_any_case(agent_client, agent, mentor):
    _post(agent_client, agents="@Mentor; AGENT")

    assert set(Praise.objects.get().agents.all()) == {agent, mentor}


# --- Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("quote", "", "Write what the customer said."),
        ("quote", "   ", "Write what the customer said."),
        ("quote", "x" * 2001, "Keep the quote to 2000 characters"),
        ("quote", "Nice\x00one", "NUL character"),  # the site's middleware answers
        ("agents", "", "Name at least one colleague the customer praised."),
        ("agents", "nobody-here", "No colleague has the username “nobody-here”."),
        ("agents", "x" * 200, "No colleague has a username that long."),
        ("agents", ",".join(f"u{n}" for n in range(21)), "Choose at most 20 colleagues."),
        ("channel", "", "Choose where the praise came from."),
        ("channel", "carrier-pigeon", "Choose where the praise came from."),
        ("received_on", "", "Enter the date received."),
        ("received_on", "yesterday", "Enter a real date"),
        ("received_on", "99999-01-01", "Enter a real date"),
        ("received_on", "2026-02-30", "Enter a real date"),
        ("csat", "0", "A CSAT score is a whole number from 1 to 5, or none."),
        ("csat", "6", "A CSAT score is a whole number from 1 to 5, or none."),
        ("csat", "-1", "A CSAT score is a whole number from 1 to 5, or none."),
        ("csat", "abc", "A CSAT score is a whole number from 1 to 5, or none."),
        ("csat", "9" * 40, "A CSAT score is a whole number from 1 to 5, or none."),
        ("customer", "x" * 101, "Keep the name to 100 characters."),
        ("customer", "Jana\nSmith", "single line"),
        ("customer", "jana@example.com", "without contact details"),
        ("customer", "Jana, +49 30 1234 5678", "without contact details"),
        ("ticket_ref", "T" * 51, "Keep the reference to 50 characters."),
        ("ticket_ref", "T-1\x00", "NUL character"),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(agent_client, agent, field, value, message):
    response = _post(agent_client, **{field: value})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Praise.objects.exists()
    assert not Notification.objects.exists()


def test_a_date_in_the_future_is_refused(agent_client):
    tomorrow = timezone.localdate() + timedelta(days=2)

    response = _post(agent_client, received_on=tomorrow.isoformat())

    assert response.status_code == 400
    assert "The date received cannot be in the future." in response.content.decode()
    assert not Praise.objects.exists()


def test_praise_older_than_two_years_is_refused(agent_client):
    long_ago = timezone.localdate() - timedelta(days=800)

    response = _post(agent_client, received_on=long_ago.isoformat())

    assert response.status_code == 400
    assert "Record praise from the last two years" in response.content.decode()
    assert not Praise.objects.exists()


def test_an_inactive_agent_is_refused(agent_client, mentor):
    mentor.is_active = False
    mentor.save()

    response = _post(agent_client, agents="agent, mentor")

    assert response.status_code == 400
    assert f"{mentor.name} can no longer sign in to Huddle." in response.content.decode()
    assert not Praise.objects.exists()
    assert not Notification.objects.exists()


def test_the_service_refuses_what_the_form_would_have_caught(agent, mentor):
    cases = [
        ({"agents": []}, "agents"),
        ({"quote": "x" * 2001}, "quote"),
        ({"quote": "Nice\x00one"}, "quote"),
        ({"ticket_ref": "T-1\x00"}, "ticket_ref"),
        ({"customer": "Jana\x00"}, "customer"),
        ({"csat": 0}, "csat"),
        ({"csat": 6}, "csat"),
        ({"csat": True}, "csat"),
        ({"csat": "5"}, "csat"),
        ({"channel": "fax"}, "channel"),
        ({"received_on": "2026-01-01"}, "received_on"),
        ({"customer": "call 0301234567"}, "customer"),
    ]
    for fields, field in cases:
        fields.setdefault("agents", [mentor])
        with pytest.raises(ValidationError) as refused:
            _record(agent, **fields)
        assert field in refused.value.error_dict, fields
    assert not Praise.objects.exists()


def test_a_get_or_post_on_the_page_of_unknown_praise_is_404(agent_client):
    assert agent_client.get(reverse("recognition:praise-detail", args=[99999])).status_code == 404
    assert agent_client.get("/kudos/praise/99999999999999999999999/").status_code == 404


# --- Escaping --------------------------------------------------------------------------------


def test_markup_in_the_quote_and_the_customer_name_is_shown_as_text(agent_client, agent):
    _post(agent_client, quote=f"Great help {XSS}", customer="<b>Jana</b>", ticket_ref="<i>T</i>")
    praise = Praise.objects.get()

    for url in (praise.get_absolute_url(), reverse("recognition:wall")):
        page = agent_client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;" in page
        assert "<b>Jana</b>" not in page
        assert "&lt;b&gt;Jana&lt;/b&gt;" in page


def test_links_in_the_quote_are_clickable_and_safe(agent_client, agent):
    make_praise(agent, quote="See https://example.com/review and javascript:alert(1)")

    page = agent_client.get(Praise.objects.get().get_absolute_url()).content.decode()

    assert 'href="https://example.com/review"' in page
    assert 'href="javascript' not in page


# --- The praise's page -----------------------------------------------------------------------


def test_a_manager_is_offered_to_promote_praise_and_an_agent_is_not(client, agent, manager):
    praise = make_praise(agent)
    promote = reverse("recognition:praise-promote", args=[praise.pk])

    client.force_login(agent)
    assert promote not in client.get(praise.get_absolute_url()).content.decode()
    client.force_login(manager)
    assert promote in client.get(praise.get_absolute_url()).content.decode()


def test_the_page_links_the_story_once_the_praise_is_one(manager_client, agent):
    praise = make_praise(agent)
    today = timezone.localdate()
    story = SuccessStory.objects.create(
        praise=praise, title="Patience wins", learned="Listen first.",
        pinned_from=today, pinned_until=today,
    )  # fmt: skip

    page = manager_client.get(praise.get_absolute_url()).content.decode()

    assert f'href="{story.get_absolute_url()}">Patience wins</a>' in page
    assert reverse("recognition:praise-promote", args=[praise.pk]) not in page


def test_praise_by_someone_who_left_still_shows(agent_client, agent):
    praise = make_praise(agent, recorded_by=None)

    response = agent_client.get(praise.get_absolute_url())

    assert response.status_code == 200
    assert "A former colleague" in response.content.decode()


def test_the_praise_shows_on_the_wall(agent_client, agent):
    praise = make_praise(agent, quote="Fast and friendly.")
    make_kudos(UserFactory(), agent)

    page = agent_client.get(reverse("recognition:wall")).content.decode()

    assert f'id="praise-{praise.pk}"' in page
    assert "Fast and friendly." in page


# Measured, the same at both sizes: the session and the user (2), roles for the tabs and the
# promote button (1), the praise with its recorder and story (1), its agents (1).
PRAISE_PAGE_QUERIES = 5


@pytest.mark.parametrize("size", [3, 30])
def test_the_praise_page_s_queries_do_not_grow_with_its_agents(
    client, manager, size, django_assert_max_num_queries
):
    agents = [UserFactory() for _ in range(size)]
    praise = make_praise(agents, recorded_by=manager)
    client.force_login(manager)

    with django_assert_max_num_queries(PRAISE_PAGE_QUERIES):
        response = client.get(praise.get_absolute_url())

    assert response.status_code == 200
    assert response.content.decode().count('class="card praise-card"') == 1
    assert all(agent.name in response.content.decode() for agent in agents)


# Measured: the session and the user (2), roles for the tabs (1).
PRAISE_FORM_QUERIES = 3


def test_the_form_page_is_cheap(agent_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(PRAISE_FORM_QUERIES):
        assert agent_client.get(URL).status_code == 200
