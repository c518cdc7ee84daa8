"""PLACEHOLDER: to be written."""

from django.http import Http404


def reward_list(request, **kwargs):
    raise Http404


def reward_redeem(request, **kwargs):
    raise Http404


def redemption_list(request, **kwargs):
    raise Http404


def redemption_decide(request, **kwargs):
    raise Http404
