"""Skills and interests read as typed: `a, b, two words`, without taggit's quoting."""

from __future__ import annotations

import re
from html import unescape

import pytest

from people.forms import ProfileForm, vocabulary_format, vocabulary_parse


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("refunds, chargebacks", ["chargebacks", "refunds"]),
        ("two words", ["two words"]),
        ("customer care, two words ,  ", ["customer care", "two words"]),
        ('"Smith, Jones", billing', ["Smith, Jones", "billing"]),
        ("dup, dup", ["dup"]),
        ("", []),
    ],
)
def test_entries_are_separated_by_commas_only(text, names):
    assert vocabulary_parse(text) == names


def test_names_are_shown_plainly_and_only_a_comma_is_quoted():
    shown = vocabulary_format(["two words", "billing", "Smith, Jones", 'say "hi"'])
    assert shown == 'billing, "say ""hi""", "Smith, Jones", two words'
    assert vocabulary_parse(shown) == sorted(["two words", "billing", "Smith, Jones", 'say "hi"'])


def test_the_profile_form_shows_the_saved_skills_plainly(agent):
    agent.skills.set(["two words", "refunds", "Ämter"])
    html = str(ProfileForm(instance=agent)["skills"])
    value = unescape(re.search(r'value="([^"]*)"', html)[1])
    assert value == "refunds, two words, Ämter"


def test_saving_the_shown_value_keeps_the_skills(agent_client, agent):
    agent.skills.set(["two words", "refunds"])
    page = agent_client.get(f"/people/u/{agent.username}/edit/").content.decode()
    shown = unescape(re.search(r'name="skills" value="([^"]*)"', page)[1])
    assert shown == "refunds, two words"

    form = ProfileForm(
        instance=agent,
        data={
            "display_name": agent.display_name,
            "job_title": agent.job_title,
            "experience_level": agent.experience_level,
            "timezone": "UTC",
            "skills": shown,
            "interests": "one long interest",
            "email": agent.email,
        },
    )
    assert form.is_valid(), form.errors
    form.save()
    assert sorted(agent.skills.names()) == ["refunds", "two words"]
    assert list(agent.interests.names()) == ["one long interest"]
