"""Forms of cross-training and external learning. They parse what was typed (limits and
labels from the models' fields); the rules (dates, hosts, overlaps) are the services', whose
refusals come back beside the field they name (`add_service_errors`)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from people.models import Team, User
from training.models import ExternalLearning, Rotation

_rotation = Rotation._meta.get_field
_external = ExternalLearning._meta.get_field


def _date_input() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=_date_input(), **kwargs)


def _text(field, rows: int = 5, **kwargs):
    return field.formfield(widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal onto the form: beside the field it names when the form has that
    field, at the top otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: User) -> str:
        return f"{person.name} ({person.team})" if person.team_id else person.name


class RotationForm(forms.Form):
    kind = forms.ChoiceField(
        choices=Rotation.Kind.choices,
        initial=Rotation.Kind.ROTATION,
        widget=forms.RadioSelect,
        label="What kind",
        help_text="A job rotation: a day to six weeks with another team. Shadowing: one day "
        "beside a colleague of another team.",
    )
    # Required by kind (a team to join, or a colleague to shadow): checked in `clean`.
    host_team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        empty_label="Choose a team…",
        label="Host team",
        help_text="For a job rotation: the team you join.",
    )
    host_person = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose a colleague…",
        label="Colleague",
        help_text="For shadowing: who you shadow (their team hosts you). Optional for a "
        "rotation: someone of the host team to guide you.",
    )
    starts_on = _date_field("First day", error_messages={"required": "Choose the first day."})
    ends_on = _date_field(
        "Last day", required=False, help_text="Leave empty for shadowing (one day)."
    )
    goals = _text(_rotation("goals"), label="What do you want to learn?", help_text="")

    def __init__(self, *args, participant: User, **kwargs):
        super().__init__(*args, **kwargs)
        own_team = participant.team_id
        self.fields["host_team"].queryset = Team.objects.exclude(pk=own_team)
        self.fields["host_person"].queryset = (
            User.objects.active()
            .exclude(pk=participant.pk)
            .exclude(team=None)
            .exclude(team=own_team)
            .select_related("team")
        )

    def clean(self):
        """Every field the chosen kind needs, flagged at once (the service checks them again,
        but stops at the form's first error otherwise)."""
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        shadowing = data.get("kind") == Rotation.Kind.SHADOWING
        if shadowing and data.get("host_person") is None and "host_person" not in self.errors:
            self.add_error("host_person", "Choose the colleague you want to shadow.")
        if not shadowing:
            if data.get("host_team") is None and "host_team" not in self.errors:
                self.add_error("host_team", "Choose the team you want to join.")
            if ends_on is None and "ends_on" not in self.errors:
                self.add_error("ends_on", "Choose the last day.")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The last day is before the first day.")
        return data


class DecisionForm(forms.Form):
    """Approve, or decline with a reason (required then). The page posts it from two forms,
    each with its own button: "Approve", and "Decline" with the reason box."""

    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Decline")],
        widget=forms.HiddenInput,
        label="Approve or decline",
    )
    reason = _text(
        _rotation("decline_reason"),
        rows=3,
        label="Why do you decline?",
        help_text="Required. The person is told this reason.",
    )
    # Shown only in the decline form, where it is needed.
    reason.widget.attrs["aria-required"] = "true"

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why you decline.")
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class ReflectionForm(forms.Form):
    reflection = _text(
        _rotation("reflection"),
        rows=10,
        required=True,
        label="What did you learn?",
        help_text="What worked in the host team, what you will do differently, what your own "
        "team could adopt. The host confirms it; you can then share it as a lesson learned.",
    )


class ExternalLearningForm(forms.Form):
    title = _external("title").formfield()
    kind = forms.ChoiceField(
        choices=ExternalLearning.Kind.choices, initial=ExternalLearning.Kind.COURSE, label="Kind"
    )
    provider = _external("provider").formfield(help_text="Who runs it (optional).")
    starts_on = _date_field("First day")
    ends_on = _date_field("Last day")
    hours = _external("hours").formfield(
        label="Hours", help_text="Hours of learning, from 0.5 to 1000, e.g. 7.5."
    )
    url = _external("url").formfield(
        label="Link", help_text="Its page (optional).", assume_scheme="https"
    )
    takeaways = _text(_external("takeaways"), rows=6)
    ask_approval = forms.BooleanField(
        required=False,
        label="Ask my manager's approval first",
        help_text="Your team's managers are asked; it shows as waiting until one decides.",
    )

    def __init__(self, *args, entry: ExternalLearning | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if entry is not None and entry.approval in (
            ExternalLearning.Approval.PENDING,
            ExternalLearning.Approval.APPROVED,
        ):
            # Already asked: changing what was approved asks again by itself.
            del self.fields["ask_approval"]

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The last day is before the first day.")
        return data

    @classmethod
    def initial_for(cls, entry: ExternalLearning) -> dict:
        names = ("title", "kind", "provider", "starts_on", "ends_on", "hours", "url", "takeaways")
        return {name: getattr(entry, name) for name in names}
