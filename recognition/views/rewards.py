"""Rewards: the catalogue with the viewer's balance and a redeem form per reward, and the
approval queue of those who decide redemptions (admins, and managers for their team's
rewards a manager approves) with the decisions taken lately.

An unknown reward or a redemption the viewer may not see is a 404; the queue is a 403 for
people who can decide nothing (agents), a decision on a redemption they see but may not
decide (their own) is a 403. A refusal (balance short, sold out, no longer offered, already
decided, no reason to decline) is the page again with the reason, status 400, nothing saved;
htmx decisions answer with their row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from people.web import form_refusal, role_required
from recognition.forms.rewards import DecideForm, RedeemForm
from recognition.models import Redemption, Reward
from recognition.selectors.accounts import points_balance
from recognition.services import rewards as services

# Decisions shown below the queue: enough to check what was done lately, not an archive
# (the admin has every one).
RECENT_DECISIONS = 20
DECIDERS_ONLY = "Only managers and admins decide on redemptions."


# --- The catalogue --------------------------------------------------------------------------


@dataclass(frozen=True)
class RewardRow:
    """One offered reward as the viewer sees it: what is left of its stock (None: no limit)
    and how many points they miss to redeem it (0: enough)."""

    reward: Reward
    left: int | None
    missing: int

    @property
    def sold_out(self) -> bool:
        return self.left == 0

    @property
    def can_redeem(self) -> bool:
        return not self.sold_out and self.missing == 0


@dataclass(frozen=True)
class MyRedemptions:
    pending: int
    approved: int
    declined: int

    @property
    def total(self) -> int:
        return self.pending + self.approved + self.declined


def _catalogue(user) -> tuple[int, list[RewardRow], MyRedemptions]:
    """The viewer's balance, the offered rewards with their stock left, and how many of the
    viewer's redemptions are in each state (four queries, whatever the catalogue's size)."""
    balance = points_balance(user)
    rows = []
    for reward in Reward.objects.offered().with_taken().order_by("price", "name"):
        left = None if reward.stock is None else max(reward.stock - reward.taken, 0)
        rows.append(RewardRow(reward=reward, left=left, missing=max(reward.price - balance, 0)))
    counts = Redemption.objects.filter(person=user).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Redemption.Status.values}
    )
    return balance, rows, MyRedemptions(**counts)


def _catalogue_page(
    request: HttpRequest, *, bound: tuple[int, RedeemForm] | None = None, status: int = 200
) -> HttpResponse:
    """The catalogue; `bound` is the reward whose redeem form comes back with its errors. A
    reward the page no longer shows (withdrawn meanwhile) has its errors as messages, so the
    reason is never lost."""
    balance, rows, mine = _catalogue(request.user)
    forms = {}
    if bound is not None:
        pk, form = bound
        if any(row.reward.pk == pk for row in rows):
            forms[pk] = form
        else:
            for errors in form.errors.values():
                for text in errors:
                    messages.error(request, text)
    entries = [
        (row, forms.get(row.reward.pk) or RedeemForm(auto_id=f"id_{row.reward.slug}_%s"))
        for row in rows
    ]
    context = {"balance": balance, "entries": entries, "mine": mine}
    return render(request, "recognition/rewards/reward_list.html", context, status=status)


@require_safe
def reward_list(request: HttpRequest) -> HttpResponse:
    """The catalogue of offered rewards, with the viewer's balance and what they miss."""
    return _catalogue_page(request)


@require_POST
def reward_redeem(request: HttpRequest, slug: str) -> HttpResponse:
    """The viewer redeems a reward (any reward by its slug: the service says why one no
    longer offered is refused)."""
    reward = get_object_or_404(Reward, slug=slug)
    form = RedeemForm(request.POST, auto_id=f"id_{reward.slug}_%s")
    if form.is_valid():
        try:
            redemption = services.reward_redeem(
                person=request.user, reward=reward, note=form.cleaned_data["note"]
            )
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            who = (
                "Your manager or an admin"
                if reward.approver == Reward.Approver.MANAGER
                else "An admin"
            )
            messages.success(
                request,
                f"You redeemed “{reward.name}” for {redemption.points:,} points. {who} will "
                "approve or decline it; you are told either way.",
            )
            return redirect("recognition:rewards")
    return _catalogue_page(request, bound=(reward.pk, form), status=400)


# --- The approval queue ---------------------------------------------------------------------


def _decide_form(redemption: Redemption, data=None) -> DecideForm:
    # Ids per row: every pending redemption on the page has its own reason field and label.
    return DecideForm(data, auto_id=f"id_redemption{redemption.pk}_%s")


def _queue_page(
    request: HttpRequest, *, bound: tuple[int, DecideForm] | None = None, status: int = 200
) -> HttpResponse:
    """The redemptions waiting for the viewer, oldest first, and the decisions taken lately
    on those they could decide (three queries). `bound` is a decision sent back with its
    errors; when its redemption no longer waits, the errors become messages."""
    user = request.user
    pending = list(
        Redemption.objects.decidable_by(user)
        .select_related("reward", "person", "person__team")
        .order_by("created_at", "pk")
    )
    recent = list(
        Redemption.objects.visible_to(user)
        .exclude(person=user)
        .exclude(status=Redemption.Status.PENDING)
        .select_related("reward", "person", "decided_by")
        .order_by("-decided_at", "-pk")[:RECENT_DECISIONS]
    )
    forms = {}
    if bound is not None:
        pk, form = bound
        if any(redemption.pk == pk for redemption in pending):
            forms[pk] = form
        else:
            for errors in form.errors.values():
                for text in errors:
                    messages.error(request, text)
    rows = [(r, forms.get(r.pk) or _decide_form(r)) for r in pending]
    context = {"rows": rows, "recent": recent, "pending_points": sum(r.points for r in pending)}
    return render(request, "recognition/rewards/redemption_list.html", context, status=status)


@require_safe
@role_required("is_manager", DECIDERS_ONLY)
def redemption_list(request: HttpRequest) -> HttpResponse:
    """The approval queue (403 for people who can decide nothing)."""
    return _queue_page(request)


@require_POST
def redemption_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve, or decline with a reason, one redemption: 404 unless the viewer sees it, 403
    unless they may decide it (`Redemption.can_be_decided_by`)."""
    redemption = get_object_or_404(
        Redemption.objects.visible_to(request.user).select_related(
            "reward", "person", "person__team"
        ),
        pk=pk,
    )
    if not redemption.can_be_decided_by(request.user):
        raise PermissionDenied(
            "You cannot decide this redemption: your own, or not one you approve."
        )
    form = _decide_form(redemption, request.POST)
    done = ""
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == DecideForm.APPROVE:
                redemption = services.redemption_approve(redemption=redemption, user=request.user)
                done = f"Approved: “{redemption.reward.name}” for {redemption.person.name}."
            else:
                redemption = services.redemption_decline(
                    redemption=redemption, user=request.user, reason=form.cleaned_data["reason"]
                )
                done = (
                    f"Declined: “{redemption.reward.name}” for {redemption.person.name}; "
                    f"their {redemption.points:,} points are back."
                )
        except ValidationError as refusal:
            form_refusal(form, refusal)
    if request.htmx:
        return _decided_row(request, redemption, form, done)
    if done:
        messages.success(request, done)
        return redirect("recognition:redemption-list")
    return _queue_page(request, bound=(redemption.pk, form), status=400)


def _decided_row(
    request: HttpRequest, redemption: Redemption, form: DecideForm, done: str
) -> HttpResponse:
    """htmx's answer: the row as it is now (decided, or still waiting with the form's
    errors), and what happened announced."""
    if not done:
        redemption.refresh_from_db(fields=["status", "decided_at", "decided_by", "reason"])
    errors = [text for errors in form.errors.values() for text in errors]
    context = {
        "redemption": redemption,
        "form": form,
        "announcement": done or " ".join(errors),
        "pending": redemption.status == Redemption.Status.PENDING,
    }
    return render(
        request,
        "recognition/rewards/redemption_decided.html",
        context,
        status=200 if done else 400,
    )
