"""The insights page's choices: which team and which period. Bad dates are a form error
(shown on the page with a 400), never a 500."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone

PERIOD_CHOICES = [
    ("30", "Last 30 days"),
    ("90", "Last 90 days"),
    ("365", "Last 365 days"),
    ("custom", "From-to dates"),
]
DEFAULT_PERIOD = "30"
# A report over more than this is slow to read and says little per person; it also bounds
# what a typed date can ask the database for.
MAX_DAYS = 3 * 366
EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole days on the viewer's clock: [start, end) from midnight to midnight, and the same
    days as dates, `first_day` up to, not including, `end_day` (for rows dated by day, such
    as a praise). "Last 30 days" is today and the 29 days before it."""

    key: str
    start: datetime
    end: datetime

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def end_day(self) -> date:
        return self.end.date()

    @property
    def days(self) -> int:
        return (self.end_day - self.first_day).days

    @property
    def title(self) -> str:
        last = self.end_day - timedelta(days=1)
        return f"{self.first_day:%-d %b %Y} to {last:%-d %b %Y}"


class InsightsForm(forms.Form):
    team = forms.SlugField(required=False, max_length=100, label="Team")
    period = forms.ChoiceField(
        choices=PERIOD_CHOICES, required=False, initial=DEFAULT_PERIOD, label="Period"
    )
    start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data=None, *, zone, now: datetime | None = None, **kwargs):
        super().__init__(data, **kwargs)
        self.zone = zone
        self.now = now or timezone.now()

    def clean(self):
        data = super().clean()
        if data.get("period") != "custom":
            return data
        start, end = data.get("start"), data.get("end")
        if "start" in self.errors or "end" in self.errors:
            return data
        if start is None or end is None:
            raise forms.ValidationError("Give both dates, or choose one of the periods.")
        today = timezone.localtime(self.now, self.zone).date()
        if start < EARLIEST:
            self.add_error("start", f"Choose a date from {EARLIEST:%-d %B %Y} on.")
        elif end < start:
            self.add_error("end", "The end date comes after the start date.")
        elif start > today:
            self.add_error("start", "The period has to start today or earlier.")
        elif (end - start).days >= MAX_DAYS:
            self.add_error("end", f"Choose a period of at most {MAX_DAYS} days.")
        return data

    def chosen_period(self) -> Period:
        """The chosen period (call after `is_valid()`); the last 30 days by default."""
        data = self.cleaned_data
        key = data.get("period") or DEFAULT_PERIOD
        if key == "custom":
            first, last = data["start"], data["end"]
        else:
            last = timezone.localtime(self.now, self.zone).date()
            first = last - timedelta(days=int(key) - 1)
        return Period(key, self._midnight(first), self._midnight(last + timedelta(days=1)))

    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=self.zone)

    def query(self) -> str:
        """The choices in effect as a query string, for the CSV links."""
        from urllib.parse import urlencode

        data = self.cleaned_data
        chosen = {"team": data.get("team") or "", "period": data.get("period") or ""}
        if data.get("period") == "custom":
            chosen["start"] = data["start"].isoformat()
            chosen["end"] = data["end"].isoformat()
        query = urlencode({k: v for k, v in chosen.items() if v})
        return f"?{query}" if query else ""
