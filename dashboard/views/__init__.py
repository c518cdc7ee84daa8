"""The dashboard's pages, one module per area, re-exported so `views.home` stays put."""

from dashboard.views.handover import handover
from dashboard.views.home import home, review_count
from dashboard.views.insights import insights, insights_csv

__all__ = ["handover", "home", "insights", "insights_csv", "review_count"]
