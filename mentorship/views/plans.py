"""Placeholder: filled in by this module's owner."""

from django.http import Http404


def goal_add(request, *args, **kwargs):
    raise Http404("Not built yet.")


def goal_edit(request, *args, **kwargs):
    raise Http404("Not built yet.")


def milestone_done(request, *args, **kwargs):
    raise Http404("Not built yet.")


def meeting_add(request, *args, **kwargs):
    raise Http404("Not built yet.")


def meeting_edit(request, *args, **kwargs):
    raise Http404("Not built yet.")


def meeting_ics(request, *args, **kwargs):
    raise Http404("Not built yet.")


def action_add(request, *args, **kwargs):
    raise Http404("Not built yet.")


def action_done(request, *args, **kwargs):
    raise Http404("Not built yet.")
