from __future__ import annotations

from django import forms

from notifications.models import NotificationPreference
from notifications.preferences import GROUPS

DIGEST_FIELDS = ["digest_frequency", "digest_weekday", "digest_hour"]


class NotificationPreferenceForm(forms.ModelForm):
    """One choice per kind group, and when the digest comes."""

    class Meta:
        model = NotificationPreference
        fields = [name for name, _ in GROUPS] + DIGEST_FIELDS
        labels = {
            **dict(GROUPS),
            "digest_frequency": "Digest",
            "digest_weekday": "Day of a weekly digest",
            "digest_hour": "Time of the digest",
        }
        help_texts = {
            "digest_hour": "On your own clock (the time zone on your profile).",
            "digest_weekday": "Used when the digest is weekly.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A choice is required: no empty "---------" entry to pick by mistake.
        for field in self.fields.values():
            field.required = True
            if hasattr(field, "choices"):
                field.choices = [(value, label) for value, label in field.choices if value != ""]

    def group_fields(self):
        return [self[name] for name, _ in GROUPS]

    def digest_fields(self):
        return [self[name] for name in DIGEST_FIELDS]
