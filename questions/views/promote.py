"""Promoting a question and its accepted answer into a knowledge base draft."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from kb.models import Article
from people.web import form_refusal
from questions.forms.promote import PromoteForm
from questions.models import Question
from questions.services import promotion


def question_promote(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form (kind of article, category); POST: promote, then go to the draft when
    the promoter may open it (its author, owner and editors may), else back to the question.
    404 for a question the viewer may not read, 403 for who may not promote it; a question
    that cannot be promoted (no accepted answer, already promoted) goes back with why."""
    question = get_object_or_404(
        Question.objects.visible_to(request.user).select_related("category", "author"), pk=pk
    )
    if not question.can_be_edited_by(request.user):
        raise PermissionDenied("Only the asker and KB editors promote a question to an article.")
    if refusal := promotion.promotion_refusal(question):
        messages.info(request, refusal)
        return redirect(question)
    data = request.POST if request.method == "POST" else None
    form = PromoteForm(data, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            article = promotion.question_promote(
                question=question,
                user=request.user,
                type=form.cleaned_data["type"],
                category=form.cleaned_data["category"],
            )
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            if Article.objects.visible_to(request.user).filter(pk=article.pk).exists():
                messages.success(request, "Promoted: the draft is waiting for an editor's review.")
                return redirect(article)
            messages.success(
                request,
                "Promoted: the answer is now a knowledge base draft waiting for an editor's "
                "review. This question links to the article once it is published.",
            )
            return redirect(question)
    context = {"question": question, "answer": promotion.accepted_answer(question), "form": form}
    return render(
        request, "questions/question_promote.html", context, status=400 if form.errors else 200
    )
