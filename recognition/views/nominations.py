"""PLACEHOLDER: to be written."""

from django.http import Http404


def nomination_list(request, **kwargs):
    raise Http404


def nomination_create(request, **kwargs):
    raise Http404


def nomination_detail(request, **kwargs):
    raise Http404


def nomination_decide(request, **kwargs):
    raise Http404
