"""Forms of a pairing's plan: a goal, a meeting, an action item, and the done toggles.

They check types and ranges; the rules that need the pairing (who may own an action item,
how far from today a meeting may be, which tracks the mentee may take) are the services',
shown beside the fields through `people.web.form_refusal`. Times are read in the viewer's
time zone (ViewerTimeZoneMiddleware), as the session form reads them."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from mentorship.models import Goal, Meeting
from people.models import User
from training.forms.sessions import LocalDateTimeInput
from training.models import Track


def _date_field(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a real date, such as 2025-06-30."},
    )


class TrackField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Track) -> str:
        return obj.title


class GoalForm(forms.Form):
    title = Goal._meta.get_field("title").formfield()
    description = Goal._meta.get_field("description").formfield(
        widget=forms.Textarea(attrs={"rows": 4}), help_text="What success looks like."
    )
    status = forms.ChoiceField(choices=Goal.Status.choices, label="Status")
    progress = forms.IntegerField(
        min_value=0,
        max_value=100,
        initial=0,
        label="Progress (%)",
        help_text="Met sets 100%. A goal linked to a track follows the mentee's progress on it.",
    )
    due_on = _date_field("Due date", "Optional.")
    track = TrackField(
        queryset=Track.objects.none(),
        required=False,
        label="Linked training track",
        empty_label="No track",
        help_text="Optional. The goal is met when the mentee completes this track.",
    )

    def __init__(self, *args, mentee: User, goal: Goal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        takeable = Track.objects.published().visible_to(mentee).values("pk")
        # A goal keeps the track it was linked to, even one since unpublished.
        current = Q(pk=goal.track_id) if goal is not None and goal.track_id else Q(pk__in=[])
        self.fields["track"].queryset = Track.objects.filter(Q(pk__in=takeable) | current).order_by(
            "title"
        )

    @classmethod
    def initial_for(cls, goal: Goal) -> dict:
        return {
            "title": goal.title,
            "description": goal.description,
            "status": goal.status,
            "progress": goal.progress,
            "due_on": goal.due_on,
            "track": goal.track_id,
        }


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(label="Starts", widget=LocalDateTimeInput())
    duration_minutes = forms.IntegerField(
        min_value=5,
        max_value=480,
        initial=30,
        label="Duration (minutes)",
        help_text="From 5 minutes to 8 hours.",
    )
    agenda = Meeting._meta.get_field("agenda").formfield(
        widget=forms.Textarea(attrs={"rows": 4}), help_text="What you want to talk about."
    )
    notes = Meeting._meta.get_field("notes").formfield(
        label="Shared notes",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Shared by the two of you; nobody else reads them, managers included.",
    )

    def __init__(self, *args, zone_name: str = "UTC", meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields[
            "starts_at"
        ].help_text = f"In your time zone ({zone_name}). Plan one to come, or log one you held."

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        return {
            "starts_at": meeting.starts_at,
            "duration_minutes": meeting.duration_minutes,
            "agenda": meeting.agenda,
            "notes": meeting.notes,
        }

    def clean_starts_at(self):
        """The meeting's own time when the minute shown was sent back as it was: the form has
        no seconds, and dropping a stored time's seconds would count as moving it."""
        value = self.cleaned_data["starts_at"]
        if self.meeting is not None and value is not None:
            stored = self.meeting.starts_at
            if value == stored.replace(second=0, microsecond=0):
                return stored
        return value


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.name


class ActionItemForm(forms.Form):
    title = forms.CharField(
        label="Action item", max_length=200, help_text="One thing to do before you meet again."
    )
    owner = OwnerField(queryset=User.objects.none(), label="Who does it", empty_label=None)
    due_on = _date_field("Due date", "Optional.")

    def __init__(self, *args, mentor: User, mentee: User, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the pair: anyone else sent is "not one of the choices", never saved.
        self.fields["owner"].queryset = User.objects.filter(pk__in=[mentor.pk, mentee.pk])
        self.fields["owner"].choices = [(mentee.pk, mentee.name), (mentor.pk, mentor.name)]

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())


class MarkForm(forms.Form):
    """A done toggle's target state, so a double submit is harmless."""

    done = forms.TypedChoiceField(
        choices=[("1", "Done"), ("0", "Not done")], coerce=lambda value: value == "1"
    )
