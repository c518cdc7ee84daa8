"""Placeholder: replaced by the real views."""

from django.http import HttpResponse


def question_detail(request, pk=None):
    return HttpResponse("Not built yet", status=501)


def answers_new(request, pk=None):
    return HttpResponse("Not built yet", status=501)


def answer_post(request, pk=None):
    return HttpResponse("Not built yet", status=501)


def question_comment(request, pk=None):
    return HttpResponse("Not built yet", status=501)


def question_vote(request, pk=None):
    return HttpResponse("Not built yet", status=501)


def answer_edit(request, pk=None):
    return HttpResponse("Not built yet", status=501)


def answer_history(request, pk=None):
    return HttpResponse("Not built yet", status=501)


def answer_accept(request, pk=None):
    return HttpResponse("Not built yet", status=501)


def answer_vote(request, pk=None):
    return HttpResponse("Not built yet", status=501)


def answer_comment(request, pk=None):
    return HttpResponse("Not built yet", status=501)
