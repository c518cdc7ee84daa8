"""A table as a CSV download, cell for cell what the page shows."""

from __future__ import annotations

import csv

from django.http import HttpResponse

from dashboard.insights.tables import Table
from people.exports import csv_safe


def table_csv(table: Table, *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the byte-order mark: spreadsheets then read names as UTF-8
    writer = csv.writer(response)
    for line in table.lines():
        writer.writerow([csv_safe(cell) for cell in line])
    return response
