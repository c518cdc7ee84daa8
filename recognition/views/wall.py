"""PLACEHOLDER: to be written."""

from django.http import Http404


def wall(request, **kwargs):
    raise Http404
