"""Placeholder views until this module is written."""

from __future__ import annotations


def my_training(request, **kwargs):
    raise NotImplementedError


def track_detail(request, **kwargs):
    raise NotImplementedError


def track_enrol(request, **kwargs):
    raise NotImplementedError


def track_withdraw(request, **kwargs):
    raise NotImplementedError


def step_detail(request, **kwargs):
    raise NotImplementedError


def step_done(request, **kwargs):
    raise NotImplementedError


def quiz_submit(request, **kwargs):
    raise NotImplementedError


def attempt_detail(request, **kwargs):
    raise NotImplementedError


def task_reviews(request, **kwargs):
    raise NotImplementedError


def task_confirm(request, **kwargs):
    raise NotImplementedError


def certificate(request, **kwargs):
    raise NotImplementedError
