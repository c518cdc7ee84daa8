"""Forms of matching: "why not X?", a mentee's request, a manager's assignment, and the
approval of a cohort proposal."""

from __future__ import annotations

import re

from django import forms

from mentorship.models import MentoringProfile, Participation, Program
from people.models import User

_USERNAME_LENGTH = User._meta.get_field("username").max_length
_NOBODY = "Nobody has that username."
# The most pairs one approval may carry (a cohort far larger is matched in parts).
MAX_PAIRS = 5000
_PAIR = re.compile(r"^([0-9]{1,18}):([0-9]{1,18})$")


def _person(username: str) -> User | None:
    return User.objects.select_related("team").filter(username=username).first()


class WhyNotForm(forms.Form):
    """Someone the viewer wonders about, by username (the page offers the mentor pool)."""

    person = forms.CharField(
        label="Why is this colleague not suggested?",
        max_length=_USERNAME_LENGTH,
        help_text="Pick a colleague from the list, or type their username: see what stands in "
        "the way, or where they rank.",
        widget=forms.TextInput(attrs={"list": "mentor-pool", "autocomplete": "off"}),
    )

    def clean_person(self) -> User:
        person = _person(self.cleaned_data["person"].strip())
        if person is None:
            raise forms.ValidationError(_NOBODY)
        return person


class MentorRequestForm(forms.Form):
    message = forms.CharField(
        label="Message to the mentor",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Optional: what you hope to learn, and how you like to meet.",
    )


class AssignForm(forms.Form):
    """The suggestion page's "Propose as mentor" button: whom, to whom, and an optional note
    the mentor reads with the proposal."""

    mentee = forms.CharField(max_length=_USERNAME_LENGTH)
    mentor = forms.CharField(max_length=_USERNAME_LENGTH)
    message = forms.CharField(required=False, max_length=2000)

    def clean_mentor(self) -> User:
        mentor = _person(self.cleaned_data["mentor"].strip())
        if mentor is None:
            raise forms.ValidationError("No mentor has that username.")
        return mentor


class PairsField(forms.Field):
    """Every checked "mentee id:mentor id" of the proposal, parsed strictly."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[tuple[int, int]]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        if len(values) > MAX_PAIRS:
            raise forms.ValidationError(f"Approve at most {MAX_PAIRS} pairs at once.")
        pairs = []
        for text in values:
            match = _PAIR.match(str(text))
            if match is None:
                raise forms.ValidationError("That is not a pair of the proposal.")
            pairs.append((int(match[1]), int(match[2])))
        return pairs


class CohortApproveForm(forms.Form):
    """The pairs the programme manager keeps: each mentee an unmatched one of the programme,
    at most once, each mentor someone open to mentoring. Anything else refuses the whole
    approval (nothing is saved), so a forged or stale form does nothing by halves."""

    pair = PairsField(
        required=True, error_messages={"required": "Keep at least one pair to approve."}
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program

    def clean_pair(self) -> list[tuple[User, User]]:
        pairs = self.cleaned_data["pair"]
        mentee_ids = [a for a, _ in pairs]
        if len(set(mentee_ids)) != len(mentee_ids):
            raise forms.ValidationError("Each mentee can be approved with one mentor only.")
        cohort = set(
            Participation.objects.filter(program=self.program, mentee_id__in=mentee_ids)
            .unmatched()
            .values_list("mentee_id", flat=True)
        )
        if set(mentee_ids) - cohort:
            raise forms.ValidationError(
                "Someone in these pairs is no longer an unmatched mentee of this programme. "
                "Reload the proposal."
            )
        mentor_ids = {b for _, b in pairs}
        pool = set(
            MentoringProfile.objects.mentor_pool()
            .filter(user_id__in=mentor_ids)
            .values_list("user_id", flat=True)
        )
        if mentor_ids - pool:
            raise forms.ValidationError(
                "Someone in these pairs is not open to mentoring. Reload the proposal."
            )
        people = User.objects.in_bulk(set(mentee_ids) | mentor_ids)
        return [(people[a], people[b]) for a, b in pairs]
