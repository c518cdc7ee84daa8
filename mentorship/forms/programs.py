"""The programme form: how a programme runs, how it weighs matches, and its milestones."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from mentorship.models import Program
from mentorship.models.programs import FACTORS, MAX_WEIGHT
from mentorship.selectors.programs import FACTOR_HELP
from training.models import Track

_field = Program._meta.get_field
# "30: Mid-point review" (also "day 30: …", "30 - …"): the day, then the title.
_MILESTONE_LINE = re.compile(r"^(?:day\s*)?(\d{1,4})\s*[:\-\u2013]\s*(.+)$", re.IGNORECASE)
MAX_MILESTONE_LINES = 40


def weight_field_name(factor: str) -> str:
    return f"weight_{factor}"


def milestones_parse(text: str) -> tuple[list[tuple[str, int]], list[str]]:
    """(title, day) pairs from lines written "day: title", and an error per line that is not;
    blank lines are skipped."""
    found, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = _MILESTONE_LINE.match(line)
        if match is None:
            errors.append(
                f"Line {number}: write the day, a colon, then the title, as in "
                f"“30: Mid-point review” (“{line[:40]}”)."
            )
            continue
        found.append((" ".join(match.group(2).split()), int(match.group(1))))
    return found, errors


def milestones_format(templates) -> str:
    return "\n".join(f"{t.offset_days}: {t.title}" for t in templates)


def _bounded(name: str, **kwargs) -> forms.IntegerField:
    """The model field's form field with its validators' bounds as min and max, so the page
    says "at most 90" and the browser's number input knows it too."""
    field = _field(name)
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            kwargs.setdefault("min_value", validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            kwargs.setdefault("max_value", validator.limit_value)
    return field.formfield(**kwargs)


class TrackChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Track) -> str:
        return obj.title if obj.status == "published" else f"{obj.title} (not published)"


class ProgramForm(forms.Form):
    """A programme's settings. Limits, labels and help come from the model's fields; one
    whole-number field per matching factor; milestones one per line."""

    description = _field("description").formfield(widget=forms.Textarea(attrs={"rows": 5}))
    duration_weeks = _bounded("duration_weeks", label="Duration (weeks)")
    cadence_days = _bounded("cadence_days")
    accept_window_days = _bounded("accept_window_days")
    is_open = forms.BooleanField(
        label="Open to new mentees and pairings",
        required=False,
        help_text=_field("is_open").help_text,
    )
    required_track = TrackChoiceField(
        queryset=Track.objects.none(),
        required=False,
        label="Mentor training required",
        empty_label="None",
        help_text="Mentors must have completed this track. Peer mentoring has none.",
    )
    milestones = forms.CharField(
        required=False,
        label="Milestones",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_MILESTONE_LINES * 210,
        help_text="One per line: the day after the start, a colon, the title, as in "
        "“30: Mid-point review”. Pairings that start from now on get them.",
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        # Published tracks, and the one already required even if it was unpublished since
        # (so saving other settings does not silently drop it).
        tracks = Track.objects.published()
        if program.required_track_id:
            tracks = tracks | Track.objects.filter(pk=program.required_track_id)
        self.fields["required_track"].queryset = tracks.order_by("title", "pk")
        if program.kind == Program.Kind.PEER:
            self.fields["required_track"].disabled = True
            self.fields["required_track"].help_text = "Peer mentoring has no mentor training."
        for factor, label in FACTORS.items():
            self.fields[weight_field_name(factor)] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=MAX_WEIGHT,
                help_text=FACTOR_HELP[factor],
                widget=forms.NumberInput(attrs={"class": "weight-input"}),
            )

    @classmethod
    def initial_for(cls, program: Program) -> dict:
        initial = {
            "description": program.description,
            "duration_weeks": program.duration_weeks,
            "cadence_days": program.cadence_days,
            "accept_window_days": program.accept_window_days,
            "is_open": program.is_open,
            "required_track": program.required_track_id,
            "milestones": milestones_format(program.milestones.all()),
        }
        weights = program.weights if isinstance(program.weights, dict) else {}
        for factor in FACTORS:
            initial[weight_field_name(factor)] = weights.get(factor, 0)
        return initial

    def weight_fields(self):
        return [self[weight_field_name(factor)] for factor in FACTORS]

    def other_fields(self):
        names = {weight_field_name(factor) for factor in FACTORS}
        return [field for field in self.visible_fields() if field.name not in names]

    def clean_milestones(self) -> list[tuple[str, int]]:
        found, errors = milestones_parse(self.cleaned_data["milestones"])
        if errors:
            raise forms.ValidationError(errors)
        if len(found) > MAX_MILESTONE_LINES:
            raise forms.ValidationError(f"Keep it to at most {MAX_MILESTONE_LINES} milestones.")
        return found

    def clean(self):
        data = super().clean()
        names = [weight_field_name(factor) for factor in FACTORS]
        if all(name in data for name in names) and not any(data[name] for name in names):
            self.add_error(None, "Give at least one matching factor a weight above 0.")
        return data

    def service_data(self) -> dict:
        """What `program_update` takes, from the cleaned data."""
        data = dict(self.cleaned_data)
        data["weights"] = {factor: data.pop(weight_field_name(factor)) for factor in FACTORS}
        if self.program.kind == Program.Kind.PEER:
            data["required_track"] = None
        return data
