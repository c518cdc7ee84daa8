"""The mentoring profile form: what a person offers as a mentor and wants as a mentee."""

from __future__ import annotations

from django import forms

from mentorship.models import MentoringProfile
from mentorship.models.profiles import MAX_CAPACITY
from people.forms import VocabularyField

_field = MentoringProfile._meta.get_field


class MentoringProfileForm(forms.Form):
    """Labels, limits and help come from the model; capacity is bounded here too, so 0, a
    negative number or "50" is an error beside the field, never a refusal from the database."""

    open_to_mentor = forms.BooleanField(
        label="Open to mentoring", required=False, help_text=_field("open_to_mentor").help_text
    )
    capacity = forms.IntegerField(
        label="Mentees at once",
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=2,
        help_text=f"{_field('capacity').help_text} From 1 to {MAX_CAPACITY}.",
    )
    topics = VocabularyField(
        label="Topics I can mentor on",
        required=False,
        help_text="Skills, separated by commas. The skills on your profile count too.",
    )
    availability = _field("availability").formfield(widget=forms.Textarea(attrs={"rows": 3}))
    develop = VocabularyField(
        label="Skills I want to develop",
        required=False,
        help_text="Separated by commas. Matching looks for mentors who offer these.",
    )
    goals = _field("goals").formfield(
        label="What I want from mentoring",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Your mentor reads this before your first meeting.",
    )
    preferred_format = forms.ChoiceField(
        label="Preferred format", choices=MentoringProfile.Format.choices
    )

    @classmethod
    def initial_for(cls, profile: MentoringProfile | None) -> dict:
        if profile is None:
            return {}
        return {
            "open_to_mentor": profile.open_to_mentor,
            "capacity": profile.capacity,
            "topics": list(profile.topics.all()),
            "availability": profile.availability,
            "develop": list(profile.develop.all()),
            "goals": profile.goals,
            "preferred_format": profile.preferred_format,
        }
