"""Mentorship's reads that are more than one queryset (suggestions, plans, reports)."""
