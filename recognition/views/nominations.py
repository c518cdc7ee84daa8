"""Awards and nominations: the awards page (awards open for nominations, the viewer's own
nominations, the approvers' queue, the latest winners), nominating a colleague, one
nomination's page, and an approver's decision on it.

A nomination the viewer may not see (`Nomination.objects.visible_to`; never a pending or
rejected one about themselves) is a 404. Nominating is a 403 for people who may not
(`can_nominate`); deciding is a 403 for people who are not approvers, or who made the
nomination or are its nominee. A refusal (already nominated this period, evidence that is not
links, no comment to reject, decided meanwhile by another approver) is the form again with
the reason, status 400, nothing saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from people.models import User
from people.web import form_refusal
from recognition.forms.nominations import DecideForm, NominationForm
from recognition.models import Award, Nomination
from recognition.services import nominations as services

# The viewer's own nominations on the awards page: the latest, not an archive.
MINE_SHOWN = 30
# The winners shown: the latest celebrations (the wall has them all).
WINNERS_SHOWN = 6
NOMINATORS_ONLY = "Only managers nominate colleagues for awards."
APPROVERS_ONLY = (
    "Only award approvers decide nominations, and never one they made or one about themselves."
)
_CHOICE_MAX = 150


def _get_nomination(request: HttpRequest, pk: int) -> Nomination:
    return get_object_or_404(
        Nomination.objects.visible_to(request.user).select_related(
            "award", "nominee", "nominee__team", "nominated_by", "decided_by"
        ),
        pk=pk,
    )


# --- The awards page ------------------------------------------------------------------------


_CADENCE = {Award.Period.MONTH: "Monthly", Award.Period.QUARTER: "Quarterly",
            Award.Period.YEAR: "Yearly"}  # fmt: skip


@dataclass(frozen=True)
class OpenAward:
    """An award open for nominations and the period a nomination made now is for."""

    award: Award
    period: str

    @property
    def cadence(self) -> str:
        return _CADENCE.get(self.award.period, "Periodic")


@dataclass(frozen=True)
class AwardsPage:
    awards: list[OpenAward]
    can_nominate: bool
    is_approver: bool
    mine: list[Nomination]
    queue: list[Nomination]
    winners: list[Nomination]


def _awards_page(user) -> AwardsPage:
    """What the awards page shows `user`, in one query per part whatever their sizes."""
    now = timezone.now()
    awards = [
        OpenAward(award, services.period_label(award, now))
        for award in Award.objects.filter(is_active=True)
    ]
    mine = list(
        Nomination.objects.filter(nominated_by=user)
        .select_related("award", "nominee", "decided_by")
        .order_by("-created_at", "-pk")[:MINE_SHOWN]
    )
    is_approver = Nomination.is_approver(user)
    queue = []
    if is_approver:
        waiting = (
            Nomination.objects.visible_to(user)
            .pending()
            .select_related("award", "nominee", "nominee__team", "nominated_by")
            .order_by("created_at", "pk")
        )
        queue = [nomination for nomination in waiting if nomination.can_be_decided_by(user)]
    winners = list(
        Nomination.objects.approved()
        .select_related("award", "nominee")
        .order_by("-decided_at", "-pk")[:WINNERS_SHOWN]
    )
    return AwardsPage(
        awards=awards,
        can_nominate=services.can_nominate(user),
        is_approver=is_approver,
        mine=mine,
        queue=queue,
        winners=winners,
    )


@require_safe
def nomination_list(request: HttpRequest) -> HttpResponse:
    """The awards page: awards open for nominations, the viewer's nominations and where they
    stand, the approvers' queue (oldest first) and the latest winners."""
    page = _awards_page(request.user)
    return render(request, "recognition/nominations/nomination_list.html", {"page": page})


# --- Nominating -----------------------------------------------------------------------------


def _initial(request: HttpRequest) -> dict:
    """The award (`?award=<slug>`) and colleague (`?nominee=<username>`) a link chose."""
    initial = {}
    slug = request.GET.get("award", "")[:_CHOICE_MAX]
    if slug:
        initial["award"] = Award.objects.filter(slug=slug, is_active=True).first()
    username = request.GET.get("nominee", "")[:_CHOICE_MAX]
    if username:
        initial["nominee"] = (
            User.objects.visible_to(request.user)
            .exclude(pk=request.user.pk)
            .filter(username=username)
            .first()
        )
    return {name: value for name, value in initial.items() if value is not None}


@require_http_methods(["GET", "POST"])
def nomination_create(request: HttpRequest) -> HttpResponse:
    """Nominate a colleague for an award open for nominations (403 for people who may not
    nominate)."""
    if not services.can_nominate(request.user):
        raise PermissionDenied(NOMINATORS_ONLY)
    if request.method == "POST":
        form = NominationForm(request.POST, nominator=request.user)
    else:
        form = NominationForm(nominator=request.user, initial=_initial(request))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = services.nomination_create(
                nominated_by=request.user,
                nominee=data["nominee"],
                award=data["award"],
                reason=data["reason"],
                evidence=data["evidence"],
            )
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            messages.success(
                request,
                f"You nominated {nomination.nominee.name} for {nomination.award.name} "
                f"({nomination.period_label}). The approvers decide; you are told either way.",
            )
            return redirect(nomination)
    has_awards = Award.objects.filter(is_active=True).exists()
    context = {"form": form, "has_awards": has_awards}
    status = 400 if form.is_bound else 200
    return render(request, "recognition/nominations/nomination_form.html", context, status=status)


# --- One nomination and its decision --------------------------------------------------------


def _decide_forms(bound: DecideForm | None = None) -> dict[str, DecideForm]:
    forms = {
        decision: DecideForm(decision=decision)
        for decision in (DecideForm.APPROVE, DecideForm.REJECT)
    }
    if bound is not None:
        forms[bound.kind] = bound
    return forms


def _detail_page(
    request: HttpRequest,
    nomination: Nomination,
    *,
    bound: DecideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_decide = nomination.can_be_decided_by(request.user)
    if bound is not None and not can_decide:
        # Decided meanwhile: no form is drawn to hold the reason, so it becomes a message.
        for errors in bound.errors.values():
            for text in errors:
                messages.error(request, text)
    context = {
        "nomination": nomination,
        "evidence": [
            (line, services.is_evidence_link(line))
            for line in nomination.evidence.splitlines()
            if line.strip()
        ],
        "can_decide": can_decide,
        "forms": _decide_forms(bound) if can_decide else {},
        "is_nominator": nomination.nominated_by_id == request.user.pk,
    }
    return render(request, "recognition/nominations/nomination_detail.html", context, status=status)


@require_safe
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One nomination: an approved one celebrated, with the reason and the evidence; a pending
    one with the approvers' decision forms; a rejected one with why."""
    return _detail_page(request, _get_nomination(request, pk))


@require_POST
def nomination_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve (an optional comment) or reject (a comment required) a pending nomination: 404
    unless the viewer sees it, 403 unless they approve awards and, while it waits, may decide
    this one. One decided meanwhile comes back with who decided it, status 400."""
    nomination = _get_nomination(request, pk)
    waiting = nomination.status == Nomination.Status.PENDING
    if not Nomination.is_approver(request.user) or (
        waiting and not nomination.can_be_decided_by(request.user)
    ):
        raise PermissionDenied(APPROVERS_ONLY)
    decision = request.POST.get("decision", "")
    if decision not in (DecideForm.APPROVE, DecideForm.REJECT):
        decision = DecideForm.APPROVE
    form = DecideForm(request.POST, decision=decision)
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if form.cleaned_data["decision"] == DecideForm.APPROVE:
                services.nomination_approve(
                    nomination=nomination, user=request.user, comment=comment
                )
                done = (
                    f"Approved: {nomination.nominee.name} is {nomination.award.name} of "
                    f"{nomination.period_label}. They and {nomination.nominated_by.name} are "
                    "told, and the wall celebrates it."
                )
            else:
                services.nomination_reject(
                    nomination=nomination, user=request.user, comment=comment
                )
                done = (
                    f"Rejected. {nomination.nominated_by.name} is told why; "
                    f"{nomination.nominee.name} is not told."
                )
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            messages.success(request, done)
            return redirect(nomination)
    # Drawn afresh: another approver's decision shows as it now stands.
    return _detail_page(request, _get_nomination(request, pk), bound=form, status=400)
