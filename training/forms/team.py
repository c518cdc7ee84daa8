"""Forms of the manager's pages: assigning a track, and the team page's filters."""

from __future__ import annotations

from django import forms
from django.utils.formats import date_format

from people.models import Team, User
from training.models import Enrolment, Track
from training.selectors.team import STATUS_CHOICES
from training.services.assignments import due_date_error

_NOT_YOURS = "Choose people from the teams you manage."


class AssignForm(forms.Form):
    """Who gets the track (people of the manager's teams, a whole team, or both) and by
    when. People are listed by team, each with what they already have of this track."""

    people = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="People",
        error_messages={
            "invalid_choice": _NOT_YOURS,
            "invalid_pk_value": _NOT_YOURS,
            "invalid_list": _NOT_YOURS,
        },
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        label="Everyone in a team",
        empty_label="No whole team",
        help_text="Its active members today; people who join later are not included.",
        error_messages={"invalid_choice": "Choose one of the teams you manage."},
        widget=forms.Select(attrs={"class": "input"}),
    )
    due_on = forms.DateField(
        required=False,
        label="Due date",
        help_text="Optional. People are reminded 3 days before, on the day, and when late.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a real date, such as 2025-06-30."},
    )

    def __init__(self, *args, manager, track: Track, **kwargs):
        super().__init__(*args, **kwargs)
        self.manager = manager
        teams = Team.objects.managed_by(manager).order_by("name", "pk")
        self.fields["team"].queryset = teams
        people = list(
            User.objects.active()
            .filter(team__in=teams.values("pk"))
            .select_related("team")
            .order_by("team__name", "team__pk")
        )
        people.sort(key=lambda p: (p.team.name.lower(), p.name.lower(), p.pk))
        self.fields["people"].queryset = User.objects.active().filter(team__in=teams.values("pk"))
        had = {
            e.user_id: e
            for e in Enrolment.objects.filter(track=track, user__in=[p.pk for p in people])
        }
        self.fields["people"].choices = [(p.pk, p.name) for p in people]
        self._teams_of = {p.pk: p.team for p in people}
        self._notes = {p.pk: _note(had.get(p.pk)) for p in people}

    def people_groups(self) -> list[tuple[Team, list[tuple]]]:
        """The people's checkboxes grouped by team, for one fieldset per team: each a
        (checkbox, note) pair, the note saying what they already have of this track."""
        groups: dict[int, tuple[Team, list]] = {}
        for widget in self["people"]:
            pk = int(widget.data["value"])
            team = self._teams_of[pk]
            groups.setdefault(team.pk, (team, []))[1].append((widget, self._notes[pk]))
        return list(groups.values())

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if error := due_date_error(due_on, manager=self.manager):
            raise forms.ValidationError(error)
        return due_on

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("people") and not data.get("team"):
            self.add_error("people", "Choose people, a whole team, or both.")
        return data


def _note(enrolment: Enrolment | None) -> str:
    """What a person already has of the track, shown under their name."""
    if enrolment is None:
        return ""
    if enrolment.status == Enrolment.Status.COMPLETED:
        return "Completed"
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        return "Withdrew"
    due = f", due {date_format(enrolment.due_on)}" if enrolment.due_on else ""
    return f"On this track{due}"


class TeamFilterForm(forms.Form):
    """The team page's picker and filters; a bad value is ignored (a stale link still
    shows the page), and a team the viewer does not manage shows all of theirs."""

    team = forms.CharField(required=False, max_length=100)
    track = forms.SlugField(required=False, max_length=120)
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *STATUS_CHOICES])

    def filters(self) -> dict[str, str]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in ("team", "track", "status")}
