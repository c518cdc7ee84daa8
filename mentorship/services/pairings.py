"""Starting and ending pairings.

Every pairing starts as a proposal the mentor answers within the programme's window: a
mentee's request (`pairing_request`), a manager's assignment (`pairing_assign`) or an
approved cohort proposal (`cohort_approve`). Capacity holds in the transaction: proposing
locks the mentor's profile row, so two managers taking a mentor's last slot at the same
moment are served one after the other, and the second is refused with the reason.

Whatever changes a pairing's status locks the pairing's row first (answering, withdrawing,
the expiry sweep, ending), so two of them never both act on the same proposal.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mentorship.matching.constraints import exclusion_reasons
from mentorship.models import (
    MentoringProfile,
    MentorRequest,
    Milestone,
    Pairing,
    Participation,
    Program,
)

# Ending, extending, completing and feedback live in `lifecycle`, joining in `programs`;
# re-exported here so every caller imports pairing services from one place.
from mentorship.services.lifecycle import (  # noqa: F401
    _lock_pairing,
    feedback_give,
    pairing_complete,
    pairing_end,
    pairing_extend,
)
from mentorship.services.programs import (  # noqa: F401
    participation_join,
    participation_leave,
    require_open,
)
from notifications.services import notifications_settle, notify
from people.models import User
from training.selectors.team import local_today


def _lock_mentor(mentor: User) -> MentoringProfile:
    """The mentor's profile row, locked until the transaction ends: every capacity count
    after this sees the pairings committed before it (PostgreSQL; SQLite has one writer)."""
    profile = MentoringProfile.objects.select_for_update().filter(user=mentor).first()
    if profile is None or not profile.open_to_mentor:
        raise ValidationError(f"{mentor.name} is not open to mentoring.")
    return profile


def _request_key(pairing: Pairing) -> str:
    """The mentor's "please answer" notification; settled once nothing is left to answer."""
    return f"mentorship.request:{pairing.pk}:"


def _expire_overdue(*, program: Program, mentee: User, now: datetime) -> None:
    """A proposal left unanswered past its window no longer holds the mentee's place, even
    before the sweep has marked it: mark it now, so a new request is not refused for it."""
    overdue = (
        Pairing.objects.select_for_update(of=("self",))
        .filter(program=program, mentee=mentee, status=Pairing.Status.PROPOSED)
        .filter(request__responded_at__isnull=True, request__expires_at__lte=now)
        .select_related("program", "mentor", "mentee", "request__requested_by")
    )
    for pairing in overdue:
        _expire(pairing)


def _propose(
    *,
    program: Program,
    mentee: User,
    mentor: User,
    by: User,
    source: str,
    message: str = "",
    score: int | None = None,
    now: datetime | None = None,
) -> Pairing:
    now = now or timezone.now()
    require_open(program)
    if mentor.pk == mentee.pk:
        raise ValidationError("A mentor and a mentee are two different people.")
    if not mentee.is_active:
        raise ValidationError(f"{mentee.name}'s account is switched off.")
    _lock_mentor(mentor)
    _expire_overdue(program=program, mentee=mentee, now=now)
    reasons = exclusion_reasons(program=program, mentee=mentee, mentor=mentor, now=now)
    if reasons:
        raise ValidationError(
            [f"{mentor.name} cannot mentor {mentee.name} here: {r}" for r in reasons]
        )
    live = Pairing.objects.live().filter(program=program, mentee=mentee).first()
    if live is not None:
        raise ValidationError(_has_mentor(live))
    Participation.objects.get_or_create(
        program=program, mentee=mentee, defaults={"added_by": None if by == mentee else by}
    )
    pairing = Pairing(
        program=program, mentor=mentor, mentee=mentee, source=source, score=score, created_at=now
    )
    pairing.full_clean(validate_constraints=False)
    request = MentorRequest(
        requested_by=by,
        message=message.strip(),
        created_at=now,
        expires_at=now + timedelta(days=program.accept_window_days),
    )
    try:
        with transaction.atomic():
            pairing.save()
            request.pairing = pairing
            request.full_clean()
            request.save()
    except IntegrityError as raced:  # the same mentee paired by someone else a moment ago
        raise ValidationError(f"{mentee.name} was just paired in this programme.") from raced
    if by == mentee:
        text = f"{mentee.name} asks you to be their mentor in {program}."
    else:
        text = f"{by.name} proposes you as {mentee.name}'s mentor in {program}."
    deadline = timezone.localtime(request.expires_at, mentor.zone)
    notify(
        recipient=mentor,
        kind="mentorship.request",
        message=f"{text} Please accept or decline by {deadline:%d %b}.",
        url=pairing.get_absolute_url(),
        dedupe_key=f"{_request_key(pairing)}{mentor.pk}",
    )
    return pairing


def _has_mentor(pairing: Pairing) -> str:
    if pairing.is_active:
        return f"{pairing.mentee.name} already has a mentor in this programme."
    return f"{pairing.mentee.name} is waiting for {pairing.mentor.name}'s answer in this programme."


@transaction.atomic
def pairing_request(
    *, program: Program, mentee: User, mentor: User, message: str = "", score: int | None = None
) -> Pairing:
    """`mentee` asks `mentor` to mentor them in `program`, with a message."""
    if not mentee.is_active:
        raise PermissionDenied("Inactive people cannot ask for a mentor.")
    return _propose(
        program=program,
        mentee=mentee,
        mentor=mentor,
        by=mentee,
        source=Pairing.Source.REQUEST,
        message=message,
        score=score,
    )


@transaction.atomic
def pairing_assign(
    *,
    program: Program,
    mentee: User,
    mentor: User,
    manager: User,
    message: str = "",
    score: int | None = None,
) -> Pairing:
    """`manager` (the mentee's manager, a programme manager or an admin) proposes `mentor`
    for `mentee`; the mentor accepts or declines."""
    if not program.can_pair(manager, mentee):
        raise PermissionDenied("Only the mentee's manager or a programme manager can assign.")
    return _propose(
        program=program,
        mentee=mentee,
        mentor=mentor,
        by=manager,
        source=Pairing.Source.MANAGER,
        message=message,
        score=score,
    )


@transaction.atomic
def cohort_approve(
    *, program: Program, manager: User, pairs: list[tuple[User, User, int | None]]
) -> tuple[list[Pairing], list[str]]:
    """A programme manager approves a cohort proposal: each (mentee, mentor, score) becomes a
    proposal to the mentor. Pairs that no longer hold (someone was paired or reached capacity
    since the proposal was shown) are skipped with the reason; the rest are saved."""
    if not program.is_managed_by(manager):
        raise PermissionDenied("Only the programme's managers can approve a cohort.")
    require_open(program)
    made, refused = [], []
    for mentee, mentor, score in pairs:
        try:
            with transaction.atomic():
                made.append(
                    _propose(
                        program=program,
                        mentee=mentee,
                        mentor=mentor,
                        by=manager,
                        source=Pairing.Source.COHORT,
                        score=score,
                    )
                )
        except ValidationError as no:
            refused.extend(f"{mentee.name} and {mentor.name}: {m}" for m in no.messages)
    return made, refused


def _require_proposed(pairing: Pairing, now: datetime) -> MentorRequest:
    request = pairing.request
    if not pairing.is_proposed:
        raise ValidationError(
            f"This request was already answered ({pairing.get_status_display().lower()})."
        )
    if request.expires_at <= now:
        raise ValidationError("This request has expired: it was not answered in time.")
    return request


def _tell_requester(
    pairing: Pairing, request: MentorRequest, *, kind: str, message: str, url: str = ""
) -> None:
    """Tell the mentee, and the manager who proposed the pairing when it was one."""
    people = {pairing.mentee}
    if request.requested_by and request.requested_by.is_active:
        people.add(request.requested_by)
    for person in people:
        notify(
            recipient=person,
            kind=kind,
            message=message,
            url=url or pairing.get_absolute_url(),
            dedupe_key=f"{kind}:{pairing.pk}:{person.pk}",
        )


@transaction.atomic
def pairing_accept(*, pairing: Pairing, mentor: User, now: datetime | None = None) -> Pairing:
    """The mentor says yes: the pairing starts today (their date) and runs the programme's
    duration, with the programme's milestones dated from today."""
    now = now or timezone.now()
    pairing = _lock_pairing(pairing)
    if pairing.mentor_id != mentor.pk:
        raise PermissionDenied("Only the proposed mentor can accept.")
    request = _require_proposed(pairing, now)
    start = local_today(mentor, now)
    pairing.status = Pairing.Status.ACTIVE
    pairing.started_on = start
    pairing.ends_on = start + timedelta(weeks=pairing.program.duration_weeks)
    pairing.save(update_fields=["status", "started_on", "ends_on"])
    request.responded_at = now
    request.save(update_fields=["responded_at"])
    Milestone.objects.bulk_create(
        Milestone(pairing=pairing, title=t.title, due_on=start + timedelta(days=t.offset_days))
        for t in pairing.program.milestones.all()
    )
    notifications_settle(dedupe_prefix=_request_key(pairing))
    _tell_requester(
        pairing,
        request,
        kind="mentorship.accepted",
        message=f"{mentor.name} accepted: the mentoring of {pairing.mentee.name} in "
        f"{pairing.program} has started. Plan the first meeting.",
    )
    return pairing


@transaction.atomic
def pairing_decline(
    *, pairing: Pairing, mentor: User, reason: str = "", now: datetime | None = None
) -> Pairing:
    """The mentor says no, optionally saying why (the mentee is told the reason); the mentee
    is pointed at their next suggestions."""
    now = now or timezone.now()
    pairing = _lock_pairing(pairing)
    if pairing.mentor_id != mentor.pk:
        raise PermissionDenied("Only the proposed mentor can decline.")
    request = _require_proposed(pairing, now)
    request.decline_reason = reason.strip()
    request.responded_at = now
    request.full_clean()
    request.save(update_fields=["decline_reason", "responded_at"])
    pairing.status = Pairing.Status.DECLINED
    pairing.save(update_fields=["status"])
    notifications_settle(dedupe_prefix=_request_key(pairing))
    said = f" They said: “{request.decline_reason}”" if request.decline_reason else ""
    _tell_requester(
        pairing,
        request,
        kind="mentorship.declined",
        message=f"{mentor.name} cannot mentor {pairing.mentee.name} in {pairing.program} "
        f"right now.{said} See the next suggestions.",
        url=suggestions_url(pairing),
    )
    return pairing


def suggestions_url(pairing: Pairing) -> str:
    """The mentee's suggestions in the pairing's programme: where a declined or expired
    request sends the mentee (and the manager who proposed it) next."""
    return reverse(
        "mentorship:suggestions-for", args=[pairing.program.slug, pairing.mentee.username]
    )


@transaction.atomic
def pairing_withdraw(*, pairing: Pairing, user: User, now: datetime | None = None) -> Pairing:
    """The mentee or whoever may pair them takes back a proposal the mentor has not answered;
    the mentor is told it no longer waits for them."""
    now = now or timezone.now()
    pairing = _lock_pairing(pairing)
    if user.pk != pairing.mentee_id and not pairing.is_managed_by(user):
        raise PermissionDenied("Only the mentee or their manager can withdraw this request.")
    if not pairing.is_proposed:
        raise ValidationError("Only a request still waiting for an answer can be withdrawn.")
    _require_proposed(pairing, now)
    pairing.status = Pairing.Status.WITHDRAWN
    pairing.save(update_fields=["status"])
    notifications_settle(dedupe_prefix=_request_key(pairing))
    notify(
        recipient=pairing.mentor,
        kind="mentorship.withdrawn",
        message=f"The request for you to mentor {pairing.mentee.name} in {pairing.program} "
        "was withdrawn: nothing to answer.",
        url=pairing.get_absolute_url(),
        dedupe_key=f"mentorship.withdrawn:{pairing.pk}:{pairing.mentor_id}",
    )
    return pairing


def _expire(pairing: Pairing) -> bool:
    """Mark one locked, overdue proposal expired and tell the mentee (and the manager who
    proposed it) once, with their next suggestions. False when it was answered meanwhile."""
    # Conditional: an answer that committed since the row was read wins.
    changed = Pairing.objects.filter(pk=pairing.pk, status=Pairing.Status.PROPOSED).update(
        status=Pairing.Status.EXPIRED
    )
    if not changed:
        return False
    pairing.status = Pairing.Status.EXPIRED
    notifications_settle(dedupe_prefix=_request_key(pairing))
    _tell_requester(
        pairing,
        pairing.request,
        kind="mentorship.expired",
        message=f"{pairing.mentor.name} did not answer in time, so the request for "
        f"{pairing.mentee.name} in {pairing.program} has expired. See the next suggestions.",
        url=suggestions_url(pairing),
    )
    return True


@transaction.atomic
def requests_expire(*, now: datetime | None = None) -> int:
    """Expire every proposal left unanswered past its window and tell the mentee (and the
    manager who proposed it), pointing them at their next suggestions. Safe to run twice,
    and beside a mentor answering: the pairing's row is locked as the answer locks it."""
    now = now or timezone.now()
    due = (
        Pairing.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(status=Pairing.Status.PROPOSED)
        .filter(request__responded_at__isnull=True, request__expires_at__lte=now)
        .select_related("program", "mentor", "mentee", "request__requested_by")
        .order_by("pk")
    )
    return sum(_expire(pairing) for pairing in due)
