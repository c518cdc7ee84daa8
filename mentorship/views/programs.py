"""Placeholder: filled in by this module's owner."""

from django.http import Http404


def program_list(request, *args, **kwargs):
    raise Http404("Not built yet.")


def program_detail(request, *args, **kwargs):
    raise Http404("Not built yet.")


def program_edit(request, *args, **kwargs):
    raise Http404("Not built yet.")


def program_join(request, *args, **kwargs):
    raise Http404("Not built yet.")


def program_leave(request, *args, **kwargs):
    raise Http404("Not built yet.")
