from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from notifications.models import Notification
from people.models import User


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    teammates = []
    if user.team_id:
        teammates = (
            User.objects.visible_to(user).filter(team_id=user.team_id).exclude(pk=user.pk)[:8]
        )
    context = {
        "profile_gaps": user.profile_gaps(),
        "recent_notifications": Notification.objects.for_user(user)[:5],
        "teammates": teammates,
    }
    return render(request, "dashboard/home.html", context)
