"""What the page shows and the CSV downloads hold: one `Table` each, so the two cannot
disagree. A chart draws some of a table's columns, from the same rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

NONE = "—"


def text(value) -> str:
    """A cell as the page and the CSV both write it."""
    if value is None:
        return NONE
    if isinstance(value, float | Decimal):
        return str(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return str(value)


@dataclass(frozen=True)
class Row:
    label: str  # the row's header: a person, a category, a state
    values: tuple
    url: str = ""  # where the label links on the page (the CSV has the label alone)
    action_url: str = ""  # a button beside the row (hand-over), not a cell

    @property
    def cells(self) -> tuple[str, ...]:
        return (self.label, *(text(v) for v in self.values))


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    caption: str
    columns: tuple[str, ...]  # the header, the row label's column first
    rows: tuple[Row, ...] = ()
    chart: tuple[int, ...] = ()  # indexes into `values` drawn by the chart, if any
    chart_label: str = ""  # what the chart's bars count, for its axis and description
    action: str = ""  # the label of the rows' action button
    note: str = ""
    figures: tuple[tuple[str, str], ...] = field(default=())  # (label, value) shown above

    @property
    def chart_data(self) -> dict:
        """What static/js/insights-chart.js draws: one bar series per charted column."""
        return {
            "axis": self.chart_label,
            "labels": [row.label for row in self.rows],
            "datasets": [
                {"label": self.columns[i + 1], "data": [row.values[i] or 0 for row in self.rows]}
                for i in self.chart
            ],
        }

    @property
    def has_chart(self) -> bool:
        return bool(self.chart and self.rows)

    def lines(self) -> list[tuple[str, ...]]:
        """The header and every row, as text: what the CSV writes."""
        return [self.columns, *(row.cells for row in self.rows)]
