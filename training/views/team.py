"""Placeholder views until this module is written."""

from __future__ import annotations


def track_assign(request, **kwargs):
    raise NotImplementedError


def team_progress(request, **kwargs):
    raise NotImplementedError


def team_progress_csv(request, **kwargs):
    raise NotImplementedError
