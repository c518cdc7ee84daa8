"""PLACEHOLDER: to be written."""

from django.http import Http404


def kudos_give(request, **kwargs):
    raise Http404


def people_lookup(request, **kwargs):
    raise Http404
