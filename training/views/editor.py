"""Placeholder views until this module is written."""

from __future__ import annotations


def catalogue(request, **kwargs):
    raise NotImplementedError


def track_create(request, **kwargs):
    raise NotImplementedError


def track_edit(request, **kwargs):
    raise NotImplementedError


def track_publish(request, **kwargs):
    raise NotImplementedError


def step_add(request, **kwargs):
    raise NotImplementedError


def step_edit(request, **kwargs):
    raise NotImplementedError


def step_move(request, **kwargs):
    raise NotImplementedError


def step_remove(request, **kwargs):
    raise NotImplementedError


def question_add(request, **kwargs):
    raise NotImplementedError


def question_remove(request, **kwargs):
    raise NotImplementedError
