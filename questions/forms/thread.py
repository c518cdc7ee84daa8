"""The forms of a question's page: an answer (Markdown), a comment (plain text), a vote and
accepting an answer. Length, blank and NUL refusals are the services' too; these put them
beside the field before anything is called."""

from __future__ import annotations

from django import forms

from kb.mentions import mentioned_people, mentioned_usernames
from questions.models import BODY_MAX, COMMENT_MAX, Vote


class AnswerForm(forms.Form):
    body = forms.CharField(
        label="Your answer",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: **bold**, lists, links, `code`. Mention a colleague with @username.",
        error_messages={"required": "Write an answer first."},
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Plain text. Mention a colleague with @username to notify them.",
        error_messages={"required": "Write a comment first."},
    )

    def clean_body(self) -> str:
        """Every @mention must name someone: a typo would otherwise notify nobody, silently."""
        body = self.cleaned_data["body"]
        known = mentioned_people([body])
        unknown = sorted(mentioned_usernames(body) - set(known))
        if unknown:
            listed = ", ".join(f"@{name}" for name in unknown)
            raise forms.ValidationError(
                f"No one here is called {listed}. Check the spelling, or remove the @."
            )
        return body


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(
        choices=[(str(Vote.UP), "Up"), (str(Vote.DOWN), "Down")],
        coerce=int,
        error_messages={
            "required": "Vote up or down.",
            "invalid_choice": "Vote up (1) or down (-1).",
        },
    )


class AcceptForm(forms.Form):
    # "1" takes the acceptance back (the question is open again); anything else accepts.
    undo = forms.BooleanField(required=False)
