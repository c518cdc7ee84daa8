"""A table as a CSV download, cell for cell what the page shows."""

from __future__ import annotations

import csv

from django.http import HttpResponse

from dashboard.insights.tables import Table

# A cell starting with one of these is a formula to a spreadsheet (CSV injection); tab and
# carriage return too, as some spreadsheets drop them and read what follows.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """`value` as a cell a spreadsheet shows as text, never runs as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def table_csv(table: Table, *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the byte-order mark: spreadsheets then read names as UTF-8
    writer = csv.writer(response)
    for line in table.lines():
        writer.writerow([csv_safe(cell) for cell in line])
    return response
