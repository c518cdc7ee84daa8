"""What every app's views share: a role check, and turning a service's refusal into a message."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect


def role_required(role_property: str, message: str = "Your role cannot open this page."):
    """403 unless `request.user.<role_property>` (a `User` role property such as
    `is_kb_editor`) is true. Signing in is already required by the middleware."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not getattr(request.user, role_property, False):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


kb_editor_required = role_required("is_kb_editor", "Only KB editors can open this page.")


def act(request, action, *, success: str, redirect_to, on_refusal=None):
    """Run one service call (`action`, no arguments) and redirect to `redirect_to`. A refusal
    (ValidationError: "already closed", "nothing to submit") becomes an error message, never
    a 500; `on_refusal`, when given, answers instead of the redirect (a 400 page)."""
    try:
        action()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return on_refusal() if on_refusal else redirect(redirect_to)
    messages.success(request, success)
    return redirect(redirect_to)


def form_refusal(form, refusal: ValidationError, *, fields: dict[str, str] | None = None) -> None:
    """Put a service's refusal on `form`: each error beside the field it names (a service
    field renamed in the form through `fields`), the rest at the top of the form."""
    fields = fields or {}
    if not hasattr(refusal, "error_dict"):
        form.add_error(None, refusal)
        return
    for name, errors in refusal.error_dict.items():
        name = fields.get(name, name)
        form.add_error(name if name in form.fields else None, errors)
