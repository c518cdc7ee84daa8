"""“My mentoring” and the mentoring profile."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from mentorship.forms.profiles import MentoringProfileForm
from mentorship.models import MentoringProfile, Pairing
from mentorship.selectors.home import my_mentoring as select_my_mentoring
from mentorship.services.programs import profile_update
from people.web import form_refusal


@require_safe
def my_mentoring(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {"mine": select_my_mentoring(user=request.user, now=now), "now": now}
    return render(request, "mentorship/home/my_mentoring.html", context)


@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = (
        MentoringProfile.objects.filter(user=request.user)
        .prefetch_related("topics", "develop")
        .first()
    )
    form = MentoringProfileForm(
        request.POST or None,
        initial=MentoringProfileForm.initial_for(profile),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = profile_update(user=request.user, data=form.cleaned_data)
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            messages.success(request, _saved_message(saved))
            return redirect("mentorship:home")
    person = request.user
    context = {
        "form": form,
        "profile": profile,
        "person": person,
        "skills": list(person.skills.all()),
        "interests": list(person.interests.all()),
    }
    status = 400 if form.is_bound else 200
    return render(request, "mentorship/home/profile_form.html", context, status=status)


def _saved_message(profile: MentoringProfile) -> str:
    if not profile.open_to_mentor:
        return "Your mentoring profile is saved."
    taken = Pairing.objects.filter(mentor=profile.user).holding_slot().count()
    if taken > profile.capacity:
        return (
            f"Your mentoring profile is saved. You mentor {taken} people, more than "
            f"{profile.capacity}: they go on, and nobody new is proposed until places free up."
        )
    return "Your mentoring profile is saved: colleagues can now be matched with you."
