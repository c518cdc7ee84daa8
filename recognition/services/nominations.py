"""Nominating a colleague for a periodic award, and the approvers' decision on it.

A nomination is for the award's current period (`period_label`, on the organisation's
calendar), once per nominator, nominee, award and period: the database's unique constraint
decides, so two requests racing still make one nomination and the second gets the same clear
refusal as a later one. The approvers (the "Award approver" group and admins) are told once
each; after `RECOGNITION_NOMINATION_REMIND_DAYS` the reminder source asks them once more.

A decision is only taken on a pending nomination, read under a lock on its row: of two
approvers deciding at once one wins and the other is told it was already decided. An approval
is celebrated (the wall shows approved nominations) and told to the nominee and the nominator;
a rejection is told to the nominator only, with the approver's reason: the nominee never
learns of a nomination that was not approved.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from notifications.services import notifications_settle, notify
from people.models import User
from people.validators import clean_text as _clean_text
from recognition.models import APPROVERS_GROUP, Award, Nomination
from recognition.selectors.periods import organisation_zone

REASON_MAX = Nomination._meta.get_field("reason").max_length
EVIDENCE_MAX = Nomination._meta.get_field("evidence").max_length
COMMENT_MAX = Nomination._meta.get_field("decision_comment").max_length
EVIDENCE_LINES_MAX = 10
EVIDENCE_LINE_MAX = 500

# Stored in the nomination, so never translated: the label is part of what makes it unique.
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Whitespace, control characters and backslashes never belong in a link; a backslash after
# the first slash ("/\\evil.example") sends browsers to another site, like "//".
_NOT_IN_LINK = re.compile(r"[\s\\\x00-\x1f\x7f]")
_web_link = URLValidator(schemes=["http", "https"])


def can_nominate(user) -> bool:
    """Managers (admins among them) nominate; everyone signed in does when the organisation
    opens nominations to all (`RECOGNITION_NOMINATIONS_OPEN_TO_ALL`)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return settings.RECOGNITION_NOMINATIONS_OPEN_TO_ALL or user.is_manager


def period_label(award: Award, day: date | datetime) -> str:
    """The period of `award` that `day` falls in, as people read it: "2026 Q4" (quarterly),
    "November 2026" (monthly), "2026" (yearly). A moment is read on the organisation's
    calendar, so everyone's nomination on one day is for the same period."""
    if isinstance(day, datetime):
        day = timezone.localtime(day, organisation_zone()).date()
    if award.period == Award.Period.MONTH:
        return f"{_MONTHS[day.month - 1]} {day.year}"
    if award.period == Award.Period.YEAR:
        return str(day.year)
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def nomination_approvers(*, exclude: Nomination | None = None) -> list[User]:
    """Who decides nominations and is told about them: active admins and members of the
    approvers' group (the rule of `Nomination.is_approver`), never the nominee or the
    nominator of `exclude` (`Nomination.can_be_decided_by`)."""
    people = (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=APPROVERS_GROUP))
        .distinct()
        .order_by("pk")
    )
    if exclude is not None:
        people = people.exclude(pk__in=[exclude.nominee_id, exclude.nominated_by_id])
    return list(people)


def _link_problem(link: str) -> str | None:
    """Why `link` is not a link to the work (None when it is one): a web address (http or
    https) or a page of Huddle written from its first slash."""
    if len(link) > EVIDENCE_LINE_MAX:
        return f"is {len(link):,} characters long; a link has at most {EVIDENCE_LINE_MAX:,}"
    if _NOT_IN_LINK.search(link):
        return "holds spaces or characters a link cannot have"
    if link.startswith("/"):
        if link.startswith("//"):
            return "starts with “//”: write the whole address, starting with https://"
        return None
    scheme = urlsplit(link).scheme.lower() if ":" in link else ""
    if scheme not in ("http", "https"):
        return "is not a link: start it with https:// or, for a page of Huddle, with /"
    try:
        _web_link(link)
    except ValidationError:
        return "is not a complete web address"
    return None


def is_evidence_link(link: str) -> bool:
    """Whether `link` may be shown as a link (a row edited outside the service may hold
    anything: such a line is shown as text)."""
    return _link_problem(link) is None


def evidence_links(text: str) -> list[str]:
    """The links in `text`, one per line (blank lines skipped): web addresses (http, https)
    or pages of Huddle ("/kb/a/refund-policy/"), at most `EVIDENCE_LINES_MAX`. Refused with
    an error naming each line that is not one."""
    links = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(links) > EVIDENCE_LINES_MAX:
        raise ValidationError(
            {"evidence": f"Give at most {EVIDENCE_LINES_MAX} links ({len(links)} now)."}
        )
    errors = []
    for number, link in enumerate(links, start=1):
        problem = _link_problem(link)
        if problem:
            shown = link if len(link) <= 60 else link[:59] + "…"
            errors.append(f"Link {number} (“{shown}”) {problem}.")
    if errors:
        raise ValidationError({"evidence": errors})
    return links


def _clean_evidence(text: str) -> str:
    if "\x00" in (text or ""):
        raise ValidationError({"evidence": "This text holds a character that cannot be stored."})
    evidence = "\n".join(evidence_links(text))
    if len(evidence) > EVIDENCE_MAX:
        raise ValidationError(
            {"evidence": f"Keep the links to {EVIDENCE_MAX:,} characters in all "
             f"({len(evidence):,} now)."}
        )  # fmt: skip
    return evidence


def _duplicate(nominee: User, award: Award, period: str) -> ValidationError:
    return ValidationError(
        {"nominee": f"You already nominated {nominee.name} for {award.name} in {period}: "
         "one nomination each per period."}
    )  # fmt: skip


@transaction.atomic
def nomination_create(
    *,
    nominated_by: User,
    nominee: User,
    award: Award,
    reason: str,
    evidence: str = "",
    now: datetime | None = None,
) -> Nomination:
    """`nominated_by` nominates `nominee` for `award` in its current period, saying why, with
    links to the work as evidence; the approvers are told once each. Refused
    (ValidationError by field, nothing saved) for someone who may not nominate
    (`can_nominate`), an award not open for nominations, oneself or a colleague who left, an
    empty or long reason, evidence that is not links, or a second nomination of the same
    colleague for the same award and period."""
    now = now or timezone.now()
    if not can_nominate(nominated_by):
        raise ValidationError("Only managers nominate colleagues for awards.")
    award = Award.objects.filter(pk=award.pk).first()
    if award is None or not award.is_active:
        raise ValidationError({"award": "This award is not open for nominations."})
    if nominee.pk == nominated_by.pk:
        raise ValidationError({"nominee": "You cannot nominate yourself: ask a colleague to."})
    if not nominee.is_active:
        raise ValidationError({"nominee": f"{nominee.name} can no longer sign in to Huddle."})
    reason = _clean_text(
        reason, field="reason", limit=REASON_MAX, label="the reason", required=True
    )
    evidence = _clean_evidence(evidence)
    period = period_label(award, now)

    if Nomination.objects.filter(
        award=award, period_label=period, nominee=nominee, nominated_by=nominated_by
    ).exists():
        raise _duplicate(nominee, award, period)
    nomination = Nomination(
        award=award, period_label=period, nominee=nominee, nominated_by=nominated_by,
        reason=reason, evidence=evidence, created_at=now,
    )  # fmt: skip
    # The unique constraint is the database's to check: a request racing this one passed the
    # check above too, and only one insert can win.
    nomination.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        raise _duplicate(nominee, award, period) from None

    for approver in nomination_approvers(exclude=nomination):
        notify(
            recipient=approver,
            kind="recognition.nomination",
            message=f"{nominated_by.name} nominated {nominee.name} for {award.name} "
            f"({period}): please approve or reject the nomination.",
            url=nomination.get_absolute_url(),
            dedupe_key=f"{ask_prefix(nomination)}{approver.pk}",
        )
    return nomination


def ask_prefix(nomination: Nomination) -> str:
    """The dedupe keys of what asks approvers to decide `nomination` (the first ask and the
    reminder) start with this; a decision settles them all."""
    return f"recognition.nomination:{nomination.pk}:"


def _lock_pending(nomination: Nomination, user: User) -> Nomination:
    """The nomination read afresh under a lock on its row; refused unless it still waits
    and `user` may decide it (`Nomination.can_be_decided_by`)."""
    try:
        nomination = (
            # Not `decided_by`: after waiting for the lock, PostgreSQL re-reads this row but
            # not the rows it was joined to, so a decider joined here would be the stale one.
            Nomination.objects.select_for_update(of=("self",))
            .select_related("award", "nominee", "nominated_by")
            .get(pk=nomination.pk)
        )
    except Nomination.DoesNotExist:
        raise ValidationError("This nomination is not there any more.") from None
    if nomination.status != Nomination.Status.PENDING:
        who = f" by {nomination.decided_by.name}" if nomination.decided_by else ""
        raise ValidationError(
            f"This nomination was already decided{who}: {nomination.get_status_display().lower()}."
        )
    if not nomination.can_be_decided_by(user):
        raise ValidationError(
            "Only award approvers decide nominations, and never one they made or one about "
            "themselves."
        )
    return nomination


def _decide(nomination: Nomination, user: User, status: str, comment: str) -> Nomination:
    nomination.status = status
    nomination.decided_by, nomination.decided_at = user, timezone.now()
    nomination.decision_comment = comment
    nomination.full_clean(validate_constraints=False)
    nomination.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    # The approvers' asks (and reminders) are answered: marked read, kept as history.
    notifications_settle(dedupe_prefix=ask_prefix(nomination))
    return nomination


def _quoted(comment: str) -> str:
    return f" Their comment: “{comment}”" if comment else ""


@transaction.atomic
def nomination_approve(*, nomination: Nomination, user: User, comment: str = "") -> Nomination:
    """`user` approves a pending nomination they may decide, with an optional comment: the
    award is celebrated on the wall, and the nominee and the nominator are told once each.
    Refused when it was decided already (by someone else at the same moment, too), when
    `user` may not decide it, or when the nominee already holds this award for this period
    (a second approval would celebrate them twice)."""
    comment = _clean_text(
        comment, field="comment", limit=COMMENT_MAX, label="your comment", required=False
    )
    nomination = _lock_pending(nomination, user)
    won = (
        Nomination.objects.approved()
        .filter(
            award=nomination.award_id,
            period_label=nomination.period_label,
            nominee=nomination.nominee_id,
        )
        .exists()
    )
    if won:
        raise ValidationError(
            f"{nomination.nominee.name} is already {nomination.award.name} of "
            f"{nomination.period_label}. Reject this nomination, saying so, to close it."
        )
    nomination = _decide(nomination, user, Nomination.Status.APPROVED, comment)
    award, nominee, nominator = nomination.award, nomination.nominee, nomination.nominated_by
    url = nomination.get_absolute_url()
    if nominee.is_active:
        notify(
            recipient=nominee,
            kind="recognition.award",
            message=f"Congratulations: you are {award.name} of {nomination.period_label}! "
            f"{nominator.name} nominated you.{_quoted(comment)}",
            url=url,
            dedupe_key=f"recognition.award:{nomination.pk}:{nominee.pk}",
        )
    if nominator.is_active:
        notify(
            recipient=nominator,
            kind="recognition.nomination_decided",
            message=f"{user.name} approved your nomination of {nominee.name} for {award.name} "
            f"({nomination.period_label}).{_quoted(comment)}",
            url=url,
            dedupe_key=f"recognition.nomination_decided:{nomination.pk}",
        )
    return nomination


@transaction.atomic
def nomination_reject(*, nomination: Nomination, user: User, comment: str) -> Nomination:
    """`user` rejects a pending nomination they may decide, saying why: the nominator is told
    once, with the comment; the nominee never is (nor can they see it). Refused without a
    comment, when it was decided already, or when `user` may not decide it."""
    comment = _clean_text(
        comment, field="comment", limit=COMMENT_MAX, label="why, for the nominator", required=True
    )
    nomination = _lock_pending(nomination, user)
    nomination = _decide(nomination, user, Nomination.Status.REJECTED, comment)
    nominator = nomination.nominated_by
    if nominator.is_active:
        notify(
            recipient=nominator,
            kind="recognition.nomination_decided",
            message=f"{user.name} did not approve your nomination of "
            f"{nomination.nominee.name} for {nomination.award.name} "
            f"({nomination.period_label}). Why: “{comment}”",
            url=nomination.get_absolute_url(),
            dedupe_key=f"recognition.nomination_decided:{nomination.pk}",
        )
    return nomination
