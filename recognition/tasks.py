"""PLACEHOLDER: to be written (badges_award)."""
