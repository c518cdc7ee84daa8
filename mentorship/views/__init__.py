"""Mentorship's pages, by concern (DESIGN.md: a file past ~500 lines becomes a package)."""
