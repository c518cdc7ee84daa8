"""The question lists (/questions/): tabs for unanswered, newest, most voted, my questions and
the questions brought to me, with filters by tag, category and status, and a few figures."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from questions.forms.lists import QuestionFilterForm
from questions.selectors.lists import (
    FOR_ME,
    MINE,
    TABS,
    UNANSWERED,
    list_figures,
    month_start,
    question_page,
)
from questions.selectors.suggestions import deflection_counts

# The articles named under "Answered by existing content": a glance, not a report.
DEFLECTION_TOP_ARTICLES = 5

# What an empty tab says, without filters (with filters, the page says nothing matches).
EMPTY = {
    UNANSWERED: "Every open question has an answer. Nice work.",
    "newest": "No questions yet. Ask the first one.",
    "votes": "No questions yet. Ask the first one.",
    MINE: "You have not asked anything yet. When you do, your questions appear here.",
    FOR_ME: (
        "Nothing routed to you yet — when a question matches your skills or articles you own, "
        "it appears here."
    ),
}


@require_safe
def question_list(request: HttpRequest) -> HttpResponse:
    """One tab of the lists. A bad tab or filter is dropped with its error beside it (a bad
    tab shows unanswered questions); the others still apply. A page number that is not one
    shows the first page, one past the end the last. KB editors also see this month's
    deflections: how many questions existing content answered, and the articles that did it
    most (the ones that earn keeping up to date)."""
    form = QuestionFilterForm(request.GET)
    form.is_valid()
    tab, filters = form.current_tab(), form.filters()
    tabs = [
        {"name": name, "label": label, "query": form.query(tab=name), "current": name == tab}
        for name, label in TABS
    ]
    context = {
        "form": form,
        "tab": tab,
        "tabs": tabs,
        "filters": filters,
        "clear_query": form.query(tag="", category="", status=""),
        "figures": list_figures(viewer=request.user),
        "page": question_page(
            viewer=request.user, tab=tab, filters=filters, page_number=request.GET.get("page")
        ),
        "empty": EMPTY[tab],
        "filter_errors": any(name != "tab" for name in form.errors),
        "deflections": (
            deflection_counts(
                since=month_start(timezone.now()),
                user=request.user,
                top=DEFLECTION_TOP_ARTICLES,
            )
            if request.user.is_kb_editor
            else None
        ),
    }
    return render(request, "questions/question_list.html", context)
