"""Placeholder: replaced by the real views."""

from django.http import HttpResponse


def question_ask(request, pk=None):
    return HttpResponse("Not built yet", status=501)


def question_suggestions(request, pk=None):
    return HttpResponse("Not built yet", status=501)


def question_deflect(request, pk=None):
    return HttpResponse("Not built yet", status=501)


def question_edit(request, pk=None):
    return HttpResponse("Not built yet", status=501)


def question_history(request, pk=None):
    return HttpResponse("Not built yet", status=501)


def question_close(request, pk=None):
    return HttpResponse("Not built yet", status=501)
