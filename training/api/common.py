"""What the training API's views share: error responses in the project's one shape, and
services' refusals turned into DRF's errors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError

from people.api import BAD_REQUEST, NOT_FOUND

# Ids are 64-bit; a larger number is no row.
ID_MAX = 2**63 - 1


def error(shared: OpenApiResponse, description: str) -> OpenApiResponse:
    """One of the shared error bodies (`people.api`), described for this operation."""
    return OpenApiResponse(shared.response, description=description)


def not_found(what: str) -> OpenApiResponse:
    return error(NOT_FOUND, f"No such {what} that you may see, or no such page.")


BAD_FILTER_TEXT = "A filter is invalid; messages by parameter."


def bad_request(description: str) -> OpenApiResponse:
    return error(BAD_REQUEST, description)


def forbidden(description: str) -> OpenApiResponse:
    # A refusal carries the same body as a 404: a `detail` saying why.
    return error(NOT_FOUND, description)


def refusal(refused: Exception) -> Exception:
    """A service's refusal as DRF's: a ValidationError is a 400 with messages by field
    (`non_field_errors` for the rest), a PermissionDenied a 403 with its reason."""
    if isinstance(refused, DjangoPermissionDenied):
        return PermissionDenied(str(refused) or None)
    if hasattr(refused, "error_dict"):
        return ValidationError(
            {
                "non_field_errors" if name == "__all__" else name: messages
                for name, messages in refused.message_dict.items()
            }
        )
    return ValidationError({"non_field_errors": refused.messages})


SERVICE_REFUSALS = (DjangoValidationError, DjangoPermissionDenied)


class ListFiltersOnly:
    """Filters and ordering narrow lists only: a detail or an action finds its row whatever
    the query string says."""

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


BAD_FILTER = bad_request(BAD_FILTER_TEXT)


class NulSafeLookup:
    """A slug holding a NUL character is no row: answered 404 before PostgreSQL, which refuses
    the character in a query, is asked."""

    def get_object(self):
        if "\x00" in str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")):
            raise NotFound("No such row that you may see.")
        return super().get_object()
