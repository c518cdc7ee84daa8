"""Placeholder: filled in by this module's owner."""

from django.http import Http404


def my_suggestions(request, *args, **kwargs):
    raise Http404("Not built yet.")


def suggestions_for(request, *args, **kwargs):
    raise Http404("Not built yet.")


def mentor_request(request, *args, **kwargs):
    raise Http404("Not built yet.")


def mentor_assign(request, *args, **kwargs):
    raise Http404("Not built yet.")


def cohort_proposal(request, *args, **kwargs):
    raise Http404("Not built yet.")
