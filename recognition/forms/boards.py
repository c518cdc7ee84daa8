"""The filters of the leaderboards and of a manager's team recognition page. They read the
query string only; the teams and values they offer are read once by the view and passed in,
so validating a choice costs no query."""

from __future__ import annotations

from django import forms

from people.models import Team
from recognition.models import Value
from recognition.selectors.periods import DEFAULT_PERIOD, PERIODS

_SLUG_MAX = 100


class _PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label="Period",
        choices=PERIODS,
        required=False,
        error_messages={"invalid_choice": "Choose one of the periods offered; showing this month."},
    )

    def period_key(self) -> str:
        """The period asked for, or this month when none or an unknown one was."""
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("period") or DEFAULT_PERIOD


class BoardFilterForm(_PeriodForm):
    """Period, team and value of the leaderboards. A value not offered is an error shown
    beside its filter, and the boards show what the other filters ask for."""

    team = forms.ChoiceField(
        label="Team",
        required=False,
        error_messages={"invalid_choice": "No team has that name; showing every team."},
    )
    value = forms.ChoiceField(
        label="Value",
        required=False,
        error_messages={"invalid_choice": "No value has that name; showing every value."},
    )

    field_order = ["period", "team", "value"]

    def __init__(self, data=None, *, teams: list[Team], values: list[Value]):
        super().__init__(data)
        self._teams = {team.slug: team for team in teams}
        self._values = {value.slug: value for value in values}
        self.fields["team"].choices = [("", "All teams")] + [(t.slug, t.name) for t in teams]
        self.fields["value"].choices = [("", "All values")] + [
            (v.slug, f"{v.emoji} {v.name}" + ("" if v.is_active else " (retired)")) for v in values
        ]

    def chosen(self) -> tuple[str, Team | None, Value | None]:
        """The period key, team and value to show; each bad one is left at its default."""
        period = self.period_key()
        data = getattr(self, "cleaned_data", {})
        return (
            period,
            self._teams.get(data.get("team") or ""),
            self._values.get(data.get("value") or ""),
        )


class TeamRecognitionForm(_PeriodForm):
    """The team page's period, and the team asked for by its slug, as typed: whether the
    viewer may see that team is the view's question (a 403, not a form error)."""

    team = forms.CharField(label="Team", required=False, max_length=_SLUG_MAX, strip=True)

    field_order = ["team", "period"]

    def team_slug(self) -> str:
        """The slug asked for; "" for none. A value too long to be a slug is returned as it
        came, so it is refused as a team the viewer does not see, like any other."""
        self.is_valid()
        if "team" in getattr(self, "cleaned_data", {}):
            return self.cleaned_data["team"] or ""
        return str(self.data.get("team", ""))
