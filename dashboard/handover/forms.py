"""The hand-over form: deactivate or move to a team, and a successor per kind of work."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from dashboard.handover.kinds import KINDS
from dashboard.models import HandOver
from people.models import Team, User


class PeopleSelect(forms.Select):
    """A select of every active colleague, written in one pass: Django's template per option
    cost more than the rest of the page (six selects of everyone). Same markup."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], mark_safe(" selected") if option["selected"] else "",
                 option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )  # fmt: skip
        return format_html('<select name="{}"{}>{}</select>', widget["name"],
                           flatatt(widget["attrs"]), options)  # fmt: skip


class SuccessorChoice(forms.ModelChoiceField):
    widget = PeopleSelect

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
        # The options are read once for the six selects (each would query its own); the
        # queryset still validates what is sent.
        options: list | None = None
        for kind in KINDS:
            field = SuccessorChoice(
                label=f"{kind.title}: hand to",
                queryset=people,
                required=not kind.may_release,
                initial=default.pk,
                empty_label="Release them (each is told)" if kind.may_release else None,
            )
            if options is None:
                options = [(pk, label) for pk, label in field.choices if pk != ""]
            blank = [("", field.empty_label)] if field.empty_label is not None else []
            field.widget.choices = blank + options
            self.fields[kind.key] = field

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
