from __future__ import annotations

import zoneinfo

from django import forms
from taggit.forms import TagField

from people.models import User

MAX_TAGS = 30
MAX_TAG_LENGTH = 50


def _timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class VocabularyField(TagField):
    """Comma-separated words with limits a directory can live with."""

    def clean(self, value):
        tags = super().clean(value)
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(f"Keep it to at most {MAX_TAGS} entries.")
        too_long = [tag for tag in tags if len(tag) > MAX_TAG_LENGTH]
        if too_long:
            raise forms.ValidationError(
                f"Each entry can be at most {MAX_TAG_LENGTH} characters: {too_long[0][:60]}…"
            )
        return tags


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=_timezone_choices, label="Time zone")
    skills = VocabularyField(
        required=False, help_text="What you can help colleagues with, separated by commas."
    )
    interests = VocabularyField(
        required=False, help_text="What you would like to learn, separated by commas."
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "job_title",
            "experience_level",
            "timezone",
            "skills",
            "interests",
            "career_goals",
            "email",
            "email_notifications",
        ]
        widgets = {"career_goals": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"career_goals": "Where you want to grow; mentors read this."}
