"""Mentorship's forms, by concern."""
