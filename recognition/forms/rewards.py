"""Forms of rewards: the note a person adds when redeeming, and an approver's decision. They
parse what was typed (limits and labels from the model's fields); the rules (balance, stock,
who decides, a reason to decline) are the services', whose refusals come back beside the
field they name."""

from __future__ import annotations

from django import forms

from recognition.models import Redemption

_redemption = Redemption._meta.get_field


class RedeemForm(forms.Form):
    note = _redemption("note").formfield(
        label="A note for the approver (optional)",
        help_text="A preferred date, a shop, anything they should know. One line.",
    )


class DecideForm(forms.Form):
    APPROVE, DECLINE = "approve", "decline"

    decision = forms.ChoiceField(
        choices=[(APPROVE, "Approve"), (DECLINE, "Decline")],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose to approve or to decline.",
            "invalid_choice": "Choose to approve or to decline.",
        },
    )
    reason = _redemption("reason").formfield(
        label="Why decline?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to decline. The person reads it; their points come back.",
    )
