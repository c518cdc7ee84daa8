"""Placeholder: filled in by this module's owner."""

from django.http import Http404


def team_pairings(request, *args, **kwargs):
    raise Http404("Not built yet.")


def program_report(request, *args, **kwargs):
    raise Http404("Not built yet.")


def program_report_csv(request, *args, **kwargs):
    raise Http404("Not built yet.")
