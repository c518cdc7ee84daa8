"""Placeholder: replaced by the real views."""

from django.http import HttpResponse


def question_promote(request, pk=None):
    return HttpResponse("Not built yet", status=501)
