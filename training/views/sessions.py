"""Placeholder views until this module is written."""

from __future__ import annotations


def session_list(request, **kwargs):
    raise NotImplementedError


def session_create(request, **kwargs):
    raise NotImplementedError


def calendar_settings(request, **kwargs):
    raise NotImplementedError


def calendar_feed(request, **kwargs):
    raise NotImplementedError


def session_detail(request, **kwargs):
    raise NotImplementedError


def session_edit(request, **kwargs):
    raise NotImplementedError


def session_signup(request, **kwargs):
    raise NotImplementedError


def session_leave(request, **kwargs):
    raise NotImplementedError


def session_cancel(request, **kwargs):
    raise NotImplementedError


def session_ics(request, **kwargs):
    raise NotImplementedError


def session_attendance(request, **kwargs):
    raise NotImplementedError


def session_notes(request, **kwargs):
    raise NotImplementedError


def session_notes_article(request, **kwargs):
    raise NotImplementedError
