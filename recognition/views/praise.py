"""Customer praise and success stories: recording a praise and its page; a manager promoting
a kudos or a praise to a success story; the story's page; and turning the story's lesson into
a draft best-practice article.

Anyone signed in records praise and reads it. Promoting is for managers (403 for anyone
else); the draft article for managers and KB editors. A kudos or a story the viewer may not see
(a reported kudos, and the story that tells it) is a 404. A refusal (already a story, a kudos
under review, an article already drafted) is a page with the reason, status 400, nothing
saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_safe

from kb.models import Article
from people.web import form_refusal, role_required
from recognition.forms.kudos import split_usernames
from recognition.forms.praise import PraiseForm, StoryArticleForm, StoryForm
from recognition.models import Kudos, Praise, SuccessStory
from recognition.selectors.periods import organisation_today
from recognition.selectors.wall import kudos_card
from recognition.services import praise as services
from recognition.services.kudos import MAX_RECIPIENTS

REFUSED = "recognition/stories/refused.html"
MANAGERS_ONLY = "Only managers promote kudos and praise to success stories."
DRAFTERS_ONLY = "Only managers and KB editors turn a lesson into an article."

manager_required = role_required("is_manager", MANAGERS_ONLY)


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# --- Customer praise -------------------------------------------------------------------------


def _get_praise(request: HttpRequest, pk: int) -> Praise:
    """The praise with what its card and page show; 404 when the viewer may not see it."""
    return get_object_or_404(
        Praise.objects.visible_to(request.user)
        .select_related("recorded_by", "story")
        .prefetch_related("agents"),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def praise_create(request: HttpRequest) -> HttpResponse:
    """Record customer praise. GET: the form, the colleagues prefilled by `?to=maria,tom`.
    POST: `praise_record`; a refusal shows the form again with each reason beside its field
    (400); success goes to the praise's page."""
    # The viewer's today (pages run in their zone): the day they most likely got it.
    initial = {"received_on": timezone.localdate()}
    people = split_usernames(request.GET.get("to", "")[:2000])
    if people:
        initial["agents"] = people[:MAX_RECIPIENTS]
    form = PraiseForm(_posted(request), initial=initial)
    if form.is_valid():
        try:
            praise = services.praise_record(recorded_by=request.user, **form.service_arguments())
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            names = [person.name for person in form.cleaned_data["agents"]]
            messages.success(request, f"Praise recorded for {_and_list(names)}.")
            return redirect(praise)
    status = 400 if form.is_bound else 200
    return render(request, "recognition/praise/praise_form.html", {"form": form}, status=status)


@require_safe
def praise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The praise's card, who recorded it and when, its success story if it has one (one the
    viewer may see), and for managers the way to promote it."""
    praise = _get_praise(request, pk)
    story = getattr(praise, "story", None)
    context = {
        "praise": praise,
        "story": story,
        "can_promote": request.user.is_manager and story is None,
    }
    return render(request, "recognition/praise/praise_detail.html", context)


# --- Promoting to a success story ------------------------------------------------------------


def _promote(request: HttpRequest, *, kudos: Kudos | None = None, praise: Praise | None = None):
    """The story form for a kudos or a praise, and `story_create` on posting."""
    source = kudos or praise
    existing = SuccessStory.objects.filter(**{"kudos" if kudos else "praise": source}).first()
    if existing is not None:
        reason = f"This {'kudos' if kudos else 'praise'} is already a success story."
        return _refused(request, [reason], story=existing, source=source)
    if kudos is not None and kudos.is_hidden:
        reason = "A kudos that was reported or removed cannot become a success story."
        return _refused(request, [reason], source=source)
    start, end = services.story_default_period()
    form = StoryForm(_posted(request), initial={"pinned_from": start, "pinned_until": end})
    if form.is_valid():
        try:
            story = services.story_create(
                user=request.user, kudos=kudos, praise=praise, **form.service_arguments()
            )
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            messages.success(
                request,
                f"“{story.title}” is pinned at the top of the wall from "
                f"{date_format(story.pinned_from, 'j F')} to "
                f"{date_format(story.pinned_until, 'j F')}; the people it names were told.",
            )
            return redirect(story)
    context = {"form": form, "kudos": kudos, "praise": praise, "source": source}
    status = 400 if form.is_bound else 200
    return render(request, "recognition/stories/story_form.html", context, status=status)


def _refused(request: HttpRequest, reasons: list[str], *, story=None, source=None):
    kind = "praise" if isinstance(source, Praise) else "kudos"
    context = {"reasons": reasons, "story": story, "source": source, "source_kind": kind}
    return render(request, REFUSED, context, status=400)


@require_http_methods(["GET", "POST"])
@manager_required
def kudos_promote(request: HttpRequest, pk: int) -> HttpResponse:
    """Promote a kudos to a success story (managers). A kudos the manager may not see is a
    404; one under review (seen by admins and its giver) is refused."""
    kudos = kudos_card(viewer=request.user, pk=pk)
    if kudos is None:
        raise Http404("No such kudos, or it is hidden while an admin looks at a report.")
    return _promote(request, kudos=kudos)


@require_http_methods(["GET", "POST"])
@manager_required
def praise_promote(request: HttpRequest, pk: int) -> HttpResponse:
    """Promote a customer praise to a success story (managers)."""
    return _promote(request, praise=_get_praise(request, pk))


# --- The story -------------------------------------------------------------------------------


def _get_story(request: HttpRequest, pk: int) -> SuccessStory:
    """The story with what its card shows; 404 when the viewer may not see it (its kudos was
    reported or removed, for everyone but admins)."""
    # The kudos is read with its card (`kudos_card`) by the page itself.
    return get_object_or_404(
        SuccessStory.objects.visible_to(request.user)
        .select_related(
            "praise__recorded_by",
            "created_by",
            "article__latest_revision",
            "article__published_revision",
        )
        .prefetch_related("praise__agents"),
        pk=pk,
    )


def _story_context(request: HttpRequest, story: SuccessStory) -> dict:
    viewer = request.user
    article = story.article
    context = {
        "story": story,
        # The kudos as the wall shows it (reactions, what it was for), for whoever sees it.
        "kudos": kudos_card(viewer=viewer, pk=story.kudos_id) if story.kudos_id else None,
        "praise": story.praise,
        "can_draft": services.story_can_draft(viewer),
        "today": organisation_today(),
        # A draft is its author's and the editors' until published: others read that it is
        # being written, without a link they could not open.
        "article_open": article is not None
        and Article.objects.visible_to(viewer).filter(pk=article.pk).exists(),
    }
    if context["can_draft"] and article is None:
        context["article_form"] = StoryArticleForm(
            initial={"category": services.story_default_category()}
        )
    return context


@require_safe
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The story: its title and period, the kudos or praise it tells, what the team learned,
    and for managers and KB editors the lesson's draft article (or the form to start one)."""
    story = _get_story(request, pk)
    return render(request, "recognition/stories/story_detail.html", _story_context(request, story))


@require_http_methods(["GET", "POST"])
def story_article(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn the story's lesson into a draft best-practice article in the chosen category
    (`story_article_draft`), then open the draft. Managers and KB editors (403 for others);
    once per story."""
    if not services.story_can_draft(request.user):
        raise PermissionDenied(DRAFTERS_ONLY)
    story = _get_story(request, pk)
    if story.article_id is not None:
        reason = "This lesson already has its article: open it from the story."
        return _refused(request, [reason], story=story)
    form = StoryArticleForm(
        _posted(request), initial={"category": services.story_default_category()}
    )
    if form.is_valid():
        try:
            article = services.story_article_draft(
                story=story, user=request.user, category=form.cleaned_data["category"]
            )
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            messages.success(
                request,
                "Draft saved from the story's lesson. Edit it, then submit it for review.",
            )
            return redirect(article)
    status = 400 if form.is_bound else 200
    context = {"story": story, "form": form}
    return render(request, "recognition/stories/story_article_form.html", context, status=status)
