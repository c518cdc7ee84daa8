"""One question's page and what people do on it: answer, comment, vote, accept, edit an
answer, read an answer's history, and the poller that brings new answers without a reload.

A question the viewer may not read (`Question.objects.visible_to`) is a 404 on every one of
these, and so is an answer to one. Who may accept or edit is the models' to say; a refusal
by role is a 403, a refusal by state (a closed question) a 400 with the reason, never a 500,
and nothing changes. Votes and comments answer htmx with their part of the page; a plain
post comes back to the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from people.web import form_refusal
from questions.forms.thread import AcceptForm, AnswerForm, CommentForm, VoteForm
from questions.models import Answer, Question
from questions.selectors.thread import (
    answers_for_viewer,
    comments_for,
    link_comment_mentions,
    post_votes,
    question_for_viewer,
    question_routes,
    readable_article,
)
from questions.services.answers import answer_accept as accept_service
from questions.services.answers import answer_edit as edit_service
from questions.services.answers import answer_post as post_service
from questions.services.answers import comment_add, vote_cast

# An answer id as the poller sends it: digits, small enough for any database's integer.
_AFTER = re.compile(r"^[0-9]{1,18}$")


@dataclass(frozen=True)
class VoteBox:
    """One post's votes as its buttons show them."""

    url: str
    dom_id: str
    what: str  # "question" or "answer", for the buttons' labels
    score: int
    mine: int | None
    can_vote: bool
    error: str = ""


def _vote_box(post, viewer, *, error: str = "") -> VoteBox:
    kind = _kind(post)
    return VoteBox(
        url=reverse(f"questions:{kind}-vote", args=[post.pk]),
        dom_id=f"votes-{kind}-{post.pk}",
        what=kind,
        score=post.score,
        mine=post.my_vote,
        can_vote=post.author_id != viewer.pk,
        error=error,
    )


def _kind(post) -> str:
    return "question" if isinstance(post, Question) else "answer"


def _comment_form(post, data=None) -> CommentForm:
    # One comment form per post on the page: ids of their own, so each label finds its box.
    return CommentForm(data, auto_id=f"comment-{_kind(post)}-{post.pk}-%s")


def _dress(post, viewer) -> None:
    """What the templates read on a post beside its fields: its kind ("question" or
    "answer"), its vote box and its comment form."""
    post.kind = _kind(post)
    post.vote_box = _vote_box(post, viewer)
    post.comment_form = _comment_form(post)


def _dress_answers(answers: list[Answer], question: Question, viewer) -> None:
    can_accept = question.can_accept_answers(viewer)
    for answer in answers:
        _dress(answer, viewer)
        answer.can_edit = answer.can_be_edited_by(viewer)
        answer.can_accept = can_accept


def _get_question(request: HttpRequest, pk: int) -> Question:
    question = question_for_viewer(viewer=request.user, pk=pk)
    if question is None:
        raise Http404("No such question, or it is not shared with you.")
    return question


def _get_bare_question(request: HttpRequest, pk: int) -> Question:
    question = Question.objects.visible_to(request.user).filter(pk=pk).first()
    if question is None:
        raise Http404("No such question, or it is not shared with you.")
    return question


def _get_answer(request: HttpRequest, pk: int) -> Answer:
    answer = (
        Answer.objects.visible_to(request.user)
        .select_related("question", "author")
        .filter(pk=pk)
        .first()
    )
    if answer is None:
        raise Http404("No such answer, or its question is not shared with you.")
    return answer


def _page(request: HttpRequest, question: Question, *, status: int = 200, answer_form=None,
          bound: tuple[object, CommentForm] | None = None) -> HttpResponse:  # fmt: skip
    """The question's page; `bound` is a post whose comment form comes back with its errors."""
    viewer = request.user
    answers = answers_for_viewer(question=question, viewer=viewer)
    link_comment_mentions([question, *answers])
    _dress(question, viewer)
    _dress_answers(answers, question, viewer)
    if bound is not None:
        post, form = bound
        for candidate in [question, *answers]:
            if type(candidate) is type(post) and candidate.pk == post.pk:
                candidate.comment_form = form
    article = readable_article(question=question, viewer=viewer)
    # With the article shown, the accepted answer is folded away under it.
    folded = answers[0] if article and answers and answers[0].is_accepted else None
    takes_answers = question.can_be_answered_by(viewer)
    context = {
        "question": question,
        "q": question,
        "answers": answers[1:] if folded else answers,
        "answer_count": len(answers),
        "folded_answer": folded,
        "article": article,
        "routes": question_routes(question=question),
        "answer_form": answer_form or AnswerForm(),
        "takes_answers": takes_answers,
        "poll": takes_answers,
        "poll_seconds": settings.QUESTIONS_POLL_SECONDS,
        "last_answer_pk": max((a.pk for a in answers), default=0),
        "can_edit_question": question.can_be_edited_by(viewer),
    }
    return render(request, "questions/question_detail.html", context, status=status)


@require_safe
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The question, its answers ranked (or the article it became), comments and votes."""
    return _page(request, _get_question(request, pk))


@require_safe
def answers_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The poller's answer: the answers newer than `after`, rendered as on the page, then a
    fresh poller (while the question still takes answers) and a spoken count of what came."""
    after = request.GET.get("after", "")
    if not _AFTER.match(after) or int(after) > 2**63 - 1:
        return HttpResponseBadRequest(
            "“after” must be the id of the last answer shown (a whole number).",
            content_type="text/plain; charset=utf-8",
        )
    # The question alone: its own comments, tags and votes are not redrawn here.
    question = _get_bare_question(request, pk)
    answers = answers_for_viewer(question=question, viewer=request.user, after=int(after))
    link_comment_mentions(answers)
    _dress_answers(answers, question, request.user)
    context = {
        "question": question,
        "q": question,
        "answers": answers,
        "poll": question.can_be_answered_by(request.user),
        "poll_seconds": settings.QUESTIONS_POLL_SECONDS,
        "last_answer_pk": max([int(after), *(a.pk for a in answers)]),
        "first_answers": int(after) == 0,
    }
    return render(request, "questions/includes/answers_new.html", context)


@require_POST
def answer_post(request: HttpRequest, pk: int) -> HttpResponse:
    """Post an answer; with an error, the page again with the form and its errors (400)."""
    question = _get_question(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = post_service(
                question=question, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            messages.success(request, "Your answer is posted. The asker has been told.")
            return redirect(answer.get_absolute_url())
    return _page(request, question, status=400, answer_form=form)


def _comment(request: HttpRequest, question: Question, post) -> HttpResponse:
    form = _comment_form(post, request.POST)
    comment = None
    if form.is_valid():
        target = {"question": post} if post is question else {"answer": post}
        try:
            comment = comment_add(author=request.user, body=form.cleaned_data["body"], **target)
        except ValidationError as refusal:
            form_refusal(form, refusal)
    if not request.htmx:
        if comment is None:
            # The page reads the question with its votes and comments (the caller's may not).
            page_question = _get_question(request, question.pk)
            return _page(request, page_question, status=400, bound=(post, form))
        messages.success(request, "Comment posted.")
        return redirect(f"{question.get_absolute_url()}#comment-{comment.pk}")
    post.kind, post.comment_list = _kind(post), comments_for(post)
    link_comment_mentions([post])
    post.comment_form = _comment_form(post) if comment else form
    context = {"post": post, "notice": "Comment posted." if comment else ""}
    status = 200 if comment else 400
    return render(request, "questions/includes/comments.html", context, status=status)


@require_POST
def question_comment(request: HttpRequest, pk: int) -> HttpResponse:
    question = _get_question(request, pk)
    return _comment(request, question, question)


@require_POST
def answer_comment(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _get_answer(request, pk)
    return _comment(request, answer.question, answer)


def _vote(request: HttpRequest, question: Question, post) -> HttpResponse:
    form = VoteForm(request.POST)
    error = ""
    if not form.is_valid():
        error = " ".join(form.errors["value"])
    else:
        target = {"question": post} if post is question else {"answer": post}
        try:
            vote_cast(voter=request.user, value=form.cleaned_data["value"], **target)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    anchor = "" if post is question else f"#answer-{post.pk}"
    if not request.htmx:
        if error:
            return render(request, "400.html", {"message": error}, status=400)
        return redirect(question.get_absolute_url() + anchor)
    post = post_votes(post=post, viewer=request.user)
    context = {"box": _vote_box(post, request.user, error=error)}
    return render(request, "questions/includes/vote.html", context, status=400 if error else 200)


@require_POST
def question_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Vote the question up or down (the same vote again takes it back)."""
    question = _get_bare_question(request, pk)
    return _vote(request, question, question)


@require_POST
def answer_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Vote an answer up or down (the same vote again takes it back)."""
    answer = _get_answer(request, pk)
    return _vote(request, answer.question, answer)


@require_POST
def answer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept the answer (the asker or a KB editor: 403 for anyone else), or with `undo`
    take the acceptance back. A closed question refuses with a 400."""
    answer = _get_answer(request, pk)
    form = AcceptForm(request.POST)
    undo = form.is_valid() and form.cleaned_data["undo"]
    try:
        accept_service(answer=answer, user=request.user, accept=not undo)
    except ValidationError as refusal:
        return render(request, "400.html", {"message": " ".join(refusal.messages)}, status=400)
    messages.success(
        request,
        "The answer is no longer accepted; the question is open again."
        if undo
        else "Answer accepted. Thank you for closing the loop.",
    )
    return redirect(answer.get_absolute_url())


@require_http_methods(["GET", "POST"])
def answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an answer (its author or a KB editor; 403 for anyone else who may read it)."""
    answer = _get_answer(request, pk)
    if not answer.can_be_edited_by(request.user):
        raise PermissionDenied("Only the answer's author or a KB editor edits it.")
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                edit_service(answer=answer, editor=request.user, body=form.cleaned_data["body"])
            except ValidationError as refusal:
                form_refusal(form, refusal)
            else:
                messages.success(request, "Answer saved. The earlier text is in its history.")
                return redirect(answer.get_absolute_url())
    else:
        form = AnswerForm(initial={"body": answer.body})
    status = 400 if form.is_bound else 200
    context = {"answer": answer, "question": answer.question, "form": form}
    return render(request, "questions/answer_form.html", context, status=status)


@require_safe
def answer_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer's text now and before each edit, newest first, with who changed it."""
    answer = _get_answer(request, pk)
    revisions = list(answer.revisions.select_related("editor"))
    context = {"answer": answer, "question": answer.question, "revisions": revisions}
    return render(request, "questions/answer_history.html", context)
