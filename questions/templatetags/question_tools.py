"""What the viewer may do with a question, asked of the model once, for the question page's
tools (the include has the question but no view of its own to ask for it)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

register = template.Library()


@dataclass(frozen=True)
class QuestionTools:
    edit: bool = False
    close: bool = False
    deflect: bool = False


@register.simple_tag(takes_context=True)
def question_tools(context, question) -> QuestionTools:
    """`{% question_tools question as can %}`: `can.edit`, `can.close`, `can.deflect`."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return QuestionTools()
    edit = question.can_be_edited_by(user)
    return QuestionTools(
        edit=edit,
        close=edit and question.is_open,
        # Only the asker says that something answered them.
        deflect=question.is_open and question.author_id == user.pk,
    )
