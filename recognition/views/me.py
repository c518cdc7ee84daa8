"""PLACEHOLDER: to be written."""

from django.http import Http404


def my_recognition(request, **kwargs):
    raise Http404
