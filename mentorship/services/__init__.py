"""Mentorship's writes: keyword-only, atomic `<entity>_<action>` functions by concern."""
