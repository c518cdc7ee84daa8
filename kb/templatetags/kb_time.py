"""`{{ when|ago }}`: "just now" for the last minute, then humanize's "3 minutes ago"."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone

register = template.Library()


@register.filter
def ago(value) -> str:
    if value is None:
        return ""
    if timedelta(0) <= timezone.now() - value < timedelta(minutes=1):
        return "just now"
    return naturaltime(value)
