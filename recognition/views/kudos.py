"""PLACEHOLDER: to be written."""

from django.http import Http404


def kudos_detail(request, **kwargs):
    raise Http404


def kudos_react(request, **kwargs):
    raise Http404


def kudos_comment(request, **kwargs):
    raise Http404


def kudos_report(request, **kwargs):
    raise Http404
