"""Forms of a pairing's lifecycle: declining a request, ending early, extending, feedback.
They parse what was typed (limits and labels from the models' fields); the rules (who, when,
how far) are the services', whose refusals come back beside the field they name."""

from __future__ import annotations

from django import forms

from mentorship.models import MentorRequest, Pairing, PairingFeedback

_request = MentorRequest._meta.get_field
_pairing = Pairing._meta.get_field
_feedback = PairingFeedback._meta.get_field


def _text(field, *, rows: int = 3, **kwargs):
    return field.formfield(widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class DeclineForm(forms.Form):
    reason = _text(
        _request("decline_reason"),
        label="Why not? (optional)",
        help_text="The mentee, and the manager who proposed you, are told this.",
    )


class EndForm(forms.Form):
    reason = _text(
        _pairing("end_reason"),
        required=True,
        label="Why does it end early?",
        help_text="Required. The pair is told; the programme's managers read it in the report.",
    )
    reason.widget.attrs["aria-required"] = "true"


class ExtendForm(forms.Form):
    ends_on = forms.DateField(
        label="New end date",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="Later than the current end, and at most two years from the start.",
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How did it go?",
        choices=[(n, f"{n} of 5") for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text="1 is poor, 5 is excellent.",
        error_messages={"required": "Choose a rating from 1 to 5."},
    )
    comments = _text(
        _feedback("comments"),
        rows=4,
        label="Comments (optional)",
        help_text="Only the programme's managers read your feedback.",
    )
