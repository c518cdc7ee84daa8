"""What every app's admin shares: an action that calls a service per row and reports each
refusal beside its row, and the admin of a record nobody writes by hand."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError


def run_service(modeladmin, request, queryset, call: Callable, done: str) -> None:
    """`call(obj)` for each selected row; a refusal (the service's ValidationError or
    PermissionDenied) is reported beside the row's name and leaves the others going."""
    succeeded = 0
    for obj in queryset:
        try:
            call(obj)
        except (ValidationError, PermissionDenied) as error:
            reasons = getattr(error, "messages", None) or [str(error)]
            modeladmin.message_user(request, f"{obj}: {' '.join(reasons)}", messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(request, done.format(n=succeeded), messages.SUCCESS)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what people did: looked at, never made, rewritten or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
