from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string

from people import auth, hooks, services
from people.forms import ProfileForm
from people.models import Team, User

PEOPLE_PER_PAGE = 24


class LoginView(auth_views.LoginView):
    """Django's log-in page, plus the device cookie (people.auth) a successful log-in gives the
    browser, and a clear 429 with Retry-After while the account throttle refuses this browser
    (answered before any password check or lockout bookkeeping, so an attack costs little)."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        retry_after = auth.account_retry_after(request, request.POST.get("username", ""))
        if retry_after:
            return auth.account_throttled_response(request, retry_after)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        auth.set_device_cookie(response, form.get_user().get_username())
        return response


def _get_person(request: HttpRequest, username: str) -> User:
    return get_object_or_404(
        User.objects.visible_to(request.user).select_related("team"), username=username
    )


def _get_profile_for_editor(request: HttpRequest, username: str) -> User:
    person = _get_person(request, username)
    if person.pk != request.user.pk:
        raise PermissionDenied("You can only edit your own profile.")
    return person


def _add_directory_notes(request: HttpRequest, people: list[User]) -> None:
    """Other apps' lines on these people's cards ("Open to mentor on …"), one call per page."""
    notes = hooks.directory_notes(viewer=request.user, people=people)
    for person in people:
        person.directory_notes = notes.get(person.pk, [])


def directory(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    people = User.objects.visible_to(request.user).search(query).with_directory_data()
    team_slug = request.GET.get("team", "")
    if team_slug:
        people = people.filter(team__slug=team_slug)
    skill = request.GET.get("skill", "")[:100]
    if skill:
        people = people.filter(skills__name__iexact=skill)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    _add_directory_notes(request, page.object_list)
    context = {
        "page": page,
        "query": query,
        "skill": skill,
        "team_slug": team_slug,
        "teams": Team.objects.all(),
    }
    template = "people/includes/user_results.html" if request.htmx else "people/user_list.html"
    return render(request, template, context)


def profile(request: HttpRequest, username: str) -> HttpResponse:
    person = _get_person(request, username)
    context = {
        "person": person,
        "skills": person.skills.all(),
        "interests": person.interests.all(),
        "is_me": person.pk == request.user.pk,
        # What the apps above people know about this person (their `profile_sections.py`).
        "sections": [
            render_to_string(section.template, section.context, request=request)
            for section in hooks.profile_sections(viewer=request.user, person=person)
        ],
    }
    return render(request, "people/user_detail.html", context)


def profile_edit(request: HttpRequest, username: str) -> HttpResponse:
    person = _get_profile_for_editor(request, username)
    form = ProfileForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=person, data=dict(form.cleaned_data))
        messages.success(request, "Your profile is saved.")
        return redirect(person)
    status = 400 if form.errors else 200
    return render(request, "people/user_form.html", {"form": form, "person": person}, status=status)


def team_list(request: HttpRequest) -> HttpResponse:
    teams = Team.objects.with_member_counts().prefetch_related("managers")
    return render(request, "people/team_list.html", {"teams": teams})


def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(Team.objects.prefetch_related("managers"), slug=slug)
    members = list(User.objects.visible_to(request.user).filter(team=team).with_directory_data())
    _add_directory_notes(request, members)
    return render(request, "people/team_detail.html", {"team": team, "members": members})


def my_team(request: HttpRequest) -> HttpResponse:
    """A manager's view of the people they manage, with what each still has to do."""
    if not request.user.is_manager:
        raise PermissionDenied("Only managers have a team overview.")
    members = (
        User.objects.active()
        .annotate_profile_complete()
        .with_directory_data()
        .prefetch_related("groups")
    )
    teams = Team.objects.managed_by(request.user).prefetch_related(
        Prefetch("members", queryset=members, to_attr="active_members")
    )
    return render(request, "people/my_team.html", {"teams": teams})


MENTION_SUGGESTIONS = 8


def mention_suggest(request: HttpRequest) -> HttpResponse:
    """People whose username or name starts with what follows an @ being typed (after a
    bare @, the viewer's teammates): the options of the mention combobox, a listbox
    fragment, empty when nobody matches."""
    text = request.GET.get("q", "")[:50].strip()
    people = User.objects.active().visible_to(request.user).exclude(pk=request.user.pk)
    if text:
        people = people.filter(
            Q(username__istartswith=text)
            | Q(display_name__istartswith=text)
            | Q(first_name__istartswith=text)
            | Q(last_name__istartswith=text)
        )
    elif request.user.team_id:
        people = people.filter(team_id=request.user.team_id)  # a bare @: teammates first
    else:
        people = people.none()
    people = people.order_by("display_name", "username")[:MENTION_SUGGESTIONS]
    return render(request, "people/includes/mention_options.html", {"people": people})
