"""Giving kudos: the form (also on the wall, which posts here) and the colleagues lookup its
recipients picker asks as you type."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from people.models import User
from people.web import form_refusal
from recognition.forms.kudos import ARTICLE_REF_MAX, KudosForm, split_usernames
from recognition.selectors.accounts import allowance_for
from recognition.services import kudos as kudos_services
from recognition.services.kudos import MAX_RECIPIENTS

RATE_GROUP = "recognition.give"
# How many colleagues the picker offers at once: enough to pick from, short enough to read.
LOOKUP_LIMIT = 10
LOOKUP_TEXT_MAX = 50
_PERIODS = {"s": "second", "m": "minute", "h": "hour", "d": "day"}


@require_http_methods(["GET", "POST"])
def kudos_give(request: HttpRequest) -> HttpResponse:
    """The give page. GET: the form, prefilled by `?to=maria,tom`, `?article=<slug>`,
    `?session=<pk>` and `?pairing=<pk>`. POST: give through `kudos_give`; a refusal shows
    the form again with each reason beside its field (400), too many posts in a short time
    the same with a message at the top (429); success goes to `?next=` when it is a page of
    Huddle, else to the wall."""
    giver = request.user
    next_url = _safe_next(request)
    if request.method != "POST":
        form = KudosForm(giver=giver, initial=_prefill(request))
        return _page(request, form, next_url=next_url)
    form = KudosForm(giver=giver, data=request.POST)
    if is_ratelimited(
        request, group=RATE_GROUP, key="user", rate=settings.RECOGNITION_KUDOS_RATE,
        method="POST", increment=True,
    ):  # fmt: skip
        form.add_error(None, _rate_message())
        return _page(request, form, next_url=next_url, status=429)
    if form.is_valid():
        try:
            kudos_services.kudos_give(giver=giver, **form.service_arguments())
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            names = [person.name for person in form.cleaned_data["recipients"]]
            messages.success(request, f"Kudos sent to {_and_list(names)}.")
            return redirect(next_url or reverse("recognition:wall"))
    return _page(request, form, next_url=next_url, status=400)


def _page(request: HttpRequest, form: KudosForm, *, next_url: str, status: int = 200):
    context = {
        "form": form,
        "allowance": allowance_for(request.user),
        "next": next_url,
    }
    return render(request, "recognition/give/kudos_give.html", context, status=status)


def _prefill(request: HttpRequest) -> dict:
    """The form's starting values from the address (links from an article, a session, a
    pairing or a profile). Nonsense is left for the form to refuse on posting; the viewer is
    never prefilled as their own recipient."""
    query = request.GET
    own = request.user.username.lower()
    initial: dict = {}
    people = [n for n in split_usernames(query.get("to", "")[:2000]) if n.lower() != own]
    if people:
        initial["recipients"] = people[:MAX_RECIPIENTS]
    # "Give kudos for this" on the values page: slugs the form ticks (unknown ones it ignores).
    slugs = [slug for slug in query.get("value", "")[:500].split(",") if slug.strip()]
    if slugs:
        initial["values"] = [slug.strip() for slug in slugs[:10]]
    for name in ("article", "session", "pairing"):
        value = query.get(name, "").strip()
        if value:
            initial[name] = value[:ARTICLE_REF_MAX]
    return initial


def _safe_next(request: HttpRequest) -> str:
    """`next` (posted, or in the address) when it is a page of this site; else empty."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _rate_message() -> str:
    match = re.fullmatch(r"(\d+)/(\d*)([smhd])", settings.RECOGNITION_KUDOS_RATE)
    if match:
        count, many, unit = match.groups()
        period = f"{many} {_PERIODS[unit]}s" if many and many != "1" else f"a {_PERIODS[unit]}"
        limit = f" (at most {count} in {period})"
    else:
        limit = ""
    return (
        f"You are sending kudos faster than Huddle allows{limit}. Nothing was sent: wait a "
        "moment and send it again; what you wrote is still here."
    )


def _and_list(names: list[str]) -> str:
    """ "Maria", "Maria and Tom", "Maria, Tom and Ana"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


@require_GET
def people_lookup(request: HttpRequest) -> HttpResponse:
    """The recipients picker's options: active colleagues (never the viewer, nor anyone
    already `chosen`) whose name or username contains `q`, at most ten; with nothing typed,
    the viewer's teammates. A listbox fragment, one query."""
    text = request.GET.get("q", "")[:LOOKUP_TEXT_MAX].strip().lstrip("@")
    chosen = [name[:150] for name in request.GET.getlist("chosen")[:MAX_RECIPIENTS]]
    people = (
        User.objects.visible_to(request.user)
        .exclude(pk=request.user.pk)
        .exclude(username__in=chosen)
        .select_related("team")
    )
    if text:
        people = people.filter(
            Q(username__icontains=text)
            | Q(display_name__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
        )
    elif request.user.team_id:
        people = people.filter(team_id=request.user.team_id)
    else:
        people = people.none()
    context = {"people": list(people[:LOOKUP_LIMIT]), "q": text}
    return render(request, "recognition/includes/people_options.html", context)
