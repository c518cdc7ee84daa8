"""Forms of knowledge-sharing sessions: scheduling, the list's filters, attendance, notes."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from people.forms import VocabularyField
from people.models import Team, User
from training.models import Session, SessionSignup

_field = Session._meta.get_field
# What <input type="datetime-local"> sends and shows: the viewer's wall-clock time.
_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=_LOCAL_FORMAT)


class PeopleField(forms.ModelMultipleChoiceField):
    """Active colleagues, listed by the name they are shown by."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.name} ({obj.username})" if obj.name != obj.username else obj.name


class SessionForm(forms.Form):
    """A session's details. Times are read in the time zone active for the request (the
    viewer's, from their profile); limits, labels and help come from the model's fields."""

    title = _field("title").formfield()
    kind = forms.ChoiceField(choices=Session.Kind.choices, label="Kind")
    presenters = PeopleField(
        queryset=User.objects.active(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Who presents or facilitates; you, if nobody is chosen. Hold Ctrl (Cmd on a "
        "Mac) to choose several.",
    )
    starts_at = forms.DateTimeField(label="Starts", widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label="Ends", widget=LocalDateTimeInput())
    location = _field("location").formfield(help_text="A room or an address.")
    video_url = _field("video_url").formfield(
        assume_scheme="https", help_text="For people joining online. Give a place, a link, or both."
    )
    agenda = _field("agenda").formfield(
        widget=forms.Textarea(attrs={"rows": 6}), help_text="What it covers, in what order."
    )
    capacity = forms.IntegerField(
        min_value=1,
        max_value=10_000,
        initial=20,
        label="Seats",
        help_text=_field("capacity").help_text,
    )
    visibility = forms.ChoiceField(
        choices=Session.Visibility.choices, label="Who may see it and sign up"
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="When only chosen teams may see it.",
    )
    skills = VocabularyField(required=False, help_text="The skills it covers, separated by commas.")

    def __init__(self, *args, zone_name: str = "UTC", session: Session | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        for name in ("starts_at", "ends_at"):
            self.fields[name].help_text = f"In your time zone ({zone_name})."
        if session is not None:
            self.fields["presenters"].required = True
            self.fields[
                "presenters"
            ].help_text = "Who presents or facilitates. Hold Ctrl (Cmd on a Mac) to choose several."

    @classmethod
    def initial_for(cls, session: Session) -> dict:
        return {
            "title": session.title,
            "kind": session.kind,
            "presenters": list(session.presenters.all()),
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "location": session.location,
            "video_url": session.video_url,
            "agenda": session.agenda,
            "capacity": session.capacity,
            "visibility": session.visibility,
            "teams": list(session.teams.all()),
            "skills": list(session.skills.all()),
        }

    def _unchanged(self, name: str, value):
        """The session's own time when the minute shown was sent back as it was: the form
        has no seconds, and dropping a stored time's seconds would count as moving it."""
        if self.session is None or value is None:
            return value
        stored = getattr(self.session, name)
        return stored if value == stored.replace(second=0, microsecond=0) else value

    def clean(self):
        data = super().clean()
        for name in ("starts_at", "ends_at"):
            if name in data:
                data[name] = self._unchanged(name, data[name])
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end must be after the start.")
        moved = self.session is None or (starts and starts != self.session.starts_at)
        if starts and moved and starts < timezone.now():
            self.add_error("starts_at", "This time has passed: choose a time to come.")
        # Only when both were read: an invalid link has its own error already.
        both_read = "location" in data and "video_url" in data
        if both_read and not data["location"] and not data["video_url"]:
            self.add_error("location", "Give a place, a video link, or both.")
        if data.get("visibility") == Session.Visibility.TEAMS and not data.get("teams"):
            self.add_error("teams", "Choose at least one team, or open it to everyone.")
        return data


class SessionFilterForm(forms.Form):
    """The list's filters; a bad value is ignored, as a stale link should still list."""

    when = forms.ChoiceField(
        required=False, choices=[("upcoming", "Upcoming"), ("past", "Past")],
        widget=forms.HiddenInput,
    )  # fmt: skip
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "All kinds"), *Session.Kind.choices],
        widget=forms.Select(attrs={"class": "input"}),
    )
    presenter = forms.TypedChoiceField(
        label="Presenter",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "input"}),
    )
    skill = forms.ChoiceField(
        label="Skill", required=False, widget=forms.Select(attrs={"class": "input"})
    )
    mine = forms.BooleanField(label="Only mine", required=False)

    def __init__(self, *args, presenters=(), skills=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].choices = [("", "Anyone"), *((p.pk, p.name) for p in presenters)]
        self.fields["skill"].choices = [("", "Any skill"), *((s.slug, s.name) for s in skills)]


class AttendanceForm(forms.Form):
    """Who came, among the people signed up or waitlisted."""

    attended = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Attended",
    )

    def __init__(self, *args, signups: list[SessionSignup], **kwargs):
        super().__init__(*args, **kwargs)
        waitlisted = SessionSignup.Status.WAITLISTED
        self.fields["attended"].choices = [
            (s.user_id, f"{s.user.name} (waitlisted)" if s.status == waitlisted else s.user.name)
            for s in signups
        ]
        if not self.is_bound:
            self.initial["attended"] = [s.user_id for s in signups if s.attended]


class NotesForm(forms.Form):
    """The notes and the recording's link. The notes' field is called `body`, the name the
    knowledge base's Markdown editor sends to its live preview."""

    body = _field("notes").formfield(
        label="Notes",
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Markdown. What was presented, what people asked, what they agreed on.",
    )
    recording_url = _field("recording_url").formfield(
        assume_scheme="https", help_text="A link to the recording, if there is one."
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=300,
        help_text="Everyone signed up reads this in their notification.",
        widget=forms.TextInput,
    )

    def clean_reason(self) -> str:
        return " ".join(self.cleaned_data["reason"].split())
