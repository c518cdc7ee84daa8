"""PLACEHOLDER: to be written."""

from django.http import Http404


def value_list(request, **kwargs):
    raise Http404


def badge_list(request, **kwargs):
    raise Http404
