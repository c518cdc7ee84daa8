"""Placeholder: filled in by this module's owner."""

from django.http import Http404


def pairing_detail(request, *args, **kwargs):
    raise Http404("Not built yet.")


def pairing_accept(request, *args, **kwargs):
    raise Http404("Not built yet.")


def pairing_decline(request, *args, **kwargs):
    raise Http404("Not built yet.")


def pairing_withdraw(request, *args, **kwargs):
    raise Http404("Not built yet.")


def pairing_end(request, *args, **kwargs):
    raise Http404("Not built yet.")


def pairing_extend(request, *args, **kwargs):
    raise Http404("Not built yet.")


def pairing_complete(request, *args, **kwargs):
    raise Http404("Not built yet.")


def pairing_feedback(request, *args, **kwargs):
    raise Http404("Not built yet.")
