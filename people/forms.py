from __future__ import annotations

import csv
from functools import cache

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from taggit.forms import TagField

from people.models import User, timezone_names

MAX_TAGS = 30
MAX_TAG_LENGTH = 50


@cache
def _timezone_choices() -> tuple[tuple[str, str], ...]:
    return tuple((name, name.replace("_", " ")) for name in sorted(timezone_names()))


@cache
def _timezone_options() -> SafeString:
    """The ~600 <option>s of the time-zone select, rendered once per process, exactly as
    Django's Select renders them (none selected)."""
    return format_html_join(
        "", '\n  <option value="{}">{}</option>', _timezone_choices()
    ) + mark_safe("\n")


class TimezoneSelect(forms.Select):
    """Django's Select for the time-zone list without rendering its options one template at a
    time (that took most of the profile form's time): the options come from the per-process
    rendering above, with the chosen one marked."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        options = _timezone_options()
        if value:
            plain = format_html('<option value="{}">', value)
            marked = format_html('<option value="{}" selected>', value)
            options = mark_safe(options.replace(plain, marked, 1))
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attrs, options)


def vocabulary_parse(text: str) -> list[str]:
    """Entries separated by commas, as the fields' help says; an entry with a comma in it is
    written in double quotes. Unlike taggit's parser, spaces never separate entries, so a single
    "two words" stays one entry."""
    names = {name.strip() for row in csv.reader([text], skipinitialspace=True) for name in row}
    return sorted(names - {""})


def vocabulary_format(tags) -> str:
    """`a, b, two words`: what a person types, not taggit's quoting of every name with a
    space. Only a name with a comma or a quote is quoted, so it reads back as one entry."""
    names = sorted((getattr(tag, "name", tag) for tag in tags), key=str.casefold)
    return ", ".join(
        f'"{name.replace(chr(34), chr(34) * 2)}"' if "," in name or '"' in name else name
        for name in names
    )


class VocabularyWidget(forms.TextInput):
    def format_value(self, value):
        if value is not None and not isinstance(value, str):
            value = vocabulary_format(value)
        return super().format_value(value)


class VocabularyField(TagField):
    """Comma-separated words with limits a directory can live with."""

    widget = VocabularyWidget

    def __init__(self, **kwargs):
        # The whole text is bounded before it is parsed (the csv module refuses a field over
        # 128 KiB with an error of its own): room for every entry at its longest, quoted.
        kwargs.setdefault("max_length", MAX_TAGS * (MAX_TAG_LENGTH + 4))
        super().__init__(**kwargs)

    def clean(self, value):
        value = forms.CharField.clean(self, value)
        try:
            tags = vocabulary_parse(value)
        except csv.Error as error:
            raise forms.ValidationError("Separate the entries with commas.") from error
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(f"Keep it to at most {MAX_TAGS} entries.")
        too_long = [tag for tag in tags if len(tag) > MAX_TAG_LENGTH]
        if too_long:
            raise forms.ValidationError(
                f"Each entry can be at most {MAX_TAG_LENGTH} characters: {too_long[0][:60]}…"
            )
        return tags


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        choices=_timezone_choices, label="Time zone", widget=TimezoneSelect
    )
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
