"""Placeholder views until this module is written."""

from __future__ import annotations


def rotation_list(request, **kwargs):
    raise NotImplementedError


def rotation_create(request, **kwargs):
    raise NotImplementedError


def rotation_detail(request, **kwargs):
    raise NotImplementedError


def rotation_decide(request, **kwargs):
    raise NotImplementedError


def rotation_cancel(request, **kwargs):
    raise NotImplementedError


def rotation_reflect(request, **kwargs):
    raise NotImplementedError


def rotation_confirm(request, **kwargs):
    raise NotImplementedError


def rotation_share(request, **kwargs):
    raise NotImplementedError


def external_list(request, **kwargs):
    raise NotImplementedError


def external_create(request, **kwargs):
    raise NotImplementedError


def external_detail(request, **kwargs):
    raise NotImplementedError


def external_edit(request, **kwargs):
    raise NotImplementedError


def external_decide(request, **kwargs):
    raise NotImplementedError


def external_share(request, **kwargs):
    raise NotImplementedError
