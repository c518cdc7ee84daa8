"""Cross-training and external learning: requesting a job rotation or a day of shadowing,
the two managers' approval, the participant's reflection confirmed by the host and shared as
a lesson learned; logging external learning, optionally approved beforehand, and sharing its
takeaways.

Rules of a rotation request, checked here (the forms only parse what was typed):
- a rotation is a day to six weeks (`ROTATION_MAX_DAYS`) with another team; shadowing is one
  day with a colleague of another team, whose team hosts it;
- it starts from today on and at most `PLAN_AHEAD_DAYS` ahead;
- one person's requested or approved rotations never share a day (checked under a lock on
  the person's row, so two requests sent at once cannot both pass);
- the participant's team's managers and the host team's managers both approve; a manager of
  both teams approves both at once. Nobody approves their own request: when the participant
  is the only manager of a team concerned, asking is that team's approval.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kb.models import Article
from notifications.services import notifications_settle, notify
from people.models import Team, User
from training.models import ExternalLearning, Rotation
from training.selectors.crosstraining import (
    SIDE_HOST,
    SIDE_PARTICIPANT,
    ExternalRights,
    RotationRights,
    managed_team_ids,
)
from training.services.articles import draft_article_from

ROTATION_MAX_DAYS = 42  # six weeks: longer is a secondment, not cross-training
PLAN_AHEAD_DAYS = 730
EXTERNAL_FIELDS = (
    "title", "kind", "provider", "starts_on", "ends_on", "hours", "url", "takeaways",
)  # fmt: skip
# What a manager approves of an external entry: changing one of these asks again.
EXTERNAL_APPROVED_FIELDS = ("title", "kind", "provider", "starts_on", "ends_on", "hours")


def _lock_user(user: User) -> None:
    # Serialises one person's requests: the overlap check and the insert happen one at a time.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


def _lock_rotation(rotation: Rotation) -> Rotation:
    """The rotation, locked until the transaction ends and read again, with its people."""
    if not Rotation.objects.select_for_update().filter(pk=rotation.pk).values_list("pk"):
        raise ValidationError("This rotation no longer exists.")
    return Rotation.objects.select_related("participant__team", "host_team", "host_person").get(
        pk=rotation.pk
    )


def _lock_entry(entry: ExternalLearning) -> ExternalLearning:
    if not ExternalLearning.objects.select_for_update().filter(pk=entry.pk).values_list("pk"):
        raise ValidationError("This entry no longer exists.")
    return ExternalLearning.objects.select_related("person__team").get(pk=entry.pk)


def _approvers(team: Team, participant: User) -> list[User]:
    """Who approves for `team`: its active managers other than the participant."""
    return list(team.managers.filter(is_active=True).exclude(pk=participant.pk))


def _rights(rotation: Rotation, user: User) -> RotationRights:
    return RotationRights.of(
        rotation, user, managed=managed_team_ids(user), today=timezone.localdate()
    )


def _host_label(rotation: Rotation) -> str:
    if rotation.kind == Rotation.Kind.SHADOWING and rotation.host_person:
        return rotation.host_person.name
    return rotation.host_team.name


def _when(rotation: Rotation) -> str:
    first, last = rotation.starts_on, rotation.ends_on
    if first == last:
        return f"on {first.day} {first:%b %Y}"
    return f"from {first.day} {first:%b} to {last.day} {last:%b %Y}"


def _check_rotation(participant: User, data: dict) -> dict:
    """The request's fields once its rules hold (host team filled in for shadowing), or a
    ValidationError naming the field at fault."""
    kind = data.get("kind") or Rotation.Kind.ROTATION
    host_team, host_person = data.get("host_team"), data.get("host_person")
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    errors: dict[str, str] = {}
    if participant.team_id is None:
        raise ValidationError("You need a team first: your team's manager approves the request.")
    if kind == Rotation.Kind.SHADOWING:
        if host_person is None:
            errors["host_person"] = "Choose the colleague you want to shadow."
        elif host_person.pk == participant.pk:
            errors["host_person"] = "Choose someone other than yourself."
        elif not host_person.is_active or host_person.team_id is None:
            errors["host_person"] = "This colleague is not on a team that can host you."
        else:
            host_team = host_person.team
        if starts_on and ends_on and ends_on != starts_on:
            errors["ends_on"] = "Shadowing is one day: leave the end date empty or the same."
        ends_on = starts_on
    elif host_team is None:
        errors["host_team"] = "Choose the team you want to join."
    elif host_person is not None and (
        not host_person.is_active or host_person.team_id != host_team.pk
    ):
        errors["host_person"] = f"Choose someone from {host_team.name}, or nobody."
    if host_team is not None and host_team.pk == participant.team_id and not errors:
        field = "host_person" if kind == Rotation.Kind.SHADOWING else "host_team"
        errors[field] = "Cross-training is with another team than your own."
    today = timezone.localdate()
    if starts_on is None:
        errors["starts_on"] = "Choose the first day."
    elif starts_on < today:
        errors["starts_on"] = "Choose a first day from today on."
    elif starts_on > today + timedelta(days=PLAN_AHEAD_DAYS):
        errors["starts_on"] = "Plan at most two years ahead."
    if starts_on and "ends_on" not in errors:
        if ends_on is None:
            errors["ends_on"] = "Choose the last day."
        elif ends_on < starts_on:
            errors["ends_on"] = "The last day is before the first day."
        elif (ends_on - starts_on).days + 1 > ROTATION_MAX_DAYS:
            errors["ends_on"] = f"A rotation lasts at most {ROTATION_MAX_DAYS // 7} weeks."
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind, "host_team": host_team, "host_person": host_person,
        "starts_on": starts_on, "ends_on": ends_on, "goals": (data.get("goals") or "").strip(),
    }  # fmt: skip


@transaction.atomic
def rotation_request(*, participant: User, data: dict) -> Rotation:
    """Ask for a rotation or a day of shadowing (`data`: kind, host_team, host_person,
    starts_on, ends_on, goals). Each manager who approves is told once; a team whose only
    manager is the participant approves by the request itself."""
    fields = _check_rotation(participant, data)
    _lock_user(participant)
    clash = (
        Rotation.objects.overlapping(
            participant=participant, starts_on=fields["starts_on"], ends_on=fields["ends_on"]
        )
        .select_related("host_team")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {"starts_on": f"You already have a rotation {_when(clash)} ({clash.host_team})."}
        )
    rotation = Rotation(participant=participant, **fields)
    now = timezone.now()
    asked: dict[int, User] = {}
    own_team = Team.objects.get(pk=participant.team_id)
    for side, team in ((SIDE_PARTICIPANT, own_team), (SIDE_HOST, fields["host_team"])):
        approvers = _approvers(team, participant)
        if not approvers and not team.managers.filter(pk=participant.pk).exists():
            raise ValidationError(f"{team.name} has no manager to approve it yet.")
        if approvers:
            asked.update((person.pk, person) for person in approvers)
        elif side == SIDE_PARTICIPANT:
            rotation.manager_approved_by, rotation.manager_approved_at = participant, now
        else:
            rotation.host_approved_by, rotation.host_approved_at = participant, now
    if not asked:
        rotation.status = Rotation.Status.APPROVED
    rotation.full_clean()
    rotation.save()
    for person in asked.values():
        notify(
            recipient=person,
            kind="training.rotation",
            message=f"{participant.name} asks to {_verb(rotation)} {_when(rotation)}: "
            "approve or decline.",
            url=rotation.get_absolute_url(),
            dedupe_key=f"training.rotation-request:{rotation.pk}:{person.pk}",
        )
    return rotation


def _verb(rotation: Rotation) -> str:
    if rotation.kind == Rotation.Kind.SHADOWING:
        return f"shadow {_host_label(rotation)}"
    return f"join {rotation.host_team.name}"


def _tell(person: User | None, rotation: Rotation, event: str, message: str) -> None:
    if person is not None and person.is_active:
        notify(
            recipient=person,
            kind="training.rotation",
            message=message,
            url=rotation.get_absolute_url(),
            dedupe_key=f"training.rotation-{event}:{rotation.pk}:{person.pk}",
        )


@transaction.atomic
def rotation_decide(
    *, rotation: Rotation, manager: User, approve: bool, reason: str = ""
) -> Rotation:
    """A manager of the participant's team or of the host team approves (their side; both
    when they manage both) or declines with a reason the participant is told. Approved once
    both sides have."""
    rotation = _lock_rotation(rotation)
    rights = _rights(rotation, manager)
    if not rights.concerned:
        raise PermissionDenied("Only the managers of the teams concerned decide on this request.")
    if rotation.status != Rotation.Status.REQUESTED:
        raise ValidationError(f"This request is already {rotation.get_status_display().lower()}.")
    now = timezone.now()
    if not approve:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": "Say why, so the request can be improved."})
        rotation.status, rotation.decided_by = Rotation.Status.DECLINED, manager
        rotation.decline_reason = reason
        rotation.full_clean()
        rotation.save()
        notifications_settle(dedupe_prefix=f"training.rotation-request:{rotation.pk}:")
        _tell(
            rotation.participant,
            rotation,
            "declined",
            f"{manager.name} declined your request to {_verb(rotation)}: {reason}",
        )
        return rotation
    if not rights.approve_sides:
        raise ValidationError("You already approved; it waits for the other team's manager.")
    if SIDE_PARTICIPANT in rights.approve_sides:
        rotation.manager_approved_by, rotation.manager_approved_at = manager, now
    if SIDE_HOST in rights.approve_sides:
        rotation.host_approved_by, rotation.host_approved_at = manager, now
    if rotation.manager_approved_at and rotation.host_approved_at:
        rotation.status, rotation.decided_by = Rotation.Status.APPROVED, manager
    rotation.full_clean()
    rotation.save()
    notifications_settle(dedupe_prefix=f"training.rotation-request:{rotation.pk}:{manager.pk}")
    if rotation.status == Rotation.Status.APPROVED:
        notifications_settle(dedupe_prefix=f"training.rotation-request:{rotation.pk}:")
        _tell(
            rotation.participant,
            rotation,
            "approved",
            f"Your request to {_verb(rotation)} {_when(rotation)} is approved.",
        )
        _tell(
            rotation.host_person,
            rotation,
            "hosting",
            f"{rotation.participant.name} will {_verb(rotation)} {_when(rotation)}.",
        )
    return rotation


@transaction.atomic
def rotation_cancel(*, rotation: Rotation, user: User) -> Rotation:
    """The participant withdraws a requested or approved rotation before its first day; the
    managers who were asked and the host person are told."""
    rotation = _lock_rotation(rotation)
    rights = _rights(rotation, user)
    if not rights.is_participant:
        raise PermissionDenied("Only the participant cancels a rotation.")
    if not rights.cancel:
        raise ValidationError("Only a requested or approved rotation that has not started yet.")
    was_approved = rotation.status == Rotation.Status.APPROVED
    rotation.status = Rotation.Status.CANCELLED
    rotation.save(update_fields=["status"])
    notifications_settle(dedupe_prefix=f"training.rotation-request:{rotation.pk}:")
    own_team = rotation.participant.team
    told = {
        *(_approvers(own_team, user) if own_team else []),
        *_approvers(rotation.host_team, user),
        *([rotation.host_person] if was_approved and rotation.host_person else []),
    }
    for person in told:
        _tell(
            person,
            rotation,
            "cancelled",
            f"{user.name} cancelled the rotation {_when(rotation)} ({_host_label(rotation)}).",
        )
    return rotation


def _confirmers(rotation: Rotation) -> list[User]:
    """Who confirms the reflection: the host person, else the host team's managers."""
    if rotation.host_person and rotation.host_person.is_active:
        return [rotation.host_person]
    return _approvers(rotation.host_team, rotation.participant)


@transaction.atomic
def rotation_reflect(*, rotation: Rotation, user: User, reflection: str) -> Rotation:
    """The participant writes what they learned, from the last day on; it can be rewritten
    until the host confirms it. The host is asked to confirm once."""
    rotation = _lock_rotation(rotation)
    rights = _rights(rotation, user)
    if not rights.is_participant:
        raise PermissionDenied("Only the participant writes the reflection.")
    if not rights.reflect:
        if rotation.host_confirmed_at:
            raise ValidationError("The host already confirmed your reflection.")
        raise ValidationError("Write it from the last day of an approved rotation on.")
    reflection = (reflection or "").strip()
    if not reflection:
        raise ValidationError({"reflection": "Write what you learned."})
    rotation.reflection, rotation.reflected_at = reflection, timezone.now()
    rotation.full_clean()
    rotation.save(update_fields=["reflection", "reflected_at"])
    for person in _confirmers(rotation):
        _tell(
            person,
            rotation,
            "reflected",
            f"{user.name} wrote what they learned with you: please confirm it.",
        )
    return rotation


@transaction.atomic
def rotation_confirm(*, rotation: Rotation, host: User) -> Rotation:
    """The host person or a manager of the host team confirms the reflection."""
    rotation = _lock_rotation(rotation)
    rights = _rights(rotation, host)
    if not rights.is_host:
        raise PermissionDenied("Only the host confirms the reflection.")
    if not rights.confirm:
        raise ValidationError("There is no reflection waiting for confirmation.")
    rotation.host_confirmed_by, rotation.host_confirmed_at = host, timezone.now()
    rotation.save(update_fields=["host_confirmed_by", "host_confirmed_at"])
    _tell(
        rotation.participant,
        rotation,
        "confirmed",
        f"{host.name} confirmed what you learned; you can share it as a lesson learned.",
    )
    return rotation


@transaction.atomic
def rotation_share(*, rotation: Rotation, user: User) -> Article:
    """Turn the confirmed reflection into a "best practice / lesson learned" draft article by
    the participant, submitted to kb's review; once per rotation."""
    rotation = _lock_rotation(rotation)
    rights = _rights(rotation, user)
    if not rights.is_participant:
        raise PermissionDenied("Only the participant shares the reflection.")
    if rotation.article_id:
        raise ValidationError("This reflection is already shared.")
    if not rights.share:
        raise ValidationError("Share it once the host has confirmed your reflection.")
    label = f"{rotation.get_kind_display().lower()} with {_host_label(rotation)}"
    body = rotation.reflection
    if rotation.goals:
        body = f"## What I set out to learn\n\n{rotation.goals}\n\n## What I learned\n\n{body}"
    article = draft_article_from(
        author=user,
        title=f"Lesson learned: {label}",
        summary=f"What {user.name} learned during a {label}.",
        body=body,
        source_url=rotation.get_absolute_url(),
        source_label=f"a {label}",
        type=Article.Type.BEST_PRACTICE,
    )
    rotation.article = article
    rotation.save(update_fields=["article"])
    return article


# External learning.


def _check_external(entry: ExternalLearning) -> None:
    entry.title = (entry.title or "").strip()
    entry.provider = (entry.provider or "").strip()
    entry.url = entry.url or ""
    entry.takeaways = (entry.takeaways or "").strip()
    if entry.starts_on and entry.ends_on and entry.ends_on < entry.starts_on:
        raise ValidationError({"ends_on": "The last day is before the first day."})
    entry.full_clean()


def _managers_of(person: User) -> list[User]:
    """Who approves `person`'s external learning: their team's other active managers."""
    managers = _approvers(person.team, person) if person.team_id else []
    if not managers:
        raise ValidationError({"ask_approval": "Your team has no manager to ask."})
    return managers


def _ask(entry: ExternalLearning, managers: list[User], asked_at) -> None:
    """Tell each manager once per request (asking again after a change asks again)."""
    for manager in managers:
        notify(
            recipient=manager,
            kind="training.external",
            message=f"{entry.person.name} asks your approval for “{entry.title}”.",
            url=entry.get_absolute_url(),
            dedupe_key=f"training.external-ask:{entry.pk}:{asked_at.isoformat()}:{manager.pk}",
        )


@transaction.atomic
def external_log(*, person: User, data: dict, ask_approval: bool = False) -> ExternalLearning:
    """Record a conference, workshop, course or event (`data`: title, kind, provider,
    starts_on, ends_on, hours, url, takeaways); with `ask_approval` it waits for the
    managers of the person's team, each told once."""
    entry = ExternalLearning(person=person, **{name: data.get(name) for name in EXTERNAL_FIELDS})
    _check_external(entry)
    managers = _managers_of(person) if ask_approval else []
    if managers:
        entry.approval = ExternalLearning.Approval.PENDING
    entry.save()
    _ask(entry, managers, entry.created_at)
    return entry


@transaction.atomic
def external_update(*, entry: ExternalLearning, user: User, data: dict) -> ExternalLearning:
    """The person changes their entry. Changing what a manager approved or is deciding on
    (title, kind, provider, dates, hours) asks again; `data["ask_approval"]` asks for an
    entry not yet approved (or declined before)."""
    entry = _lock_entry(entry)
    if user.pk != entry.person_id:
        raise PermissionDenied("Only the person who logged it changes it.")
    before = {name: getattr(entry, name) for name in EXTERNAL_APPROVED_FIELDS}
    for name in EXTERNAL_FIELDS:
        if name in data:
            value = data[name]
            setattr(entry, name, "" if value is None and name in ("provider", "url") else value)
    _check_external(entry)
    changed = any(getattr(entry, name) != before[name] for name in EXTERNAL_APPROVED_FIELDS)
    Approval = ExternalLearning.Approval
    ask = (changed and entry.approval in (Approval.PENDING, Approval.APPROVED)) or (
        data.get("ask_approval") and entry.approval in (Approval.NOT_ASKED, Approval.DECLINED)
    )
    if ask:
        managers = _managers_of(entry.person)
        entry.approval = Approval.PENDING
        entry.decided_by, entry.decided_at, entry.decline_reason = None, None, ""
    entry.save()
    if ask:
        _ask(entry, managers, timezone.now())
    return entry


@transaction.atomic
def external_decide(
    *, entry: ExternalLearning, manager: User, approve: bool, reason: str = ""
) -> ExternalLearning:
    """A manager of the person's team approves a pending entry, or declines it with a reason
    the person is told."""
    entry = _lock_entry(entry)
    if not ExternalRights.of(entry, manager, managed=managed_team_ids(manager)).concerned:
        raise PermissionDenied("Only the managers of this person's team decide.")
    if entry.approval != ExternalLearning.Approval.PENDING:
        raise ValidationError(f"This is not waiting for approval ({entry.get_approval_display()}).")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": "Say why, so it can be planned differently."})
    Approval = ExternalLearning.Approval
    entry.approval = Approval.APPROVED if approve else Approval.DECLINED
    entry.decided_by, entry.decided_at = manager, timezone.now()
    entry.decline_reason = "" if approve else reason
    entry.full_clean()
    entry.save()
    notifications_settle(dedupe_prefix=f"training.external-ask:{entry.pk}:")
    verdict = "approved" if approve else f"declined: {reason}"
    notify(
        recipient=entry.person,
        kind="training.external",
        message=f"{manager.name} {verdict} (“{entry.title}”)",
        url=entry.get_absolute_url(),
        dedupe_key=f"training.external-decided:{entry.pk}:{entry.decided_at.isoformat()}",
    )
    return entry


@transaction.atomic
def external_share(*, entry: ExternalLearning, user: User) -> Article:
    """Turn the takeaways into a "lesson learned" draft article by the person, submitted to
    kb's review; once per entry."""
    entry = _lock_entry(entry)
    if user.pk != entry.person_id:
        raise PermissionDenied("Only the person who logged it shares it.")
    if entry.article_id:
        raise ValidationError("These takeaways are already shared.")
    if not entry.takeaways.strip():
        raise ValidationError("Write your takeaways first.")
    if entry.approval == ExternalLearning.Approval.DECLINED:
        raise ValidationError("A declined entry cannot be shared.")
    provider = f" ({entry.provider})" if entry.provider else ""
    label = f"the {entry.get_kind_display().lower()} “{entry.title}”{provider}"
    article = draft_article_from(
        author=user,
        title=f"Lesson learned: {entry.title}",
        summary=f"Takeaways from {label}.",
        body=entry.takeaways,
        source_url=entry.get_absolute_url(),
        source_label=label,
        type=Article.Type.BEST_PRACTICE,
    )
    entry.article = article
    entry.save(update_fields=["article"])
    return article
