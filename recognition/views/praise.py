"""PLACEHOLDER: to be written."""

from django.http import Http404


def kudos_promote(request, **kwargs):
    raise Http404


def praise_create(request, **kwargs):
    raise Http404


def praise_detail(request, **kwargs):
    raise Http404


def praise_promote(request, **kwargs):
    raise Http404


def story_detail(request, **kwargs):
    raise Http404


def story_article(request, **kwargs):
    raise Http404
