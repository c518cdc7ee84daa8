"""The hand-over form: deactivate or move to a team, and a successor per kind of work."""

from __future__ import annotations

from django import forms

from dashboard.handover.kinds import KINDS
from dashboard.models import HandOver
from people.models import Team, User


class SuccessorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.name} ({obj.username})"


class HandOverForm(forms.Form):
    action = forms.ChoiceField(
        label="What happens to them",
        choices=HandOver.Action.choices,
        widget=forms.RadioSelect,
        initial=HandOver.Action.DEACTIVATE,
    )
    new_team = forms.ModelChoiceField(
        label="Team they move to",
        queryset=Team.objects.none(),
        required=False,
        empty_label="(only when moving)",
    )

    def __init__(self, *args, person: User, default: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        teams = Team.objects.all()
        if person.team_id:
            teams = teams.exclude(pk=person.team_id)
        self.fields["new_team"].queryset = teams
        # Active colleagues but the person: an inactive successor would orphan it again.
        people = User.objects.active().exclude(pk=person.pk)
        for kind in KINDS:
            self.fields[kind.key] = SuccessorChoice(
                label=f"{kind.title}: hand to",
                queryset=people,
                required=not kind.may_release,
                initial=default.pk,
                empty_label="Release them (each is told)" if kind.may_release else None,
            )

    def clean(self):
        data = super().clean()
        moving = data.get("action") == HandOver.Action.MOVE
        if moving and not data.get("new_team") and "new_team" not in self.errors:
            self.add_error("new_team", "Choose the team they move to.")
        if data.get("action") == HandOver.Action.DEACTIVATE:
            data["new_team"] = None
        return data

    def successors(self) -> dict[str, User | None]:
        return {kind.key: self.cleaned_data.get(kind.key) for kind in KINDS}
