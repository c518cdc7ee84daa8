"""The profile form's time-zone select is rendered from options made once per process: it
must read exactly as Django's own Select would, with the person's zone chosen."""

from __future__ import annotations

import re

from django import forms

from people.forms import ProfileForm, _timezone_choices


def _tags(html: str) -> tuple[set[str], str]:
    """The select's attributes (in any order) and its options (whitespace between tags aside)."""
    head, options = re.sub(r">\s+<", "><", html.strip()).split(">", 1)
    return set(re.findall(r'[\w-]+="[^"]*"', head)), options


def _stock_select(form: ProfileForm) -> str:
    """The same bound field rendered by Django's Select, as before the per-process rendering
    (whitespace between tags aside)."""
    form.fields["timezone"].widget = forms.Select(choices=_timezone_choices())
    return _tags(str(form["timezone"]))


def test_the_select_reads_as_django_s_with_the_saved_zone_chosen(agent):
    agent.timezone = "America/Argentina/Buenos_Aires"
    form = ProfileForm(instance=agent)

    html = _tags(str(form["timezone"]))

    assert html == _stock_select(form)
    options = html[1]
    assert options.count(" selected") == 1
    assert '<option value="America/Argentina/Buenos_Aires" selected>' in options
    assert ">America/Argentina/Buenos Aires</option>" in options


def test_a_bad_posted_zone_is_refused_and_nothing_is_chosen(agent):
    form = ProfileForm({"timezone": 'Nowhere/"<x>', "display_name": "A"}, instance=agent)

    assert not form.is_valid()
    assert "timezone" in form.errors
    html = _tags(str(form["timezone"]))
    assert html == _stock_select(form)
    assert 'aria-invalid="true"' in html[0]
    assert " selected" not in html[1]


def test_the_edit_page_shows_the_person_s_own_zone(agent_client, agent):
    agent.timezone = "Europe/Lisbon"
    agent.save(update_fields=["timezone"])

    body = agent_client.get(f"/people/u/{agent.username}/edit/").content.decode()

    assert '<option value="Europe/Lisbon" selected>' in body
    assert body.count("<option") > 400


def test_profile_links_match_reverse_for_any_username(db):
    from django.urls import reverse

    from people.models import User

    for username in ["agent", "a.b+c@d-e_f", "zoë", "ø.lund"]:
        person = User(username=username)
        assert person.get_absolute_url() == reverse("people:profile", args=[username])
