"""The API tokens page (`/people/tokens/`): a person lists, makes and revokes their own tokens.

A new key is shown once, on the answer to the POST that made it: it is never stored in clear,
so no later page can show it, and that answer is marked not to be cached."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from people import services
from people.models import ApiToken
from people.web import act, form_refusal


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=ApiToken.NAME_MAX,
        label="Token name",
        help_text="What will use it, so you can tell your tokens apart (e.g. Helpdesk sidebar).",
    )


@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    created = key = None
    if request.method == "POST" and form.is_valid():
        try:
            created, key = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": ApiToken.objects.visible_to(request.user),
        "created": created,
        "key": key,
    }
    response = render(
        request, "people/apitoken_list.html", context, status=400 if form.errors else 200
    )
    add_never_cache_headers(response)
    return response


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's token is a 404, as if it did not exist.
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)
    return act(
        request,
        lambda: services.api_token_revoke(token=token),
        success=f"Token {token.name} is revoked: it no longer opens the API.",
        redirect_to="people:tokens",
    )
