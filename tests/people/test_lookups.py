"""`pk__in` (and any integer `in`) with numbers no row can hold finds nothing instead of
failing: SQLite raised OverflowError past 64 bits, through ModelMultipleChoiceField too."""

from __future__ import annotations

import pytest
from django import forms

from people.models import Team

HUGE = 10**20


@pytest.mark.parametrize("values", [[HUGE], [-HUGE], [2**63], [-(2**63) - 1]])
def test_in_with_only_impossible_numbers_finds_nothing(team, values):
    assert list(Team.objects.filter(pk__in=values)) == []
    assert Team.objects.exclude(pk__in=values).count() == 1


def test_in_keeps_the_possible_numbers(team, other_team):
    assert list(Team.objects.filter(pk__in=[HUGE, team.pk, -HUGE])) == [team]
    assert list(Team.objects.filter(pk__in=[str(team.pk), str(HUGE)])) == [team]


def test_a_multiple_choice_of_an_impossible_id_is_a_form_error(team):
    field = forms.ModelMultipleChoiceField(queryset=Team.objects.all())
    with pytest.raises(forms.ValidationError, match="Select a valid choice"):
        field.clean([str(HUGE)])
    assert list(field.clean([str(team.pk)])) == [team]
