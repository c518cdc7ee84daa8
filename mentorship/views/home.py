"""Placeholder: filled in by this module's owner."""

from django.http import Http404


def my_mentoring(request, *args, **kwargs):
    raise Http404("Not built yet.")


def profile_edit(request, *args, **kwargs):
    raise Http404("Not built yet.")
