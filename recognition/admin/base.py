"""What recognition's admin pages share: read-only records, settings that rows refer to, and
decisions taken through a service on a row's page."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.text import Truncator

from people.admin_tools import ReadOnlyAdmin  # noqa: F401 (re-exported to the admin modules)

USER_SEARCH = ["username", "display_name", "first_name", "last_name"]


def people(prefix: str) -> list[str]:
    """The search fields that find a person through the relation `prefix`."""
    return [f"{prefix}__{field}" for field in USER_SEARCH]


def excerpt(text: str, words: int = 12) -> str:
    return Truncator(text).words(words, truncate="…")


class SettingAdmin(admin.ModelAdmin):
    """A setting that rows made on the site refer to: deleted only while nothing does
    (`in_use`); retiring it (its active flag) is the way otherwise."""

    def in_use(self, obj) -> bool:
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.in_use(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # A bulk delete would not ask `in_use` of each row.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


# --- Decisions on a row's page ----------------------------------------------------------------


class _Refused(Exception):
    """A service refused a decision: the transaction is rolled back and the reason shown."""


class DecisionForm(forms.ModelForm):
    """A row's page whose only field is the decision: everything else on it is read-only."""

    decision = forms.ChoiceField(required=False, choices=[("", "Leave it as it is")])


class NotedDecisionForm(DecisionForm):
    """A decision with the words the service takes (a reason, a comment)."""

    decision_note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionAdmin(admin.ModelAdmin):
    """`decisions` maps a choice to (label, `call(obj, user, note)` of a service, what to say
    when it is done). A decision is taken through the service on the row read afresh, so a
    page left open while someone else decided is refused, not overwritten; the row itself is
    never saved from the form."""

    decisions: dict[str, tuple[str, Callable, str]] = {}
    note_label = ""
    note_help = ""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["decision"].choices = [
            ("", "Leave it as it is"),
            *((key, label) for key, (label, _, _) in self.decisions.items()),
        ]
        if "decision_note" in form.base_fields:
            form.base_fields["decision_note"].label = self.note_label
            form.base_fields["decision_note"].help_text = self.note_help
        return form

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        choice = form.cleaned_data.get("decision")
        if not choice:
            return
        _, call, done = self.decisions[choice]
        try:
            call(obj, request.user, form.cleaned_data.get("decision_note", ""))
        except (ValidationError, PermissionDenied) as error:
            reasons = getattr(error, "messages", None) or [str(error)]
            raise _Refused(" ".join(reasons)) from error
        self.message_user(request, done.format(n=1), messages.SUCCESS)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
