"""Forms of nominations: nominating a colleague, and an approver's decision. They read what
was sent into rows and text (limits and labels from the model's fields); the rules (who may
nominate, not oneself, nobody who left, an award open for nominations, links as evidence, once
per period, a comment to reject) are the service's, whose refusals come back beside the field
they name."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from people.models import User
from recognition.models import Award, Nomination
from recognition.services.nominations import (
    EVIDENCE_LINE_MAX,
    EVIDENCE_LINES_MAX,
    EVIDENCE_MAX,
    evidence_links,
    period_label,
)

_nomination = Nomination._meta.get_field
# Longer than any id or slug: a longer value is not one of the choices, and is not looked up.
_CHOICE_MAX = 100


class _AnyRowChoiceField(forms.ModelChoiceField):
    """Offers the rows of `queryset` but reads any row of `lookup` (the model's every row), so
    a choice that is no longer offered (oneself, a colleague who left, a closed award) gets
    the service's reason instead of "not one of the available choices"."""

    def __init__(self, *args, lookup, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup = lookup

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        key = self.to_field_name or "pk"
        if len(value) > _CHOICE_MAX or (key == "pk" and not value.isdigit()):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        found = self.lookup.filter(**{key: value}).first()
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return found


class AwardField(_AnyRowChoiceField):
    def label_from_instance(self, award: Award) -> str:
        return f"{award.name} ({period_label(award, timezone.now())})"


class NomineeField(_AnyRowChoiceField):
    def label_from_instance(self, person: User) -> str:
        return f"{person.name} ({person.team.name})" if person.team_id else person.name


class NominationForm(forms.Form):
    award = AwardField(
        queryset=Award.objects.filter(is_active=True),
        lookup=Award.objects.all(),
        to_field_name="slug",
        label="Award",
        empty_label="Choose an award",
        error_messages={
            "required": "Choose an award.",
            "invalid_choice": "Choose one of the awards open for nominations.",
        },
    )
    nominee = NomineeField(
        queryset=User.objects.none(),
        lookup=User.objects.all(),
        label="Colleague",
        empty_label="Choose a colleague",
        help_text="Type the first letters of their name to jump to them in the list.",
        error_messages={
            "required": "Choose the colleague you nominate.",
            "invalid_choice": "Choose a colleague from the list.",
        },
    )
    reason = forms.CharField(
        label="Why they deserve it",
        max_length=_nomination("reason").max_length,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What they did, for whom, and what changed because of it. The approvers read "
        "it; if the award is approved, everyone does.",
        error_messages={"required": "Write why they deserve it."},
    )
    evidence = forms.CharField(
        label="Evidence (optional)",
        required=False,
        # Ten links at their longest, so the service's own message names what is wrong.
        max_length=EVIDENCE_LINES_MAX * (EVIDENCE_LINE_MAX + 1),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Links to the work, one per line: a web address (https://…) or a page of "
        f"Huddle (/kb/a/refund-policy/). At most {EVIDENCE_LINES_MAX}, "
        f"{EVIDENCE_MAX:,} characters in all.",
    )

    def __init__(self, *args, nominator: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].queryset = (
            User.objects.visible_to(nominator).exclude(pk=nominator.pk).select_related("team")
        )
        self.fields["nominee"].lookup = User.objects.select_related("team")

    def clean_evidence(self) -> str:
        # The service's own reading, here too so that every line's error shows beside the
        # other fields' errors, not only once they are right.
        text = self.cleaned_data["evidence"]
        try:
            evidence_links(text)
        except ValidationError as refusal:
            raise forms.ValidationError(refusal.message_dict["evidence"]) from None
        return text


class DecideForm(forms.Form):
    """One of an approver's two decisions (`decision`: approve or reject), each its own form
    on the page with its own ids; rejecting needs a comment (the service says so)."""

    APPROVE, REJECT = "approve", "reject"
    _COMMENT = {
        APPROVE: ("Comment (optional)", "The nominee and the nominator read it."),
        REJECT: (
            "Why not?",
            "Required. The nominator reads it; the nominee never sees this nomination.",
        ),
    }

    decision = forms.ChoiceField(
        choices=[(APPROVE, "Approve"), (REJECT, "Reject")],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose to approve or to reject.",
            "invalid_choice": "Choose to approve or to reject.",
        },
    )
    comment = forms.CharField(
        required=False,
        max_length=_nomination("decision_comment").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, decision: str, **kwargs):
        kwargs.setdefault("auto_id", f"id_{decision}_%s")
        kwargs.setdefault("initial", {"decision": decision})
        super().__init__(*args, **kwargs)
        self.kind = decision
        self.fields["comment"].label, self.fields["comment"].help_text = self._COMMENT[decision]
