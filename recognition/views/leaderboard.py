"""PLACEHOLDER: to be written."""

from django.http import Http404


def leaderboard(request, **kwargs):
    raise Http404
