"""Forms of customer praise and success stories: recording a praise, promoting a kudos or a
praise to a story, and choosing the category of the lesson's draft article.

They parse what was typed (usernames into people, text into dates and a score); the rules
(active agents, how old a praise may be, how long a story is pinned, one story each) are the
services', whose refusals the views put back beside these fields.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q

from kb.forms import CategoryChoiceField
from kb.models import Category
from people.models import User
from people.validators import validate_single_line
from recognition.forms.kudos import RecipientsField
from recognition.models import Praise, SuccessStory
from recognition.models.praise import QUOTE_MAX
from recognition.services.praise import CUSTOMER_MAX, LEARNED_MAX, TICKET_MAX, TITLE_MAX

DATE_INVALID = "Enter a real date, such as 2026-03-31."


def _date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_INVALID, "required": f"Enter the {label.lower()}."},
        **kwargs,
    )


def _crlf(text: str) -> str:
    # A browser counts a line break as one character and sends two (CR LF).
    return text.replace("\r\n", "\n")


def people_by_username(names: list[str]) -> dict[str, User]:
    """People (active or not: the service explains an inactive one) by lower-cased username;
    an exact spelling wins over one that differs in case only. One query."""
    match = Q()
    for name in names:
        match |= Q(username__iexact=name)
    found: dict[str, User] = {}
    for person in User.objects.filter(match):
        key = person.username.lower()
        if key not in found or person.username in names:
            found[key] = person
    return found


class PraiseForm(forms.Form):
    quote = forms.CharField(
        label="What the customer said",
        max_length=QUOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Their words, as they wrote or said them. Links become clickable.",
        error_messages={
            "required": "Write what the customer said.",
            "max_length": "Keep the quote to %(limit_value)s characters (%(show_value)s now).",
        },
    )
    agents = RecipientsField(
        label="Colleagues praised",
        help_text="Usernames of the colleagues the customer praised, separated by commas. "
        "You may name yourself.",
        error_messages={"required": "Name at least one colleague the customer praised."},
    )
    channel = forms.ChoiceField(
        label="Where it came from",
        choices=[("", "Choose one"), *Praise.Channel.choices],
        error_messages={
            "required": "Choose where the praise came from.",
            "invalid_choice": "Choose where the praise came from.",
        },
    )
    received_on = _date_field("Date received", help_text="Within the last two years.")
    customer = forms.CharField(
        label="How to name the customer (optional)",
        required=False,
        max_length=CUSTOMER_MAX,
        validators=[validate_single_line],
        help_text="For example “Jana, a Premium customer”. No email addresses or phone numbers.",
        error_messages={"max_length": "Keep the name to %(limit_value)s characters."},
    )
    ticket_ref = forms.CharField(
        label="Ticket reference (optional)",
        required=False,
        max_length=TICKET_MAX,
        validators=[validate_single_line],
        error_messages={"max_length": "Keep the reference to %(limit_value)s characters."},
    )
    csat = forms.TypedChoiceField(
        label="CSAT score (optional)",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "No score"),
            ("1", "1 (very dissatisfied)"),
            ("2", "2"),
            ("3", "3"),
            ("4", "4"),
            ("5", "5 (very satisfied)"),
        ],
        error_messages={"invalid_choice": "A CSAT score is a whole number from 1 to 5, or none."},
    )

    def clean_quote(self) -> str:
        return _crlf(self.cleaned_data["quote"])

    def clean_agents(self) -> list[User]:
        names = self.cleaned_data["agents"]
        if not names:
            raise forms.ValidationError(self.fields["agents"].error_messages["required"])
        found = people_by_username(names)
        missing = [name for name in names if name.lower() not in found]
        if missing:
            shown = ", ".join(f"“{name}”" for name in missing[:5])
            raise forms.ValidationError(
                f"No colleague has the username {shown}. Check the spelling on their profile."
            )
        return [found[name.lower()] for name in names]

    @property
    def agents_text(self) -> str:
        """The agents box's text: the usernames prefilled or posted, separated by commas."""
        value = self["agents"].value()
        return ", ".join(value) if isinstance(value, list | tuple) else str(value or "")

    def service_arguments(self) -> dict:
        """What `recognition.services.praise.praise_record` takes, from a valid form."""
        data = self.cleaned_data
        names = ("quote", "agents", "channel", "received_on", "customer", "ticket_ref", "csat")
        return {name: data[name] for name in names}


class StoryForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX,
        validators=[validate_single_line],
        help_text="One line that says what happened, as the wall will show it.",
        error_messages={
            "required": "Write a title.",
            "max_length": "Keep the title to %(limit_value)s characters (%(show_value)s now).",
        },
    )
    learned = forms.CharField(
        label=SuccessStory._meta.get_field("learned").verbose_name.capitalize(),
        max_length=LEARNED_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the team can learn from it, in a few sentences.",
        error_messages={
            "required": "Write what the team learned.",
            "max_length": "Keep it to %(limit_value)s characters (%(show_value)s now).",
        },
    )
    pinned_from = _date_field("Pinned from")
    pinned_until = _date_field("Pinned until", help_text="At most 90 days after the start.")

    def clean_learned(self) -> str:
        return _crlf(self.cleaned_data["learned"])

    def clean(self):
        data = super().clean()
        start, end = data.get("pinned_from"), data.get("pinned_until")
        if start and end and end < start:
            self.add_error("pinned_until", "The end cannot be before the start.")
        return data

    def service_arguments(self) -> dict:
        """What `recognition.services.praise.story_create` takes besides the source."""
        data = self.cleaned_data
        return {name: data[name] for name in ("title", "learned", "pinned_from", "pinned_until")}


class StoryArticleForm(forms.Form):
    category = CategoryChoiceField(
        label="Category",
        queryset=Category.objects.select_related("parent"),
        empty_label=None,
        help_text="Where the draft goes in the knowledge base; you can move it while editing.",
        error_messages={
            "required": "Choose a category.",
            "invalid_choice": "Choose one of the categories offered.",
        },
    )
