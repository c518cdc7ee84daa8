"""The team mentoring page's team picker."""

from __future__ import annotations

from django import forms


class TeamFilterForm(forms.Form):
    """Which of the manager's teams to show; a bad or foreign value is ignored (a stale link
    still shows the page, with all of the manager's teams)."""

    team = forms.SlugField(required=False, max_length=100)

    def team_slug(self) -> str:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("team") or ""
