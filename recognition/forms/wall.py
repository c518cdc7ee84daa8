"""Forms of the wall and of one kudos: the feed's filters, a reaction's state, a comment and a
report. They parse what was typed (limits and labels from the models' fields); the rules
(who may, when) are the services', whose refusals come back beside the field they name."""

from __future__ import annotations

from django import forms

from kb.mentions import mentioned_people, mentioned_usernames
from people.models import Team, User
from recognition.models import Kudos, KudosComment
from recognition.models import Value as ServiceValue
from recognition.selectors.wall import KINDS, PERIODS, WallFilters

_select = {"class": "input"}


class WallFilterForm(forms.Form):
    """The feed's filters. Each bad value is dropped on its own with an error beside it, and
    the valid ones still apply: a stale or mistyped link still shows the wall."""

    kind = forms.ChoiceField(
        label="Show", required=False, choices=KINDS, widget=forms.Select(attrs=_select)
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="All teams",
        widget=forms.Select(attrs=_select),
        error_messages={"invalid_choice": "Choose one of the teams listed."},
    )
    value = forms.ModelChoiceField(
        label="Value (kudos only)",
        queryset=ServiceValue.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All values",
        widget=forms.Select(attrs=_select),
        error_messages={"invalid_choice": "Choose one of the values listed."},
    )
    person = forms.CharField(
        label="Person",
        required=False,
        max_length=User._meta.get_field("username").max_length,
        widget=forms.TextInput(attrs={**_select, "placeholder": "username", "size": 14}),
    )
    period = forms.ChoiceField(
        label="Period", required=False, choices=PERIODS, widget=forms.Select(attrs=_select)
    )

    def __init__(self, *args, **kwargs):
        # The give form shares the page: its own ids stay theirs.
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)

    def clean_person(self) -> User | None:
        username = self.cleaned_data["person"].strip().removeprefix("@")
        if not username:
            return None
        person = User.objects.filter(username=username).first()
        if person is None:
            raise forms.ValidationError(f"No one here has the username “{username}”.")
        return person

    def filters(self) -> WallFilters:
        """The valid filters (call after `is_valid()`)."""
        data = getattr(self, "cleaned_data", {})
        return WallFilters(
            kind=data.get("kind") or "",
            team=data.get("team"),
            value=data.get("value"),
            person=data.get("person"),
            period=data.get("period") or "",
        )


class ReactionForm(forms.Form):
    """The reaction's state the viewer asks for ("1" on, "0" off), as the button they pressed
    showed it; none toggles. A double click then ends as asked, not undone."""

    on = forms.TypedChoiceField(
        required=False,
        choices=[("1", "On"), ("0", "Off")],
        coerce=lambda value: value == "1",
        empty_value=None,
        error_messages={"invalid_choice": "Say whether the reaction is on or off."},
    )


class CommentForm(forms.Form):
    body = KudosComment._meta.get_field("body").formfield(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Comment",
        help_text="Short, up to 500 characters. Mention a colleague with @username to tell them.",
        error_messages={"required": "Write a comment first."},
    )

    def clean_body(self) -> str:
        """Every @mention must name someone: a typo would otherwise tell nobody, silently."""
        body = self.cleaned_data["body"]
        unknown = sorted(mentioned_usernames(body) - set(mentioned_people([body])))
        if unknown:
            listed = ", ".join(f"@{name}" for name in unknown)
            raise forms.ValidationError(
                f"No one here is called {listed}. Check the spelling, or remove the @."
            )
        return body


class ReportForm(forms.Form):
    reason = Kudos._meta.get_field("report_reason").formfield(
        required=True,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="What is wrong with it?",
        help_text="Only admins read this. The kudos is hidden until one of them decides.",
        error_messages={"required": "Say what is wrong with it."},
    )
