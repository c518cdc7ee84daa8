"""Manager insights: a team's health over a period and its knowledge risk, as tables that
the page, its charts and its CSV downloads all read."""

from dashboard.insights.forms import InsightsForm, Period
from dashboard.insights.selectors import (
    TABLE_SLUGS,
    Insights,
    chosen_team,
    insight_teams,
    may_open_insights,
    team_insights,
)
from dashboard.insights.tables import Row, Table

__all__ = [
    "TABLE_SLUGS",
    "Insights",
    "InsightsForm",
    "Period",
    "Row",
    "Table",
    "chosen_team",
    "insight_teams",
    "may_open_insights",
    "team_insights",
]
