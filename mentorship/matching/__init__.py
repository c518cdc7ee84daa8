"""Mentor matching: hard constraints (`constraints`), factor scores with their explanation,
ranked suggestions with fairness rotation, and optimal whole-cohort assignment."""
