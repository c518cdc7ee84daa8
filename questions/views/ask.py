"""The asker's pages: asking (with suggestions as the title is typed), "this answered it",
editing with its history, and closing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from people.web import act, form_refusal
from questions.forms.ask import DeflectForm, QuestionForm
from questions.models import TITLE_MAX, TITLE_MIN, Question
from questions.selectors.suggestions import answer_suggestions
from questions.services import asking

# Fields the deflect service names that the ask form shows under another name.
_DEFLECT_FIELDS = {"deflected_by_article": "link", "deflected_by_question": "link"}


def _typed_title(value: str) -> str:
    """A title from the address or the keyboard, as one line of at most the model's length."""
    return " ".join(value.replace("\x00", "").split())[:TITLE_MAX]


def get_question_for_user(request: HttpRequest, pk: int, *, need: str = "") -> Question:
    """The question, or 404 when the viewer may not read it (hidden ones do not leak); 403
    when they may read it but not edit it and `need` is "edit"."""
    question = get_object_or_404(
        Question.objects.visible_to(request.user).select_related("author", "category__parent"),
        pk=pk,
    )
    if need == "edit" and not question.can_be_edited_by(request.user):
        raise PermissionDenied("Only the asker and KB editors can do that with this question.")
    return question


def _form_page(request, form, *, question=None, suggestions=(), title="", status=200):
    context = {
        "form": form,
        "question": question,
        "vocabulary": asking.tag_vocabulary(request.user),
        "suggestions": suggestions,
        "title": title,
        "deflectable": len(title) >= TITLE_MIN,
    }
    return render(request, "questions/question_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def question_ask(request: HttpRequest) -> HttpResponse:
    """GET: the form, its title prefilled from `?title=` (the search page's "Ask the team"),
    with what may already answer it. POST: ask, then go to the question."""
    if request.method != "POST":
        title = _typed_title(request.GET.get("title", ""))
        form = QuestionForm(initial={"title": title} if title else None)
        suggestions = answer_suggestions(user=request.user, title=title) if title else ()
        return _form_page(request, form, suggestions=suggestions, title=title)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            question = asking.question_ask(author=request.user, **form.service_arguments())
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            messages.success(request, "Your question is asked. The likely experts have been told.")
            return redirect(question)
    return _form_page(request, form, status=400)


@require_GET
def question_suggestions(request: HttpRequest) -> HttpResponse:
    """The ask page's suggestions as the title is typed (htmx): up to five published articles
    and questions the asker may read; nothing under three characters."""
    title = _typed_title(request.GET.get("title", ""))
    context = {
        "suggestions": answer_suggestions(user=request.user, title=title),
        "title": title,
        # "This answered my question" keeps the title: only one long enough to be a question.
        "deflectable": len(title) >= TITLE_MIN,
    }
    return render(request, "questions/includes/suggestions.html", context)


def _deflect_page(request, *, form, question=None, status=200) -> HttpResponse:
    title = question.title if question else _typed_title(form.data.get("title", ""))
    context = {
        "form": form,
        "question": question,
        "title": title,
        "suggestions": answer_suggestions(user=request.user, title=title) if question else (),
    }
    return render(request, "questions/question_deflect.html", context, status=status)


def _own_open_question(request: HttpRequest, pk) -> Question:
    question = get_question_for_user(request, pk)
    if question.author_id != request.user.pk:
        raise PermissionDenied("Only the asker says what answered their question.")
    return question


@require_http_methods(["GET", "POST"])
def question_deflect(request: HttpRequest) -> HttpResponse:
    """ "This answered it". GET `?question=<pk>`: for the asker's open question, what may
    answer it and a field for a link. POST: from a suggestion on the ask page (the typed
    title and details, and the suggestion's `target`) or from that page (`question`, and a
    `target` or a `link`); a refusal comes back with its reason (400), nothing stored."""
    if request.method != "POST":
        form = DeflectForm(request.GET)
        pk = form.data.get("question", "")
        if not (pk.isascii() and pk.isdigit() and len(pk) < 10):
            raise PermissionDenied("Open this page from one of your open questions.")
        question = _own_open_question(request, int(pk))
        if not question.is_open:
            messages.info(request, f"This question is already {question.get_status_display()}.")
            return redirect(question)
        return _deflect_page(request, form=DeflectForm(initial={"question": pk}), question=question)
    form = DeflectForm(request.POST)
    question = None
    if form.is_valid():
        if form.cleaned_data["question"]:
            question = _own_open_question(request, form.cleaned_data["question"])
        data = form.cleaned_data
        try:
            deflected = asking.question_deflect(
                user=request.user, article=data["article"], answered_by=data["answered_by"],
                question=question, title=data["title"], body=data["body"],
                visibility=data["visibility"] or Question.Visibility.EVERYONE,
                teams=list(data["teams"]),
            )  # fmt: skip
        except ValidationError as refusal:
            form_refusal(form, refusal, fields=_DEFLECT_FIELDS)
        else:
            source = deflected.deflected_by_article or deflected.deflected_by_question
            messages.success(request, f"Glad it helped: “{source}” answered your question.")
            return redirect(question or source)
    elif form.data.get("question", "").isdigit() and len(form.data["question"]) < 10:
        question = get_question_for_user(request, int(form.data["question"]))
    return _deflect_page(request, form=form, question=question, status=400)


@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_question_for_user(request, pk, need="edit")
    form = QuestionForm(
        request.POST or None, editing=True, initial=QuestionForm.initial_for(question)
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                asking.question_edit(
                    question=question, editor=request.user, **form.service_arguments()
                )
            except ValidationError as refusal:
                form_refusal(form, refusal)
            else:
                messages.success(request, "Saved. The earlier text is kept in the history.")
                return redirect(question)
        return _form_page(request, form, question=question, status=400)
    return _form_page(request, form, question=question)


@require_GET
def question_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The earlier texts of a question, newest first, for anyone who may read it."""
    question = get_question_for_user(request, pk)
    revisions = question.revisions.select_related("editor")
    context = {"question": question, "revisions": revisions}
    return render(request, "questions/question_history.html", context)


@require_http_methods(["GET", "POST"])
def question_close(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: "close this question?" with its button; POST: close it."""
    question = get_question_for_user(request, pk, need="edit")
    if request.method != "POST":
        return render(request, "questions/question_close.html", {"question": question})
    return act(
        request,
        lambda: asking.question_close(question=question, user=request.user),
        success="Question closed. It takes no more answers.",
        redirect_to=question,
    )
